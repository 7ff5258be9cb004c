import {
  expect,
  test,
  type APIRequestContext,
  type Page,
} from '@playwright/test';
import {
  guestToken,
  screenshot,
  signInAsGuest,
  startPortal,
  stopPortal,
  type StartedPortal,
} from './portal';

/** The portal answers (a development backend restarts when sources change). */
async function portalReady(request: APIRequestContext, baseURL?: string) {
  await expect
    .poll(
      async () => {
        try {
          const res = await request.get(
            `${baseURL ?? ''}/.backstage/health/v1/readiness`,
          );
          return res.ok();
        } catch {
          return false;
        }
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe(true);
}

/** The demo runs, once ingested and attributed to their Components. */
async function demoApps(
  request: APIRequestContext,
  baseURL?: string,
  minimum = 4,
) {
  let apps: any[] = [];
  await expect
    .poll(
      async () => {
        try {
          const token = await guestToken(request, baseURL);
          const res = await request.get(
            `${baseURL ?? ''}/api/spark/apps?limit=100`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          apps = res.ok() ? (await res.json()).items : [];
        } catch {
          apps = []; // the portal is restarting
        }
        return apps.filter(app => app.attribution.entityRef).length;
      },
      { timeout: 150_000, intervals: [2000] },
    )
    .toBeGreaterThanOrEqual(minimum);
  return apps;
}

/** A GET of the portal's API as guest: status and JSON body. */
async function api(request: APIRequestContext, url: string) {
  const token = await guestToken(request);
  const res = await request.get(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status(),
    body: res.ok() ? await res.json() : undefined,
  };
}

async function signIn(page: Page, language: 'en' | 'ru', baseURL = '') {
  await portalReady(page.request, baseURL);
  await signInAsGuest(page, language, baseURL);
}

for (const language of ['en', 'ru'] as const) {
  const text =
    language === 'en'
      ? {
          appsTitle: 'Spark apps',
          succeeded: 'succeeded',
          stages: 'Stages',
          diagnoses: 'Diagnoses',
          costTitle: 'Spark cost',
          costNotAvailable: 'Cost is not available yet',
          costThisPeriod: 'This period',
          budgetFor: 'Budget for',
          basis: 'Basis:',
          idle: 'Idle executors',
          runCost: 'Cost of this run',
          runNotPriced: 'This run is not priced yet.',
          diagnosesNotAvailable: 'Diagnoses are not available yet',
          noDiagnoses: 'No diagnosis rule found a problem',
          noSlos: 'No SLO is defined',
          sloTitle: 'Spark SLOs',
          sloNotConfigured: 'SLOs are not configured',
          failingNow: 'Failing now',
          allApps: 'All Spark apps',
          duration: 'Duration',
          longestFirst: 'Longest first; running apps last',
        }
      : {
          appsTitle: 'Spark-приложения',
          succeeded: 'успешно',
          stages: 'Этапы',
          diagnoses: 'Диагнозы',
          costTitle: 'Затраты на Spark',
          costNotAvailable: 'Затраты пока недоступны',
          costThisPeriod: 'Этот период',
          budgetFor: 'Бюджет на',
          basis: 'Основа:',
          idle: 'Простой исполнителей',
          runCost: 'Стоимость этого запуска',
          runNotPriced: 'Этот запуск ещё не оценён.',
          diagnosesNotAvailable: 'Диагнозы пока недоступны',
          noDiagnoses: 'Правила диагностики не нашли проблем',
          noSlos: 'не задано ни одного SLO',
          sloTitle: 'SLO Spark',
          sloNotConfigured: 'SLO не настроены',
          failingNow: 'Падают сейчас',
          allApps: 'Все Spark-приложения',
          duration: 'Длительность',
          longestFirst: 'Сначала самые долгие; идущие приложения в конце',
        };

  test.describe(`Spark UI (${language})`, () => {
    test('a team’s Spark tab lists the runs of its Component', async ({
      page,
      request,
    }) => {
      test.setTimeout(180_000);
      const apps = await demoApps(request);
      const runs = apps.filter(
        app => app.attribution.entityRef === 'component:default/settlement-etl',
      );
      expect(runs.length).toBeGreaterThan(0);
      await signIn(page, language);
      await page.goto('/catalog/default/component/settlement-etl/spark');
      await expect(
        page.getByRole('heading', { name: text.appsTitle }),
      ).toBeVisible();
      for (const run of runs) {
        await expect(
          page.getByRole('link', { name: new RegExp(run.id) }),
        ).toBeVisible();
      }
      await expect(page.getByText(text.succeeded).first()).toBeVisible();
      await screenshot(page, `spark-ui-component-tab-${language}`);

      // The Duration header asks the backend for its sort: the longest run of all comes first.
      const longest = [...runs].sort(
        (a, b) =>
          (b.durationMs ?? -1) - (a.durationMs ?? -1) || (a.id < b.id ? 1 : -1),
      )[0];
      const sorted = page.waitForResponse(response => {
        const url = new URL(response.url());
        return (
          url.pathname === '/api/spark/apps' &&
          url.searchParams.get('sort') === 'duration' &&
          url.searchParams.get('order') === 'desc'
        );
      });
      await page
        .getByRole('button', { name: text.duration, exact: true })
        .click();
      expect((await sorted).ok()).toBe(true);
      await expect(page.getByText(text.longestFirst)).toBeVisible();
      await expect(page.getByRole('row').nth(1)).toContainText(longest.id);
    });

    test('an app page shows its stages, failures and the diagnoses section', async ({
      page,
      request,
    }) => {
      test.setTimeout(180_000);
      const apps = await demoApps(request);
      const failed = apps.find(
        app => app.state === 'FAILED' && app.attribution.entityRef,
      );
      expect(failed, 'a failed demo run').toBeTruthy();
      await signIn(page, language);
      await page.goto(`/spark/apps/${failed.id}`);
      await expect(
        page.getByRole('heading', { name: failed.name, level: 1 }),
      ).toBeVisible();
      await expect(
        page.getByRole('heading', { name: text.stages }),
      ).toBeVisible();
      await expect(page.getByTestId('spark-timeline')).toBeVisible();
      // Diagnoses as the backend answers them: none of its engine yet, none found, or each one.
      await expect(page.getByText(text.diagnoses).first()).toBeVisible();
      const diagnoses = await api(
        request,
        `/api/spark/apps/${failed.id}/diagnoses`,
      );
      if (diagnoses.status === 404) {
        await expect(page.getByText(text.diagnosesNotAvailable)).toBeVisible();
      } else if (diagnoses.body.items.length === 0) {
        await expect(page.getByText(text.noDiagnoses)).toBeVisible();
      } else {
        await expect(page.getByTestId('spark-diagnosis').first()).toContainText(
          diagnoses.body.items[0].title,
        );
      }
      // How the run was priced, or that it is not priced yet.
      await expect(page.getByText(text.runCost)).toBeVisible();
      const runCost = await api(request, `/api/spark/cost/apps/${failed.id}`);
      if (runCost.status === 200) {
        await expect(page.getByTestId('app-cost-basis')).toBeVisible();
      } else {
        await expect(page.getByText(text.runNotPriced)).toBeVisible();
      }
      // A failed run shows why it failed, not a stack of the portal.
      await expect(
        page.getByText(failed.failureReason.slice(0, 40)).first(),
      ).toBeVisible();
      await screenshot(page, `spark-ui-app-page-${language}`);
    });

    test('the Group page shows the Spark cost and SLO cards', async ({
      page,
      request,
    }) => {
      test.setTimeout(180_000);
      const team = encodeURIComponent('group:default/payments-data');
      // The demo runs are priced a little after start; the card shows what the summary holds.
      let cost = await api(request, `/api/spark/cost/summary?teamRef=${team}`);
      await expect
        .poll(
          async () => {
            cost = await api(
              request,
              `/api/spark/cost/summary?teamRef=${team}`,
            );
            return cost.status === 404 || (cost.body?.runs ?? 0) > 0;
          },
          { timeout: 120_000, intervals: [2000] },
        )
        .toBe(true);
      await signIn(page, language);
      await page.goto('/catalog/default/group/payments-data');
      await expect(page.getByText(text.costTitle)).toBeVisible();
      await expect(page.getByText(text.sloTitle)).toBeVisible();
      // What the cards show follows the backend: its numbers, or why there are none.
      await expect(
        page.getByText(
          cost.status === 404 ? text.costNotAvailable : text.costThisPeriod,
          { exact: true },
        ),
      ).toBeVisible();
      if (cost.status === 200) {
        // The demo config gives payments-data a budget; its runs have pods and event logs.
        expect(cost.body.budget).toBeTruthy();
        await expect(page.getByTestId('cost-budget')).toContainText(
          text.budgetFor,
        );
        await expect(page.getByTestId('cost-basis')).toContainText(text.basis);
        if (cost.body.wasted) {
          await expect(page.getByText(text.idle)).toBeVisible();
          await expect(page.getByTestId('cost-wasted')).toBeVisible();
        }
        for (const alert of cost.body.alerts ?? []) {
          await expect(
            page.getByTestId(`cost-alert-${alert.kind}`),
          ).toBeVisible();
        }
      }
      const slo = await api(request, `/api/spark/slo/status?teamRef=${team}`);
      if (slo.status === 404) {
        await expect(page.getByText(text.sloNotConfigured)).toBeVisible();
      } else if (slo.body.items.length === 0) {
        await expect(page.getByText(new RegExp(text.noSlos))).toBeVisible();
      } else {
        await expect(page.getByTestId('spark-slo').first()).toContainText(
          slo.body.items[0].name,
        );
      }
      await screenshot(page, `spark-ui-group-cards-${language}`);
    });

    test('the fleet page lists what fails now and every team’s apps', async ({
      page,
      request,
    }) => {
      test.setTimeout(180_000);
      const apps = await demoApps(request);
      const failed = apps.find(app => app.state === 'FAILED');
      await signIn(page, language);
      await page.goto('/spark');
      await expect(page.getByText(text.failingNow).first()).toBeVisible();
      await expect(
        page.getByRole('heading', { name: text.allApps }),
      ).toBeVisible();
      await expect(
        page.getByRole('link', { name: failed.name }).first(),
      ).toBeVisible();
      await screenshot(page, `spark-ui-fleet-${language}`);
    });
  });
}

test.describe('Spark UI for a user outside a team', () => {
  let portal: StartedPortal | undefined;
  let baseURL = '';

  // A second portal where guest sign-in is Anna Petrova (payments-data only).
  test.beforeAll(async () => {
    test.setTimeout(540_000);
    portal = await startPortal({
      name: 'anna',
      env: {
        APP_CONFIG_auth_providers_guest_userEntityRef:
          'user:default/anna.petrova',
      },
    });
    baseURL = portal.url;
  });

  test.afterAll(async () => {
    if (portal) await stopPortal(portal);
  });

  test('cannot open another team’s app: the page says it is not visible to them', async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    // Anna's own team's runs are visible; other teams' runs are not listed at all.
    const visible = await demoApps(request, baseURL, 2);
    expect(visible.length).toBeGreaterThan(0);
    expect(
      visible.every(app =>
        app.attribution.teamRefs.includes('group:default/payments-data'),
      ),
    ).toBe(true);
    // The main portal (guest in data-platform) knows a run of another team.
    const others = (await demoApps(request)).find(
      app => !app.attribution.teamRefs.includes('group:default/payments-data'),
    );
    expect(others, 'a run of another team').toBeTruthy();

    await signIn(page, 'en', baseURL);
    await page.goto(`${baseURL}/spark/apps/${others.id}`);
    await expect(
      page.getByText('Spark app not found or not visible to you'),
    ).toBeVisible();
    await expect(
      page.getByText(/belongs to a team you are not in/),
    ).toBeVisible();
    await screenshot(page, 'spark-ui-denied-app-en');
  });
});
