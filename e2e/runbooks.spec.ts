import { expect, test, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { getRunbook, runbookPath } from '../plugins/spark-common/src/runbooks';

const screenshots = path.resolve(
  __dirname,
  '..',
  'test-results',
  'screenshots',
);

/** TechDocs shows the generated page (opacity 1) once all its stylesheets have loaded. */
async function expectDocsShown(page: Page) {
  await expect(page.locator('html.no-js')).toHaveCSS('opacity', '1');
}

test('the portal serves a runbook in TechDocs in English and in Russian, linked to each other', async ({
  page,
}) => {
  test.setTimeout(240_000);
  fs.mkdirSync(screenshots, { recursive: true });
  const runbook = getRunbook('executor-oom-killed');

  await page.goto(runbookPath(runbook.id, 'en'));
  await page.getByRole('button', { name: /enter/i }).click();
  // The first visit may trigger the local mkdocs build of the whole runbooks site.
  await expect(
    page.getByRole('heading', { level: 1, name: runbook.title.en }),
  ).toBeVisible({ timeout: 180_000 });
  await expectDocsShown(page);
  for (const section of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation']) {
    await expect(
      page.getByRole('heading', { level: 2, name: section }),
    ).toBeVisible();
  }
  await expect(
    page.getByText('spark.executor.memoryOverhead').first(),
  ).toBeVisible();
  await page.screenshot({
    path: path.join(screenshots, 'runbook-executor-oom-killed-en.png'),
  });

  // The language switch under the title leads to the same runbook in Russian.
  await page.getByRole('link', { name: 'Русская версия' }).click();
  await expect(page).toHaveURL(
    new RegExp(`${runbookPath(runbook.id, 'ru')}?$`),
  );
  await expect(
    page.getByRole('heading', { level: 1, name: runbook.title.ru }),
  ).toBeVisible();
  await expectDocsShown(page);
  for (const section of ['Значение', 'Влияние', 'Диагностика', 'Устранение']) {
    await expect(
      page.getByRole('heading', { level: 2, name: section }),
    ).toBeVisible();
  }
  await expect(
    page.getByText('Контейнер executor-а превысил лимит памяти', {
      exact: false,
    }),
  ).toBeVisible();
  await page.screenshot({
    path: path.join(screenshots, 'runbook-executor-oom-killed-ru.png'),
  });

  await page.getByRole('link', { name: 'English version' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: runbook.title.en }),
  ).toBeVisible();
});
