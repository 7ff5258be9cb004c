import { expect, test, type APIRequestContext } from '@playwright/test';
import { getRunbook } from '../plugins/spark-common/src/runbooks';
import { guestToken, screenshot, signInAsGuest } from './portal';

async function api(request: APIRequestContext, url: string) {
  const res = await request.get(url, {
    headers: { authorization: `Bearer ${await guestToken(request)}` },
  });
  expect(res.ok(), `${url}: ${res.status()}`).toBeTruthy();
  return res.json();
}

/** The demo run of a Component, once ingested and attributed (the portal may still be starting). */
async function demoRun(
  request: APIRequestContext,
  component: string,
  state: string,
) {
  let run: any;
  await expect
    .poll(
      async () => {
        try {
          const { items } = await api(request, '/api/spark/apps?limit=100');
          run = items.find(
            (app: any) =>
              app.attribution.entityRef === `component:default/${component}` &&
              app.state === state,
          );
        } catch {
          run = undefined; // the portal is restarting
        }
        return Boolean(run);
      },
      { timeout: 180_000, intervals: [2000] },
    )
    .toBe(true);
  return run;
}

const texts = {
  en: {
    open: 'Troubleshoot',
    fromData: 'from the data',
    openRunbook: 'Open the runbook',
    whatIsWrong: 'What is wrong?',
    slow: 'It is slow',
    continue: 'Continue',
    notebook: 'A notebook cannot use Spark',
    connect: 'It cannot connect to Spark Connect',
    filledIn: 'Values from the troubleshooting wizard',
  },
  ru: {
    open: 'Разобрать проблему',
    fromData: 'по данным',
    openRunbook: 'Открыть runbook',
    whatIsWrong: 'Что не так?',
    slow: 'Работает медленно',
    continue: 'Дальше',
    notebook: 'Ноутбук не может работать со Spark',
    connect: 'Не подключается к Spark Connect',
    filledIn: 'Значения из мастера разбора проблем',
  },
};

for (const language of ['en', 'ru'] as const) {
  const text = texts[language];

  test.describe(`Troubleshooting wizard (${language})`, () => {
    test('a failed run: the data answers every question and the runbook shows its values', async ({
      page,
      request,
    }) => {
      test.setTimeout(240_000);
      const failed = await demoRun(request, 'feature-backfill', 'FAILED');
      const details = await api(request, `/api/spark/apps/${failed.id}`);
      const driver = details.kubernetes.find(
        (o: any) => o.kind === 'Pod' && o.details.role === 'driver',
      );
      expect(driver, 'the demo driver pod').toBeTruthy();
      const { items: diagnoses } = await api(
        request,
        `/api/spark/apps/${failed.id}/diagnoses`,
      );
      expect(diagnoses.length).toBeGreaterThan(0);

      await signInAsGuest(page, language);
      await page.goto(`/spark/apps/${failed.id}`);
      await page.getByRole('button', { name: text.open }).click();
      await expect(page).toHaveURL(
        new RegExp(`/spark/apps/${failed.id}/troubleshoot`),
      );
      const steps = page.getByTestId('spark-wizard-steps');
      // The run failed, with task errors from the job's own code: nothing left to ask.
      await expect(steps.getByText(text.fromData)).toHaveCount(3);
      await expect(page.getByRole('radiogroup')).toHaveCount(0);
      await expect(steps).toContainText('malformed event timestamp');

      const conclusion = page.getByTestId('spark-wizard-conclusion');
      const runbook = getRunbook('task-failures-high');
      await expect(conclusion).toContainText(runbook.title[language]);
      await expect(conclusion).toContainText(driver.name);
      await expect(conclusion).toContainText(failed.namespace);
      await screenshot(page, `troubleshooting-failed-${language}`);

      await conclusion.getByRole('button', { name: text.openRunbook }).click();
      await expect(page).toHaveURL(
        new RegExp(
          `/docs/default/component/spark-runbooks/${language}/task-failures-high/\\?NS=${failed.namespace}`,
        ),
      );
      // TechDocs builds the site on first visit; the addon then fills the commands in.
      const filled = page.locator('mark.spark-runbook-value', {
        hasText: driver.name,
      });
      await expect(filled.first()).toBeVisible({ timeout: 180_000 });
      await expect(page.getByText(text.filledIn)).toBeVisible();
      const command = page.locator('pre code', { hasText: 'kubectl' }).first();
      await expect(command).toContainText(
        `kubectl -n ${failed.namespace} logs ${driver.name}`,
      );
      await expect(command).not.toContainText('$DRIVER_POD');
      await screenshot(page, `troubleshooting-runbook-${language}`);
    });

    test('a run that succeeded: the wizard asks what is wrong, and the diagnosis answers the rest', async ({
      page,
      request,
    }) => {
      test.setTimeout(240_000);
      const skewed = await demoRun(request, 'fraud-features', 'SUCCEEDED');
      const { items: diagnoses } = await api(
        request,
        `/api/spark/apps/${skewed.id}/diagnoses`,
      );
      expect(diagnoses.map((d: any) => d.runbookId)).toContain('data-skew');

      await signInAsGuest(page, language);
      await page.goto(`/spark/apps/${skewed.id}/troubleshoot`);
      const symptom = page.getByRole('radiogroup', { name: text.whatIsWrong });
      await expect(symptom).toBeVisible();
      await expect(
        page.getByTestId('spark-wizard-steps').getByText(text.fromData),
      ).toHaveCount(0);
      await symptom.getByLabel(text.slow).check();
      await page.getByRole('button', { name: text.continue }).click();

      await expect(page).toHaveURL(/symptom=slow/);
      await expect(
        page.getByTestId('spark-wizard-steps').getByText(text.fromData),
      ).toHaveCount(1);
      const conclusion = page.getByTestId('spark-wizard-conclusion');
      await expect(conclusion).toContainText(
        getRunbook('data-skew').title[language],
      );
      await screenshot(page, `troubleshooting-skewed-${language}`);
    });

    test('from a symptom alone, started on the fleet page', async ({
      page,
    }) => {
      await signInAsGuest(page, language);
      await page.goto('/spark');
      await page.getByRole('button', { name: text.open }).click();
      await expect(page).toHaveURL(/\/spark\/troubleshoot/);
      await page.getByLabel(text.notebook).check();
      await page.getByRole('button', { name: text.continue }).click();
      await page.getByLabel(text.connect).check();
      await page.getByRole('button', { name: text.continue }).click();
      await expect(
        page.getByRole('button', { name: text.openRunbook }),
      ).toHaveAttribute(
        'href',
        `/docs/default/component/spark-runbooks/${language}/spark-connect-unavailable/`,
      );
      await screenshot(page, `troubleshooting-symptom-${language}`);
    });
  });
}
