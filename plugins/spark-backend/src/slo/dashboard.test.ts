import { grafanaDashboard, seriesNames, unrecordedSeries } from './dashboard';
import { prometheusRules, SPARK_METRICS, sparkMetricRuleGroups } from './rules';

describe('the Grafana dashboard', () => {
  it('reads only series the generated rules record', () => {
    const rules = prometheusRules([], { appBaseUrl: 'http://portal' });
    const dashboard = grafanaDashboard();
    // SLO series are recorded per SLO; with no SLOs only the Spark metric series exist.
    const spark = unrecordedSeries(dashboard, rules).filter(
      name => !name.startsWith('spark_slo:'),
    );
    expect(spark).toEqual([]);
    expect((dashboard.panels as unknown[]).length).toBeGreaterThan(8);
  });

  it('and the rules read only metrics Spark and the operator expose', () => {
    const exposed = new Set<string>(Object.values(SPARK_METRICS));
    const read = sparkMetricRuleGroups({ appBaseUrl: 'http://portal' })
      .flatMap(g => g.rules)
      .flatMap(rule =>
        'record' in rule
          ? [
              ...seriesNames(rule.expr),
              ...[...rule.expr.matchAll(/__name__=~"([^"]+)"/g)].map(m => m[1]),
            ]
          : [],
      );
    expect(read.filter(name => !exposed.has(name))).toEqual([]);
  });

  it('finds the series of an expression, not its functions or labels', () => {
    expect(
      seriesNames(
        'sum by (application_id) (rate(metrics_executor_totalGCTime_seconds_total{a="b"}[5m])) / on (job) spark:x:y > 1e9',
      ),
    ).toEqual(['metrics_executor_totalGCTime_seconds_total', 'spark:x:y']);
  });
});
