import { mockApis } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { appSummary, costSummary } from '../__testUtils__/fixtures';
import { baseUrl, setupSparkServer, sparkUrl } from '../__testUtils__/render';
import { SparkClient } from './SparkClient';

describe('SparkClient', () => {
  const server = setupSparkServer();
  const client = new SparkClient({
    discoveryApi: mockApis.discovery({ baseUrl }),
    fetchApi: mockApis.fetch(),
  });

  it('sends the filters, sort, page size and cursor of GET /apps', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${sparkUrl}/apps`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [appSummary()], nextCursor: 'c2' });
      }),
    );
    const page = await client.listApps({
      entityRef: 'component:default/settlement-etl',
      state: ['FAILED', 'RUNNING'],
      sort: 'cost',
      order: 'asc',
      limit: 25,
      cursor: 'c1',
    });
    expect(page.nextCursor).toBe('c2');
    expect(page.items[0].id).toBe('spark-0001');
    expect(Object.fromEntries(url!.searchParams)).toEqual({
      entityRef: 'component:default/settlement-etl',
      state: 'FAILED,RUNNING',
      sort: 'cost',
      order: 'asc',
      limit: '25',
      cursor: 'c1',
    });
  });

  it('escapes app ids in paths', async () => {
    let path = '';
    server.use(
      http.get(`${sparkUrl}/apps/:appId`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({});
      }),
    );
    await client.getApp('spark:a b');
    expect(path).toBe('/api/spark/apps/spark%3Aa%20b');
  });

  it('throws a ResponseError with the status for failed calls', async () => {
    server.use(
      http.get(`${sparkUrl}/apps`, () =>
        HttpResponse.json(
          { error: { name: 'NotAllowedError', message: 'not allowed' } },
          { status: 403 },
        ),
      ),
    );
    await expect(client.listApps({})).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });

  it('reads a missing cost, SLO or diagnosis route (404) as "not available"', async () => {
    server.use(
      http.get(`${sparkUrl}/cost/summary`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
      http.get(`${sparkUrl}/slo/status`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
      http.get(`${sparkUrl}/apps/:appId/diagnoses`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
    );
    await expect(client.getCostSummary({})).resolves.toBeUndefined();
    await expect(
      client.getSloStatus({ teamRef: 'group:default/a' }),
    ).resolves.toBeUndefined();
    await expect(client.listDiagnoses('spark-1')).resolves.toBeUndefined();
  });

  it('returns cost and SLO answers once the routes exist', async () => {
    let teamRef: string | null = null;
    server.use(
      http.get(`${sparkUrl}/cost/summary`, ({ request }) => {
        teamRef = new URL(request.url).searchParams.get('teamRef');
        return HttpResponse.json(costSummary);
      }),
      http.get(`${sparkUrl}/slo/status`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await expect(
      client.getCostSummary({ teamRef: 'group:default/payments-data' }),
    ).resolves.toEqual(costSummary);
    expect(teamRef).toBe('group:default/payments-data');
    await expect(client.getSloStatus({})).resolves.toEqual([]);
  });

  it('does not read a 500 of an engine route as "not available"', async () => {
    server.use(
      http.get(`${sparkUrl}/cost/summary`, () =>
        HttpResponse.json({}, { status: 500 }),
      ),
    );
    await expect(client.getCostSummary({})).rejects.toMatchObject({
      statusCode: 500,
    });
  });
});
