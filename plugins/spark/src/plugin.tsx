import { Header, Page } from '@backstage/core-components';
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  TechDocsAddonLocations,
  createTechDocsAddonExtension,
} from '@backstage/plugin-techdocs-react';
import { SparkClient, sparkApiRef } from './api';
import { RunbookValuesAddon } from './techdocs/RunbookValuesAddon';
import { rootRouteRef } from './routes';

/**
 * The Spark plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const sparkPlugin = createPlugin({
  id: 'spark',
  apis: [
    createApiFactory({
      api: sparkApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SparkClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The fleet page and app pages; mount it at `/spark`.
 *
 * @public
 */
export const SparkPage: () => JSX.Element = sparkPlugin.provide(
  createRoutableExtension({
    name: 'SparkPage',
    mountPoint: rootRouteRef,
    component: () =>
      import('./components/SparkPage').then(m => () => (
        <Page themeId="tool">
          <Header title="Spark" />
          <m.SparkPage />
        </Page>
      )),
  }),
);

/**
 * The Spark tab content of a Component.
 *
 * @public
 */
export const EntitySparkContent: () => JSX.Element = sparkPlugin.provide(
  createComponentExtension({
    name: 'EntitySparkContent',
    component: {
      lazy: () =>
        import('./components/EntitySparkContent').then(
          m => m.EntitySparkContent,
        ),
    },
  }),
);

/**
 * The Spark cost card of a Group.
 *
 * @public
 */
export const EntitySparkCostCard: () => JSX.Element = sparkPlugin.provide(
  createComponentExtension({
    name: 'EntitySparkCostCard',
    component: {
      lazy: () => import('./components/TeamCostCard').then(m => m.TeamCostCard),
    },
  }),
);

/**
 * The Spark SLO card of a Group.
 *
 * @public
 */
export const EntitySparkSloCard: () => JSX.Element = sparkPlugin.provide(
  createComponentExtension({
    name: 'EntitySparkSloCard',
    component: {
      lazy: () => import('./components/TeamSloCard').then(m => m.TeamSloCard),
    },
  }),
);

/**
 * The runbooks' TechDocs addon: commands show the values of the app the troubleshooting
 * wizard came from. Put it inside `<TechDocsAddons>` of the TechDocs reader routes.
 *
 * @public
 */
export const SparkRunbookValues: () => JSX.Element | null = sparkPlugin.provide(
  createTechDocsAddonExtension({
    name: 'SparkRunbookValues',
    location: TechDocsAddonLocations.Content,
    component: RunbookValuesAddon,
  }),
);
