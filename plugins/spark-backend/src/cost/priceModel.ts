import type { Config } from '@backstage/config';

/** Prices of one hour of one vCPU, one GiB of memory and one GPU. */
export interface PriceTable {
  vcpuHour: number;
  gibHour: number;
  gpuHour: number;
}

/** Prices for the nodes of one cluster, one node pool, or one node pool of one cluster. */
export interface PriceOverride {
  cluster?: string;
  nodePool?: string;
  prices: Partial<PriceTable>;
  spotDiscount?: number;
}

/** The `spark.cost` price model. */
export interface PriceModel {
  prices: PriceTable;
  /** Share taken off on spot/preemptible nodes, 0..1. */
  spotDiscount: number;
  currency: string;
  overrides: PriceOverride[];
  /** Node labels naming the node pool, first present wins. */
  nodePoolLabels: string[];
  /** Node labels (key, value) that mark spot/preemptible capacity. */
  spotLabels: Array<[string, string]>;
}

/** OpenCost's list prices for CPU and memory, a T4/L4-class GPU share, 70 % off on spot. */
export const DEFAULT_PRICES: PriceTable = {
  vcpuHour: 0.0252,
  gibHour: 0.014,
  gpuHour: 0.95,
};

/** The node-pool labels of Karpenter, GKE, EKS managed node groups and AKS. */
export const DEFAULT_NODE_POOL_LABELS = [
  'karpenter.sh/nodepool',
  'cloud.google.com/gke-nodepool',
  'eks.amazonaws.com/nodegroup',
  'kubernetes.azure.com/agentpool',
];

/** The spot/preemptible labels of Karpenter, EKS, GKE and AKS nodes. */
export const DEFAULT_SPOT_LABELS: Array<[string, string]> = [
  ['karpenter.sh/capacity-type', 'spot'],
  ['eks.amazonaws.com/capacityType', 'SPOT'],
  ['cloud.google.com/gke-spot', 'true'],
  ['cloud.google.com/gke-preemptible', 'true'],
  ['kubernetes.azure.com/scalesetpriority', 'spot'],
];

export const DEFAULT_PRICE_MODEL: PriceModel = {
  prices: DEFAULT_PRICES,
  spotDiscount: 0.7,
  currency: 'USD',
  overrides: [],
  nodePoolLabels: DEFAULT_NODE_POOL_LABELS,
  spotLabels: DEFAULT_SPOT_LABELS,
};

function price(config: Config | undefined, key: string, where: string) {
  const value = config?.getOptionalNumber(key);
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${where}.${key} must be a number of at least 0`);
  }
  return value;
}

function discount(config: Config | undefined, where: string) {
  const value = price(config, 'spotDiscount', where);
  if (value !== undefined && value > 1) {
    throw new Error(`${where}.spotDiscount must be between 0 and 1`);
  }
  return value;
}

function priceTable(config: Config | undefined, where: string) {
  const prices = config?.getOptionalConfig('prices');
  const table: Partial<PriceTable> = {};
  for (const key of ['vcpuHour', 'gibHour', 'gpuHour'] as const) {
    const value = price(prices, key, `${where}.prices`);
    if (value !== undefined) table[key] = value;
  }
  return table;
}

/** Reads `spark.cost`; every key is optional. */
export function readPriceModel(root: Config): PriceModel {
  const config = root.getOptionalConfig('spark.cost');
  const where = 'spark.cost';
  const overrides = (config?.getOptionalConfigArray('overrides') ?? []).map(
    (override, index) => {
      const at = `${where}.overrides[${index}]`;
      const cluster = override.getOptionalString('cluster');
      const nodePool = override.getOptionalString('nodePool');
      if (!cluster && !nodePool) {
        throw new Error(`${at}: set cluster, nodePool or both`);
      }
      return {
        cluster,
        nodePool,
        prices: priceTable(override, at),
        spotDiscount: discount(override, at),
      };
    },
  );
  const spotLabels = config
    ?.getOptionalConfig('spotNodeLabels')
    ?.get<Record<string, string>>();
  return {
    prices: { ...DEFAULT_PRICES, ...priceTable(config, where) },
    spotDiscount: discount(config, where) ?? DEFAULT_PRICE_MODEL.spotDiscount,
    currency:
      config?.getOptionalString('currency') ?? DEFAULT_PRICE_MODEL.currency,
    overrides,
    nodePoolLabels:
      config?.getOptionalStringArray('nodePoolLabels') ??
      DEFAULT_NODE_POOL_LABELS,
    spotLabels: spotLabels
      ? Object.entries(spotLabels).map(([k, v]) => [k, String(v)])
      : DEFAULT_SPOT_LABELS,
  };
}

/** What a node costs: prices after overrides, whether it is spot, and the discount that applies. */
export interface NodePricing {
  prices: PriceTable;
  nodePool?: string;
  spot: boolean;
  discount: number;
}

// An override for both the cluster and the pool beats one for the pool, which beats one for the cluster.
const specificity = (o: PriceOverride) =>
  (o.nodePool ? 2 : 0) + (o.cluster ? 1 : 0);

/** Prices of a node, from its cluster and labels. */
export function priceNode(
  model: PriceModel,
  cluster: string | undefined,
  nodeLabels: Record<string, string>,
): NodePricing {
  const nodePool = model.nodePoolLabels
    .map(label => nodeLabels[label])
    .find(Boolean);
  const spot = model.spotLabels.some(
    ([key, value]) => nodeLabels[key]?.toLowerCase() === value.toLowerCase(),
  );
  const matching = model.overrides
    .filter(
      o =>
        (!o.cluster || o.cluster === cluster) &&
        (!o.nodePool || o.nodePool === nodePool),
    )
    .sort((a, b) => specificity(a) - specificity(b));
  let prices = { ...model.prices };
  let spotDiscount = model.spotDiscount;
  for (const override of matching) {
    prices = { ...prices, ...override.prices };
    spotDiscount = override.spotDiscount ?? spotDiscount;
  }
  return { prices, nodePool, spot, discount: spot ? spotDiscount : 0 };
}
