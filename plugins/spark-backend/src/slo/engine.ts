import {
  parseSloDuration,
  type SparkAppState,
  type SparkBurnRateState,
  type SparkSloSpec,
  type SparkSloStatus,
} from '@spark-k8s/plugin-spark-common';
import { burnRate, burnRateWindows, windowName } from './burnRate';

/** One stored run of a Spark job, as the SLO engine reads run history. */
export interface SloRun {
  startTime: number;
  endTime?: number;
  state: SparkAppState;
  /** The operator could not submit it (it never became a Spark app). */
  submissionFailed?: boolean;
}

/** A judged occurrence: a run, a day (deadline), or a time slice (freshness). */
export interface SloEvent {
  time: number;
  good: boolean;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Freshness is judged on 5-minute slices: fine enough for a 5-minute burn window. */
export const FRESHNESS_SLICE_MS = 5 * MINUTE;

/** Offset of a time zone from UTC at an instant, in milliseconds. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map(p => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of a wall-clock time in a time zone (DST-aware). */
export function zonedInstant(
  date: { year: number; month: number; day: number },
  minutes: number,
  timeZone: string,
): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  let instant = wall - zoneOffset(wall, timeZone);
  instant = wall - zoneOffset(instant, timeZone);
  return instant;
}

/** The local calendar date of an instant in a time zone. */
function localDate(instant: number, timeZone: string) {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(instant)
    .split('-')
    .map(Number);
  return { year, month, day };
}

const finished = (run: SloRun) =>
  run.state === 'SUCCEEDED' || run.state === 'FAILED';

/** When a Component's history starts: its first observed run, or undefined without runs. */
export function firstRunOf(runs: SloRun[]): number | undefined {
  return runs.reduce<number | undefined>(
    (min, run) =>
      min === undefined || run.startTime < min ? run.startTime : min,
    undefined,
  );
}

/**
 * The occurrences an SLO judges over `[from, to)`: runs for ratio SLIs, days for deadlines,
 * 5-minute slices for freshness. `runs` may start before `from` (freshness looks back).
 * `since` is when the history starts (the first observed run, or the SLO's creation): no day
 * before it can miss a deadline. It defaults to the first of `runs`.
 */
export function sloEvents(
  indicator: SparkSloSpec['spec']['indicator']['spec']['sparkRuns'],
  runs: SloRun[],
  from: number,
  to: number,
  since: number | undefined = firstRunOf(runs),
): SloEvent[] {
  const inRange = (t: number) => t >= from && t < to;
  switch (indicator.type) {
    case 'success-ratio':
      return runs
        .filter(finished)
        .map(run => ({
          time: run.endTime ?? run.startTime,
          good: run.state === 'SUCCEEDED',
        }))
        .filter(e => inRange(e.time));
    case 'submission-success':
      return runs
        .map(run => ({ time: run.startTime, good: !run.submissionFailed }))
        .filter(e => inRange(e.time));
    case 'duration-p95': {
      const target = parseSloDuration(indicator.target)!;
      return runs
        .filter(run => run.state === 'SUCCEEDED' && run.endTime !== undefined)
        .map(run => ({
          time: run.endTime!,
          good: run.endTime! - run.startTime <= target,
        }))
        .filter(e => inRange(e.time));
    }
    case 'deadline': {
      const [hours, minutes] = indicator.time.split(':').map(Number);
      const successes = runs
        .filter(run => run.state === 'SUCCEEDED' && run.endTime !== undefined)
        .map(run => run.endTime!);
      const events: SloEvent[] = [];
      // Without any run there is no job yet, so no day to judge.
      if (since === undefined) return events;
      // Each local day whose deadline fell in the range, and not before the history, is one.
      let date = localDate(from - DAY, indicator.timeZone);
      for (let i = 0; i < 800; i++) {
        const dayStart = zonedInstant(date, 0, indicator.timeZone);
        const deadline = zonedInstant(
          date,
          hours * 60 + minutes,
          indicator.timeZone,
        );
        if (deadline >= to) break;
        if (inRange(deadline) && deadline >= since) {
          events.push({
            time: deadline,
            good: successes.some(end => end >= dayStart && end <= deadline),
          });
        }
        date = localDate(dayStart + DAY + 2 * 3_600_000, indicator.timeZone);
      }
      return events;
    }
    case 'freshness': {
      const maxAge = parseSloDuration(indicator.maxAge)!;
      const successes = runs
        .filter(run => run.state === 'SUCCEEDED' && run.endTime !== undefined)
        .map(run => run.endTime!)
        .sort((a, b) => a - b);
      const events: SloEvent[] = [];
      let next = 0;
      let last: number | undefined;
      const first = Math.ceil(from / FRESHNESS_SLICE_MS) * FRESHNESS_SLICE_MS;
      for (let t = first; t < to; t += FRESHNESS_SLICE_MS) {
        while (next < successes.length && successes[next] <= t) {
          last = successes[next];
          next += 1;
        }
        // Before the first success ever seen there is nothing to be fresh or stale about.
        if (last === undefined) continue;
        events.push({ time: t, good: t - last <= maxAge });
      }
      return events;
    }
    default:
      return [];
  }
}

