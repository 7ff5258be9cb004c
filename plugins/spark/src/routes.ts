import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The fleet page, `/spark`. */
export const rootRouteRef = createRouteRef({ id: 'spark' });

/** One app, `/spark/apps/:appId`: shared by the fleet page, the entity tab and team cards. */
export const appRouteRef = createSubRouteRef({
  id: 'spark/app',
  parent: rootRouteRef,
  path: '/apps/:appId',
});

/** The troubleshooting wizard of one app, `/spark/apps/:appId/troubleshoot`. */
export const appTroubleshootRouteRef = createSubRouteRef({
  id: 'spark/app/troubleshoot',
  parent: rootRouteRef,
  path: '/apps/:appId/troubleshoot',
});

/** The troubleshooting wizard started from a symptom, `/spark/troubleshoot`. */
export const troubleshootRouteRef = createSubRouteRef({
  id: 'spark/troubleshoot',
  parent: rootRouteRef,
  path: '/troubleshoot',
});
