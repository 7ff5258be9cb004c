import { runPromtool } from '@spark-k8s/harness';
import {
  isRunbookId,
  type SparkSloSpec,
  validateSloDocuments,
} from '@spark-k8s/plugin-spark-common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { prometheusRules, type PrometheusRule } from './rules';

// promtool evaluates the p95 subquery (a day at one step a minute) at every minute of the two
// hours: seconds alone, much longer on a loaded machine.
jest.setTimeout(300_000);

const slo = (
  name: string,
  target: number,
  sparkRuns: Record<string, string>,
): SparkSloSpec => {
  const { specs, errors } = validateSloDocuments(
    [
      {
        apiVersion: 'openslo/v1',
        kind: 'SLO',
        metadata: { name },
        spec: {
          timeWindow: [{ duration: '30d' }],
          objectives: [{ target }],
          indicator: { spec: { sparkRuns } },
        },
      },
    ],
    name,
  );
  expect(errors).toEqual([]);
  return specs[0];
};

const id = (kubernetesId: string, extra: Record<string, string> = {}) => ({
  backstage_io_kubernetes_id: kubernetesId,
  ...extra,
});

const rules = prometheusRules(
  [
    {
      spec: slo('settlement-success', 0.99, { type: 'success-ratio' }),
      entityRef: 'component:default/settlement-etl',
      selector: id('settlement-etl'),
    },
    {
      spec: slo('clickstream-fresh', 0.99, { type: 'freshness', maxAge: '1h' }),
      entityRef: 'component:default/clickstream-sessionizer',
      selector: id('clickstream-sessionizer'),
    },
    {
      spec: slo('fraud-duration', 0.95, {
        type: 'duration-p95',
        target: '45m',
      }),
      entityRef: 'component:default/fraud-features',
      selector: id('fraud-features'),
    },
    {
      spec: slo('backfill-submission', 0.95, { type: 'submission-success' }),
      entityRef: 'component:default/feature-backfill',
      selector: id('feature-backfill', { namespace: 'ml' }),
    },
  ],
  // The test series have one sample a minute.
  { appBaseUrl: 'https://portal.example.com', scrapeInterval: '1m' },
);

const alerts = rules.groups.flatMap(g =>
  g.rules.filter(
    (r): r is Extract<PrometheusRule, { alert: string }> => 'alert' in r,
  ),
);

/** Explicit promtool values of a counter that grows by `step(minute)` each minute, from 0. */
function cumulative(minutes: number, step: (minute: number) => number) {
  const values = [0];
  for (let minute = 1; minute <= minutes; minute++) {
    values.push(values[minute - 1] + step(minute));
  }
  return values.join(' ');
}

/** Input series of one case: the metrics of a firing (or a quiet) world, one sample a minute for 2 h. */
function series(firing: boolean) {
  const s = (name: string, labels: Record<string, string>, values: string) => ({
    series: `${name}{${Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}}`,
    values,
  });
  const app = { application_id: 'app-1', application_name: 'etl' };
  const driver = { type: 'gauges', job: 'spark-driver', instance: 'd:4040' };
  return [
    // settlement: 1 success a minute; in the firing world 2 failures a minute from 60m
    s('spark_application_success_count', id('settlement-etl'), '0+1x120'),
    s(
      'spark_application_failure_count',
      id('settlement-etl'),
      firing ? '0+0x60 2+2x60' : '0+0x120',
    ),
    // clickstream: no success at all vs one a minute
    s(
      'spark_application_success_count',
      id('clickstream-sessionizer'),
      firing ? '0+0x120' : '0+1x120',
    ),
    // fraud: one successful run a minute against a p95 of 45 min. Most take 10 min (600 s); in
    // the firing world every 10th takes 60 min: a p95 of 60 min, while the mean (15 min) is
    // under target. In the quiet world one run of 120 takes 60 min: the p95 is 10 min.
    s(
      'spark_application_success_execution_time_seconds_sum',
      id('fraud-features'),
      cumulative(120, minute =>
        (firing ? minute % 10 === 0 : minute === 60) ? 3600 : 600,
      ),
    ),
    s(
      'spark_application_success_execution_time_seconds_count',
      id('fraud-features'),
      '0+1x120',
    ),
    // backfill: 1 of 5 submissions fails: 0.2 burns the 95 % budget slowly (> 0.15), not fast (< 0.3)
    s(
      'spark_application_submit_count',
      id('feature-backfill', { namespace: 'ml' }),
      '0+4x120',
    ),
    s(
      'spark_application_failed_submission_count',
      id('feature-backfill', { namespace: 'ml' }),
      firing ? '0+1x120' : '0+0x120',
    ),
    // executors: GC 12 of 60 task-seconds a minute vs 3; 5 failed tasks a minute vs 1; 1 of 10 slots busy vs 8
    s(
      'metrics_executor_totalGCTime_seconds_total',
      app,
      firing ? '0+12x120' : '0+3x120',
    ),
    s('metrics_executor_totalDuration_seconds_total', app, '0+60x120'),
    s(
      'metrics_executor_failedTasks_total',
      app,
      firing ? '0+5x120' : '0+1x120',
    ),
    s('metrics_executor_activeTasks', app, firing ? '1x120' : '8x120'),
    s('metrics_executor_maxTasks', app, '10x120'),
    // the driver: 950 MiB of a 1000 MiB heap vs 500 MiB
    s(
      'metrics_settlement_etl_driver_ExecutorMetrics_JVMHeapMemory_Value',
      driver,
      `${(firing ? 950 : 500) * 1048576}x120`,
    ),
    s(
      'metrics_settlement_etl_driver_BlockManager_memory_maxOnHeapMem_MB_Value',
      driver,
      '1000x120',
    ),
    s(
      'metrics_settlement_etl_driver_DAGScheduler_stage_failedStages_Value',
      driver,
      '0x120',
    ),
  ];
}

