import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import {
  harnessKubernetesConfig,
  sparkInstall,
  sparkVersions,
  startKubeApiserver,
  type RunningKubeApiserver,
} from '@spark-k8s/harness';
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { installOperatorCrds } from '../__testUtils__/kube';
import { PRESETS_DIR, presets } from '../__testUtils__/presets';
import { scaffolderModuleSpark } from '../module';

jest.setTimeout(600_000);

const TEMPLATES_DIR = path.resolve(__dirname, '../../../../templates');
const auth = { Authorization: mockCredentials.user.header() };
const INTRUDER = 'user:default/intruder';
const run = promisify(execFile);

/** Form values that satisfy every template: each gets its own name and namespace. */
function valuesFor(template: string, index: number) {
  const preset =
    template === 'spark-job-repo'
      ? 'batch-spark-operator'
      : template.replace(/^spark-/, '');
  const versions = presets.get(preset)!.sparkVersions;
  const common = {
    name: `env-${index}`,
    namespace: `tpl-${index}-${preset}`.slice(0, 63),
    owner: 'group:default/team-a',
    sparkVersion: versions[index % versions.length],
    quota: { cpu: 400, memoryGiB: 2048, gpus: 16 },
  };
  if (template === 'spark-job-repo') {
    return {
      ...common,
      description: 'Counts events per day',
      system: 'system:default/payments-pipelines',
      schedule: '0 4 * * *',
    };
  }
  return {
    ...common,
    storage: {
      endpoint: 'http://minio.storage:9000',
      eventLogDir: 's3a://spark-events/team-a',
      warehouseDir: 's3a://lake/team-a',
      backupDir: 's3a://backups/team-a',
    },
  };
}

/** The template's folder as the template editor sends it with a dry-run. */
function directoryContents(templateDir: string) {
  const files: Array<{ path: string; base64Content: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else
        files.push({
          path: path.relative(templateDir, full),
          base64Content: fs.readFileSync(full).toString('base64'),
        });
    }
  };
  walk(templateDir);
  return files;
}

/**
 * The job repository the template writes is a working one: its job runs on the real Spark of
 * the chosen version and its test module compiles.
 */
async function expectJobRepoRuns(
  contents: Array<{ path: string; base64Content: string }>,
  sparkVersion: string,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-job-repo-'));
  for (const file of contents) {
    fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    fs.writeFileSync(
      path.join(dir, file.path),
      Buffer.from(file.base64Content, 'base64'),
    );
  }
  expect(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8')).toContain(
    `pyspark==${sparkVersion}`,
  );
  // The workflow keeps its GitHub expressions (copied without templating).
  expect(
    fs.readFileSync(path.join(dir, '.github/workflows/ci.yaml'), 'utf8'),
  ).toContain('${{ secrets.GITHUB_TOKEN }}');
  const install = sparkInstall(sparkVersions.spark4);
  await run(
    install.python,
    ['-m', 'py_compile', 'src/job.py', 'tests/test_job.py'],
    { cwd: dir },
  );
  const { stdout } = await run(
    install.sparkSubmit,
    ['--master', 'local[1]', '--conf', 'spark.ui.enabled=false', 'src/job.py'],
    {
      cwd: dir,
      env: {
        ...process.env,
        JAVA_HOME: install.javaHome,
        SPARK_HOME: install.sparkHome,
        SPARK_LOCAL_IP: '127.0.0.1',
        PYSPARK_PYTHON: install.python,
      },
      timeout: 300_000,
    },
  );
  expect(stdout).toMatch(/\|\s*2026-01-01\s*\|\s*click\s*\|\s*1\s*\|/);
  expect(stdout).toMatch(/\|\s*2026-01-01\s*\|\s*view\s*\|\s*1\s*\|/);
}

const templates = fs
  .readdirSync(TEMPLATES_DIR, { withFileTypes: true })
  .filter(
    e =>
      e.isDirectory() &&
      fs.existsSync(path.join(TEMPLATES_DIR, e.name, 'template.yaml')),
  )
  .map(e => e.name)
  .sort();

