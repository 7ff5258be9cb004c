import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import {
  createNamespace,
  createTestDatabases,
  type RunningKubeApiserver,
  startKubeApiserver,
} from '@spark-k8s/harness';
import { AttributionIndex } from '../attribution/attribution';
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

const PODS = [
  // (1 × 0.0252 + 2 × 0.014) × 2 h = 0.1064
  sparkPod(
    'settlement-driver',
    'driver',
    { cpu: '1', memory: '2Gi' },
    {
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T12:00:00Z',
    },
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
];

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
          ],
          ...extra,
        },
      },
    }),
  );

describe('cost of pods recorded by a real kube-apiserver', () => {
  let kube: RunningKubeApiserver;

  beforeAll(async () => {
    kube = await startKubeApiserver();
    const kc = kube.kubeConfig();
    await createNamespace(kc, 'payments');
    const core = kc.makeApiClient(CoreV1Api);
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
      const source = new KubernetesSource({
        cluster: {
          name: 'harness',
          url: kube.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: kube.adminToken,
          caData: Buffer.from(kube.caPem).toString('base64'),
          skipTLSVerify: false,
        },
        watchMs: 500,
        resources: [resourceOf('v1', 'Pod')!],
      });
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
        ['settlement-driver', false, undefined, 1, 2, 2, 0.1064],
        ['settlement-exec-1', true, undefined, 2, 4, 1, 0.03192],
        ['settlement-exec-2', false, 'highmem', 2, 4, 1.5, 0.1956],
      ]);
      // 0.1064 + 0.03192 + 0.1956
      expect(cost).toMatchObject({
        total: 0.33392,
        from: 'pods',
        basis: 'request',
        usageKnown: false,
      });
      // Unchanged inputs and prices: nothing to price again.
      expect(await price(prices())).toBe(0);

      // Spot at 50 % off: exec-1 costs 0.1064 × 0.5 = 0.0532; total 0.1064 + 0.0532 + 0.1956
      expect(await price(prices({ spotDiscount: 0.5 }))).toBe(1);
      expect((await costs.getAppCost(APP)).total).toBe(0.3552);

      const summary = await new CostService({
        costs,
        currency: 'USD',
        budgets: new Map([['group:default/payments-data', 0.3]]),
        groups: () => [],
        growthThreshold: 0.5,
        growthMinimum: 0,
        now: () => Date.parse('2026-11-25T00:00:00Z'),
      }).summary({ teamRef: 'group:default/payments-data' });
      expect(summary).toMatchObject({
        total: 0.3552,
        runs: 1,
        period: {
          from: '2026-11-01T00:00:00.000Z',
          to: '2026-12-01T00:00:00.000Z',
        },
        breakdown: { clusters: [{ key: 'harness', cost: 0.3552, runs: 1 }] },
        // spent 0.3552 of 0.3 on the 25th
        budget: { monthly: 0.3, spent: 0.3552, month: '2026-11' },
      });
      expect(summary.alerts!.map(a => a.kind)).toEqual(['over-budget']);
    },
  );
});
