import { ConfigReader } from '@backstage/config';
import type { SparkCostPod } from '@spark-k8s/plugin-spark-node';
import { executorIdleShare, priceApp, pricePod } from './appCost';
import { DEFAULT_PRICE_MODEL, priceNode, readPriceModel } from './priceModel';

const GIB = 2 ** 30;
const T0 = Date.parse('2026-11-20T10:00:00Z');
const hours = (h: number) => T0 + h * 3_600_000;

const pod = (over: Partial<SparkCostPod>): SparkCostPod => ({
  name: 'settlement-etl-driver',
  namespace: 'payments',
  cluster: 'prod-eu',
  role: 'driver',
  nodeLabels: {},
  startTime: T0,
  endTime: hours(2),
  requests: { cpu: 1, memoryBytes: 2 * GIB },
  ...over,
});

describe('pricePod', () => {
  it('prices requests × default prices × lifetime', () => {
    // (1 vCPU × 0.0252 + 2 GiB × 0.014) × 2 h = 0.1064
    const cost = pricePod(DEFAULT_PRICE_MODEL, pod({}));
    expect(cost).toMatchObject({
      hours: 2,
      cpu: 1,
      memoryGiB: 2,
      basis: 'request',
      usageKnown: false,
      spot: false,
      discount: 0,
      cost: 0.1064,
    });
  });

  it('takes the spot discount on spot nodes', () => {
    // (4 × 0.0252 + 8 × 0.014) × 1.5 h = 0.3192; 70 % off → 0.09576
    const cost = pricePod(
      DEFAULT_PRICE_MODEL,
      pod({
        role: 'executor',
        nodeLabels: { 'karpenter.sh/capacity-type': 'spot' },
        endTime: hours(1.5),
        requests: { cpu: 4, memoryBytes: 8 * GIB },
      }),
    );
    expect(cost.spot).toBe(true);
    expect(cost.cost).toBe(0.09576);
  });

  it('prices max(request, usage) per resource and says usage was the basis', () => {
    // CPU from usage (1.5 > 1), memory from the request (2 GiB > 1 GiB used):
    // (1.5 × 0.0252 + 2 × 0.014) × 2 h = 0.1316
    const cost = pricePod(
      DEFAULT_PRICE_MODEL,
      pod({ usage: { cpu: 1.5, memoryBytes: 1 * GIB } }),
    );
    expect(cost).toMatchObject({ cpu: 1.5, memoryGiB: 2, basis: 'usage' });
    expect(cost.usageKnown).toBe(true);
    expect(cost.cost).toBe(0.1316);
    const idle = pricePod(
      DEFAULT_PRICE_MODEL,
      pod({ usage: { cpu: 0.2, memoryBytes: 1 * GIB } }),
    );
    expect(idle).toMatchObject({ basis: 'request', cost: 0.1064 });
  });
});