/** The labels each alert fires with in the firing world. */
const FIRING: Record<string, Array<Record<string, string>>> = {
  SparkSloErrorBudgetBurnFast: [
    {
      slo: 'settlement-success',
      entity_ref: 'component:default/settlement-etl',
    },
  ],
  SparkSloErrorBudgetBurnSlow: [
    {
      slo: 'settlement-success',
      entity_ref: 'component:default/settlement-etl',
    },
    {
      slo: 'backfill-submission',
      entity_ref: 'component:default/feature-backfill',
    },
  ],
  SparkSloDataStale: [
    {
      slo: 'clickstream-fresh',
      entity_ref: 'component:default/clickstream-sessionizer',
    },
  ],
  SparkSloDurationOverTarget: [
    { slo: 'fraud-duration', entity_ref: 'component:default/fraud-features' },
  ],
  SparkExecutorExcessiveGc: [
    { application_id: 'app-1', application_name: 'etl' },
  ],
  SparkTaskFailures: [{ application_id: 'app-1', application_name: 'etl' }],
  SparkExecutorsIdle: [{ application_id: 'app-1', application_name: 'etl' }],
  SparkDriverHeapPressure: [{ job: 'spark-driver', instance: 'd:4040' }],
  SparkOperatorSubmissionFailed: [{ namespace: 'ml' }],
  SparkOperatorAppFailureRate: [{}],
};

// promtool compares annotations too: render the label templates the rules use.
const render = (text: string, labels: Record<string, string>) =>
  text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name) => labels[name] ?? '');

function alertTests(firing: boolean) {
  const names = [...new Set(alerts.map(a => a.alert))];
  return names.map(name => ({
    eval_time: '120m',
    alertname: name,
    exp_alerts: (firing ? FIRING[name] ?? [] : []).map(labels => {
      // Each SLO has its own rule of a shared name: take the one the labels are of.
      const rule = alerts.find(
        a => a.alert === name && (!labels.slo || a.labels.slo === labels.slo),
      )!;
      const all = { ...rule.labels, ...labels };
      return {
        exp_labels: all,
        exp_annotations: Object.fromEntries(
          Object.entries(rule.annotations).map(([k, v]) => [k, render(v, all)]),
        ),
      };
    }),
  }));
}

/** The recorded p95 of the fraud job's runs: a quantile of per-run durations, not a mean. */
const p95Test = (seconds: number) => ({
  expr: 'spark_slo:success_duration_seconds:p95_1d',
  eval_time: '120m',
  exp_samples: [
    {
      labels:
        'spark_slo:success_duration_seconds:p95_1d{entity_ref="component:default/fraud-features",slo="fraud-duration"}',
      value: seconds,
    },
  ],
});

describe('generated Prometheus rules under promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spark-rules-'));
  const rulesFile = join(dir, 'spark.rules.yml');
  writeFileSync(rulesFile, stringify(rules));

  it('are valid rules', async () => {
    const result = await runPromtool(['check', 'rules', rulesFile]);
    expect(result.stderr + result.stdout).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('give every alert a runbook_url of an existing runbook page, and a firing case', () => {
    expect(Object.keys(FIRING).sort()).toEqual(
      [...new Set(alerts.map(a => a.alert))].sort(),
    );
    const ids = alerts.map(
      alert =>
        /^https:\/\/portal\.example\.com\/docs\/default\/component\/spark-runbooks\/en\/([a-z0-9-]+)\/$/.exec(
          alert.annotations.runbook_url,
        )?.[1] ?? alert.annotations.runbook_url,
    );
    expect(ids.filter(runbookId => !isRunbookId(runbookId))).toEqual([]);
  });

  it('fire each alert in the firing world and none in the quiet one', async () => {
    const testFile = join(dir, 'spark.rules.test.yml');
    writeFileSync(
      testFile,
      stringify({
        rule_files: [rulesFile],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: series(true),
            alert_rule_test: alertTests(true),
            promql_expr_test: [p95Test(3600)],
          },
          {
            interval: '1m',
            input_series: series(false),
            alert_rule_test: alertTests(false),
            promql_expr_test: [p95Test(600)],
          },
        ],
      }),
    );
    const result = await runPromtool(['test', 'rules', testFile]);
    expect({ code: result.code, out: result.stdout + result.stderr }).toEqual({
      code: 0,
      out: expect.stringContaining('SUCCESS'),
    });
  });
});
