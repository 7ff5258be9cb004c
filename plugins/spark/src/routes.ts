import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The fleet page, `/spark`. */
export const rootRouteRef = createRouteRef({ id: 'spark' });

/** One app, `/spark/apps/:appId`: shared by the fleet page, the entity tab and team cards. */
export const appRouteRef = createSubRouteRef({
  id: 'spark/app',
  parent: rootRouteRef,
  path: '/apps/:appId',
});
