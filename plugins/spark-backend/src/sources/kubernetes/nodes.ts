import type {
  SparkIngestStore,
  SparkSourceProblem,
} from '@spark-k8s/plugin-spark-node';
import type { KubernetesClusterClient } from './client';

/** Node labels worth keeping with a pod when the source is not told which: pools, capacity, place. */
export const DEFAULT_NODE_LABEL_KEYS: readonly string[] = [
  'karpenter.sh/nodepool',
  'karpenter.sh/capacity-type',
  'cloud.google.com/gke-nodepool',
  'cloud.google.com/gke-spot',
  'cloud.google.com/gke-preemptible',
  'eks.amazonaws.com/nodegroup',
  'eks.amazonaws.com/capacityType',
  'kubernetes.azure.com/agentpool',
  'kubernetes.azure.com/scalesetpriority',
  'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'kubernetes.io/arch',
];

const CHECKPOINT_KEY = 'nodes';
/** Labels read from the cluster are trusted this long before they are read again. */
const FRESH_MS = 10 * 60_000;
/** Nodes not seen for this long are forgotten (their pods were priced long ago). */
const KEEP_MS = 30 * 86_400_000;
const KEEP_NODES = 5_000;

interface KnownNode {
  labels: Record<string, string>;
  /** When the cluster last answered with these labels. */
  seenAt: number;
}

/** What the source keeps between runs: the labels of the nodes its pods ran on. */
interface NodeCheckpoint {
  nodes: Record<string, KnownNode>;
}

/**
 * The labels of the Nodes that Spark pods ran on, read with `get nodes` when a pod names a node
 * and kept in the source's checkpoint: a spot node is often gone (reclaimed) by the time its
 * pods' last events arrive, and its labels still price them. Without the permission, or while
 * the cluster fails to answer, pods keep the labels of their nodeSelector and node affinity.
 */
export class NodeLabelCache {
  private nodes = new Map<string, KnownNode>();
  private loaded = false;
  private changed = false;
  /** Nodes read in this process, and when. */
  private readonly fetchedAt = new Map<string, number>();
  /** Why this run cannot read nodes; set on the first refusal. */
  private refusal?: string;
  private failures = new Map<string, string>();

  constructor(
    private readonly sourceId: string,
    private readonly keys: readonly string[] = DEFAULT_NODE_LABEL_KEYS,
  ) {}

  /** Starts a run: reads the checkpoint once per process and forgets the last run's problems. */
  async begin(store: SparkIngestStore): Promise<void> {
    this.refusal = undefined;
    this.failures.clear();
    if (this.loaded) return;
    const stored = await store.getCheckpoint<NodeCheckpoint>(
      this.sourceId,
      CHECKPOINT_KEY,
    );
    for (const [name, node] of Object.entries(stored?.nodes ?? {})) {
      if (!this.nodes.has(name)) this.nodes.set(name, node);
    }
    this.loaded = true;
  }

  /** The kept labels of a node, reading the Node when they are not fresh; undefined when unknown. */
  async labelsOf(
    name: string,
    client: KubernetesClusterClient,
    signal: AbortSignal,
  ): Promise<Record<string, string> | undefined> {
    const known = this.nodes.get(name);
    const fetched = this.fetchedAt.get(name);
    if (fetched !== undefined && Date.now() - fetched < FRESH_MS) {
      return known?.labels;
    }
    if (this.refusal || this.failures.has(name)) return known?.labels;
    try {
      const all = await client.nodeLabels(name, signal);
      const labels = Object.fromEntries(
        this.keys.filter(key => key in all).map(key => [key, all[key]]),
      );
      const now = Date.now();
      this.fetchedAt.set(name, now);
      const differs = JSON.stringify(labels) !== JSON.stringify(known?.labels);
      // Refreshing seenAt once a day is enough to keep a node that is still in use.
      if (!known || differs || now - known.seenAt > 86_400_000) {
        this.nodes.set(name, { labels, seenAt: now });
        this.changed = true;
      }
      return labels;
    } catch (error) {
      const status = (error as { status?: number }).status;
      const message = (error as Error).message;
      if (status === 404) {
        // The node is gone: what was read of it while it ran still holds.
        this.fetchedAt.set(name, Date.now());
      } else if (status === 401 || status === 403) {
        this.refusal = message;
      } else if (!signal.aborted) {
        this.failures.set(name, message);
      }
      return known?.labels;
    }
  }

  /** What the run could not read, as warnings of the source. */
  warnings(): SparkSourceProblem[] {
    const fallback =
      "node pools and spot capacity come from each pod's nodeSelector and required node affinity";
    if (this.refusal) {
      return [
        {
          item: 'nodes/v1',
          message: `cannot get nodes: ${this.refusal}; ${fallback} (grant get on nodes to price pods by their Node's labels)`,
        },
      ];
    }
    if (this.failures.size) {
      const [[name, message]] = [...this.failures];
      return [
        {
          item: 'nodes/v1',
          message: `cannot get node ${name}${
            this.failures.size > 1
              ? ` (and ${this.failures.size - 1} more)`
              : ''
          }: ${message}; ${fallback}`,
        },
      ];
    }
    return [];
  }

  /** Ends a run: stores the kept labels if they changed, without nodes unseen for a month. */
  async save(store: SparkIngestStore): Promise<void> {
    if (!this.changed) return;
    const cutoff = Date.now() - KEEP_MS;
    const kept = [...this.nodes.entries()]
      .filter(([, node]) => node.seenAt >= cutoff)
      .sort(([, a], [, b]) => b.seenAt - a.seenAt)
      .slice(0, KEEP_NODES);
    this.nodes = new Map(kept);
    await store.putCheckpoint(this.sourceId, CHECKPOINT_KEY, {
      nodes: Object.fromEntries(kept),
    } satisfies NodeCheckpoint);
    this.changed = false;
  }
}
