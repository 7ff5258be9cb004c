import { mockServices } from '@backstage/backend-test-utils';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  loadAllYaml,
  V1Pod,
} from '@kubernetes/client-node';
import {
  createNamespace,
  freePort,
  installCrds,
  type RunningKubeApiserver,
  startKubeApiserver,
} from '@spark-k8s/harness';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MemoryIngestStore } from './__testUtils__/MemoryIngestStore';
import {
  KubernetesSource,
  type KubernetesSourceOptions,
} from './KubernetesSource';
import { resourceOf } from './resources';

jest.setTimeout(400_000);

const fixtures = path.join(__dirname, '__fixtures__');

function load(...parts: string[]): any[] {
  return loadAllYaml(fs.readFileSync(path.join(fixtures, ...parts), 'utf8'));
}

const PODS = 'pods/v1';
const KUBEFLOW_APPS = 'sparkapplications.sparkoperator.k8s.io/v1beta2';
const KUBEFLOW_SCHEDULED =
  'scheduledsparkapplications.sparkoperator.k8s.io/v1beta2';
const APACHE_APPS = 'sparkapplications.spark.apache.org/v1';
const APACHE_CLUSTERS = 'sparkclusters.spark.apache.org/v1';

describe('KubernetesSource against a real kube-apiserver', () => {
  let kube: RunningKubeApiserver;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  const logger = mockServices.logger.mock();

  function source(
    name: string,
    options: Partial<KubernetesSourceOptions> & {
      token?: string;
      url?: string;
    } = {},
  ): KubernetesSource {
    const { token, url, ...rest } = options;
    return new KubernetesSource({
      cluster: {
        name,
        url: url ?? kube.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: token ?? kube.adminToken,
        caData: Buffer.from(kube.caPem).toString('base64'),
        skipTLSVerify: false,
      },
      watchMs: 1500,
      pageSize: 2,
      requestTimeoutMs: 5000,
      ...rest,
    });
  }

  async function run(s: KubernetesSource, store: MemoryIngestStore) {
    await s.run({ store, logger, signal: new AbortController().signal });
    return s.lastRun!;
  }

  /** Creates an object as a controller would leave it: spec first, then status via the subresource. */
  async function createWithStatus(object: any): Promise<void> {
    const { status, ...rest } = object;
    const metadata = { ...rest.metadata };
    delete metadata.uid;
    delete metadata.creationTimestamp;
    delete metadata.resourceVersion;
    const body = { ...rest, metadata };
    const namespace = metadata.namespace;
    if (object.kind === 'Pod') {
      const created = await core.createNamespacedPod({ namespace, body });
      if (status) {
        await core.replaceNamespacedPodStatus({
          name: metadata.name,
          namespace,
          body: { ...created, status } as V1Pod,
        });
      }
      return;
    }
    const resource = resourceOf(object.apiVersion, object.kind)!;
    const target = {
      group: resource.group,
      version: resource.version,
      plural: resource.plural,
      namespace,
    };
    const created = await custom.createNamespacedCustomObject({
      ...target,
      body,
    });
    if (status) {
      await custom.replaceNamespacedCustomObjectStatus({
        ...target,
        name: metadata.name,
        body: { ...created, status },
      });
    }
  }

  async function setPodStatus(namespace: string, name: string, status: object) {
    const pod = await core.readNamespacedPod({ name, namespace });
    await core.replaceNamespacedPodStatus({
      name,
      namespace,
      body: { ...pod, status: status as V1Pod['status'] },
    });
  }

  beforeAll(async () => {
    kube = await startKubeApiserver();
    kc = kube.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    for (const namespace of ['payments', 'analytics', 'marketing']) {
      await createNamespace(kc, namespace);
      await core.createNamespacedServiceAccount({
        namespace,
        body: { metadata: { name: 'spark' } },
      });
    }
    // The kubeflow group exists, but only in a version the source does not read.
    await installCrds(
      kc,
      load('crds', 'sparkoperator.k8s.io-v1beta3-only.yaml'),
    );
    for (const object of load('objects', 'spark-submit.yaml')) {
      await createWithStatus(object);
    }
  });

  afterAll(async () => {
    await kube?.stop();
  });

  it('warns about a missing CRD group and an unknown version, and still ingests pods', async () => {
    const store = new MemoryIngestStore();
    const stats = await run(source('bare'), store);

    const outcome = store.lastRun('kubernetes:bare')!;
    expect(outcome.error).toBeUndefined();
    expect(outcome.warnings).toEqual(
      expect.arrayContaining([
        {
          item: KUBEFLOW_APPS,
          message: expect.stringMatching(
            /serves sparkoperator\.k8s\.io only in version\(s\) v1beta3, which the Spark source does not read/,
          ),
        },
        {
          item: APACHE_APPS,
          message: expect.stringMatching(/no API group spark\.apache\.org/),
        },
        {
          item: APACHE_CLUSTERS,
          message: expect.stringMatching(/no API group spark\.apache\.org/),
        },
      ]),
    );
    expect(outcome.warnings).toHaveLength(4);
    expect(stats.resources[KUBEFLOW_SCHEDULED].warning).toMatch(/v1beta3/);

    expect(stats.resources[PODS]).toMatchObject({ mode: 'list', listed: 4 });
    expect(
      store
        .objectsOf('bare', 'Pod')
        .map(p => p.name)
        .sort(),
    ).toEqual([
      'sessionize-7d0e1f2a3b4c5d6e-driver',
      'sessionize-7d0e1f2a3b4c5d6e-exec-1',
      'sessionize-7d0e1f2a3b4c5d6e-exec-2',
      'settlement-etl-3f1c9e2ab4d84f0c-driver',
    ]);
    expect(
      store.report('kubernetes:bare', 'spark-3f1c9e2ab4d84f0c9a7d5e6b1c2d3e4f'),
    ).toMatchObject({
      state: 'SUCCEEDED',
      cluster: 'bare',
      namespace: 'payments',
      name: 'settlement-etl',
      endTime: Date.parse('2026-11-20T02:21:40Z'),
    });
  });

  describe('with both operators installed', () => {
    const store = new MemoryIngestStore();

    beforeAll(async () => {
      await installCrds(kc, load('crds', 'sparkoperator.k8s.io.yaml'));
      await installCrds(kc, load('crds', 'spark.apache.org.yaml'));
      for (const file of [
        'kubeflow-driver-oom.yaml',
        'apache-operator.yaml',
        'pod-problems.yaml',
      ]) {
        for (const object of load('objects', file)) {
          await createWithStatus(object);
        }
      }
      // More SparkApplications than fit on two pages of two.
      for (let i = 0; i < 5; i++) {
        await createWithStatus({
          apiVersion: 'sparkoperator.k8s.io/v1beta2',
          kind: 'SparkApplication',
          metadata: { name: `hourly-${i}`, namespace: 'analytics' },
          spec: { type: 'Scala', mode: 'cluster', sparkVersion: '4.0.1' },
          status: {
            applicationState: { state: 'RUNNING' },
            sparkApplicationId: `spark-hourly${i}`,
            submissionAttempts: 1,
            executionAttempts: 1,
            lastSubmissionAttemptTime: '2026-11-20T08:00:00Z',
          },
        });
      }
    });

    it('lists every resource page by page and reports apps', async () => {
      const stats = await run(source('main'), store);
      const outcome = store.lastRun('kubernetes:main')!;
      expect(outcome.error).toBeUndefined();
      expect(outcome.warnings).toEqual([]);

      expect(stats.resources[KUBEFLOW_APPS]).toMatchObject({
        mode: 'list',
        lists: 1,
        listed: 6,
        pages: 3,
      });
      expect(stats.resources[PODS]).toMatchObject({ mode: 'list', listed: 11 });
      expect(stats.resources[PODS].pages).toBeGreaterThanOrEqual(6);
      expect(stats.resources[APACHE_APPS]).toMatchObject({ listed: 3 });
      expect(stats.resources[APACHE_CLUSTERS]).toMatchObject({ listed: 1 });
      expect(stats.resources[KUBEFLOW_SCHEDULED]).toMatchObject({ listed: 1 });
      for (const key of [PODS, KUBEFLOW_APPS, APACHE_APPS, APACHE_CLUSTERS]) {
        expect(store.checkpoints.get(`kubernetes:main|rv:${key}`)).toEqual({
          resourceVersion: stats.resources[key].resourceVersion,
        });
      }

      const driver = store.object(
        'main',
        'Pod',
        'payments',
        'nightly-aggregation-1763600400-driver',
      )!;
      expect(driver).toMatchObject({
        state: 'FAILED',
        rawState: 'Failed',
        appId: 'spark-8a1b2c3d4e5f40718293a4b5c6d7e8f9',
      });
      expect(driver.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(driver.details).toMatchObject({
        nodeName: 'ip-10-0-3-17.eu-west-1.compute.internal',
        requests: { cpu: 1, memoryBytes: 2432 * 2 ** 20 },
        containers: [
          expect.objectContaining({ reason: 'OOMKilled', exitCode: 137 }),
        ],
      });
      expect(
        store.object(
          'main',
          'SparkApplication.sparkoperator.k8s.io',
          'analytics',
          'hourly-4',
        ),
      ).toMatchObject({ state: 'RUNNING', appId: 'spark-hourly4' });
      expect(
        store.object(
          'main',
          'SparkCluster.spark.apache.org',
          'analytics',
          'shared-standalone',
        ),
      ).toMatchObject({ state: 'RUNNING' });

      expect(
        store.report(
          'kubernetes:main',
          'spark-8a1b2c3d4e5f40718293a4b5c6d7e8f9',
        ),
      ).toMatchObject({
        state: 'FAILED',
        complete: true,
        namespace: 'payments',
        failureReason:
          'driver container OOMKilled (exit code 137); executors: 1 × JVM OutOfMemoryError (exit code 52)',
        labels: expect.objectContaining({
          'backstage.io/kubernetes-id': 'nightly-aggregation',
        }),
        failures: expect.arrayContaining([
          expect.objectContaining({ scope: 'operator', reason: 'FAILED' }),
          expect.objectContaining({
            scope: 'pod',
            reason: 'OOMKilled',
            exitCode: 137,
          }),
          expect.objectContaining({
            scope: 'pod',
            reason: 'exit code 52',
            exitCode: 52,
          }),
        ]),
      });
      expect(store.report('kubernetes:main', 'pi-0')).toMatchObject({
        state: 'SUCCEEDED',
        sparkVersion: '4.0.1',
      });
      expect(
        store.report('kubernetes:main', 'clickstream-sessions-1'),
      ).toMatchObject({
        state: 'RUNNING',
      });
      expect(
        store.report('kubernetes:main', 'ingest-orders-20261120'),
      ).toMatchObject({
        state: 'FAILED',
        failureReason: expect.stringMatching(
          /^driver container OOMKilled \(exit code 137\)/,
        ),
      });
      expect(
        store.report(
          'kubernetes:main',
          'spark-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d',
        ),
      ).toMatchObject({
        state: 'PENDING',
        failures: [expect.objectContaining({ reason: 'ImagePullBackOff' })],
      });
      expect(
        store.report(
          'kubernetes:main',
          'spark-7d0e1f2a3b4c5d6e7f8091a2b3c4d5e6',
        ),
      ).toMatchObject({ state: 'RUNNING' });
    });

    it('resumes from the stored resourceVersion: changes and deletions arrive by watch, without a list', async () => {
      // Changes while no run is watching.
      await setPodStatus('analytics', 'sessionize-7d0e1f2a3b4c5d6e-driver', {
        phase: 'Failed',
        startTime: '2026-11-20T03:00:00Z',
        containerStatuses: [
          {
            name: 'spark-kubernetes-driver',
            image: 'registry.example.com/spark:4.0.1',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                startedAt: '2026-11-20T03:00:05Z',
                finishedAt: '2026-11-20T03:30:00Z',
              },
            },
          },
          {
            name: 'log-shipper',
            image: 'registry.example.com/fluent-bit:3.1',
            imageID: '',
            ready: false,
            restartCount: 2,
            state: {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: '2026-11-20T03:20:02Z',
                finishedAt: '2026-11-20T03:30:01Z',
              },
            },
          },
        ],
      });
      await core.deleteNamespacedPod({
        name: 'sessionize-7d0e1f2a3b4c5d6e-exec-2',
        namespace: 'analytics',
        gracePeriodSeconds: 0,
      });
      await custom.deleteNamespacedCustomObject({
        group: 'sparkoperator.k8s.io',
        version: 'v1beta2',
        plural: 'sparkapplications',
        namespace: 'analytics',
        name: 'hourly-0',
      });
      const clickstream = await custom.getNamespacedCustomObjectStatus({
        group: 'spark.apache.org',
        version: 'v1',
        plural: 'sparkapplications',
        namespace: 'analytics',
        name: 'clickstream-sessions',
      });
      clickstream.status.currentState = {
        currentStateSummary: 'Succeeded',
        lastTransitionTime: '2026-11-20T05:40:00Z',
        message: 'Spark application completed successfully.',
      };
      clickstream.status.stateTransitionHistory['8'] =
        clickstream.status.currentState;
      await custom.replaceNamespacedCustomObjectStatus({
        group: 'spark.apache.org',
        version: 'v1',
        plural: 'sparkapplications',
        namespace: 'analytics',
        name: 'clickstream-sessions',
        body: clickstream,
      });
      await createWithStatus({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'late-7e1f-driver',
          namespace: 'marketing',
          labels: {
            'spark-role': 'driver',
            'spark-app-selector': 'spark-late',
            'spark-app-name': 'late',
          },
        },
        spec: {
          restartPolicy: 'Never',
          nodeName: 'ip-10-0-6-2.eu-west-1.compute.internal',
          containers: [
            { name: 'spark-kubernetes-driver', image: 'spark:4.0.1' },
          ],
        },
        status: {
          phase: 'Running',
          startTime: new Date('2026-11-20T09:00:00Z'),
          containerStatuses: [
            {
              name: 'spark-kubernetes-driver',
              image: 'spark:4.0.1',
              imageID: '',
              ready: true,
              restartCount: 0,
              state: {
                running: { startedAt: new Date('2026-11-20T09:00:02Z') },
              },
            },
          ],
        },
      });

      // A new source object: all it knows comes from the store.
      const stats = await run(source('main'), store);
      expect(store.lastRun('kubernetes:main')!.error).toBeUndefined();
      for (const key of [
        PODS,
        KUBEFLOW_APPS,
        KUBEFLOW_SCHEDULED,
        APACHE_APPS,
        APACHE_CLUSTERS,
      ]) {
        expect(stats.resources[key]).toMatchObject({
          mode: 'resume',
          lists: 0,
          pages: 0,
        });
      }
      expect(stats.resources[PODS].events).toBeGreaterThanOrEqual(3);
      expect(stats.resources[KUBEFLOW_APPS].events).toBeGreaterThanOrEqual(1);

      expect(
        store.object(
          'main',
          'Pod',
          'analytics',
          'sessionize-7d0e1f2a3b4c5d6e-exec-2',
        ),
      ).toBeUndefined();
      expect(
        store.object(
          'main',
          'SparkApplication.sparkoperator.k8s.io',
          'analytics',
          'hourly-0',
        ),
      ).toBeUndefined();
      expect(
        store.object('main', 'Pod', 'marketing', 'late-7e1f-driver'),
      ).toMatchObject({
        state: 'RUNNING',
        appId: 'spark-late',
      });
      expect(store.report('kubernetes:main', 'spark-late')).toMatchObject({
        state: 'RUNNING',
        name: 'late',
      });
      expect(
        store.report(
          'kubernetes:main',
          'spark-7d0e1f2a3b4c5d6e7f8091a2b3c4d5e6',
        ),
      ).toMatchObject({
        state: 'FAILED',
        endTime: Date.parse('2026-11-20T03:30:00Z'),
        failureReason:
          'driver container exited with code 1 (Error); executors: 1 × JVM OutOfMemoryError (exit code 52)',
      });
      expect(
        store.report('kubernetes:main', 'clickstream-sessions-1'),
      ).toMatchObject({
        state: 'SUCCEEDED',
        endTime: Date.parse('2026-11-20T05:40:00Z'),
      });
    });

    it('applies changes made while it watches', async () => {
      const s = source('main', { watchMs: 6000 });
      const running = run(s, store);
      await new Promise(r => setTimeout(r, 2500));
      await core.deleteNamespacedPod({
        name: 'late-7e1f-driver',
        namespace: 'marketing',
        gracePeriodSeconds: 0,
      });
      await running;
      expect(store.lastRun('kubernetes:main')!.error).toBeUndefined();
      expect(
        store.object('main', 'Pod', 'marketing', 'late-7e1f-driver'),
      ).toBeUndefined();
      // Gone from the cluster: its last report stays, its contributions go.
      expect(store.report('kubernetes:main', 'spark-late')).toMatchObject({
        state: 'UNKNOWN',
      });
      expect(store.checkpoints.has('kubernetes:main|app:spark-late')).toBe(
        false,
      );
    });

    it('stops watching when the run is aborted', async () => {
      const controller = new AbortController();
      // Far longer than the test may take: only the abort ends this run.
      const s = source('main', { watchMs: 3_600_000 });
      const running = s.run({ store, logger, signal: controller.signal });
      await new Promise(r => setTimeout(r, 1000));
      controller.abort();
      await running;
      expect(store.lastRun('kubernetes:main')!.error).toBeUndefined();
      expect(s.lastRun!.resources[PODS].mode).toBe('resume');
    }, 60_000);

    it('lists again when the stored resourceVersion expired (410) and removes what disappeared', async () => {
      // The source was not running, and its version of the SparkApplications is older than the
      // API server keeps (the CRD's watch cache began later): the watch answers 410 Expired.
      store.checkpoints.set(`kubernetes:main|rv:${KUBEFLOW_APPS}`, {
        resourceVersion: '2',
      });
      await custom.deleteNamespacedCustomObject({
        group: 'sparkoperator.k8s.io',
        version: 'v1beta2',
        plural: 'sparkapplications',
        namespace: 'analytics',
        name: 'hourly-1',
      });
      await core.deleteNamespacedPod({
        name: 'big-join-1b2c3d4e5f6a7b8c-driver',
        namespace: 'marketing',
        gracePeriodSeconds: 0,
      });
      const appsBefore = store.objectsOf(
        'main',
        'SparkApplication.sparkoperator.k8s.io',
      ).length;

      const stats = await run(source('main'), store);
      expect(store.lastRun('kubernetes:main')!.error).toBeUndefined();
      expect(stats.resources[KUBEFLOW_APPS]).toMatchObject({
        mode: 'resume',
        lists: 1,
        listed: appsBefore - 1,
        reconciled: 1,
      });
      expect(
        store.object(
          'main',
          'SparkApplication.sparkoperator.k8s.io',
          'analytics',
          'hourly-1',
        ),
      ).toBeUndefined();
      expect(
        store.object(
          'main',
          'SparkApplication.sparkoperator.k8s.io',
          'analytics',
          'hourly-2',
        ),
      ).toBeDefined();
      // Its app lost the only object that said it runs; the app checkpoint is dropped.
      expect(store.report('kubernetes:main', 'spark-hourly1')).toMatchObject({
        state: 'UNKNOWN',
      });
      expect(store.checkpoints.has('kubernetes:main|app:spark-hourly1')).toBe(
        false,
      );
      expect(
        store.checkpoints.get(`kubernetes:main|rv:${KUBEFLOW_APPS}`),
      ).not.toEqual({ resourceVersion: '2' });

      // The pod's deletion came by the resumed watch; its pending app is no longer pending.
      expect(stats.resources[PODS]).toMatchObject({ mode: 'resume', lists: 0 });
      expect(
        store.object(
          'main',
          'Pod',
          'marketing',
          'big-join-1b2c3d4e5f6a7b8c-driver',
        ),
      ).toBeUndefined();
      expect(
        store.report(
          'kubernetes:main',
          'spark-1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e',
        ),
      ).toMatchObject({ state: 'UNKNOWN' });
    });

    describe('when the cluster refuses', () => {
      const snapshot = () => ({
        objects: [...store.objects.keys()].sort(),
        checkpoints: JSON.stringify([...store.checkpoints.entries()].sort()),
        reports: JSON.stringify([...store.reports.entries()].sort()),
      });

      it('records 401 for a bad token and deletes nothing', async () => {
        const before = snapshot();
        await run(source('main', { token: 'not-a-valid-token' }), store);
        const { error } = store.lastRun('kubernetes:main')!;
        expect(error).toMatch(
          /^cluster "main" \(https:\/\/127\.0\.0\.1:\d+\): cannot (list|watch) /,
        );
        expect(error).toContain(
          'HTTP 401 Unauthorized (the token was rejected)',
        );
        for (const key of [
          PODS,
          KUBEFLOW_APPS,
          KUBEFLOW_SCHEDULED,
          APACHE_APPS,
          APACHE_CLUSTERS,
        ]) {
          expect(error).toContain(key);
        }
        expect(snapshot()).toEqual(before);
      });

      it('records 403 for a token without RBAC grants and deletes nothing', async () => {
        const before = snapshot();
        const stats = await run(
          source('main', { token: kube.unprivilegedToken }),
          store,
        );
        const { error } = store.lastRun('kubernetes:main')!;
        expect(error).toMatch(/^cluster "main" /);
        expect(stats.resources[PODS].error).toBe(
          'HTTP 403 Forbidden: pods is forbidden: User "developer" cannot list resource "pods" in API group "" at the cluster scope',
        );
        expect(error).toContain(stats.resources[PODS].error);
        expect(error).toMatch(/cannot watch .*pods\/v1/);
        expect(snapshot()).toEqual(before);
      });

      it('records a refused connection at once', async () => {
        const port = await freePort();
        const before = snapshot();
        await run(
          source('main', { url: `https://127.0.0.1:${port}`, watchMs: 60_000 }),
          store,
        );
        const { error } = store.lastRun('kubernetes:main')!;
        expect(error).toMatch(
          new RegExp(
            `^cluster "main" \\(https://127\\.0\\.0\\.1:${port}\\): cannot (list|watch) .*ECONNREFUSED`,
          ),
        );
        expect(snapshot()).toEqual(before);
      });

      it('records a cluster that never answers', async () => {
        const silent = net.createServer(() => undefined);
        await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
        const { port } = silent.address() as net.AddressInfo;
        try {
          const fresh = new MemoryIngestStore();
          await run(
            source('silent', {
              url: `https://127.0.0.1:${port}`,
              requestTimeoutMs: 1000,
            }),
            fresh,
          );
          expect(fresh.lastRun('kubernetes:silent')!.error).toMatch(
            /cannot list .*: no answer within 1000 ms/,
          );
        } finally {
          silent.close();
        }
      });
    });
  });
});
