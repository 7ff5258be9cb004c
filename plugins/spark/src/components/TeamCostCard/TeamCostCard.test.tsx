import { screen } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { costSummary, teamRef } from '../../__testUtils__/fixtures';
import {
  groupEntity,
  renderSpark,
  setupSparkServer,
  sparkUrl,
} from '../../__testUtils__/render';
import { TeamCostCard } from './TeamCostCard';

describe('TeamCostCard', () => {
  const server = setupSparkServer();

  it('shows progress while loading', async () => {
    server.use(
      http.get(`${sparkUrl}/cost/summary`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('says cost is not available yet when the backend has no cost route (404)', async () => {
    server.use(
      http.get(`${sparkUrl}/cost/summary`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
    );
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(
      await screen.findByText('Cost is not available yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/per vCPU-hour/)).toBeInTheDocument();
    expect(screen.queryByText(/\$/)).not.toBeInTheDocument();
  });

  it('shows this period vs last, the daily trend and top apps of the team', async () => {
    let asked: string | null = null;
    server.use(
      http.get(`${sparkUrl}/cost/summary`, ({ request }) => {
        asked = new URL(request.url).searchParams.get('teamRef');
        return HttpResponse.json(costSummary);
      }),
    );
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findByText('$1,200')).toBeInTheDocument();
    expect(asked).toBe(teamRef);
    expect(screen.getByText('$1,000')).toBeInTheDocument();
    expect(screen.getByText('+20% vs last period')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Daily cost' })).toBeInTheDocument();
    expect(screen.getByText('Nov 2: $50')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'settlement-etl' }),
    ).toHaveAttribute('href', '/spark/apps/spark-0001');
  });

  it('shows an error with a retry when the cost route fails', async () => {
    server.use(
      http.get(`${sparkUrl}/cost/summary`, () =>
        HttpResponse.json({}, { status: 503 }),
      ),
    );
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findByText(/answered 503/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });
});
