import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  createNamespace,
  createTestDatabases,
  type RunningKubeApiserver,
  startKubeApiserver,
} from '@spark-k8s/harness';
import { AttributionIndex } from '../attribution/attribution';
import { MemoryIngestStore } from '../sources/kubernetes/__testUtils__/MemoryIngestStore';
import { KubernetesSource } from '../sources/kubernetes/KubernetesSource';
import { resourceOf } from '../sources/kubernetes/resources';
import { CostStore } from '../store/CostStore';
import { SparkStore } from '../store/SparkStore';
import { CostPricer, priceModelCostModel } from './CostPricer';
import { CostService } from './CostService';
import { readPriceModel } from './priceModel';

jest.setTimeout(240_000);

const databases = createTestDatabases();
const logger = mockServices.logger.mock();
const APP = 'spark-cost-1';

/** A Spark pod as spark-submit creates it, and the status the kubelet would report. */
function sparkPod(
  name: string,
  role: 'driver' | 'executor',
  resources: { cpu: string; memory: string },
  times: { start: string; end: string },
  nodeSelector?: Record<string, string>,
  nodeName?: string,
) {
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'payments',
      labels: {
        'spark-app-selector': APP,
        'spark-role': role,
        'spark-app-name': 'settlement-etl',
        ...(role === 'executor' ? { 'spark-exec-id': name.slice(-1) } : {}),
      },
    },
    spec: {
      nodeSelector,
      nodeName,
      containers: [
        {
          name:
            role === 'driver'
              ? 'spark-kubernetes-driver'
              : 'spark-kubernetes-executor',
          image: 'apache/spark:4.0.0',
          resources: {
            requests: resources,
            limits: { memory: resources.memory },
          },
        },
      ],
    },
  };
  const status: V1Pod['status'] = {
    phase: 'Succeeded',
    startTime: new Date(times.start),
    containerStatuses: [
      {
        name: pod.spec!.containers[0].name,
        image: 'apache/spark:4.0.0',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: new Date(times.start),
            finishedAt: new Date(times.end),
          },
        },
      },
    ],
  };
  return { pod, status };
}

/** Nodes as Karpenter and GKE label them; the pods bound to them are priced by these labels. */
const NODES: Record<string, Record<string, string>> = {
  'ip-10-0-1-12.eu-west-1.compute.internal': {
    'karpenter.sh/nodepool': 'default',
    'karpenter.sh/capacity-type': 'on-demand',
    'node.kubernetes.io/instance-type': 'm6i.xlarge',
    'kubernetes.io/hostname': 'ip-10-0-1-12',
  },
  'ip-10-0-3-7.eu-west-1.compute.internal': {
    'karpenter.sh/nodepool': 'highmem',
    'karpenter.sh/capacity-type': 'spot',
    'node.kubernetes.io/instance-type': 'r6i.2xlarge',
    'kubernetes.io/hostname': 'ip-10-0-3-7',
  },
  'gke-analytics-spark-pool-4f2a9c1e-x7k2': {
    'cloud.google.com/gke-nodepool': 'spark-pool',
    'cloud.google.com/gke-spot': 'true',
    'topology.kubernetes.io/zone': 'europe-west1-b',
    'kubernetes.io/hostname': 'gke-analytics-spark-pool-4f2a9c1e-x7k2',
  },
};
const GKE_NODE = 'gke-analytics-spark-pool-4f2a9c1e-x7k2';

const PODS = [
  // on an on-demand node of the default pool: (1 × 0.0252 + 2 × 0.014) × 2 h = 0.1064
  sparkPod(
    'settlement-driver',
    'driver',
    { cpu: '1', memory: '2Gi' },
    {
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T12:00:00Z',
    },
    undefined,
    'ip-10-0-1-12.eu-west-1.compute.internal',
  ),
  // (2 × 0.0252 + 4 × 0.014) × 1 h = 0.1064 on spot, 70 % off: 0.03192
  sparkPod(
    'settlement-exec-1',
    'executor',
    { cpu: '2', memory: '4Gi' },
    {
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T11:00:00Z',
    },
    { 'karpenter.sh/capacity-type': 'spot' },
  ),
  // the highmem pool of this cluster costs 0.02 per GiB-hour: (2 × 0.0252 + 4 × 0.02) × 1.5 h = 0.1956
  sparkPod(
    'settlement-exec-2',
    'executor',
    { cpu: '2000m', memory: '4096Mi' },
    {
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T11:30:00Z',
    },
    { 'karpenter.sh/nodepool': 'highmem' },
  ),
  // asked for nothing, ran on a Karpenter spot node of the highmem pool:
  // (2 × 0.0252 + 4 × 0.02) × 1 h × (1 − 0.7) = 0.03912
  sparkPod(
    'settlement-exec-3',
    'executor',
    { cpu: '2', memory: '4Gi' },
    {
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T11:00:00Z',
    },
    undefined,
    'ip-10-0-3-7.eu-west-1.compute.internal',
  ),
  // on a GKE spot node of spark-pool, whose vCPU costs 0.03:
  // (4 × 0.03 + 8 × 0.014) × 0.5 h × (1 − 0.7) = 0.0348
  sparkPod(
    'settlement-exec-4',
    'executor',
    { cpu: '4', memory: '8Gi' },
    {
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T10:30:00Z',
    },
    undefined,
    GKE_NODE,
  ),
];

