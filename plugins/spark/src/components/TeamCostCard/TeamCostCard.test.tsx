import { screen, within } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import type { SparkCostSummary } from '@spark-k8s/plugin-spark-common';
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

  const answer = (summary: SparkCostSummary) =>
    server.use(
      http.get(`${sparkUrl}/cost/summary`, () => HttpResponse.json(summary)),
    );

  it('shows no budget, basis, idle share or alert when the summary has none', async () => {
    answer(costSummary);
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findByText('$1,200')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByTestId('cost-budget')).not.toBeInTheDocument();
    expect(screen.queryByTestId('cost-basis')).not.toBeInTheDocument();
    expect(screen.queryByText('Idle executors')).not.toBeInTheDocument();
  });

  it('says runs were priced from requests when Prometheus gave no usage, and the idle share', async () => {
    answer({
      ...costSummary,
      runs: 12,
      basis: { request: 12, usage: 0 },
      wasted: { cost: 150, share: 0.23 },
    });
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findByTestId('cost-basis')).toHaveTextContent(
      'Basis: requests, what Kubernetes reserved (runs: 12); Prometheus gave no usage.',
    );
    expect(screen.getByText('Idle executors')).toBeInTheDocument();
    expect(screen.getByTestId('cost-wasted')).toHaveTextContent('23%');
    expect(
      screen.getByText(
        '23% of the executor time was allocated but ran no task: $150 of this period.',
      ),
    ).toBeInTheDocument();
  });

  it('says how many runs were priced from measured usage', async () => {
    answer({ ...costSummary, basis: { request: 2, usage: 10 } });
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findByTestId('cost-basis')).toHaveTextContent(
      'Basis: max(request, usage). Runs priced from measured usage: 10, from requests: 2.',
    );
  });

  it('shows the month’s budget, spent share and forecast, without an alert while under it', async () => {
    answer({
      ...costSummary,
      budget: {
        monthly: 3000,
        source: 'annotation',
        month: '2026-11',
        spent: 1200,
        forecast: 2400,
      },
      alerts: [],
    });
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    const budget = await screen.findByTestId('cost-budget');
    expect(
      within(budget).getByText('Budget for November 2026'),
    ).toBeInTheDocument();
    expect(
      within(budget).getByRole('progressbar', {
        name: 'Budget for November 2026',
      }),
    ).toHaveAttribute('aria-valuenow', '40');
    expect(
      within(budget).getByText('$1,200 of $3,000 spent (40%)'),
    ).toBeInTheDocument();
    expect(budget).toHaveTextContent(
      'Forecast for the month: $2,400 · budget from the Group annotation',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('raises the over-budget alert with its runbook, and a full bar', async () => {
    answer({
      ...costSummary,
      budget: {
        monthly: 1000,
        source: 'config',
        month: '2026-11',
        spent: 1200,
        forecast: 3600,
      },
      alerts: [
        {
          kind: 'over-budget',
          severity: 'critical',
          message: 'spent 1200.00 USD of a 1000.00 USD budget in 2026-11',
          value: 1200,
          threshold: 1000,
          runbookId: 'cost-spike',
        },
      ],
    });
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    const alert = await screen.findByTestId('cost-alert-over-budget');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveTextContent(
      'Over budget: $1,200 spent of $1,000 in November 2026.',
    );
    expect(
      within(alert).getByRole('link', { name: 'Runbook: cost-spike' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/spark-runbooks/en/cost-spike/',
    );
    expect(
      screen.getByRole('progressbar', { name: 'Budget for November 2026' }),
    ).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByTestId('cost-budget')).toHaveTextContent(
      'budget set in the portal config',
    );
  });

  it('warns when the month is on track to exceed the budget, and when cost grows fast', async () => {
    answer({
      ...costSummary,
      budget: {
        monthly: 2000,
        source: 'config',
        month: '2026-11',
        spent: 1200,
        forecast: 2400,
      },
      alerts: [
        {
          kind: 'budget-forecast',
          severity: 'warning',
          message:
            'on track to spend 2400.00 USD of a 2000.00 USD budget in 2026-11',
          value: 2400,
          threshold: 2000,
          runbookId: 'cost-spike',
        },
        {
          kind: 'fast-growth',
          severity: 'warning',
          message:
            'the last 7 days cost 610.00 USD, 53 % more than the 7 days before (400.00 USD)',
          value: 0.525,
          threshold: 0.5,
          runbookId: 'cost-spike',
        },
      ],
    });
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findAllByRole('alert')).toHaveLength(2);
    expect(screen.getByTestId('cost-alert-budget-forecast')).toHaveTextContent(
      'On track to exceed the budget: $2,400 forecast against $2,000 in November 2026.',
    );
    expect(screen.getByTestId('cost-alert-fast-growth')).toHaveTextContent(
      'Cost is growing fast: the last 7 days cost 53% more than the 7 before (alert above 50%).',
    );
  });

  it('names the cost permission when the caller may not see costs (403)', async () => {
    server.use(
      http.get(`${sparkUrl}/cost/summary`, () =>
        HttpResponse.json({}, { status: 403 }),
      ),
    );
    renderSpark(<TeamCostCard />, { entity: groupEntity });
    expect(await screen.findByTestId('spark-notice-denied')).toHaveTextContent(
      'spark.cost.read',
    );
    expect(screen.queryByText(/\$/)).not.toBeInTheDocument();
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
