import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import { appDetails } from '../../__testUtils__/fixtures';
import {
  renderSpark,
  setupSparkServer,
  sparkUrl,
} from '../../__testUtils__/render';
import { AppPage } from './AppPage';

describe('AppPage', () => {
  const server = setupSparkServer();
  // usePermission caches decisions per app id across renders, so each test has its own app.
  const withApp = (
    diagnoses: 'missing' | 'found',
    appId = 'spark-0001',
    cost: unknown = undefined,
  ) =>
    server.use(
      http.get(`${sparkUrl}/cost/apps/${appId}`, () => {
        if (cost === undefined) return HttpResponse.json({}, { status: 404 });
        if (typeof cost === 'number') {
          return HttpResponse.json({}, { status: cost });
        }
        return HttpResponse.json(cost);
      }),
      http.get(`${sparkUrl}/apps/${appId}`, () =>
        HttpResponse.json(appDetails(appId)),
      ),
      http.get(`${sparkUrl}/apps/${appId}/diagnoses`, () =>
        diagnoses === 'missing'
          ? HttpResponse.json({}, { status: 404 })
          : HttpResponse.json({
              items: [
                {
                  ruleId: 'executor-oom',
                  severity: 'critical',
                  title: 'Executors ran out of memory',
                  summary: 'Raise spark.executor.memoryOverhead.',
                  evidence: [{ label: 'OOMKilled executors', value: '1' }],
                  runbookId: 'executor-oom-killed',
                  scope: 'stage 1.0',
                },
              ],
            }),
      ),
      http.get(`${sparkUrl}/apps/${appId}/environment`, () =>
        HttpResponse.json({
          sparkProperties: [['spark.executor.memory', '8g']],
        }),
      ),
    );

  it('shows summary, failures, stages with indicators, timeline, executors and Kubernetes', async () => {
    withApp('missing');
    renderSpark(<AppPage appId="spark-0001" />);
    expect(
      await screen.findByRole('heading', { name: 'settlement-etl' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('failed').length).toBeGreaterThan(0);
    expect(
      screen.getByText('Job aborted due to stage failure'),
    ).toBeInTheDocument();
    // Failures with their messages.
    expect(
      screen.getByText('Container killed by the kernel (exit code 137)'),
    ).toBeInTheDocument();
    // Stages: the failed join is skewed (900 s vs 10 s median), spilled and GC-heavy.
    const join = screen.getByText('join settlements').closest('tr')!;
    expect(within(join).getByText('skew 90×')).toBeInTheDocument();
    expect(within(join).getByText('spill 4 GB')).toBeInTheDocument();
    expect(within(join).getByText('GC 25%')).toBeInTheDocument();
    expect(within(join).getByText('10s / 15m')).toBeInTheDocument();
    const scan = screen.getByText('scan authorisations').closest('tr')!;
    expect(within(scan).queryByText(/skew|spill|GC/)).not.toBeInTheDocument();
    expect(screen.getByTestId('spark-timeline')).toHaveTextContent('Job 0');
    // Executors: removal reason and peak memory.
    expect(screen.getByText('Container killed: OOMKilled')).toBeInTheDocument();
    expect(screen.getByText('7.5 GB / 9.8 GB')).toBeInTheDocument();
    // Kubernetes objects, with a link to the Component's Kubernetes tab.
    expect(screen.getByText('settlement-etl-20261124')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open the Kubernetes tab/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/settlement-etl/kubernetes',
    );
    // No diagnosis engine yet: said so, not a blank card.
    expect(
      screen.getByText(/Diagnoses are not available yet/),
    ).toBeInTheDocument();
    // Cost is not priced: a dash.
    expect(screen.getByText('Cost').nextSibling).toHaveTextContent('—');
  });

  it('shows how the run was priced: basis, idle share, and each pod’s node pool and spot discount', async () => {
    withApp('missing', 'spark-0101', {
      appId: 'spark-0101',
      currency: 'USD',
      total: 0.40784,
      from: 'pods',
      model: 'price-model',
      basis: 'request',
      usageKnown: false,
      wasted: {
        share: 0.25,
        cost: 0.05,
        executorCoreHours: 4,
        taskCoreHours: 3,
      },
      pods: [
        {
          name: 'settlement-exec-3',
          role: 'executor',
          node: 'ip-10-0-3-7.eu-west-1.compute.internal',
          nodePool: 'highmem',
          spot: true,
          hours: 1,
          cpu: 2,
          memoryGiB: 4,
          gpu: 0,
          basis: 'request',
          usageKnown: false,
          prices: { vcpuHour: 0.0252, gibHour: 0.02, gpuHour: 0.95 },
          discount: 0.7,
          cost: 0.03912,
        },
      ],
    });
    renderSpark(<AppPage appId="spark-0101" />);
    expect(await screen.findByTestId('app-cost-basis')).toHaveTextContent(
      'requests · no usage from Prometheus',
    );
    expect(screen.getByText('25% of executor time, $0.05')).toBeInTheDocument();
    expect(
      screen.getByText('Kubernetes pods (price-model)'),
    ).toBeInTheDocument();
    const pod = screen.getByText('settlement-exec-3').closest('tr')!;
    expect(within(pod).getByText('highmem')).toBeInTheDocument();
    expect(within(pod).getByText('yes (−70%)')).toBeInTheDocument();
    expect(within(pod).getByText('2 vCPU · 4 GiB')).toBeInTheDocument();
    expect(within(pod).getByText('$0.04')).toBeInTheDocument();
  });

  it('names the cost permission when the run’s cost may not be seen (403)', async () => {
    withApp('missing', 'spark-0102', 403);
    renderSpark(<AppPage appId="spark-0102" />);
    expect(await screen.findByTestId('spark-notice-denied')).toHaveTextContent(
      'spark.cost.read',
    );
  });

  it('shows diagnoses with evidence and a runbook link', async () => {
    withApp('found');
    renderSpark(<AppPage appId="spark-0001" />);
    const diagnosis = await screen.findByTestId('spark-diagnosis');
    expect(diagnosis).toHaveTextContent('Executors ran out of memory');
    expect(diagnosis).toHaveTextContent('critical');
    expect(diagnosis).toHaveTextContent('OOMKilled executors: 1');
    expect(within(diagnosis).getByRole('link')).toHaveAttribute(
      'href',
      '/docs/default/component/spark-runbooks/en/executor-oom-killed/',
    );
  });

  it('shows the environment and logs hint only with the sensitive permission', async () => {
    withApp('missing');
    renderSpark(<AppPage appId="spark-0001" />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show the environment' }),
    );
    expect(await screen.findByTestId('spark-environment')).toHaveTextContent(
      'spark.executor.memory',
    );
    expect(
      screen.getByText(/open the pods from the Kubernetes tab/),
    ).toBeInTheDocument();
  });

  it('names the permission instead of the environment and logs when denied', async () => {
    withApp('missing', 'spark-denied');
    renderSpark(<AppPage appId="spark-denied" />, {
      sensitive: AuthorizeResult.DENY,
    });
    await screen.findByRole('heading', { name: 'settlement-etl' });
    expect(
      await screen.findByText(
        'The environment (Spark conf) needs the permission spark.app.sensitive.read.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Logs need the permission spark.app.sensitive.read.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Show the environment' }),
    ).not.toBeInTheDocument();
  });

  it('shows progress while the app loads', async () => {
    server.use(
      http.get(`${sparkUrl}/apps/spark-slow`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    renderSpark(<AppPage appId="spark-slow" />);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('says an unknown app may belong to another team (404)', async () => {
    server.use(
      http.get(`${sparkUrl}/apps/spark-9999`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
    );
    renderSpark(<AppPage appId="spark-9999" />);
    expect(
      await screen.findByText('Spark app not found or not visible to you'),
    ).toBeInTheDocument();
    expect(screen.getByText(/spark-9999 is not known/)).toBeInTheDocument();
  });

  it('shows the denied state when the app may not be read (403)', async () => {
    server.use(
      http.get(`${sparkUrl}/apps/spark-0001`, () =>
        HttpResponse.json({}, { status: 403 }),
      ),
    );
    renderSpark(<AppPage appId="spark-0001" />);
    expect(
      await screen.findByText('You may not see these Spark apps'),
    ).toBeInTheDocument();
  });
});
