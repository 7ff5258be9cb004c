import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { appDetails, appSummary } from '../../__testUtils__/fixtures';
import {
  renderSpark,
  setupSparkServer,
  sparkUrl,
} from '../../__testUtils__/render';
import { TroubleshootingWizard } from './TroubleshootingWizard';

describe('TroubleshootingWizard', () => {
  const server = setupSparkServer();

  const serve = (
    appId: string,
    options: {
      state?: 'FAILED' | 'SUCCEEDED';
      diagnoses?: unknown[] | 'missing';
      earlier?: unknown[];
    },
  ) => {
    const details = appDetails(appId);
    if (options.state === 'SUCCEEDED') {
      details.app = { ...details.app, state: 'SUCCEEDED' };
      details.failures = [];
    }
    details.kubernetes.push({
      ...details.kubernetes[0],
      kind: 'Pod',
      apiVersion: 'v1',
      name: 'settlement-etl-20261124-driver',
      uid: 'uid-2',
      details: { role: 'driver', serviceAccountName: 'spark' },
    });
    const listed: URL[] = [];
    server.use(
      http.get(`${sparkUrl}/apps/${appId}`, () => HttpResponse.json(details)),
      http.get(`${sparkUrl}/apps/${appId}/diagnoses`, () =>
        options.diagnoses === 'missing'
          ? HttpResponse.json({}, { status: 404 })
          : HttpResponse.json({ items: options.diagnoses ?? [] }),
      ),
      http.get(`${sparkUrl}/apps`, ({ request }) => {
        listed.push(new URL(request.url));
        return HttpResponse.json({ items: options.earlier ?? [] });
      }),
    );
    return listed;
  };

  it('answers from the data and ends at the runbook with the app values filled in', async () => {
    const listed = serve('spark-0001', {
      diagnoses: [
        {
          ruleId: 'executor-oom-killed',
          severity: 'critical',
          title: 'Executors were OOMKilled',
          summary: 'Executor 2 went over its memory limit.',
          fix: 'Raise spark.executor.memoryOverhead.',
          evidence: [
            { label: 'OOMKilled executors', value: '1', source: 'pod x' },
          ],
          runbookId: 'executor-oom-killed',
        },
      ],
    });
    renderSpark(<TroubleshootingWizard appId="spark-0001" />);
    expect(
      await screen.findByRole('heading', {
        name: 'Troubleshoot settlement-etl',
      }),
    ).toBeInTheDocument();
    const steps = screen.getByTestId('spark-wizard-steps');
    expect(within(steps).getAllByText('from the data')).toHaveLength(3);
    expect(within(steps).getByText('The run failed')).toBeInTheDocument();
    expect(
      within(steps).getByText('The app\'s state is "failed".'),
    ).toBeInTheDocument();
    // One diagnosis answers two questions; its evidence is shown once.
    expect(
      within(steps).getByText(
        'The diagnosis "Executors were OOMKilled" fired.',
      ),
    ).toBeInTheDocument();
    expect(
      within(steps).getByText(
        'The same diagnosis, "Executors were OOMKilled", answers this too.',
      ),
    ).toBeInTheDocument();
    expect(within(steps).getAllByText(/OOMKilled executors:/)).toHaveLength(1);
    // Nothing is left to ask.
    expect(screen.queryByRole('radiogroup')).not.toBeInTheDocument();

    const conclusion = screen.getByTestId('spark-wizard-conclusion');
    expect(
      within(conclusion).getByText('Executor container OOMKilled'),
    ).toBeInTheDocument();
    expect(
      within(conclusion).getByText('Raise spark.executor.memoryOverhead.'),
    ).toBeInTheDocument();
    expect(within(conclusion).getByText('$DRIVER_POD')).toBeInTheDocument();
    expect(
      within(conclusion).getByRole('button', { name: 'Open the runbook' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/spark-runbooks/en/executor-oom-killed/?NS=payments-data&APP_ID=spark-0001&APP=settlement-etl-20261124&DRIVER_POD=settlement-etl-20261124-driver&POD=settlement-etl-20261124-driver&SA=spark',
    );
    // Earlier runs are read from the same Component, before this run started.
    expect(listed[0].searchParams.get('entityRef')).toBe(
      'component:default/settlement-etl',
    );
    expect(listed[0].searchParams.get('state')).toBe('SUCCEEDED');
    expect(listed[0].searchParams.get('to')).toBe('2026-11-24T08:00:00Z');
  });

  it('asks what the data cannot tell, and lets the person change an answer', async () => {
    serve('spark-0002', {
      state: 'SUCCEEDED',
      diagnoses: 'missing',
      earlier: [20, 30, 25].map(minutes =>
        appSummary({ id: `old-${minutes}`, durationMs: minutes * 60_000 }),
      ),
    });
    renderSpark(<TroubleshootingWizard appId="spark-0002" />);
    const symptom = await screen.findByRole('radiogroup', {
      name: 'What is wrong?',
    });
    // An app is known: symptoms that need none are not offered.
    expect(within(symptom).getAllByRole('radio')).toHaveLength(5);
    const next = screen.getByRole('button', { name: 'Continue' });
    expect(next).toBeDisabled();
    await userEvent.click(within(symptom).getByLabelText('It is slow'));
    await userEvent.click(next);

    const where = await screen.findByRole('radiogroup', {
      name: 'Where does the time go?',
    });
    await userEvent.click(within(where).getByLabelText('I cannot tell'));
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));

    // 65 min against a median of 25 min of earlier runs: the data says it regressed.
    const conclusion = await screen.findByTestId('spark-wizard-conclusion');
    expect(
      within(conclusion).getByRole('button', { name: 'Open the runbook' }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('/en/duration-regression/?NS=payments-data'),
    );
    expect(
      screen.getByText(
        'This run took 2.6× the median of 3 earlier successful runs of the Component.',
      ),
    ).toBeInTheDocument();

    // Changing the first answer forgets the ones after it.
    await userEvent.click(screen.getAllByRole('button', { name: 'Change' })[0]);
    expect(
      await screen.findByRole('radiogroup', { name: 'What is wrong?' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('spark-wizard-conclusion'),
    ).not.toBeInTheDocument();
  });

  it('starts from a symptom alone', async () => {
    renderSpark(<TroubleshootingWizard />);
    const symptom = await screen.findByRole('radiogroup', {
      name: 'What is wrong?',
    });
    await userEvent.click(
      within(symptom).getByLabelText('A notebook cannot use Spark'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await userEvent.click(
      await screen.findByLabelText('It cannot connect to Spark Connect'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(
      await screen.findByRole('button', { name: 'Open the runbook' }),
    ).toHaveAttribute(
      'href',
      '/docs/default/component/spark-runbooks/en/spark-connect-unavailable/',
    );
  });

  it('says when the app is not visible', async () => {
    server.use(
      http.get(`${sparkUrl}/apps/spark-0404`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError' } },
          { status: 404 },
        ),
      ),
    );
    renderSpark(<TroubleshootingWizard appId="spark-0404" />);
    expect(
      await screen.findByText('Spark app not found or not visible to you'),
    ).toBeInTheDocument();
  });
});
