import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  SparkAppCost,
  SparkExecutorSummary,
} from '@spark-k8s/plugin-spark-common';

/**
 * One Spark pod as cost models see it: its resources, node and lifetime.
 *
 * @public
 */
export interface SparkCostPod {
  /** Pod name. */
  name: string;
  /** Pod namespace. */
  namespace: string;
  /** The `kubernetes:` cluster it ran in. */
  cluster: string;
  /** Its Spark role (`spark-role` label). */
  role: 'driver' | 'executor' | 'other';
  /** The node the pod ran on. */
  nodeName?: string;
  /** Labels of the node, as far as known (the pod's node selector and required affinity). */
  nodeLabels: Record<string, string>;
  /** Epoch milliseconds the pod started. */
  startTime: number;
  /** Epoch milliseconds the pod stopped (or now, while it runs). */
  endTime: number;
  /** What the pod requested: cores, bytes, GPUs. */
  requests: { cpu?: number; memoryBytes?: number; gpu?: number };
  /** Average usage over its lifetime (Prometheus), when known: cores, bytes. */
  usage?: { cpu?: number; memoryBytes?: number };
}

/**
 * What a cost model gets for one app.
 *
 * @public
 */
export interface SparkCostInput {
  /** Spark app id. */
  appId: string;
  /** The app's cluster, when known. */
  cluster?: string;
  /** The driver's namespace, when known. */
  namespace?: string;
  /** Epoch milliseconds the app started. */
  startTime?: number;
  /** Epoch milliseconds the app ended; absent while it runs. */
  endTime?: number;
  /** The app's driver and executor pods; empty when Kubernetes never reported them. */
  pods: SparkCostPod[];
  /** Executors from the event log: lifetimes and task time (for the idle share). */
  executors: SparkExecutorSummary[];
  /** Reserved executor core-ms from the event log, for apps without pods. */
  executorCoreMs?: number;
  /** Reserved executor MiB-ms from the event log, for apps without pods. */
  executorMemoryMibMs?: number;
}

/**
 * Prices Spark apps. The Spark backend's default prices pods with the `spark.cost` price
 * model; a module can replace it (an OpenCost `/allocation` model is one such module).
 *
 * @public
 */
export interface SparkCostModel {
  /** Stable id, shown with every figure, e.g. `price-model`, `opencost`. */
  id: string;
  /** ISO 4217 code of every figure the model returns. */
  currency: string;
  /** Changes whenever the model's prices change, so stored figures are recomputed. */
  version: string;
  /** Prices one app. */
  costOfApp(input: SparkCostInput): Promise<SparkAppCost>;
}

/**
 * Lets a backend module replace the cost model of the Spark backend.
 *
 * @public
 */
export interface SparkCostExtensionPoint {
  /** Replaces the default price model; may be called once. */
  setCostModel(model: SparkCostModel): void;
}

/**
 * The extension point for {@link SparkCostExtensionPoint}.
 *
 * @public
 */
export const sparkCostExtensionPoint =
  createExtensionPoint<SparkCostExtensionPoint>({
    id: 'spark.cost',
  });
