import { ConfigReader } from '@backstage/config';
import { isRunbookId } from '@spark-k8s/plugin-spark-common';
import { budgetOf, readBudgets } from './budgets';
import { budgetStatus, costAlerts, dailySeries, monthOf } from './summary';

describe('cost summary parts', () => {
  it('fills days without runs with 0', () => {
    expect(
      dailySeries(
        Date.parse('2026-11-29T00:00:00Z'),
        Date.parse('2026-12-02T00:00:00Z'),
        [{ key: '2026-11-30', cost: 1.5, runs: 2 }],
      ),
    ).toEqual([
      { date: '2026-11-29', cost: 0 },
      { date: '2026-11-30', cost: 1.5 },
      { date: '2026-12-01', cost: 0 },
    ]);
  });

  it('forecasts the month linearly from what is spent', () => {
    // 10 of 30 days of November gone, 100 spent: 300 by the end of the month
    const budget = budgetStatus({
      monthly: 250,
      source: 'config',
      now: Date.parse('2026-11-11T00:00:00Z'),
      spent: 100,
    });
    expect(budget).toEqual({
      monthly: 250,
      source: 'config',
      month: '2026-11',
      spent: 100,
      forecast: 300,
    });
    expect(monthOf(Date.parse('2026-12-31T23:00:00Z'))).toEqual({
      from: Date.parse('2026-12-01T00:00:00Z'),
      to: Date.parse('2027-01-01T00:00:00Z'),
    });
  });

  it('alerts over budget, on a forecast over budget, and on fast growth', () => {
    const base = {
      currency: 'EUR',
      growthThreshold: 0.5,
      growthMinimum: 10,
    };
    const month = { monthly: 250, source: 'config' as const, month: '2026-11' };
    expect(
      costAlerts({
        ...base,
        budget: { ...month, spent: 260, forecast: 400 },
        lastWeek: 50,
        previousWeek: 40,
      }).map(a => [a.kind, a.severity]),
    ).toEqual([['over-budget', 'critical']]);
    expect(
      costAlerts({
        ...base,
        budget: { ...month, spent: 100, forecast: 300 },
        lastWeek: 61,
        previousWeek: 40,
      }),
    ).toEqual([
      expect.objectContaining({ kind: 'budget-forecast', value: 300 }),
      {
        kind: 'fast-growth',
        severity: 'warning',
        message:
          'the last 7 days cost 61.00 EUR, 53 % more than the 7 days before (40.00 EUR)',
        value: 0.525,
        threshold: 0.5,
        runbookId: 'cost-spike',
      },
    ]);
    // every cost alert links to a runbook page that exists
    expect(isRunbookId('cost-spike')).toBe(true);
    // +50 % exactly is not above the threshold; weeks below the minimum never alert
    expect(costAlerts({ ...base, lastWeek: 60, previousWeek: 40 })).toEqual([]);
    expect(costAlerts({ ...base, lastWeek: 90, previousWeek: 9 })).toEqual([]);
  });

  it('takes a team’s budget from config first, else from its Group annotation', () => {
    const configured = readBudgets(
      new ConfigReader({
        spark: {
          cost: {
            budgets: [{ team: 'group:default/Payments-Data', monthly: 300 }],
          },
        },
      }),
    );
    const groups = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          name: 'growth-analytics',
          annotations: { 'spark-k8s.io/monthly-budget': '120' },
        },
      },
    ];
    expect(budgetOf('group:default/payments-data', configured, groups)).toEqual(
      { monthly: 300, source: 'config' },
    );
    expect(
      budgetOf('group:default/growth-analytics', configured, groups),
    ).toEqual({ monthly: 120, source: 'annotation' });
    expect(budgetOf('group:default/ml-features', configured, groups)).toBe(
      undefined,
    );
  });
});
