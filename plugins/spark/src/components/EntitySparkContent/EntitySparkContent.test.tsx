import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import { appSummary, componentRef } from '../../__testUtils__/fixtures';
import {
  componentEntity,
  renderSpark,
  setupSparkServer,
  sparkUrl,
} from '../../__testUtils__/render';
import { EntitySparkContent } from './EntitySparkContent';

describe('EntitySparkContent', () => {
  const server = setupSparkServer();
  const render = () =>
    renderSpark(<EntitySparkContent />, { entity: componentEntity });

  it('lists the apps of the Component with state, times, cost and a link', async () => {
    let entityRef: string | null = null;
    server.use(
      http.get(`${sparkUrl}/apps`, ({ request }) => {
        entityRef = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json({
          items: [
            appSummary(),
            appSummary({
              id: 'spark-0002',
              state: 'FAILED',
              cost: { amount: 3.5, currency: 'USD' },
              slo: { state: 'missed', sloIds: ['s'] },
            }),
          ],
        });
      }),
    );
    render();
    const link = await screen.findByRole('link', { name: /spark-0001/ });
    expect(link).toHaveAttribute('href', '/spark/apps/spark-0001');
    expect(entityRef).toBe(componentRef);
    expect(screen.getByText('succeeded')).toBeInTheDocument();
    expect(screen.getByText('failed')).toBeInTheDocument();
    expect(screen.getAllByText('1h 5m')).toHaveLength(2);
    // No cost field: a dash, never a made-up number.
    const firstRow = link.closest('tr')!;
    expect(within(firstRow).getAllByText('—').length).toBeGreaterThan(0);
    expect(screen.getByText('$3.50')).toBeInTheDocument();
    expect(screen.getByText('missed')).toBeInTheDocument();
    expect(screen.getAllByText('prod-eu')).toHaveLength(2);
    expect(screen.getAllByText('4.0.1')).toHaveLength(2);
  });

  it('shows progress while loading', async () => {
    server.use(
      http.get(`${sparkUrl}/apps`, async () => {
        await delay('infinite');
        return HttpResponse.json({ items: [] });
      }),
    );
    render();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('says how to get apps attributed when there are none', async () => {
    server.use(
      http.get(`${sparkUrl}/apps`, () => HttpResponse.json({ items: [] })),
    );
    render();
    expect(await screen.findByText('No Spark apps yet')).toBeInTheDocument();
    expect(screen.getByText(/backstage.io\/kubernetes-id/)).toBeInTheDocument();
  });

  it('names the missing permission when the backend denies (403)', async () => {
    server.use(
      http.get(`${sparkUrl}/apps`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'not allowed: spark.app.read',
            },
          },
          { status: 403 },
        ),
      ),
    );
    render();
    expect(
      await screen.findByText('You may not see these Spark apps'),
    ).toBeInTheDocument();
    expect(screen.getByText(/spark\.app\.read/)).toBeInTheDocument();
    expect(screen.queryByText(/NotAllowedError/)).not.toBeInTheDocument();
  });

  it('shows an error with a retry that loads again, without the raw error', async () => {
    let calls = 0;
    server.use(
      http.get(`${sparkUrl}/apps`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              {
                error: {
                  name: 'Error',
                  message: 'at Store.listApps (store.ts:1)',
                },
              },
              { status: 500 },
            )
          : HttpResponse.json({ items: [appSummary()] });
      }),
    );
    render();
    expect(
      await screen.findByText('Could not load Spark data'),
    ).toBeInTheDocument();
    expect(screen.getByText(/answered 500/)).toBeInTheDocument();
    expect(screen.queryByText(/store\.ts/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('link', { name: /spark-0001/ }),
    ).toBeInTheDocument();
  });

  it('pages on the server with cursors and filters by state there', async () => {
    const seen: Array<Record<string, string>> = [];
    server.use(
      http.get(`${sparkUrl}/apps`, ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        seen.push(query);
        if (query.cursor === 'page-2') {
          return HttpResponse.json({
            items: [appSummary({ id: 'spark-0011', name: 'older-run' })],
          });
        }
        if (query.state === 'FAILED') {
          return HttpResponse.json({ items: [] });
        }
        return HttpResponse.json({
          items: [appSummary()],
          nextCursor: 'page-2',
        });
      }),
    );
    render();
    await screen.findByRole('link', { name: /spark-0001/ });
    expect(seen[0]).toMatchObject({ limit: '10' });
    expect(seen[0].cursor).toBeUndefined();
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(
      await screen.findByRole('link', { name: /spark-0011/ }),
    ).toBeInTheDocument();
    expect(seen[seen.length - 1]).toMatchObject({ cursor: 'page-2' });
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await screen.findByRole('link', { name: /spark-0001/ });

    await userEvent.click(screen.getByText('Any state'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'failed' }),
    );
    expect(
      await screen.findByText('No app matches these filters'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(seen[seen.length - 1]).toMatchObject({ state: 'FAILED' }),
    );
    expect(seen[seen.length - 1].cursor).toBeUndefined();
  });
});
