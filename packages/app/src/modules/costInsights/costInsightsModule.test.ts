import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import type { SparkApi } from '@spark-k8s/plugin-spark';
import { costInsightsApiRef, sparkCostInsightsApi } from './costInsightsModule';

describe('the Spark Cost Insights API of the portal', () => {
  it('provides the Cost Insights ref with a client over the Spark cost API', async () => {
    const factory = createExtensionTester(sparkCostInsightsApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(costInsightsApiRef.id);
    expect(costInsightsApiRef.id).toBe('plugin.costinsights.service');

    const asked: unknown[] = [];
    const sparkApi = {
      getCostSummary: async (query: unknown) => {
        asked.push(query);
        return {
          currency: 'USD',
          period: { from: '2026-11-01', to: '2026-12-01' },
          previousPeriod: { from: '2026-10-01', to: '2026-11-01' },
          total: 1200,
          previousTotal: 1000,
          daily: [],
          topApps: [],
          alerts: [
            {
              kind: 'over-budget',
              severity: 'critical',
              message: 'spent 1200.00 USD of a 1000.00 USD budget in 2026-11',
              value: 1200,
              threshold: 1000,
            },
          ],
        };
      },
    } as unknown as SparkApi;
    const client = factory.factory({
      sparkApi,
      catalogApi: { getEntityByRef: async () => undefined },
    }) as any;
    await expect(
      client.getAlerts('group:default/payments-data'),
    ).resolves.toEqual([
      {
        title: 'Spark is over budget',
        subtitle: 'spent 1200.00 USD of a 1000.00 USD budget in 2026-11',
      },
    ]);
    expect(asked).toEqual([{ teamRef: 'group:default/payments-data' }]);
  });
});
