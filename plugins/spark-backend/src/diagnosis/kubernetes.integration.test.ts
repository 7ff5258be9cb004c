/**
 * Diagnosis rules on real Kubernetes evidence: objects in a real kube-apiserver (statuses set
 * through the status subresource, as the kubelet and the operator set them), error messages
 * produced by the apiserver's own admission and RBAC, read by the portal's Kubernetes source
 * into a SQLite store.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  loadAllYaml,
  type V1CustomResourceDefinition,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  createNamespace,
  type RunningKubeApiserver,
  startKubeApiserver,
} from '@spark-k8s/harness';
import { sparkAppListQuerySchema } from '@spark-k8s/plugin-spark-common';
import knexFactory, { type Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubernetesSource } from '../sources/kubernetes/KubernetesSource';
import { SparkStore } from '../store/SparkStore';
import { DiagnosisEngine } from './DiagnosisEngine';
import { DiagnosisService } from './DiagnosisService';

jest.setTimeout(400_000);

const crds = loadAllYaml(
  fs.readFileSync(
    path.join(
      __dirname,
      '../sources/kubernetes/__fixtures__/crds/sparkoperator.k8s.io.yaml',
    ),
    'utf8',
  ),
) as V1CustomResourceDefinition[];

/** The message of an API error (client-node 1.x puts the Status in `body`). */
function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  const parsed = typeof body === 'string' ? JSON.parse(body) : body;
  return (parsed as { message?: string })?.message ?? String(error);
}

