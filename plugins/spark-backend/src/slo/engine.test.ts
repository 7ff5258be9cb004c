import { validateSloDocuments } from '@spark-k8s/plugin-spark-common';
import { burnRateWindows, windowName } from './burnRate';
import { sloEvents, zonedInstant } from './engine';

const t = (iso: string) => Date.parse(iso);

describe('burn-rate windows', () => {
  it('are the SRE workbook’s for 30 days and scale with the window', () => {
    const name = (w: string) =>
      burnRateWindows(w).map(x => [
        x.severity,
        windowName(x.longMs),
        windowName(x.shortMs),
        x.threshold,
      ]);
    expect(name('30d')).toEqual([
      ['page', '1h', '5m', 14.4],
      ['page', '6h', '30m', 6],
      ['ticket', '1d', '2h', 3],
      ['ticket', '3d', '6h', 1],
    ]);
    expect(name('7d').map(([, long, short]) => [long, short])).toEqual([
      ['14m', '1m'],
      ['84m', '7m'],
      ['336m', '28m'],
      ['1008m', '84m'],
    ]);
  });
});

describe('SLI occurrences', () => {
  it('judges a deadline per local day, across a DST change', () => {
    // Europe/Berlin leaves summer time on 25 October 2026: 06:00 is 04:00Z, then 05:00Z.
    expect(
      zonedInstant({ year: 2026, month: 10, day: 24 }, 360, 'Europe/Berlin'),
    ).toBe(t('2026-10-24T04:00:00Z'));
    expect(
      zonedInstant({ year: 2026, month: 10, day: 26 }, 360, 'Europe/Berlin'),
    ).toBe(t('2026-10-26T05:00:00Z'));
    const events = sloEvents(
      { type: 'deadline', time: '06:00', timeZone: 'Europe/Berlin' },
      [
        // done at 05:30 local on the 25th: good
        {
          startTime: t('2026-10-25T03:00:00Z'),
          endTime: t('2026-10-25T04:30:00Z'),
          state: 'SUCCEEDED',
        },
        // done at 06:30 local on the 26th: late
        {
          startTime: t('2026-10-26T04:00:00Z'),
          endTime: t('2026-10-26T05:30:00Z'),
          state: 'SUCCEEDED',
        },
      ],
      t('2026-10-25T00:00:00Z'),
      t('2026-10-27T12:00:00Z'),
    );
    expect(events).toEqual([
      { time: t('2026-10-25T05:00:00Z'), good: true },
      { time: t('2026-10-26T05:00:00Z'), good: false },
      // the 27th: no run at all
      { time: t('2026-10-27T05:00:00Z'), good: false },
    ]);
  });

  it('judges freshness on 5-minute slices since the last success', () => {
    const events = sloEvents(
      { type: 'freshness', maxAge: '10m' },
      [
        {
          startTime: t('2026-11-30T09:50:00Z'),
          endTime: t('2026-11-30T10:00:00Z'),
          state: 'SUCCEEDED',
        },
      ],
      t('2026-11-30T10:00:00Z'),
      t('2026-11-30T10:30:00Z'),
    );
    // 10:00, 10:05, 10:10 fresh; 10:15, 10:20, 10:25 stale
    expect(events.map(e => e.good)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('counts successful runs within the duration target, and operator submissions', () => {
    const runs = [
      { startTime: 0, endTime: 40 * 60_000, state: 'SUCCEEDED' as const },
      { startTime: 0, endTime: 50 * 60_000, state: 'SUCCEEDED' as const },
      { startTime: 0, endTime: 10 * 60_000, state: 'FAILED' as const },
      { startTime: 5, state: 'FAILED' as const, submissionFailed: true },
    ];
    expect(
      sloEvents(
        { type: 'duration-p95', target: '45m' },
        runs,
        0,
        3_600_000,
      ).map(e => e.good),
    ).toEqual([true, false]);
    expect(
      sloEvents({ type: 'submission-success' }, runs, 0, 3_600_000).map(
        e => e.good,
      ),
    ).toEqual([true, true, true, false]);
  });
});

describe('SLO spec validation', () => {
  it('names the file, document and field of every mistake', () => {
    const { specs, errors } = validateSloDocuments(
      [
        {
          apiVersion: 'openslo/v1',
          kind: 'SLO',
          metadata: { name: 'ok' },
          spec: {
            timeWindow: [{ duration: '30d' }],
            objectives: [{ target: 0.99 }],
            indicator: { spec: { sparkRuns: { type: 'success-ratio' } } },
          },
        },
        {
          apiVersion: 'openslo/v1',
          kind: 'SLO',
          metadata: { name: 'bad' },
          spec: {
            timeWindow: [{ duration: '30 days' }],
            objectives: [{ target: 99 }],
            indicator: {
              spec: {
                sparkRuns: {
                  type: 'deadline',
                  time: '25:00',
                  timeZone: 'Mars/Olympus',
                },
              },
            },
            runbook: 'no-such-runbook',
          },
        },
      ],
      'slo/settlement-etl.yaml',
    );
    expect(specs.map(s => s.metadata.name)).toEqual(['ok']);
    expect(errors).toEqual([
      'slo/settlement-etl.yaml document 2: spec.timeWindow.0.duration: must be a duration such as 30d, 6h or 45m',
      'slo/settlement-etl.yaml document 2: spec.objectives.0.target: must be below 1 (0.99 = 99 %)',
      'slo/settlement-etl.yaml document 2: spec.indicator.spec.sparkRuns.time: must be a time of day HH:MM',
    ]);
  });
});
