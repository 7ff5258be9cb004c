import type { SparkAppCost } from '@spark-k8s/plugin-spark-common';
import type {
  SparkCostInput,
  SparkCostModel,
} from '@spark-k8s/plugin-spark-node';
import { roundMoney } from './appCost';

/** The fields of one OpenCost allocation the Spark cost reads. */
interface OpenCostAllocation {
  totalCost?: number;
  cpuCoreRequestAverage?: number;
  cpuCoreUsageAverage?: number;
  ramByteRequestAverage?: number;
  ramByteUsageAverage?: number;
  minutes?: number;
}

/**
 * The cost of one app from an OpenCost `/allocation` answer aggregated by the app's label;
 * undefined when OpenCost has no allocation for it.
 */
export function costFromAllocation(
  appId: string,
  currency: string,
  body: unknown,
): SparkAppCost | undefined {
  const sets = (body as { data?: Array<Record<string, OpenCostAllocation>> })
    ?.data;
  const allocation = (sets ?? []).map(set => set?.[appId]).find(Boolean);
  if (!allocation || typeof allocation.totalCost !== 'number') return undefined;
  const usageAboveRequest =
    (allocation.cpuCoreUsageAverage ?? 0) >
      (allocation.cpuCoreRequestAverage ?? 0) ||
    (allocation.ramByteUsageAverage ?? 0) >
      (allocation.ramByteRequestAverage ?? 0);
  return {
    appId,
    currency,
    total: roundMoney(allocation.totalCost),
    from: 'external',
    model: 'opencost',
    basis: usageAboveRequest ? 'usage' : 'request',
    usageKnown: allocation.cpuCoreUsageAverage !== undefined,
    pods: [],
  };
}

/**
 * A cost model that asks OpenCost: `GET /allocation` over the app's lifetime, aggregated by the
 * `spark-app-selector` pod label (OpenCost prices max(request, usage) with the cluster's own
 * prices, idle and shared costs). Apps OpenCost does not know cost 0 and say so (`pods: []`).
 */
export class OpenCostModel implements SparkCostModel {
  readonly id = 'opencost';
  readonly version: string;

  constructor(
    private readonly options: {
      /** Base URL of the OpenCost API, e.g. `http://opencost.opencost:9003`. */
      url: string;
      currency: string;
      /** The pod label OpenCost aggregates by; default `spark-app-selector`. */
      label?: string;
      timeoutMs?: number;
    },
  ) {
    this.version = `opencost:${options.url}:${options.label ?? ''}`;
  }

  get currency(): string {
    return this.options.currency;
  }

  /** The `/allocation` URL of one app's lifetime. */
  allocationUrl(input: SparkCostInput): URL {
    const starts = [input.startTime, ...input.pods.map(p => p.startTime)];
    const ends = [input.endTime, ...input.pods.map(p => p.endTime)];
    const start = Math.min(
      ...starts.filter((t): t is number => t !== undefined),
    );
    const end = Math.max(
      ...ends.filter((t): t is number => t !== undefined),
      start + 60_000,
    );
    // OpenCost takes a window of two RFC 3339 times, to the second.
    const rfc3339 = (t: number) =>
      new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const url = new URL('allocation', this.options.url.replace(/\/?$/, '/'));
    url.searchParams.set('window', `${rfc3339(start)},${rfc3339(end)}`);
    url.searchParams.set(
      'aggregate',
      `label:${this.options.label ?? 'spark-app-selector'}`,
    );
    url.searchParams.set('accumulate', 'true');
    return url;
  }

  async costOfApp(input: SparkCostInput): Promise<SparkAppCost> {
    const url = this.allocationUrl(input);
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    if (!response.ok) {
      throw new Error(`OpenCost ${url.origin} answered ${response.status}`);
    }
    return (
      costFromAllocation(input.appId, this.currency, await response.json()) ?? {
        appId: input.appId,
        currency: this.currency,
        total: 0,
        from: 'external',
        model: 'opencost',
        basis: 'request',
        usageKnown: false,
        pods: [],
      }
    );
  }
}
