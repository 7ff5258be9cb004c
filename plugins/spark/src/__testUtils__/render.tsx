import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { setupServer } from 'msw/node';
import { SparkClient, sparkApiRef } from '../api';
import { rootRouteRef } from '../routes';

export const baseUrl = 'http://localhost:7007';
export const sparkUrl = `${baseUrl}/api/spark`;

/** A real msw server per test file; handlers are added by each test. */
export function setupSparkServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

export const groupEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-data', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export const componentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'settlement-etl',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'settlement-etl' },
  },
  spec: { type: 'spark-job', owner: 'payments-data', lifecycle: 'production' },
};

/** Renders with the real SparkClient (talking to msw), routes mounted and permissions set. */
export function renderSpark(
  element: JSX.Element,
  options: {
    entity?: Entity;
    sensitive?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  } = {},
) {
  const sparkApi = new SparkClient({
    discoveryApi: mockApis.discovery({ baseUrl }),
    fetchApi: mockApis.fetch(),
  });
  return renderInTestApp(
    options.entity ? (
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    ) : (
      element
    ),
    {
      apis: [
        [sparkApiRef, sparkApi],
        [
          catalogApiRef,
          catalogApiMock({ entities: [groupEntity, componentEntity] }),
        ],
        mockApis.permission({
          authorize: options.sensitive ?? AuthorizeResult.ALLOW,
        }),
      ],
      mountedRoutes: {
        '/spark': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}
