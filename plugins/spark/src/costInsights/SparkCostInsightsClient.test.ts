import type {
  SparkCostQuery,
  SparkCostSummary,
} from '@spark-k8s/plugin-spark-common';
import type { SparkApi } from '../api';
import { parseIntervals } from './intervals';
import { SparkCostInsightsClient } from './SparkCostInsightsClient';

/** The summary the backend would answer for the asked period: 1 a day in the first 30 days, 2 after. */
function summaryFor(query: SparkCostQuery): SparkCostSummary {
  const from = Date.parse(query.from!);
  const to = Date.parse(query.to!);
  const daily = [];
  for (let t = from; t < to; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    daily.push({ date, cost: date < '2026-10-25' ? 1 : 2 });
  }
  return {
    teamRef: query.teamRef,
    currency: 'USD',
    period: { from: query.from!, to: query.to! },
    previousPeriod: { from: query.from!, to: query.from! },
    total: daily.reduce((t, d) => t + d.cost, 0),
    previousTotal: 30,
    daily,
    topApps: [],
    breakdown: {
      entities: [
        { key: 'component:default/settlement-etl', cost: 60, runs: 4 },
      ],
      namespaces: [],
      clusters: [],
      teams: [],
    },
    alerts: [
      {
        kind: 'over-budget',
        severity: 'critical',
        message: 'spent 90.00 USD of a 50.00 USD budget in 2026-11',
        value: 90,
        threshold: 50,
      },
    ],
  };
}

const asked: SparkCostQuery[] = [];
const sparkApi = {
  getCostSummary: async (query: SparkCostQuery) => {
    asked.push(query);
    return summaryFor({
      from: '2026-10-25T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
      ...query,
    });
  },
} as unknown as SparkApi;

const client = new SparkCostInsightsClient({
  sparkApi,
  catalogApi: {
    getEntityByRef: async ref =>
      ref === 'user:default/alice'
        ? {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'alice' },
            relations: [
              { type: 'memberOf', targetRef: 'group:default/payments-data' },
            ],
          }
        : undefined,
  },
  now: () => new Date('2026-11-24T10:00:00Z'),
});

describe('SparkCostInsightsClient', () => {
  it('reads ISO 8601 repeating intervals', () => {
    expect(parseIntervals('R2/P30D/2026-11-24')).toEqual({
      from: new Date('2026-09-25T00:00:00Z'),
      to: new Date('2026-11-24T00:00:00Z'),
      lastFrom: new Date('2026-10-25T00:00:00Z'),
    });
    expect(parseIntervals('R2/P1M/2026-11-01').from).toEqual(
      new Date('2026-09-01T00:00:00Z'),
    );
    expect(() => parseIntervals('last month')).toThrow(
      'intervals must look like R2/P30D/2026-11-24',
    );
  });

  it('answers a group’s daily cost with the change of the last interval', async () => {
    const cost = await client.getGroupDailyCost(
      'group:default/payments-data',
      'R2/P30D/2026-11-24',
    );
    expect(asked.pop()).toEqual({
      teamRef: 'group:default/payments-data',
      from: '2026-09-25T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
    });
    expect(cost.aggregation).toHaveLength(60);
    // 30 days at 1 before 25 October, 30 at 2 after: +30, +100 %
    expect(cost.change).toEqual({ amount: 30, ratio: 1 });
  });

  it('maps teams, Components, the spark product and alerts', async () => {
    expect(await client.getLastCompleteBillingDate()).toBe('2026-11-23');
    expect(await client.getUserGroups('user:default/alice')).toEqual([
      { id: 'group:default/payments-data', name: 'payments-data' },
    ]);
    expect(
      await client.getGroupProjects('group:default/payments-data'),
    ).toEqual([
      { id: 'component:default/settlement-etl', name: 'settlement-etl' },
    ]);
    const product = await client.getProductInsights({
      product: 'spark',
      group: 'group:default/payments-data',
      intervals: 'R2/P30D/2026-11-24',
      project: null,
    });
    expect(product.aggregation).toEqual([30, 60]);
    expect(product.entities.component.map(e => e.id)).toEqual([
      'component:default/settlement-etl',
    ]);
    expect(await client.getAlerts('group:default/payments-data')).toEqual([
      {
        title: 'Spark is over budget',
        subtitle: 'spent 90.00 USD of a 50.00 USD budget in 2026-11',
      },
    ]);
  });
});