describe('price overrides', () => {
  const model = readPriceModel(
    new ConfigReader({
      spark: {
        cost: {
          prices: { vcpuHour: 0.03 },
          currency: 'EUR',
          spotDiscount: 0.6,
          overrides: [
            { cluster: 'prod-eu', prices: { gibHour: 0.01 } },
            { nodePool: 'gpu', prices: { gpuHour: 2.5 } },
            {
              cluster: 'prod-eu',
              nodePool: 'gpu',
              prices: { vcpuHour: 0.05 },
              spotDiscount: 0.5,
            },
          ],
        },
      },
    }),
  );

  it('lets the most specific override win, field by field', () => {
    expect(priceNode(model, 'dev', {}).prices).toEqual({
      vcpuHour: 0.03,
      gibHour: 0.014,
      gpuHour: 0.95,
    });
    expect(priceNode(model, 'prod-eu', {}).prices).toEqual({
      vcpuHour: 0.03,
      gibHour: 0.01,
      gpuHour: 0.95,
    });
    expect(
      priceNode(model, 'dev', { 'cloud.google.com/gke-nodepool': 'gpu' }),
    ).toMatchObject({
      nodePool: 'gpu',
      prices: { vcpuHour: 0.03, gibHour: 0.014, gpuHour: 2.5 },
    });
    expect(
      priceNode(model, 'prod-eu', {
        'karpenter.sh/nodepool': 'gpu',
        'karpenter.sh/capacity-type': 'spot',
      }),
    ).toEqual({
      nodePool: 'gpu',
      spot: true,
      discount: 0.5,
      prices: { vcpuHour: 0.05, gibHour: 0.01, gpuHour: 2.5 },
    });
  });

  it('changes the figure as the override says', () => {
    // 1 h of 2 vCPU, 4 GiB and 1 GPU on prod-eu's gpu pool, spot:
    // (2 × 0.05 + 4 × 0.01 + 1 × 2.5) × 1 h = 2.64; 50 % off → 1.32
    const cost = pricePod(
      model,
      pod({
        endTime: hours(1),
        nodeLabels: {
          'karpenter.sh/nodepool': 'gpu',
          'karpenter.sh/capacity-type': 'spot',
        },
        requests: { cpu: 2, memoryBytes: 4 * GIB, gpu: 1 },
      }),
    );
    expect(cost.cost).toBe(1.32);
  });

  it('rejects prices that are not prices, naming the key', () => {
    expect(() =>
      readPriceModel(
        new ConfigReader({ spark: { cost: { prices: { gibHour: -1 } } } }),
      ),
    ).toThrow('spark.cost.prices.gibHour must be a number of at least 0');
    expect(() =>
      readPriceModel(
        new ConfigReader({ spark: { cost: { spotDiscount: 2 } } }),
      ),
    ).toThrow('spark.cost.spotDiscount must be between 0 and 1');
    expect(() =>
      readPriceModel(
        new ConfigReader({ spark: { cost: { overrides: [{ prices: {} }] } } }),
      ),
    ).toThrow('spark.cost.overrides[0]: set cluster, nodePool or both');
  });
});

describe('priceApp', () => {
  it('sums the pods and prices the idle share of the executors', () => {
    const cost = priceApp(DEFAULT_PRICE_MODEL, {
      appId: 'spark-1',
      endTime: hours(2),
      pods: [
        pod({}),
        pod({
          name: 'exec-1',
          role: 'executor',
          requests: { cpu: 2, memoryBytes: 4 * GIB },
        }),
      ],
      executors: [
        {
          executorId: 'driver',
          cores: 0,
          completedTasks: 0,
          failedTasks: 0,
          totalDurationMs: 0,
          totalGcTimeMs: 0,
          addTime: new Date(T0).toISOString(),
        },
        {
          executorId: '1',
          cores: 2,
          addTime: new Date(T0).toISOString(),
          removeTime: new Date(hours(2)).toISOString(),
          completedTasks: 10,
          failedTasks: 0,
          // 1 core-hour of tasks in 4 allocated core-hours: 75 % idle
          totalDurationMs: 3_600_000,
          totalGcTimeMs: 0,
        },
      ],
    });
    // driver 0.1064; executor (2 × 0.0252 + 4 × 0.014) × 2 h = 0.2128
    expect(cost.total).toBe(0.3192);
    expect(cost.from).toBe('pods');
    expect(cost.basis).toBe('request');
    expect(cost.wasted).toEqual({
      share: 0.75,
      cost: 0.1596,
      executorCoreHours: 4,
      taskCoreHours: 1,
    });
  });

  it('prices the event log’s reserved executor time when no pods are known', () => {
    // 3 core-hours × 0.0252 + 6 GiB-hours × 0.014 = 0.1596
    const cost = priceApp(DEFAULT_PRICE_MODEL, {
      appId: 'spark-2',
      pods: [],
      executors: [],
      executorCoreMs: 3 * 3_600_000,
      executorMemoryMibMs: 6 * 1024 * 3_600_000,
    });
    expect(cost).toMatchObject({ from: 'event-log', total: 0.1596 });
    expect(cost.wasted).toBeUndefined();
  });

  it('counts the driver’s tasks in local mode, where it is the only executor', () => {
    const share = executorIdleShare(
      [
        {
          executorId: 'driver',
          cores: 4,
          addTime: new Date(T0).toISOString(),
          completedTasks: 8,
          failedTasks: 0,
          totalDurationMs: 3_600_000,
          totalGcTimeMs: 0,
        },
      ],
      hours(0.5),
    );
    // 4 cores × 0.5 h = 2 core-hours allocated, 1 busy
    expect(share).toEqual({
      share: 0.5,
      executorCoreHours: 2,
      taskCoreHours: 1,
    });
  });
});
