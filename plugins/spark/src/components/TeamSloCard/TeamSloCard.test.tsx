import { screen } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { sloStatus, teamRef } from '../../__testUtils__/fixtures';
import {
  groupEntity,
  renderSpark,
  setupSparkServer,
  sparkUrl,
} from '../../__testUtils__/render';
import { TeamSloCard } from './TeamSloCard';

describe('TeamSloCard', () => {
  const server = setupSparkServer();

  it('shows progress while loading', async () => {
    server.use(
      http.get(`${sparkUrl}/slo/status`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    renderSpark(<TeamSloCard />, { entity: groupEntity });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('says SLOs are not configured when the backend has no SLO route (404)', async () => {
    server.use(
      http.get(`${sparkUrl}/slo/status`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
    );
    renderSpark(<TeamSloCard />, { entity: groupEntity });
    expect(
      await screen.findByText('SLOs are not configured'),
    ).toBeInTheDocument();
  });

  it('says so when the team has no SLO', async () => {
    server.use(
      http.get(`${sparkUrl}/slo/status`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    renderSpark(<TeamSloCard />, { entity: groupEntity });
    expect(
      await screen.findByText(/No SLO is defined for the Spark jobs/),
    ).toBeInTheDocument();
  });

  it('shows attainment, error budget, burn rate and run counts', async () => {
    let asked: string | null = null;
    server.use(
      http.get(`${sparkUrl}/slo/status`, ({ request }) => {
        asked = new URL(request.url).searchParams.get('teamRef');
        return HttpResponse.json({ items: [sloStatus] });
      }),
    );
    renderSpark(<TeamSloCard />, { entity: groupEntity });
    const slo = await screen.findByTestId('spark-slo');
    expect(asked).toBe(teamRef);
    expect(slo).toHaveTextContent('Settlement ETL succeeds');
    expect(slo).toHaveTextContent('96.67%');
    expect(slo).toHaveTextContent('objective 99%');
    expect(slo).toHaveTextContent('-230%');
    expect(slo).toHaveTextContent('Burn rate: fast burn');
    expect(slo).toHaveTextContent('29 of 30 runs good');
    expect(slo).toHaveTextContent('over 30d');
  });

  it('shows the denied state when the SLO route refuses (403)', async () => {
    server.use(
      http.get(`${sparkUrl}/slo/status`, () =>
        HttpResponse.json({}, { status: 403 }),
      ),
    );
    renderSpark(<TeamSloCard />, { entity: groupEntity });
    expect(
      await screen.findByText('You may not see these Spark apps'),
    ).toBeInTheDocument();
  });
});
