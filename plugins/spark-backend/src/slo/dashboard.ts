import type { PrometheusRuleFile } from './rules';

/** One panel: a title and the PromQL it plots. */
interface PanelQuery {
  title: string;
  expr: string;
  legend: string;
  unit: string;
}

// Every query reads a series the rules record: the dashboard and the alerts see the same numbers.
const PANELS: PanelQuery[] = [
  {
    title: 'SLO error ratio, 1h (by SLO)',
    expr: 'max by (slo, entity_ref) (spark_slo:run_error_ratio:rate1h)',
    legend: '{{slo}}',
    unit: 'percentunit',
  },
  {
    title: 'SLO error ratio over the SLO window',
    expr: 'max by (slo, entity_ref) (spark_slo:run_error_ratio:rate30d)',
    legend: '{{slo}}',
    unit: 'percentunit',
  },
  {
    title: 'p95 duration of successful runs, 1d',
    expr: 'max by (slo) (spark_slo:success_duration_seconds:p95_1d)',
    legend: '{{slo}}',
    unit: 's',
  },
  {
    title: 'Executor GC time / task time',
    expr: 'spark:executor_gc_time:ratio_rate5m',
    legend: '{{application_name}}',
    unit: 'percentunit',
  },
  {
    title: 'Failed tasks, 5m',
    expr: 'spark:executor_failed_tasks:increase5m',
    legend: '{{application_name}}',
    unit: 'short',
  },
  {
    title: 'Busy task slots',
    expr: 'spark:executor_task_slots_busy:ratio',
    legend: '{{application_name}}',
    unit: 'percentunit',
  },
  {
    title: 'Driver heap used',
    expr: 'spark:driver_jvm_heap_used:ratio',
    legend: '{{instance}}',
    unit: 'percentunit',
  },
  {
    title: 'Driver failed stages',
    expr: 'spark:driver_failed_stages:max',
    legend: '{{instance}}',
    unit: 'short',
  },
  {
    title: 'Operator: failed submissions, 15m',
    expr: 'spark:operator_failed_submissions:increase15m',
    legend: '{{namespace}}',
    unit: 'short',
  },
  {
    title: 'Operator: app failure ratio, 1h',
    expr: 'spark:operator_failure_ratio:rate1h',
    legend: '{{namespace}}',
    unit: 'percentunit',
  },
  {
    title: 'Operator: running apps',
    expr: 'spark:operator_running_apps:sum',
    legend: '{{namespace}}',
    unit: 'short',
  },
];

const KEYWORDS = new Set([
  'by',
  'on',
  'without',
  'ignoring',
  'or',
  'and',
  'unless',
  'bool',
  'offset',
]);

/** The series names a PromQL expression reads (functions, operators and label names left out). */
export function seriesNames(expr: string): string[] {
  const cleaned = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(
      /\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)/g,
      ' ',
    )
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const names = new Set<string>();
  for (const match of cleaned.matchAll(
    /\b([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g,
  )) {
    if (!match[2] && !KEYWORDS.has(match[1])) names.add(match[1]);
  }
  return [...names];
}

/** A Grafana dashboard of the recorded Spark and SLO series, for a Prometheus data source. */
export function grafanaDashboard(): Record<string, unknown> {
  return {
    title: 'Spark on Kubernetes',
    uid: 'spark-k8s',
    tags: ['spark', 'slo'],
    timezone: 'browser',
    schemaVersion: 39,
    time: { from: 'now-24h', to: 'now' },
    templating: {
      list: [
        {
          name: 'datasource',
          type: 'datasource',
          query: 'prometheus',
          label: 'Prometheus',
        },
      ],
    },
    panels: PANELS.map((panel, index) => ({
      id: index + 1,
      type: 'timeseries',
      title: panel.title,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: {
        h: 8,
        w: 12,
        x: (index % 2) * 12,
        y: Math.floor(index / 2) * 8,
      },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: [
        {
          refId: 'A',
          expr: panel.expr,
          legendFormat: panel.legend,
          datasource: { type: 'prometheus', uid: '${datasource}' },
        },
      ],
    })),
  };
}

/** Series of a dashboard that no rule of the file records: should be none. */
export function unrecordedSeries(
  dashboard: Record<string, unknown>,
  rules: PrometheusRuleFile,
): string[] {
  const recorded = new Set(
    rules.groups.flatMap(g =>
      g.rules.flatMap(r => ('record' in r ? [r.record] : [])),
    ),
  );
  const panels = dashboard.panels as Array<{
    targets: Array<{ expr: string }>;
  }>;
  return panels
    .flatMap(p => p.targets.flatMap(t => seriesNames(t.expr)))
    .filter(name => !recorded.has(name));
}
