import {
  expect,
  test,
  type APIRequestContext,
  type Locator,
  type Page,
} from '@playwright/test';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import {
  startKubeApiserver,
  type RunningKubeApiserver,
} from '../packages/harness/src/kube';
import { installOperatorCrds } from '../plugins/scaffolder-backend-module-spark/src/__testUtils__/kube';
import {
  guestToken,
  harnessClusterEnv,
  screenshot,
  signInAsGuest,
  startPortal,
  stopPortal,
  type StartedPortal,
} from './portal';

/**
 * The Create page against a portal connected to a real kube-apiserver (the harness's, with the
 * spark-operator CRDs): bad parameters are refused by the form with the schema's message and by
 * the API with the field named, a template editor dry-run previews what a run would create,
 * and the Spark job repository template runs to the end without a Git host.
 */

const root = path.resolve(__dirname, '..');
const templatesDir = path.join(root, 'templates');

let kube: RunningKubeApiserver | undefined;
let portal: StartedPortal | undefined;
let baseURL = '';

function shot(page: Page, name: string) {
  return screenshot(page, `create-${name}`);
}

/** Every scaffolder task of the portal (dry-runs are not tasks). */
async function taskIds(request: APIRequestContext): Promise<string[]> {
  const res = await request.get(`${baseURL}/api/scaffolder/v2/tasks`, {
    headers: { authorization: `Bearer ${await guestToken(request, baseURL)}` },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  return (await res.json()).tasks.map((t: { id: string }) => t.id);
}

async function namespaceExists(name: string): Promise<boolean> {
  try {
    await kube!.kubeConfig().makeApiClient(CoreV1Api).readNamespace({ name });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  }
}

/** Opens a template from the Create page's list, as a user does. */
async function chooseTemplate(page: Page, title: string) {
  await page.goto(`${baseURL}/create`);
  const card = page
    .locator('[class*="MuiCard-root"]')
    .filter({ has: page.getByText(title, { exact: true }) });
  await card.getByRole('button', { name: /choose/i }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
}

async function pickOption(page: Page, field: Locator, option: string) {
  await field.click();
  await page.getByRole('option', { name: option }).click();
}

/** The message RJSF shows under a field, from the template's schema. */
function fieldError(page: Page, id: string) {
  return page.locator(`#${id}__error`);
}

/** The browser's own constraint message of an input (number bounds block the form's submit). */
function validationMessage(field: Locator) {
  return field.evaluate(el => (el as HTMLInputElement).validationMessage);
}

/** The files of a template folder, as the template editor reads them from a directory. */
function templateFiles(folder: string) {
  const dir = path.join(templatesDir, folder);
  const files: Array<{ path: string; content: string }> = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        files.push({
          path: path.relative(dir, full),
          content: fs.readFileSync(full, 'utf8'),
        });
    }
  };
  walk(dir);
  return files;
}

/**
 * The template editor loads a local directory through the File System Access API, whose
 * picker is a native dialog: the picker here answers with a directory of the origin-private
 * file system (a real FileSystemDirectoryHandle) holding the template's files.
 */
async function loadTemplateDirectory(page: Page, folder: string) {
  await page.addInitScript(() => {
    (window as any).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('template', {
        create: true,
      });
  });
  await page.goto(`${baseURL}/create/edit`);
  await page.evaluate(async files => {
    const opfs = await navigator.storage.getDirectory();
    await opfs.removeEntry('template', { recursive: true }).catch(() => {});
    const dir = await opfs.getDirectoryHandle('template', { create: true });
    for (const file of files) {
      const parts = file.path.split('/');
      let at = dir;
      for (const part of parts.slice(0, -1)) {
        at = await at.getDirectoryHandle(part, { create: true });
      }
      const handle = await at.getFileHandle(parts[parts.length - 1], {
        create: true,
      });
      const writable = await handle.createWritable();
      await writable.write(file.content);
      await writable.close();
    }
  }, templateFiles(folder));
  await page.getByText('Load Template Directory').click();
  await expect(page.getByText('template.yaml').first()).toBeVisible();
}

test.describe('Create: Spark golden paths', () => {
  test.beforeAll(async () => {
    test.setTimeout(900_000);
    kube = await startKubeApiserver();
    await installOperatorCrds(kube.kubeConfig());
    portal = await startPortal({
      name: 'create',
      env: {
        ...harnessClusterEnv(kube),
        // Guest is in data-platform; its members may provision (spark.preset.provision).
        APP_CONFIG_spark_permissions_adminGroups: JSON.stringify([
          'group:default/spark-sre',
          'group:default/data-platform',
        ]),
      },
    });
    baseURL = portal.url;
  });

  test.afterAll(async () => {
    if (portal) await stopPortal(portal);
    await kube?.stop();
  });

  for (const language of ['en', 'ru'] as const) {
    test(`the form refuses bad parameters with the field's message and nothing is created (${language})`, async ({
      page,
      request,
    }) => {
      test.setTimeout(240_000);
      const tasksBefore = await taskIds(request);
      await signInAsGuest(page, language, baseURL);
      await chooseTemplate(page, 'Batch job via the Spark Operator');
      // The template's texts are the schema's (English); the scaffolder UI is Backstage's own.
      const name = page.locator('#root_name');
      const namespace = page.locator('#root_namespace');
      const next = page.getByRole('button', { name: 'Next' });

      await name.fill('Team_A');
      // An input drops the newline; what is left still is no DNS label.
      await namespace.fill('a\nkind: ClusterRole');
      await pickOption(page, page.locator('#root_owner'), 'Data Platform');
      await next.click();
      await expect(fieldError(page, 'root_name')).toHaveText(
        'must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
      );
      await expect(fieldError(page, 'root_namespace')).toHaveText(
        'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
      );
      await expect(page.getByText(/must match pattern/)).toHaveCount(0);
      await shot(page, `form-names-${language}`);

      await name.fill('a'.repeat(64));
      await namespace.fill('$(rm -rf /)');
      await next.click();
      await expect(fieldError(page, 'root_name')).toHaveText(
        'must be at most 30 characters',
      );
      await expect(fieldError(page, 'root_namespace')).toHaveText(
        /^must be a DNS-1123 label/,
      );
      // Still on the first page.
      await expect(page.locator('#root_executor_memoryGiB')).toHaveCount(0);
      await shot(page, `form-injection-${language}`);

      await name.fill('etl');
      await namespace.fill(`team-e2e-${language}`);
      await next.click();
      const memory = page.locator('#root_executor_memoryGiB');
      const instances = page.locator('#root_executor_instances');
      await expect(memory).toBeVisible();
      // Fields carry the schema's titles and descriptions, not the keys.
      await expect(page.getByLabel('Executors at start')).toBeVisible();
      await memory.fill('-1');
      await next.click();
      expect(await validationMessage(memory)).toMatch(
        /greater than or equal to 1/,
      );
      await shot(page, `form-negative-memory-${language}`);
      await memory.fill('4');
      await instances.fill('100000');
      await next.click();
      expect(await validationMessage(instances)).toMatch(
        /less than or equal to 200/,
      );
      await expect(memory).toBeVisible(); // still on Resources
      await shot(page, `form-huge-instances-${language}`);

      // The API refuses the same values, naming the field; no task, nothing in the cluster.
      const values = {
        name: 'etl',
        namespace: `team-e2e-${language}`,
        owner: 'group:default/data-platform',
        sparkVersion: '4.3.0',
      };
      const auth = {
        authorization: `Bearer ${await guestToken(request, baseURL)}`,
      };
      for (const [bad, field] of [
        [{ name: 'Team_A' }, 'name'],
        [{ namespace: 'a\nkind: ClusterRole' }, 'namespace'],
        [{ executor: { memoryGiB: -1 } }, 'executor'],
        [{ executor: { instances: 100000 } }, 'executor'],
      ] as const) {
        const res = await request.post(`${baseURL}/api/scaffolder/v2/tasks`, {
          headers: auth,
          data: {
            templateRef: 'template:default/spark-batch-spark-operator',
            values: { ...values, ...bad },
          },
        });
        expect(res.status()).toBe(400);
        expect((await res.json()).errors[0].path[0]).toBe(field);
      }
      expect(await taskIds(request)).toEqual(tasksBefore);
      expect(await namespaceExists(`team-e2e-${language}`)).toBe(false);
    });
  }

  test('a dry-run in the template editor previews manifests, findings and cost, and applies nothing', async ({
    page,
    request,
  }) => {
    test.setTimeout(240_000);
    const tasksBefore = await taskIds(request);
    await signInAsGuest(page, 'en', baseURL);
    await loadTemplateDirectory(page, 'batch-spark-operator');
    await page.locator('#root_name').fill('nightly');
    await page.locator('#root_namespace').fill('team-e2e-preview');
    await pickOption(page, page.locator('#root_owner'), 'Data Platform');
    const next = page.getByRole('button', { name: 'Next' });
    for (let i = 0; i < 4; i++) await next.click();
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByText('Executors: Memory (GiB)')).toBeVisible();
    await shot(page, 'editor-review');

    const dryRun = page.waitForResponse(r =>
      r.url().endsWith('/api/scaffolder/v2/dry-run'),
    );
    await page.getByRole('button', { name: 'Create' }).click();
    const response = await dryRun;
    expect(response.status()).toBe(200);
    const body = await response.json();
    const text = Object.fromEntries(
      (body.output.text as Array<{ title: string; content: string }>).map(t => [
        t.title,
        t.content,
      ]),
    );
    expect(text.Validation).toMatch(/^no findings: \d+ objects comply with/);
    expect(text['Estimated cost']).toMatch(/^about \d+\.\d\d USD a month/);
    expect(text.Cluster).toMatch(
      /dry-run apply to harness:\ncreated +Namespace/,
    );
    expect(text.Manifests).toContain(
      'kind: Namespace\nmetadata:\n  name: team-e2e-preview',
    );

    // The preview in the page: the files the run writes, then the output.
    const results = page.locator('div').filter({
      has: page.getByText('Dry-run results'),
    });
    await results.getByText('deploy', { exact: true }).click();
    await results.getByText('manifests.yaml', { exact: true }).click();
    await expect(page.getByText('kind: Namespace').first()).toBeVisible();
    await shot(page, 'editor-dry-run-files');
    await page.getByRole('tab', { name: /output/i }).click();
    await expect(
      page.getByText(/no findings: \d+ objects/).first(),
    ).toBeVisible();
    await expect(
      page.getByText(/about \d+\.\d\d USD a month/).first(),
    ).toBeVisible();
    await shot(page, 'editor-dry-run-output');

    expect(await taskIds(request)).toEqual(tasksBefore);
    expect(await namespaceExists('team-e2e-preview')).toBe(false);
  });

  test('the Spark job repository template runs to the end from the Create page without a Git host', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    await signInAsGuest(page, 'en', baseURL);
    await chooseTemplate(page, 'Spark job repository');
    await page.locator('#root_name').fill('daily-events');
    await page.locator('#root_description').fill('Counts events per day');
    await pickOption(page, page.locator('#root_owner'), 'Payments Data');
    await pickOption(page, page.locator('#root_system'), 'Payments pipelines');
    await page.locator('#root_namespace').fill('team-e2e-jobs');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    // No repository: the picker (which always asks for an owner and a name) is not shown.
    await expect(page.getByLabel('Create a repository')).not.toBeChecked();
    await expect(page.getByText('The name of the repository')).toHaveCount(0);
    await page.getByRole('button', { name: 'Review' }).click();
    await shot(page, 'job-repo-review');
    await page.getByRole('button', { name: 'Create' }).click();

    await expect(page).toHaveURL(/\/create\/tasks\//);
    // Render, validate, cost and apply ran; publish and register were skipped.
    await expect(
      page.getByText(/no findings: \d+ objects comply with restricted/),
    ).toBeVisible({ timeout: 180_000 });
    await shot(page, 'job-repo-task');
    await page.getByRole('button', { name: 'Estimated cost' }).click();
    await expect(page.getByText(/about \d+\.\d\d USD a month/)).toBeVisible();
    await page.getByRole('button', { name: 'Cluster' }).click();
    await expect(
      page
        .getByText(/created +ScheduledSparkApplication team-e2e-jobs\//)
        .last(),
    ).toBeVisible();
    await shot(page, 'job-repo-task-cluster');

    expect(await namespaceExists('team-e2e-jobs')).toBe(true);
    const apps = await kube!
      .kubeConfig()
      .makeApiClient(CustomObjectsApi)
      .listNamespacedCustomObject({
        group: 'sparkoperator.k8s.io',
        version: 'v1beta2',
        namespace: 'team-e2e-jobs',
        plural: 'scheduledsparkapplications',
      });
    expect(
      (apps as { items: Array<{ metadata: { name: string } }> }).items.map(
        a => a.metadata.name,
      ),
    ).toEqual(['daily-events-scheduled']);
  });
});