const signal = () => new AbortController().signal;

const prices = (extra: Record<string, unknown> = {}) =>
  readPriceModel(
    new ConfigReader({
      spark: {
        cost: {
          overrides: [
            {
              cluster: 'harness',
              nodePool: 'highmem',
              prices: { gibHour: 0.02 },
            },
            { nodePool: 'spark-pool', prices: { vcpuHour: 0.03 } },
          ],
          ...extra,
        },
      },
    }),
  );

describe('cost of pods recorded by a real kube-apiserver', () => {
  let kube: RunningKubeApiserver;
  let core: CoreV1Api;
  const harnessSource = (token = kube.adminToken) =>
    new KubernetesSource({
      cluster: {
        name: 'harness',
        url: kube.url,
        authProvider: 'serviceAccount',
        serviceAccountToken: token,
        caData: Buffer.from(kube.caPem).toString('base64'),
        skipTLSVerify: false,
      },
      watchMs: 500,
      resources: [resourceOf('v1', 'Pod')!],
    });

  beforeAll(async () => {
    kube = await startKubeApiserver();
    const kc = kube.kubeConfig();
    await createNamespace(kc, 'payments');
    core = kc.makeApiClient(CoreV1Api);
    for (const [name, labels] of Object.entries(NODES)) {
      await core.createNode({ body: { metadata: { name, labels } } });
    }
    for (const { pod, status } of PODS) {
      const created = await core.createNamespacedPod({
        namespace: 'payments',
        body: pod,
      });
      await core.replaceNamespacedPodStatus({
        name: pod.metadata!.name!,
        namespace: 'payments',
        body: { ...created, status },
      });
    }
  });
  afterAll(() => kube?.stop());

  it.each(databases.eachSupportedId())(
    'prices the pods with the price model, and again when spot and overrides change (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await SparkStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
        attribution: () =>
          new AttributionIndex([], { payments: 'group:default/payments-data' }),
      });
      const source = harnessSource();
      await source.run({ store, logger, signal: new AbortController().signal });

      const costs = new CostStore(knex, store);
      const price = (model: ReturnType<typeof prices>) =>
        new CostPricer({
          store,
          costs,
          model: priceModelCostModel(model),
          logger,
        }).run();

      expect(await price(prices())).toBe(1);
      const cost = await costs.getAppCost(APP);
      expect(
        cost.pods.map(p => [
          p.name,
          p.spot,
          p.nodePool,
          p.cpu,
          p.memoryGiB,
          p.hours,
          p.cost,
        ]),
      ).toEqual([
        ['settlement-driver', false, 'default', 1, 2, 2, 0.1064],
        // no node: spot and pool from the pod's nodeSelector
        ['settlement-exec-1', true, undefined, 2, 4, 1, 0.03192],
        ['settlement-exec-2', false, 'highmem', 2, 4, 1.5, 0.1956],
        // from their Nodes' labels
        ['settlement-exec-3', true, 'highmem', 2, 4, 1, 0.03912],
        ['settlement-exec-4', true, 'spark-pool', 4, 8, 0.5, 0.0348],
      ]);
      // 0.1064 + 0.03192 + 0.1956 + 0.03912 + 0.0348
      expect(cost).toMatchObject({
        total: 0.40784,
        from: 'pods',
        basis: 'request',
        usageKnown: false,
      });
      // Unchanged inputs and prices: nothing to price again.
      expect(await price(prices())).toBe(0);

      // Spot at 50 % off: exec-1 0.1064 × 0.5 = 0.0532, exec-3 0.1304 × 0.5 = 0.0652,
      // exec-4 0.116 × 0.5 = 0.058; total 0.1064 + 0.0532 + 0.1956 + 0.0652 + 0.058
      expect(await price(prices({ spotDiscount: 0.5 }))).toBe(1);
      expect((await costs.getAppCost(APP)).total).toBe(0.4784);

      const summary = await new CostService({
        costs,
        currency: 'USD',
        budgets: new Map([['group:default/payments-data', 0.4]]),
        groups: () => [],
        growthThreshold: 0.5,
        growthMinimum: 0,
        now: () => Date.parse('2026-11-25T00:00:00Z'),
      }).summary({ teamRef: 'group:default/payments-data' });
      expect(summary).toMatchObject({
        total: 0.4784,
        runs: 1,
        period: {
          from: '2026-11-01T00:00:00.000Z',
          to: '2026-12-01T00:00:00.000Z',
        },
        breakdown: { clusters: [{ key: 'harness', cost: 0.4784, runs: 1 }] },
        // spent 0.4784 of 0.4 on the 25th
        budget: { monthly: 0.4, spent: 0.4784, month: '2026-11' },
      });
      expect(summary.alerts!.map(a => a.kind)).toEqual(['over-budget']);
    },
  );

  const exec4 = (store: MemoryIngestStore) =>
    store.objectsOf('harness', 'Pod').find(p => p.name === 'settlement-exec-4')!
      .details;

  it('keeps the labels of a Node that is gone (a reclaimed spot node) for the pods that ran on it', async () => {
    const store = new MemoryIngestStore();
    await harnessSource().run({ store, logger, signal: signal() });
    expect(store.lastRun('kubernetes:harness')!.warnings).toEqual([]);
    // Only the labels that price and place pods are kept.
    expect(exec4(store).nodeLabels).toEqual({
      'cloud.google.com/gke-nodepool': 'spark-pool',
      'cloud.google.com/gke-spot': 'true',
      'topology.kubernetes.io/zone': 'europe-west1-b',
    });

    await core.deleteNode({ name: GKE_NODE });
    // Listing the pods again (a new store, or a resourceVersion that expired) gets 404 for the
    // Node; the source's checkpoint of node labels still has it.
    const again = new MemoryIngestStore();
    const nodes = 'kubernetes:harness|nodes';
    again.checkpoints.set(nodes, store.checkpoints.get(nodes));
    await harnessSource().run({ store: again, logger, signal: signal() });
    expect(exec4(again).nodeLabels).toEqual(exec4(store).nodeLabels);
    expect(again.lastRun('kubernetes:harness')!.warnings).toEqual([]);

    // A source that never saw the Node falls back to the pod's own spec (it asked for nothing).
    const fresh = new MemoryIngestStore();
    await harnessSource().run({ store: fresh, logger, signal: signal() });
    expect(exec4(fresh).nodeLabels).toBeUndefined();
    expect(
      fresh
        .objectsOf('harness', 'Pod')
        .find(p => p.name === 'settlement-exec-3')!.details.nodeLabels,
    ).toMatchObject({ 'karpenter.sh/capacity-type': 'spot' });
  });

  it('warns when it may not get nodes, and still ingests pods with their nodeSelector', async () => {
    // A service account that may read pods everywhere, but not nodes.
    const kc = kube.kubeConfig();
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespacedServiceAccount({
      namespace: 'payments',
      body: { metadata: { name: 'spark-portal' } },
    });
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'spark-portal-pods' },
        rules: [
          {
            apiGroups: [''],
            resources: ['pods'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'spark-portal-pods' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'spark-portal-pods',
        },
        subjects: [
          {
            kind: 'ServiceAccount',
            name: 'spark-portal',
            namespace: 'payments',
          },
        ],
      },
    });
    const { status } = await core.createNamespacedServiceAccountToken({
      name: 'spark-portal',
      namespace: 'payments',
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });

    const store = new MemoryIngestStore();
    await harnessSource(status!.token).run({ store, logger, signal: signal() });
    const run = store.lastRun('kubernetes:harness')!;
    expect(run.error).toBeUndefined();
    expect(run.warnings).toEqual([
      {
        item: 'nodes/v1',
        message: expect.stringMatching(
          /^cannot get nodes: HTTP 403 Forbidden: nodes "[^"]+" is forbidden: User "system:serviceaccount:payments:spark-portal" cannot get resource "nodes" in API group "" at the cluster scope; node pools and spot capacity come from each pod's nodeSelector and required node affinity/,
        ),
      },
    ]);
    const pods = store.objectsOf('harness', 'Pod');
    expect(pods).toHaveLength(PODS.length);
    expect(pods.filter(p => p.details.nodeLabels)).toEqual([]);
    expect(
      pods.find(p => p.name === 'settlement-exec-2')!.details.nodeSelector,
    ).toEqual({ 'karpenter.sh/nodepool': 'highmem' });
  });
});