const restrictedContainer = {
  name: 'spark-kubernetes-driver',
  image: 'registry.example.com/spark-py:4.3.0',
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

describe('diagnosis rules on a real kube-apiserver', () => {
  let kube: RunningKubeApiserver;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  let knex: Knex;
  let store: SparkStore;
  let tmp: string;
  const engine = new DiagnosisEngine();
  let service: DiagnosisService;
  /** Error messages the apiserver itself gave. */
  const real: Record<'podSecurity' | 'rbac' | 'quota', string> = {
    podSecurity: '',
    rbac: '',
    quota: '',
  };

  const pod = (
    namespace: string,
    name: string,
    appId: string,
    role: 'driver' | 'executor',
    container: object = restrictedContainer,
  ) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: {
        'spark-app-selector': appId,
        'spark-role': role,
        ...(role === 'executor' ? { 'spark-exec-id': '1' } : {}),
      },
    },
    spec: { containers: [container], restartPolicy: 'Never' },
  });

  async function createPod(object: any, status?: V1Pod['status']) {
    const created = await core.createNamespacedPod({
      namespace: object.metadata.namespace,
      body: object,
    });
    if (status) {
      await core.replaceNamespacedPodStatus({
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        body: { ...created, status },
      });
    }
  }

  async function createSparkApplication(
    namespace: string,
    name: string,
    status: object,
  ) {
    const target = {
      group: 'sparkoperator.k8s.io',
      version: 'v1beta2',
      plural: 'sparkapplications',
      namespace,
    };
    const created = await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name, namespace },
        spec: {
          type: 'Python',
          mode: 'cluster',
          sparkVersion: '4.3.0',
          image: 'registry.example.com/spark-py:4.3.0',
          mainApplicationFile: 'local:///opt/app/job.py',
        },
      },
    });
    await custom.replaceNamespacedCustomObjectStatus({
      ...target,
      name,
      body: { ...(created as object), status },
    });
  }

  const terminated = (exitCode: number, reason: string) => ({
    phase: 'Failed',
    containerStatuses: [
      {
        name: 'spark-kubernetes-driver',
        image: restrictedContainer.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        state: {
          terminated: {
            exitCode,
            reason,
            startedAt: new Date('2026-11-30T10:00:00Z'),
            finishedAt: new Date('2026-11-30T10:05:00Z'),
          },
        },
      },
    ],
  });

  beforeAll(async () => {
    kube = await startKubeApiserver();
    kc = kube.kubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    custom = kc.makeApiClient(CustomObjectsApi);
    const apiext = kc.makeApiClient(ApiextensionsV1Api);
    for (const crd of crds) {
      await apiext.createCustomResourceDefinition({ body: crd });
    }
    await createNamespace(kc, 'etl');
    await createNamespace(kc, 'locked', {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    await createNamespace(kc, 'full');
    const quota = await core.createNamespacedResourceQuota({
      namespace: 'full',
      body: { metadata: { name: 'pods' }, spec: { hard: { pods: '0' } } },
    });
    // The quota controller (controller-manager, not run here) would publish this status.
    await core.replaceNamespacedResourceQuotaStatus({
      name: 'pods',
      namespace: 'full',
      body: { ...quota, status: { hard: { pods: '0' }, used: { pods: '0' } } },
    });

    // Real rejections, as the operator's spark-submit would get them.
    await core
      .createNamespacedPod({
        namespace: 'locked',
        body: pod('locked', 'probe', 'x', 'driver', {
          name: 'spark-kubernetes-driver',
          image: restrictedContainer.image,
          securityContext: { privileged: true },
        }) as V1Pod,
      })
      .then(
        () => {
          throw new Error('Pod Security admission accepted a privileged pod');
        },
        error => {
          real.podSecurity = apiMessage(error);
        },
      );
    await kube
      .kubeConfig(kube.unprivilegedToken)
      .makeApiClient(CoreV1Api)
      .createNamespacedPod({
        namespace: 'etl',
        body: pod('etl', 'probe', 'x', 'driver') as V1Pod,
      })
      .then(
        () => {
          throw new Error('RBAC let an unprivileged user create a pod');
        },
        error => {
          real.rbac = apiMessage(error);
        },
      );
    await core
      .createNamespacedPod({
        namespace: 'full',
        body: pod('full', 'probe', 'x', 'driver') as V1Pod,
      })
      .then(
        () => {
          throw new Error('the quota let a pod in');
        },
        error => {
          real.quota = apiMessage(error);
        },
      );
    for (const [namespace, name, message] of [
      ['locked', 'rejected-by-pss', real.podSecurity],
      ['etl', 'rejected-by-rbac', real.rbac],
      ['full', 'rejected-by-quota', real.quota],
    ]) {
      await createSparkApplication(namespace, name, {
        applicationState: {
          state: 'SUBMISSION_FAILED',
          errorMessage: `failed to run spark-submit: ${message}`,
        },
        submissionAttempts: 3,
        lastSubmissionAttemptTime: '2026-11-30T10:00:00Z',
        terminationTime: '2026-11-30T10:01:00Z',
      });
    }

    // Pod states as the kubelet and the scheduler leave them.
    await createPod(
      pod('etl', 'oom-driver', 'spark-oom', 'driver'),
      terminated(137, 'OOMKilled'),
    );
    await createPod(
      pod('etl', 'heap-exec', 'spark-heap', 'executor', {
        ...restrictedContainer,
        name: 'spark-kubernetes-executor',
      }),
      {
        ...terminated(52, 'Error'),
        containerStatuses: terminated(52, 'Error').containerStatuses.map(c => ({
          ...c,
          name: 'spark-kubernetes-executor',
        })),
      },
    );
    await createPod(pod('etl', 'no-image', 'spark-image', 'driver'), {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'spark-kubernetes-driver',
          image: restrictedContainer.image,
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message:
                'Back-off pulling image "registry.example.com/spark-py:4.3.0"',
            },
          },
        },
      ],
    });
    await createPod(pod('etl', 'pending-driver', 'spark-pending', 'driver'), {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
          lastTransitionTime: new Date('2026-11-30T10:00:00Z'),
        },
      ],
    });
    await createPod(
      pod('etl', 'bad-command', 'spark-entrypoint', 'driver'),
      terminated(127, 'Error'),
    );
    await createPod(
      pod('etl', 'preempted-exec', 'spark-spot', 'executor', {
        ...restrictedContainer,
        name: 'spark-kubernetes-executor',
      }),
      {
        phase: 'Failed',
        conditions: [
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'PreemptionByScheduler',
            message: 'Preempted in order to admit critical pod',
            lastTransitionTime: new Date('2026-11-30T10:03:00Z'),
          },
        ],
      },
    );
    await createPod(pod('etl', 'fine-driver', 'spark-fine', 'driver'), {
      ...terminated(0, 'Completed'),
      phase: 'Succeeded',
    });

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diagnosis-kube-'));
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(tmp, 'spark.sqlite') },
      useNullAsDefault: true,
    });
    store = await SparkStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    await new KubernetesSource({
      cluster: {
        name: 'harness',
        url: kube.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: kube.adminToken,
        caData: Buffer.from(kube.caPem).toString('base64'),
        skipTLSVerify: false,
      },
      watchMs: 1000,
    }).run({
      store,
      logger: mockServices.logger.mock(),
      signal: new AbortController().signal,
    });
    service = new DiagnosisService(store, engine, {
      vcpuHour: 0.0252,
      gibHour: 0.014,
      currency: 'USD',
    });
  });

  afterAll(async () => {
    await knex?.destroy();
    await kube?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function rulesOf(
    match: (app: { id: string; namespace?: string; name: string }) => boolean,
  ): Promise<string[]> {
    const { items } = await store.listApps(
      sparkAppListQuerySchema.parse({ limit: 100 }),
    );
    const app = items.find(match);
    if (!app) {
      throw new Error(
        `no such app among ${items.map(a => `${a.namespace}/${a.id}`)}`,
      );
    }
    return engine
      .diagnose(await service.input(app.id, undefined))
      .map(d => d.ruleId);
  }

  it('gets its evidence from the apiserver itself', () => {
    expect(real.podSecurity).toContain('violates PodSecurity "restricted');
    expect(real.rbac).toMatch(
      /is forbidden: User ".+" cannot create resource "pods"/,
    );
    expect(real.quota).toContain('exceeded quota');
  });

  it.each([
    ['rejected-by-pss', 'pod-security-rejected'],
    ['rejected-by-rbac', 'rbac-forbidden'],
    ['rejected-by-quota', 'resource-quota-exceeded'],
  ])('%s: %s and the failed submission', async (name, rule) => {
    const rules = await rulesOf(
      app => app.name === name || app.id.includes(name),
    );
    expect(rules).toContain(rule);
    expect(rules).toContain('operator-submission-failed');
    // Admission, RBAC and quota are told apart.
    const others = [
      'pod-security-rejected',
      'rbac-forbidden',
      'resource-quota-exceeded',
    ].filter(r => r !== rule);
    expect(rules.filter(r => others.includes(r))).toEqual([]);
  });

  it.each([
    ['spark-oom', ['driver-oom-killed']],
    ['spark-heap', ['executor-jvm-oom']],
    ['spark-image', ['image-pull-error']],
    ['spark-pending', ['pods-unschedulable']],
    ['spark-entrypoint', ['bad-entrypoint']],
    ['spark-spot', ['spot-node-loss']],
    ['spark-fine', []],
  ])('%s: %j', async (appId, expected) => {
    expect(await rulesOf(app => app.id === appId)).toEqual(expected);
  });
});
