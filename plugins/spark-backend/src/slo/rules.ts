import {
  isRunbookId,
  parseSloDuration,
  type RunbookId,
  runbookUrl,
  type SparkSloSpec,
} from '@spark-k8s/plugin-spark-common';
import { burnRateWindows, windowName } from './burnRate';

/** A Prometheus rule file (`groups:`), as `promtool check rules` reads it. */
export interface PrometheusRuleFile {
  groups: PrometheusRuleGroup[];
}

export interface PrometheusRuleGroup {
  name: string;
  interval?: string;
  rules: PrometheusRule[];
}

export type PrometheusRule =
  | { record: string; expr: string; labels?: Record<string, string> }
  | {
      alert: string;
      expr: string;
      for?: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };

/** An SLO and the Component it is on, with what selects the Component's series. */
export interface SloRuleInput {
  spec: SparkSloSpec;
  entityRef: string;
  /** Label matchers of the operator's metrics for this Component, e.g. `{ backstage_io_kubernetes_id: 'settlement-etl' }`. */
  selector: Record<string, string>;
}

/** Options of the generated rules. */
export interface RuleOptions {
  /** The portal's `app.baseUrl`, for `runbook_url`. */
  appBaseUrl: string;
  /**
   * How often Prometheus scrapes the operator, e.g. `30s` (or a divisor of it): the step at
   * which the duration rules read each run once. Default {@link DEFAULT_SCRAPE_INTERVAL}.
   */
  scrapeInterval?: string;
}

/** The scrape interval of a kube-prometheus ServiceMonitor unless it says otherwise. */
export const DEFAULT_SCRAPE_INTERVAL = '30s';

/** What the Spark metric rules and the dashboards read: metrics Spark and the operators really expose. */
export const SPARK_METRICS = {
  // kubeflow spark-operator (`--metrics-labels` copies app labels onto these)
  operatorSuccess: 'spark_application_success_count',
  operatorFailure: 'spark_application_failure_count',
  operatorSubmit: 'spark_application_submit_count',
  operatorFailedSubmission: 'spark_application_failed_submission_count',
  operatorRunning: 'spark_application_running_count',
  operatorSuccessSeconds: 'spark_application_success_execution_time_seconds',
  // Spark's /metrics/executors/prometheus/ (spark.ui.prometheus.enabled)
  executorGcSeconds: 'metrics_executor_totalGCTime_seconds_total',
  executorTaskSeconds: 'metrics_executor_totalDuration_seconds_total',
  executorFailedTasks: 'metrics_executor_failedTasks_total',
  executorActiveTasks: 'metrics_executor_activeTasks',
  executorMaxTasks: 'metrics_executor_maxTasks',
  // Spark's PrometheusServlet on the driver (/metrics/prometheus/): the name holds spark.metrics.namespace
  driverHeapUsed: 'metrics_.+_driver_ExecutorMetrics_JVMHeapMemory_Value',
  driverHeapMax: 'metrics_.+_driver_BlockManager_memory_maxOnHeapMem_MB_Value',
  driverFailedStages: 'metrics_.+_driver_DAGScheduler_stage_failedStages_Value',
} as const;

