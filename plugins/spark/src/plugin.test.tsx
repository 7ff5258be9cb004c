import { mockApis } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { SparkClient, sparkApiRef } from './api';
import { appSummary } from './__testUtils__/fixtures';
import {
  baseUrl,
  componentEntity,
  setupSparkServer,
  sparkUrl,
} from './__testUtils__/render';
import { EntitySparkContent, sparkPlugin } from './plugin';
import { rootRouteRef } from './routes';

describe('legacy frontend system', () => {
  const server = setupSparkServer();

  it('the plugin is `spark` with its root route', () => {
    expect(sparkPlugin.getId()).toBe('spark');
    expect(sparkPlugin.routes.root).toBe(rootRouteRef);
  });

  it('EntitySparkContent lists the Component apps in a legacy app', async () => {
    server.use(
      http.get(`${sparkUrl}/apps`, () =>
        HttpResponse.json({ items: [appSummary()] }),
      ),
    );
    const sparkApi = new SparkClient({
      discoveryApi: mockApis.discovery({ baseUrl }),
      fetchApi: mockApis.fetch(),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[sparkApiRef, sparkApi]]}>
        <EntityProvider entity={componentEntity}>
          <EntitySparkContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/spark': rootRouteRef } },
    );
    expect(
      await screen.findByRole('link', { name: /spark-0001/ }),
    ).toHaveAttribute('href', '/spark/apps/spark-0001');
  });
});
