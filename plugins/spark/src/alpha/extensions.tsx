import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { TechDocsAddonLocations } from '@backstage/plugin-techdocs-react';
import { AddonBlueprint } from '@backstage/plugin-techdocs-react/alpha';
import { SparkClient, sparkApiRef } from '../api';
import { isSparkJob } from '../isSparkJob';
import { rootRouteRef } from '../routes';
import { RunbookValuesAddon } from '../techdocs/RunbookValuesAddon';
import { sparkTranslationRef } from '../translation';
import { SparkIcon } from './SparkIcon';

/**
 * The `SparkApi` of the app, over the `spark` backend plugin.
 *
 * @alpha
 */
export const sparkApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: sparkApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SparkClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `/spark`: the fleet page and app pages, with a nav item.
 *
 * @alpha
 */
export const sparkPage = PageBlueprint.make({
  params: {
    path: '/spark',
    routeRef: rootRouteRef,
    title: sparkTranslationRef('fleetPage.title'),
    icon: <SparkIcon />,
    loader: () => import('../components/SparkPage').then(m => <m.SparkPage />),
  },
});

/**
 * The "Spark" tab of Spark job Components.
 *
 * @alpha
 */
export const sparkEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/spark',
    title: sparkTranslationRef('entityTab.title'),
    group: 'observability',
    filter: isSparkJob,
    loader: () =>
      import('../components/EntitySparkContent').then(m => (
        <m.EntitySparkContent />
      )),
  },
});

/**
 * Spark cost of a team on its Group page.
 *
 * @alpha
 */
export const sparkCostCard = EntityCardBlueprint.make({
  name: 'cost',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('../components/TeamCostCard').then(m => <m.TeamCostCard />),
  },
});

/**
 * Spark SLOs of a team on its Group page.
 *
 * @alpha
 */
export const sparkSloCard = EntityCardBlueprint.make({
  name: 'slo',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('../components/TeamSloCard').then(m => <m.TeamSloCard />),
  },
});

/**
 * The runbooks' TechDocs addon: commands show the values of the app the troubleshooting
 * wizard came from.
 *
 * @alpha
 */
export const sparkRunbookValuesAddon = AddonBlueprint.make({
  name: 'spark-runbook-values',
  params: {
    name: 'SparkRunbookValues',
    location: TechDocsAddonLocations.Content,
    component: RunbookValuesAddon,
  },
});

/**
 * Installs {@link sparkRunbookValuesAddon} into TechDocs; add it to the app's features.
 *
 * @alpha
 */
export const sparkTechDocsModule = createFrontendModule({
  pluginId: 'techdocs',
  extensions: [sparkRunbookValuesAddon],
});
