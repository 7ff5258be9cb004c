import type { SparkAppDetails } from '@spark-k8s/plugin-spark-common';
import type {
  SparkCostInput,
  SparkCostPod,
} from '@spark-k8s/plugin-spark-node';

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const time = (v: unknown) => {
  const parsed = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
};
const numberOf = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/**
 * The pods of an app as the cost model prices them. A pod costs from its start until its
 * containers ended, it was deleted, the app ended, or now; pods that never started cost nothing.
 */
export function costPodsOf(
  details: SparkAppDetails,
  now: number,
): SparkCostPod[] {
  const appEnd = details.app.endTime
    ? Date.parse(details.app.endTime)
    : undefined;
  const pods: SparkCostPod[] = [];
  for (const object of details.kubernetes) {
    if (object.kind !== 'Pod') continue;
    const d = object.details as Obj;
    const startTime = time(d.startTime);
    if (startTime === undefined) continue;
    const running = object.state === 'RUNNING' || object.state === 'PENDING';
    const endTime =
      time(d.endTime) ??
      time(d.deletedAt) ??
      (running ? now : appEnd ?? time(object.updatedAt) ?? now);
    const requests = (d.requests ?? {}) as Obj;
    const role = str(d.role);
    pods.push({
      name: object.name,
      namespace: object.namespace,
      cluster: object.cluster,
      role: role === 'driver' || role === 'executor' ? role : 'other',
      nodeName: str(d.nodeName),
      // The Node's own labels (read by the Kubernetes source) win over what the pod asked for.
      nodeLabels: {
        ...((d.nodeSelector ?? {}) as Record<string, string>),
        ...((d.nodeLabels ?? {}) as Record<string, string>),
      },
      startTime,
      endTime: Math.max(startTime, endTime),
      requests: {
        cpu: numberOf(requests.cpu),
        memoryBytes: numberOf(requests.memoryBytes),
        gpu: numberOf(requests.gpu),
      },
    });
  }
  return pods;
}

/** Everything a cost model needs of one stored app. */
export function costInputOf(
  details: SparkAppDetails,
  now: number,
): SparkCostInput {
  const { app } = details;
  return {
    appId: app.id,
    cluster: app.cluster,
    namespace: app.namespace,
    startTime: app.startTime ? Date.parse(app.startTime) : undefined,
    endTime: app.endTime ? Date.parse(app.endTime) : undefined,
    pods: costPodsOf(details, now),
    executors: details.executors,
    executorCoreMs: app.metrics?.executorCoreMs,
    executorMemoryMibMs: app.metrics?.executorMemoryMibMs,
  };
}