describe('golden-path templates through the scaffolder HTTP API', () => {
  let kube: RunningKubeApiserver;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    kube = await startKubeApiserver();
    await installOperatorCrds(kube.kubeConfig());
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        catalogPlugin,
        catalogModuleTemplateKind,
        scaffolderModuleSpark,
        // Everyone may do everything, except that user:default/intruder may not provision.
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () => ({
            authorize: async (requests, options) =>
              requests.map(r => ({
                result:
                  r.permission.name === 'spark.preset.provision' &&
                  (options?.credentials.principal as { userEntityRef?: string })
                    .userEntityRef === INTRUDER
                    ? AuthorizeResult.DENY
                    : AuthorizeResult.ALLOW,
              })),
            authorizeConditional: async requests =>
              requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Template', 'Location', 'Component'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(TEMPLATES_DIR, 'catalog-info.yaml'),
                },
              ],
            },
            kubernetes: harnessKubernetesConfig(kube),
            spark: { presets: { directory: PRESETS_DIR } },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    // The catalog ingests the templates from their Location.
    for (let i = 0; ; i++) {
      const res = await request(server)
        .get('/api/catalog/entities/by-query?filter=kind=template')
        .set(auth);
      if (res.status === 200 && res.body.items?.length === templates.length)
        break;
      if (i > 600)
        throw new Error(
          `catalog never listed ${templates.length} templates: ${JSON.stringify(
            res.body,
          ).slice(0, 500)}`,
        );
      await new Promise(r => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await stop?.();
    await kube?.stop();
  });

  async function runTask(
    templateName: string,
    values: Record<string, unknown>,
    headers: Record<string, string> = auth,
  ) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set(headers)
      .send({ templateRef: `template:default/${templateName}`, values });
    if (created.status !== 201) return { created, task: undefined, events: [] };
    for (;;) {
      const task = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set(auth);
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
          .set(auth);
        return { created, task: task.body, events: events.body as any[] };
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }

  it('lists one template per preset plus the job repo template', () => {
    expect(templates).toEqual([...presets.keys(), 'spark-job-repo'].sort());
  });

  it.each(templates.map((t, i) => [t, i] as [string, number]))(
    '%s: dry-run previews manifests, findings and cost; a real run creates the objects',
    async (folder, index) => {
      const file = path.join(TEMPLATES_DIR, folder, 'template.yaml');
      const template = parse(fs.readFileSync(file, 'utf8'));
      const values = valuesFor(folder, index);
      const kc = kube.kubeConfig();

      const dry = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set(auth)
        .send({
          template,
          values,
          secrets: {},
          directoryContents: directoryContents(path.dirname(file)),
        });
      expect(dry.status).toBe(200);
      const text = Object.fromEntries(
        (dry.body.output.text as Array<{ title: string; content: string }>).map(
          t => [t.title, t.content],
        ),
      );
      expect(text.Validation).toMatch(/^no findings: \d+ objects comply with/);
      expect(text['Estimated cost']).toMatch(/^about \d+\.\d\d USD a month/);
      expect(text.Manifests).toContain(
        `kind: Namespace\nmetadata:\n  name: ${values.namespace}`,
      );
      expect(text.Cluster).toMatch(
        /^```\ndry-run apply to harness:\ncreated +Namespace /,
      );
      const files = (dry.body.directoryContents as Array<{ path: string }>).map(
        f => f.path,
      );
      expect(files).toEqual(
        expect.arrayContaining(['catalog-info.yaml', 'deploy/manifests.yaml']),
      );
      if (folder === 'spark-job-repo') {
        await expectJobRepoRuns(
          dry.body.directoryContents,
          values.sparkVersion,
        );
      }
      await expect(
        kc.makeApiClient(CoreV1Api).readNamespace({ name: values.namespace }),
      ).rejects.toMatchObject({ code: 404 });

      const { created, task, events } = await runTask(
        template.metadata.name,
        values,
      );
      expect(created.status).toBe(201);
      expect({
        status: task.status,
        errors: events.filter(e => e.body?.error).map(e => e.body.error),
      }).toEqual({ status: 'completed', errors: [] });

      // The objects exist afterwards, labelled for the Kubernetes plugin and the data plane.
      const objects = KubernetesObjectApi.makeApiClient(kc);
      const manifests = parseAllDocuments(
        text.Manifests.replace(/^```yaml\n/, '').replace(/\n```$/, ''),
      ).map(d => d.toJS());
      expect(manifests.length).toBeGreaterThan(8);
      for (const o of manifests) {
        const stored = await objects.read({
          apiVersion: o.apiVersion,
          kind: o.kind,
          metadata: { name: o.metadata.name, namespace: o.metadata.namespace },
        });
        expect(stored.metadata?.labels?.['backstage.io/kubernetes-id']).toBe(
          values.name,
        );
      }
      const catalogInfo = (
        dry.body.directoryContents as Array<{
          path: string;
          base64Content: string;
        }>
      ).find(f => f.path === 'catalog-info.yaml')!;
      const entity = parse(
        Buffer.from(catalogInfo.base64Content, 'base64').toString('utf8'),
      );
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/kubernetes-id': values.name,
        'backstage.io/kubernetes-namespace': values.namespace,
        'backstage.io/kubernetes-label-selector': expect.stringContaining(
          values.name,
        ),
      });
      expect(entity.spec.owner).toBe('group:default/team-a');
      const namespace = await kc
        .makeApiClient(CoreV1Api)
        .readNamespace({ name: values.namespace });
      expect(
        namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce'],
      ).toBe('restricted');
      const quota = await objects.read({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: `${values.name}-quota`, namespace: values.namespace },
      });
      expect(quota.metadata?.labels?.['backstage.io/kubernetes-id']).toBe(
        values.name,
      );
    },
  );

  it('rejects bad parameters with the field named, and applies nothing', async () => {
    const bad: Array<[Record<string, unknown>, string[], RegExp]> = [
      [{ namespace: 'Team_A' }, ['namespace'], /does not match pattern/],
      [{ name: 'x\nkind: Secret' }, ['name'], /does not match pattern/],
      [
        { executor: { cores: -1 } },
        ['executor', 'cores'],
        /greater than or equal to 1/,
      ],
      [
        { executor: { memoryGiB: 100000 } },
        ['executor', 'memoryGiB'],
        /less than or equal to 256/,
      ],
      [
        { storage: { eventLogDir: 's3a://bucket/x; rm -rf /' } },
        ['storage', 'eventLogDir'],
        /does not match pattern/,
      ],
      [
        { driver: { cores: 1, privileged: true } },
        ['driver'],
        /is not allowed to have the additional property "privileged"/,
      ],
    ];
    for (const [i, [override, field, message]] of bad.entries()) {
      const values = {
        ...valuesFor('spark-history-server', 100 + i),
        ...override,
      };
      const res = await request(server)
        .post('/api/scaffolder/v2/tasks')
        .set(auth)
        .send({ templateRef: 'template:default/spark-history-server', values });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          path: field,
          message: expect.stringMatching(message),
        }),
      ]);
      await expect(
        kube
          .kubeConfig()
          .makeApiClient(CoreV1Api)
          .readNamespace({ name: values.namespace }),
      ).rejects.toMatchObject({ code: 404 });
    }
    // Ticking "Create a repository" asks for one: no repository, no task.
    const withoutRepo = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set(auth)
      .send({
        templateRef: 'template:default/spark-history-server',
        values: {
          ...valuesFor('spark-history-server', 110),
          createRepository: true,
        },
      });
    expect(withoutRepo.status).toBe(400);
    expect(withoutRepo.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message:
            'does not meet dependency required by instance.createRepository',
        }),
      ]),
    );
    // Passes the form's schema but not the cross-field check: the task fails in render.
    const values = {
      ...valuesFor('spark-batch-spark-operator', 120),
      executor: { instances: 8, maxInstances: 2 },
    };
    const { task, events } = await runTask(
      'spark-batch-spark-operator',
      values,
    );
    expect(task.status).toBe('failed');
    expect(events.map(e => e.body?.message ?? '').join('\n')).toContain(
      'executor.maxInstances must be at least executor.instances (8)',
    );
    await expect(
      kube
        .kubeConfig()
        .makeApiClient(CoreV1Api)
        .readNamespace({ name: values.namespace }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('refuses to provision without spark.preset.provision, and applies nothing', async () => {
    const values = valuesFor('spark-batch-spark-operator', 130);
    const { task, events } = await runTask(
      'spark-batch-spark-operator',
      values,
      {
        Authorization: mockCredentials.user.header(INTRUDER),
      },
    );
    expect(task.status).toBe('failed');
    expect(events.map(e => e.body?.message ?? '').join('\n')).toContain(
      'not allowed to provision Spark presets (permission spark.preset.provision)',
    );
    await expect(
      kube
        .kubeConfig()
        .makeApiClient(CoreV1Api)
        .readNamespace({ name: values.namespace }),
    ).rejects.toMatchObject({ code: 404 });
  });
});
