import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { SparkSloSpec } from '@spark-k8s/plugin-spark-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { budgetStatus, costAlerts } from '../cost/summary';
import { evaluateSlo, type SloRun } from './engine';

/** The worked examples of docs/cost-and-slo.md: each `# worked example:` YAML block runs here. */
const doc = readFileSync(
  resolve(
    resolvePackagePath('@spark-k8s/plugin-spark-backend'),
    '../../docs/cost-and-slo.md',
  ),
  'utf8',
);
const examples = [
  ...doc.matchAll(/```yaml\n# worked example: (\w+)\n([\s\S]*?)```/g),
].map(([, kind, body]) => ({ kind, example: parse(body) }));
const time = (v: unknown) => Date.parse(String(v));
const round = (n: number | undefined) =>
  n === undefined ? undefined : Math.round(n * 100_000) / 100_000;

function runsOf(example: any): SloRun[] {
  const runs: SloRun[] = [];
  const failed = new Set((example.failed ?? []).map(time));
  const now = time(example.now);
  const step = example.every.hours * 3_600_000;
  for (let start = time(example.every.from); start < now; start += step) {
    const end = start + example.every.minutes * 60_000;
    if (end > now) break;
    runs.push({
      startTime: start,
      endTime: end,
      state: failed.has(start) ? 'FAILED' : 'SUCCEEDED',
    });
  }
  for (const [start, end, state] of example.extra ?? []) {
    runs.push({ startTime: time(start), endTime: time(end), state });
  }
  return runs;
}

describe('the worked examples of docs/cost-and-slo.md', () => {
  it('are there', () => {
    expect(examples.map(e => e.kind)).toEqual(['budget', 'slo', 'slo', 'slo']);
  });

  const of = (kind: string) =>
    examples
      .map((e, i) => [i + 1, e.example] as const)
      .filter((_, i) => examples[i].kind === kind);

  it.each(of('budget'))(
    'example %i (budget) computes what the docs say',
    (_i, example: any) => {
      const budget = budgetStatus({
        monthly: example.monthly,
        source: 'config',
        now: time(example.now),
        spent: example.spent,
      });
      const alerts = costAlerts({
        currency: 'USD',
        budget,
        lastWeek: example.lastWeek,
        previousWeek: example.previousWeek,
        growthThreshold: example.growthThreshold,
        growthMinimum: 0,
      });
      expect({
        forecast: budget.forecast,
        alerts: alerts.map(a => a.kind),
      }).toEqual(example.expect);
    },
  );

  it.each(of('slo'))(
    'example %i (slo) computes what the docs say',
    (_i, example: any) => {
      const spec: SparkSloSpec = {
        apiVersion: 'openslo/v1',
        kind: 'SLO',
        metadata: { name: 'example' },
        spec: {
          timeWindow: [{ duration: example.window, isRolling: true }],
          objectives: [{ target: example.objective }],
          indicator: { spec: { sparkRuns: example.indicator } },
        },
      };
      const status = evaluateSlo(spec, runsOf(example), time(example.now), {
        entityRef: 'component:default/example',
      });
      const actual: Record<string, unknown> = {
        runs: status.runs,
        attainment: round(status.attainment),
        errorBudgetRemaining: round(status.errorBudgetRemaining),
        state: status.burnRate.state,
        highest: round(status.burnRate.highest),
        windows: Object.fromEntries(
          status.windows!.map(w => [w.long, round(w.longRate)]),
        ),
      };
      // The docs state some figures per example; compare those.
      const stated = Object.fromEntries(
        Object.keys(example.expect).map(key => [
          key,
          key === 'windows'
            ? Object.fromEntries(
                Object.keys(example.expect.windows).map(long => [
                  long,
                  (actual.windows as Record<string, unknown>)[long],
                ]),
              )
            : actual[key],
        ]),
      );
      expect(stated).toEqual(example.expect);
    },
  );
});
