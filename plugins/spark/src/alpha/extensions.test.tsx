import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { SparkClient, sparkApiRef } from '../api';
import { appSummary } from '../__testUtils__/fixtures';
import {
  baseUrl,
  componentEntity,
  groupEntity,
  setupSparkServer,
  sparkUrl,
} from '../__testUtils__/render';
import { isSparkJob } from '../isSparkJob';
import { rootRouteRef } from '../routes';
import { sparkApi, sparkEntityContent, sparkPage } from './extensions';

describe('new frontend system extensions', () => {
  const server = setupSparkServer();
  const discoveryApi = mockApis.discovery({ baseUrl });
  const fetchApi = mockApis.fetch();

  it('the API extension builds a SparkClient from discovery and fetch', () => {
    const factory = createExtensionTester(sparkApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(sparkApiRef.id);
    expect(factory.factory({ discoveryApi, fetchApi })).toBeInstanceOf(
      SparkClient,
    );
  });

  it('the page is mounted at /spark', () => {
    const tester = createExtensionTester(sparkPage, {
      apis: [mockApis.translation()],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/spark');
  });

  it('the entity content renders the Component apps', async () => {
    server.use(
      http.get(`${sparkUrl}/apps`, () =>
        HttpResponse.json({ items: [appSummary()] }),
      ),
    );
    const tester = createExtensionTester(sparkEntityContent, {
      apis: [mockApis.translation()],
    });
    expect(tester.get(coreExtensionData.routePath)).toBe('/spark');
    renderInTestApp(
      <EntityProvider entity={componentEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[sparkApiRef, new SparkClient({ discoveryApi, fetchApi })]],
        mountedRoutes: { '/spark': rootRouteRef },
      },
    );
    expect(
      await screen.findByRole('link', { name: /spark-0001/ }),
    ).toBeInTheDocument();
  });

  it('the tab is for Spark job Components only', () => {
    expect(isSparkJob(componentEntity)).toBe(true);
    expect(isSparkJob(groupEntity)).toBe(false);
    expect(
      isSparkJob({
        ...componentEntity,
        metadata: { name: 'web', annotations: {} },
        spec: { type: 'service' },
      }),
    ).toBe(false);
  });
});