function count(events: SloEvent[], from: number, to: number) {
  let total = 0;
  let good = 0;
  for (const e of events) {
    if (e.time >= from && e.time < to) {
      total += 1;
      if (e.good) good += 1;
    }
  }
  return { total, good };
}

const percentile = (values: number[], q: number) => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

/**
 * The status of one SLO at `now` from run history: attainment and error budget over the
 * rolling window, and the multi-window burn rates.
 */
export function evaluateSlo(
  spec: SparkSloSpec,
  runs: SloRun[],
  now: number,
  context: {
    entityRef: string;
    teamRef?: string;
    runbookId?: string;
    /** When the Component's history starts; the first of `runs` by default. */
    since?: number;
  },
): SparkSloStatus {
  const window = spec.spec.timeWindow[0].duration;
  const windowMs = parseSloDuration(window)!;
  const objective = spec.spec.objectives[0].target;
  const indicator = spec.spec.indicator.spec.sparkRuns;
  const from = now - windowMs;
  const events = sloEvents(
    indicator,
    runs,
    from,
    now + 1,
    context.since ?? firstRunOf(runs),
  );
  const { total, good } = count(events, from, now + 1);
  // A deadline is judged once a day: a window shorter than a day reaches back a day, to the
  // latest deadline, or a missed deadline would never burn (and never page).
  const reach = (ms: number) =>
    indicator.type === 'deadline' ? Math.max(ms, DAY) : ms;
  const windows = burnRateWindows(windowMs).map(w => {
    const longMs = reach(w.longMs);
    const shortMs = reach(w.shortMs);
    const long = count(events, now + 1 - longMs, now + 1);
    const short = count(events, now + 1 - shortMs, now + 1);
    const longRate = burnRate(long.good, long.total, objective);
    const shortRate = burnRate(short.good, short.total, objective);
    return {
      severity: w.severity,
      long: windowName(longMs),
      short: windowName(shortMs),
      threshold: w.threshold,
      longRate,
      shortRate,
      longRuns: long.total,
      shortRuns: short.total,
      firing:
        longRate !== undefined &&
        shortRate !== undefined &&
        longRate > w.threshold &&
        shortRate > w.threshold,
    };
  });
  let state: SparkBurnRateState = 'ok';
  if (total === 0) state = 'no-data';
  else if (windows.some(w => w.firing && w.severity === 'page')) state = 'page';
  else if (windows.some(w => w.firing)) state = 'ticket';
  const rates = windows
    .map(w => w.longRate)
    .filter((r): r is number => r !== undefined);

  const successes = runs.filter(
    run => run.state === 'SUCCEEDED' && run.endTime !== undefined,
  );
  const lastSuccess = successes.reduce<number | undefined>(
    (max, run) =>
      max === undefined || run.endTime! > max ? run.endTime! : max,
    undefined,
  );
  const durations = successes
    .filter(run => run.endTime! >= from)
    .map(run => run.endTime! - run.startTime);

  const attainment = total ? good / total : undefined;
  return {
    id: spec.metadata.name,
    name: spec.metadata.displayName ?? spec.metadata.name,
    entityRef: context.entityRef,
    teamRef: context.teamRef,
    indicator: indicator.type,
    objective,
    window,
    attainment,
    errorBudgetRemaining:
      attainment === undefined
        ? undefined
        : 1 - (1 - attainment) / (1 - objective),
    burnRate: {
      state,
      highest: rates.length ? Math.max(...rates) : undefined,
    },
    runs: { total, good },
    runbookId: spec.spec.runbook ?? context.runbookId,
    observed: {
      p95DurationMs: percentile(durations, 0.95),
      lastSuccessAt:
        lastSuccess === undefined
          ? undefined
          : new Date(lastSuccess).toISOString(),
      ageMs: lastSuccess === undefined ? undefined : now - lastSuccess,
    },
    windows,
  };
}
