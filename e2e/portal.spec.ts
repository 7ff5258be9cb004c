import { expect, test, type Page } from '@playwright/test';
import { guestToken } from './portal';
import fs from 'node:fs';
import path from 'node:path';

const screenshots = path.resolve(
  __dirname,
  '..',
  'test-results',
  'screenshots',
);
const demoTeams = [
  'payments-data',
  'growth-analytics',
  'ml-features',
  'spark-sre',
];

/**
 * TechDocs keeps the generated page at opacity 0 until every stylesheet it links has loaded
 * (a web-font link that cannot load keeps it invisible), and toBeVisible() ignores opacity.
 */
async function expectDocsShown(page: Page) {
  await expect(page.locator('html.no-js')).toHaveCSS('opacity', '1');
}

test('the backend starts cleanly and serves the demo catalog', async ({
  request,
}) => {
  const health = await request.get('/.backstage/health/v1/readiness');
  expect(health.ok()).toBeTruthy();

  const token = await guestToken(request);
  // The catalog ingests the demo entities shortly after start.
  await expect
    .poll(
      async () => {
        const res = await request.get(
          '/api/catalog/entities?filter=kind=group',
          {
            headers: { authorization: `Bearer ${token}` },
          },
        );
        expect(res.ok()).toBeTruthy();
        return (await res.json()).map((e: any) => e.metadata.name);
      },
      { timeout: 60_000 },
    )
    .toEqual(expect.arrayContaining(demoTeams));

  // A version mismatch between Backstage packages shows up as plugin start-up errors.
  const log = fs.readFileSync(process.env.PORTAL_LOG ?? '', 'utf8');
  expect(log).not.toMatch(
    /is not a function|Plugin '[^']+' startup failed|BackendInitializationError/,
  );
});

test('the portal home and catalog render the demo teams in Chromium', async ({
  page,
}) => {
  fs.mkdirSync(screenshots, { recursive: true });
  await page.goto('/');
  // Guest sign-in of the embedded default.
  await page.getByRole('button', { name: /enter/i }).click();
  await expect(
    page
      .getByText('settlement-etl')
      .or(page.getByText('Daily settlement ETL'))
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: path.join(screenshots, 'home-catalog.png'),
    fullPage: true,
  });

  // The catalog is the portal's home page (app-config.yaml).
  await page.goto('/?filters%5Bkind%5D=group');
  for (const team of demoTeams) {
    await expect(
      page
        .getByRole('link', { name: new RegExp(team.replace('-', '.'), 'i') })
        .first(),
    ).toBeVisible();
  }
  await page.screenshot({
    path: path.join(screenshots, 'catalog-teams.png'),
    fullPage: true,
  });
});

test('TechDocs builds and serves the runbooks site with the local generator', async ({
  page,
}) => {
  test.setTimeout(180_000);
  fs.mkdirSync(screenshots, { recursive: true });
  await page.goto('/docs/default/component/spark-runbooks');
  await page.getByRole('button', { name: /enter/i }).click();
  // The first visit triggers a local mkdocs build; TechDocs shows the page once it is published.
  // Text of the generated page itself (the header above it shows the entity title only).
  await expect(
    page.getByText('Each runbook has a stable id, exists in both languages'),
  ).toBeVisible({ timeout: 120_000 });
  await expectDocsShown(page);
  await page.screenshot({
    path: path.join(screenshots, 'techdocs-runbooks.png'),
  });

  await page.goto('/docs/default/component/spark-runbooks/ru/');
  await expect(
    page.getByText('Эксплуатационные ранбуки для Spark в Kubernetes', {
      exact: false,
    }),
  ).toBeVisible();
  await expectDocsShown(page);
  await page.screenshot({
    path: path.join(screenshots, 'techdocs-runbooks-ru.png'),
  });
});
