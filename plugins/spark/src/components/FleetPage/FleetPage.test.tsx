import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { appSummary, costSummary } from '../../__testUtils__/fixtures';
import {
  renderSpark,
  setupSparkServer,
  sparkUrl,
} from '../../__testUtils__/render';
import { FleetPage } from './FleetPage';

describe('FleetPage', () => {
  const server = setupSparkServer();

  it('shows the teams and apps that cost most once cost is priced', async () => {
    server.use(
      http.get(`${sparkUrl}/apps`, () => HttpResponse.json({ items: [] })),
      http.get(`${sparkUrl}/cost/summary`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('teamRef')).toBeNull();
        return HttpResponse.json({
          ...costSummary,
          teamRef: undefined,
          topTeams: [
            {
              teamRef: 'group:default/payments-data',
              cost: 900,
              previousCost: 700,
            },
          ],
        });
      }),
    );
    renderSpark(<FleetPage />);
    expect(await screen.findByText('Top teams by cost')).toBeInTheDocument();
    expect(screen.getByText('$900')).toBeInTheDocument();
    expect(screen.getByText('Top apps by cost')).toBeInTheDocument();
  });

  it('shows failing apps, spenders (not available yet) and every team’s apps', async () => {
    const queries: Array<Record<string, string>> = [];
    server.use(
      http.get(`${sparkUrl}/apps`, ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        queries.push(query);
        return HttpResponse.json({
          items:
            query.state === 'FAILED'
              ? [
                  appSummary({
                    id: 'spark-0009',
                    name: 'fraud-features',
                    state: 'FAILED',
                    failureReason: 'ExecutorLostFailure',
                  }),
                ]
              : [appSummary()],
        });
      }),
      http.get(`${sparkUrl}/cost/summary`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
    );
    renderSpark(<FleetPage />);
    expect(
      await screen.findByRole('link', { name: 'fraud-features' }),
    ).toHaveAttribute('href', '/spark/apps/spark-0009');
    expect(screen.getByText('ExecutorLostFailure')).toBeInTheDocument();
    expect(
      await screen.findByText('Cost is not available yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: /spark-0001/ }),
    ).toBeInTheDocument();
    const failing = queries.find(q => q.state === 'FAILED')!;
    expect(failing.from).toBeDefined();
    expect(queries.some(q => !q.state && !q.teamRef)).toBe(true);
    expect(screen.getByText('All teams')).toBeInTheDocument();
  });
});