const APP = 'application_id, application_name';
// Thresholds are products of decimals (14.4 × 0.01); keep what a person would write.
const num = (n: number) => String(Math.round(n * 1e9) / 1e9);
const matchers = (selector: Record<string, string>) =>
  `{${Object.entries(selector)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
const orZero = (expr: string) => `(${expr} or vector(0))`;
const increase = (metric: string, selector: string, window: string) =>
  orZero(`sum(increase(${metric}${selector}[${window}]))`);

function runbook(
  options: RuleOptions,
  preferred: string | undefined,
  fallback: RunbookId,
): string {
  const id = preferred && isRunbookId(preferred) ? preferred : fallback;
  return runbookUrl(options.appBaseUrl, id);
}

/** The ratio of bad runs an SLO counts, over a window, from the operator's counters. */
function errorRatio(
  indicator: SparkSloSpec['spec']['indicator']['spec']['sparkRuns']['type'],
  selector: string,
  window: string,
): string | undefined {
  const counters: Record<string, [string, string]> = {
    'success-ratio': [
      SPARK_METRICS.operatorFailure,
      SPARK_METRICS.operatorSuccess,
    ],
    'submission-success': [
      SPARK_METRICS.operatorFailedSubmission,
      SPARK_METRICS.operatorSubmit,
    ],
  };
  const [bad, good] = counters[indicator] ?? [];
  if (!bad || !good) return undefined;
  const badRuns = increase(bad, selector, window);
  return `${badRuns} / (${increase(good, selector, window)} + ${badRuns})`;
}

/** Recording and alerting rules of one SLO; deadline SLOs have none (the portal judges them). */
export function sloRuleGroup(
  input: SloRuleInput,
  options: RuleOptions,
): PrometheusRuleGroup | undefined {
  const { spec, entityRef } = input;
  const id = spec.metadata.name;
  const selector = matchers(input.selector);
  const indicator = spec.spec.indicator.spec.sparkRuns;
  const objective = spec.spec.objectives[0].target;
  const labels = { slo: id, entity_ref: entityRef };
  const sloWindow = spec.spec.timeWindow[0].duration;
  const name = spec.metadata.displayName ?? id;
  const rules: PrometheusRule[] = [];

  const ratioOf = (window: string) =>
    errorRatio(indicator.type, selector, window);
  if (ratioOf('1h')) {
    const windows = burnRateWindows(sloWindow);
    const names = [
      ...new Set(
        windows.flatMap(w => [windowName(w.longMs), windowName(w.shortMs)]),
      ),
      sloWindow,
    ];
    for (const window of names) {
      rules.push({
        record: `spark_slo:run_error_ratio:rate${window}`,
        expr: ratioOf(window)!,
        labels,
      });
    }
    for (const severity of ['page', 'ticket'] as const) {
      const pairs = windows.filter(w => w.severity === severity);
      const series = (window: number) =>
        `spark_slo:run_error_ratio:rate${windowName(
          window,
        )}{slo=${JSON.stringify(id)}}`;
      rules.push({
        alert:
          severity === 'page'
            ? 'SparkSloErrorBudgetBurnFast'
            : 'SparkSloErrorBudgetBurnSlow',
        expr: pairs
          .map(
            w =>
              `(${series(w.longMs)} > ${num(
                w.threshold * (1 - objective),
              )} and ${series(w.shortMs)} > ${num(
                w.threshold * (1 - objective),
              )})`,
          )
          .join(' or '),
        labels: { ...labels, severity },
        annotations: {
          summary: `${name}: error budget burning ${
            severity === 'page' ? 'fast' : 'steadily'
          }`,
          description: `Runs of ${entityRef} fail faster than the ${sloWindow} objective of ${num(
            objective * 100,
          )} % allows.`,
          runbook_url: runbook(
            options,
            spec.spec.runbook,
            severity === 'page' ? 'slo-burn-rate-page' : 'slo-burn-rate-ticket',
          ),
        },
      });
    }
  }

  if (indicator.type === 'duration-p95') {
    // The operator observes each successful run into a Summary without quantiles (only _sum and
    // _count). Between two scrapes in which _count grew, Δ_sum / Δ_count is the duration of the run
    // that finished; a subquery stepping at the scrape interval sees each pair of scrapes once,
    // and quantile_over_time takes the p95 of those per-run durations.
    const target = parseSloDuration(indicator.target)! / 1000;
    const window = windowName(burnRateWindows(sloWindow)[2].longMs);
    const step = options.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
    const m = SPARK_METRICS.operatorSuccessSeconds;
    // idelta reads the last two samples; a range of a few scrapes always holds two.
    const lookback = windowName(4 * parseSloDuration(step)!);
    const perRun = `sum(idelta(${m}_sum${selector}[${lookback}])) / (sum(idelta(${m}_count${selector}[${lookback}])) > 0)`;
    rules.push({
      record: `spark_slo:success_duration_seconds:p95_${window}`,
      expr: `quantile_over_time(0.95, (${perRun})[${window}:${step}])`,
      labels,
    });
    rules.push({
      alert: 'SparkSloDurationOverTarget',
      expr: `spark_slo:success_duration_seconds:p95_${window}{slo=${JSON.stringify(
        id,
      )}} > ${num(target)}`,
      labels: { ...labels, severity: 'ticket' },
      annotations: {
        summary: `${name}: the p95 of successful runs is over ${indicator.target}`,
        description: `The 95th percentile of the duration of successful runs of ${entityRef} over ${window} is above ${indicator.target}.`,
        runbook_url: runbook(options, spec.spec.runbook, 'duration-regression'),
      },
    });
  }

  if (indicator.type === 'freshness') {
    rules.push({
      record: `spark_slo:successful_runs:increase${indicator.maxAge}`,
      expr: increase(SPARK_METRICS.operatorSuccess, selector, indicator.maxAge),
      labels,
    });
    rules.push({
      alert: 'SparkSloDataStale',
      expr: `spark_slo:successful_runs:increase${
        indicator.maxAge
      }{slo=${JSON.stringify(id)}} == 0`,
      labels: { ...labels, severity: 'page' },
      annotations: {
        summary: `${name}: no successful run for ${indicator.maxAge}`,
        description: `The data of ${entityRef} is older than ${indicator.maxAge}.`,
        runbook_url: runbook(options, spec.spec.runbook, 'stale-data'),
      },
    });
  }

  return rules.length ? { name: `spark-slo-${id}`, rules } : undefined;
}

/** Rules on the metrics every Spark driver, its executors and the operator expose. */
export function sparkMetricRuleGroups(
  options: RuleOptions,
): PrometheusRuleGroup[] {
  const m = SPARK_METRICS;
  const url = (id: RunbookId) => runbookUrl(options.appBaseUrl, id);
  return [
    {
      name: 'spark-executors',
      rules: [
        {
          record: 'spark:executor_gc_time:ratio_rate5m',
          expr: `sum by (${APP}) (rate(${m.executorGcSeconds}[5m])) / sum by (${APP}) (rate(${m.executorTaskSeconds}[5m]))`,
        },
        {
          record: 'spark:executor_failed_tasks:increase5m',
          expr: `sum by (${APP}) (increase(${m.executorFailedTasks}[5m]))`,
        },
        {
          record: 'spark:executor_task_slots_busy:ratio',
          expr: `sum by (${APP}) (${m.executorActiveTasks}) / sum by (${APP}) (${m.executorMaxTasks})`,
        },
        {
          alert: 'SparkExecutorExcessiveGc',
          expr: 'spark:executor_gc_time:ratio_rate5m > 0.1',
          for: '10m',
          labels: { severity: 'ticket' },
          annotations: {
            summary:
              'Spark app {{ $labels.application_name }} spends over 10 % of task time in GC',
            description:
              'Executors of {{ $labels.application_id }} collect garbage more than they should.',
            runbook_url: url('excessive-gc'),
          },
        },
        {
          alert: 'SparkTaskFailures',
          expr: 'spark:executor_failed_tasks:increase5m > 10',
          labels: { severity: 'ticket' },
          annotations: {
            summary:
              'Spark app {{ $labels.application_name }} had over 10 failed tasks in 5 minutes',
            description: 'Tasks of {{ $labels.application_id }} keep failing.',
            runbook_url: url('task-failures-high'),
          },
        },
        {
          alert: 'SparkExecutorsIdle',
          expr: 'spark:executor_task_slots_busy:ratio < 0.2',
          for: '30m',
          labels: { severity: 'ticket' },
          annotations: {
            summary:
              'Spark app {{ $labels.application_name }} uses under 20 % of its task slots',
            description:
              'Executors of {{ $labels.application_id }} are allocated but mostly idle.',
            runbook_url: url('idle-executors'),
          },
        },
      ],
    },
    {
      name: 'spark-driver',
      rules: [
        {
          record: 'spark:driver_jvm_heap_used:ratio',
          // The servlet reports used heap in bytes and the block manager's heap in MiB.
          expr: `max by (job, instance) ({__name__=~"${m.driverHeapUsed}"}) / on (job, instance) (max by (job, instance) ({__name__=~"${m.driverHeapMax}"}) * 1048576)`,
        },
        {
          record: 'spark:driver_failed_stages:max',
          expr: `max by (job, instance) ({__name__=~"${m.driverFailedStages}"})`,
        },
        {
          alert: 'SparkDriverHeapPressure',
          expr: 'spark:driver_jvm_heap_used:ratio > 0.9',
          for: '5m',
          labels: { severity: 'ticket' },
          annotations: {
            summary:
              'Spark driver {{ $labels.instance }} uses over 90 % of its heap',
            description: 'The driver may soon fail with OutOfMemoryError.',
            runbook_url: url('driver-heap-pressure'),
          },
        },
      ],
    },
    {
      name: 'spark-operator',
      rules: [
        {
          record: 'spark:operator_failed_submissions:increase15m',
          expr: `sum by (namespace) (increase(${m.operatorFailedSubmission}[15m]))`,
        },
        {
          record: 'spark:operator_failure_ratio:rate1h',
          expr: `sum by (namespace) (increase(${m.operatorFailure}[1h])) / (sum by (namespace) (increase(${m.operatorFailure}[1h])) + sum by (namespace) (increase(${m.operatorSuccess}[1h])))`,
        },
        {
          record: 'spark:operator_running_apps:sum',
          expr: `sum by (namespace) (${m.operatorRunning})`,
        },
        {
          alert: 'SparkOperatorSubmissionFailed',
          expr: 'spark:operator_failed_submissions:increase15m > 0',
          labels: { severity: 'ticket' },
          annotations: {
            summary:
              'The Spark operator could not submit apps in {{ $labels.namespace }}',
            description:
              'SparkApplications reached SUBMISSION_FAILED in the last 15 minutes.',
            runbook_url: url('operator-submission-failed'),
          },
        },
        {
          alert: 'SparkOperatorAppFailureRate',
          expr: 'spark:operator_failure_ratio:rate1h > 0.5',
          labels: { severity: 'ticket' },
          annotations: {
            summary:
              'Over half of the Spark apps in {{ $labels.namespace }} failed in the last hour',
            description: 'Many SparkApplications ended FAILED.',
            runbook_url: url('operator-app-failure-rate'),
          },
        },
      ],
    },
  ];
}

/** The whole rule file: the Spark metric rules and one group per SLO that Prometheus can judge. */
export function prometheusRules(
  slos: SloRuleInput[],
  options: RuleOptions,
): PrometheusRuleFile {
  return {
    groups: [
      ...sparkMetricRuleGroups(options),
      ...slos
        .map(slo => sloRuleGroup(slo, options))
        .filter((g): g is PrometheusRuleGroup => Boolean(g)),
    ],
  };
}
