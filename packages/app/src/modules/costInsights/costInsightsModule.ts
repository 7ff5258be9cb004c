import {
  ApiBlueprint,
  createApiRef,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { SparkCostInsightsClient, sparkApiRef } from '@spark-k8s/plugin-spark';

/**
 * The ref of the community Cost Insights plugin's `CostInsightsApi`: an ApiRef is matched by its
 * id, so this is the ref its page and cards ask for.
 */
export const costInsightsApiRef = createApiRef<SparkCostInsightsClient>({
  id: 'plugin.costinsights.service',
});

/**
 * Spark costs behind the Cost Insights API: teams are groups, Spark job Components are projects,
 * `spark` is the product. A portal that installs the community Cost Insights page (pluginId
 * `cost-insights`) gets Spark costs on it by moving this extension into a module of that plugin,
 * which replaces its example client (see docs/cost-and-slo.md).
 */
export const sparkCostInsightsApi = ApiBlueprint.make({
  name: 'cost-insights',
  params: defineParams =>
    defineParams({
      api: costInsightsApiRef,
      deps: { sparkApi: sparkApiRef, catalogApi: catalogApiRef },
      factory: ({ sparkApi, catalogApi }) =>
        new SparkCostInsightsClient({
          sparkApi,
          catalogApi: {
            getEntityByRef: ref => catalogApi.getEntityByRef(ref),
          },
        }),
    }),
});

/** Registers the Spark Cost Insights client in the portal. */
export const appModuleSparkCostInsights = createFrontendModule({
  pluginId: 'app',
  extensions: [sparkCostInsightsApi],
});
