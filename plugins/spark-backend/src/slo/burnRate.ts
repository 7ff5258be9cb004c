import {
  formatSloDuration,
  parseSloDuration,
} from '@spark-k8s/plugin-spark-common';

/** One multi-window burn-rate alert condition (Google SRE workbook, chapter 5). */
export interface BurnRateWindow {
  severity: 'page' | 'ticket';
  longMs: number;
  shortMs: number;
  threshold: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

/** The windows of a 30-day SLO: 2 % of the budget in 1 h, 5 % in 6 h, 10 % in 1 d, 10 % in 3 d. */
export const BURN_RATE_WINDOWS_30D: BurnRateWindow[] = [
  { severity: 'page', longMs: HOUR, shortMs: 5 * MINUTE, threshold: 14.4 },
  { severity: 'page', longMs: 6 * HOUR, shortMs: 30 * MINUTE, threshold: 6 },
  { severity: 'ticket', longMs: DAY, shortMs: 2 * HOUR, threshold: 3 },
  { severity: 'ticket', longMs: 3 * DAY, shortMs: 6 * HOUR, threshold: 1 },
];

/**
 * The burn-rate windows of an SLO window: the 30-day windows scaled by window / 30 d (so each
 * still spends the same share of the budget), rounded to whole minutes.
 */
export function burnRateWindows(sloWindow: string | number): BurnRateWindow[] {
  const windowMs =
    typeof sloWindow === 'number' ? sloWindow : parseSloDuration(sloWindow);
  if (!windowMs) throw new Error(`not a window: ${sloWindow}`);
  const factor = windowMs / (30 * DAY);
  const scale = (ms: number) =>
    Math.max(MINUTE, Math.round((ms * factor) / MINUTE) * MINUTE);
  return BURN_RATE_WINDOWS_30D.map(w => ({
    ...w,
    longMs: scale(w.longMs),
    shortMs: scale(w.shortMs),
  }));
}

/** A window as Prometheus and people write it, e.g. `1h`, `5m`, `90m`. */
export const windowName = (ms: number) => formatSloDuration(ms);

/** Burn rate: the bad share of a window over the share the objective allows. */
export function burnRate(
  good: number,
  total: number,
  objective: number,
): number | undefined {
  if (total === 0) return undefined;
  return (total - good) / total / (1 - objective);
}
