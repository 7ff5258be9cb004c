import type {
  SparkAppCost,
  SparkExecutorSummary,
  SparkPodCost,
} from '@spark-k8s/plugin-spark-common';
import type {
  SparkCostInput,
  SparkCostPod,
} from '@spark-k8s/plugin-spark-node';
import { type PriceModel, priceNode } from './priceModel';

const HOUR_MS = 3_600_000;
const GIB = 2 ** 30;

/** Money is kept to a millionth: a short local run costs fractions of a cent. */
export const roundMoney = (n: number) => Math.round(n * 1e6) / 1e6;

/** One pod: max(request, usage) per resource × price × lifetime, less the spot discount. */
export function pricePod(model: PriceModel, pod: SparkCostPod): SparkPodCost {
  const pricing = priceNode(model, pod.cluster, pod.nodeLabels);
  const hours = Math.max(0, pod.endTime - pod.startTime) / HOUR_MS;
  const requestCpu = pod.requests.cpu ?? 0;
  const requestMemory = pod.requests.memoryBytes ?? 0;
  const usageKnown =
    pod.usage?.cpu !== undefined || pod.usage?.memoryBytes !== undefined;
  const cpu = Math.max(requestCpu, pod.usage?.cpu ?? 0);
  const memoryBytes = Math.max(requestMemory, pod.usage?.memoryBytes ?? 0);
  const gpu = pod.requests.gpu ?? 0;
  const { prices, discount } = pricing;
  const hourly =
    cpu * prices.vcpuHour +
    (memoryBytes / GIB) * prices.gibHour +
    gpu * prices.gpuHour;
  return {
    name: pod.name,
    role: pod.role,
    node: pod.nodeName,
    nodePool: pricing.nodePool,
    spot: pricing.spot,
    hours,
    cpu,
    memoryGiB: memoryBytes / GIB,
    gpu,
    basis:
      cpu > requestCpu || memoryBytes > requestMemory ? 'usage' : 'request',
    usageKnown,
    prices,
    discount,
    cost: roundMoney(hourly * hours * (1 - discount)),
  };
}

/** Executor core time allocated vs spent in tasks (one task holds one core). */
export function executorIdleShare(
  executors: SparkExecutorSummary[],
  appEnd: number | undefined,
): { share: number; executorCoreHours: number; taskCoreHours: number } {
  // In local mode the driver runs the tasks; on a cluster it runs none and is priced apart.
  const workers = executors.some(e => e.executorId !== 'driver')
    ? executors.filter(e => e.executorId !== 'driver')
    : executors;
  let allocated = 0;
  let busy = 0;
  for (const executor of workers) {
    const added = executor.addTime ? Date.parse(executor.addTime) : undefined;
    const removed = executor.removeTime
      ? Date.parse(executor.removeTime)
      : appEnd;
    if (added === undefined || removed === undefined) continue;
    allocated += executor.cores * Math.max(0, removed - added);
    busy += executor.totalDurationMs;
  }
  return {
    share: allocated > 0 ? Math.min(1, Math.max(0, 1 - busy / allocated)) : 0,
    executorCoreHours: allocated / HOUR_MS,
    taskCoreHours: Math.min(busy, allocated) / HOUR_MS,
  };
}

/**
 * Prices one app with the price model: its pods when Kubernetes reported them, else the
 * executor time its event log reserved; plus the idle share of the executor time.
 */
export function priceApp(
  model: PriceModel,
  input: SparkCostInput,
): SparkAppCost {
  const pods = input.pods.map(pod => pricePod(model, pod));
  let total = pods.reduce((sum, pod) => sum + pod.cost, 0);
  let from: SparkAppCost['from'] = 'pods';
  if (pods.length === 0) {
    from = 'event-log';
    const { prices } = priceNode(model, input.cluster, {});
    total =
      ((input.executorCoreMs ?? 0) / HOUR_MS) * prices.vcpuHour +
      ((input.executorMemoryMibMs ?? 0) / 1024 / HOUR_MS) * prices.gibHour;
  }
  const idle = executorIdleShare(input.executors, input.endTime);
  const executorPods = pods.filter(pod => pod.role === 'executor');
  // Executors that ran inside the driver (local mode) or without known pods: the whole app idles.
  const idleBase = executorPods.length
    ? executorPods.reduce((sum, pod) => sum + pod.cost, 0)
    : total;
  return {
    appId: input.appId,
    currency: model.currency,
    total: roundMoney(total),
    from,
    model: 'price-model',
    basis: pods.some(pod => pod.basis === 'usage') ? 'usage' : 'request',
    usageKnown: pods.length > 0 && pods.every(pod => pod.usageKnown),
    pods,
    wasted:
      idle.executorCoreHours > 0
        ? {
            share: idle.share,
            cost: roundMoney(idle.share * idleBase),
            executorCoreHours: idle.executorCoreHours,
            taskCoreHours: idle.taskCoreHours,
          }
        : undefined,
  };
}
