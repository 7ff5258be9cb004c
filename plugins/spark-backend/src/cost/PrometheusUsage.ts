import type { SparkCostPod } from '@spark-k8s/plugin-spark-node';

/**
 * Average CPU and memory usage of a pod over its lifetime, from the kubelet's cAdvisor metrics
 * in Prometheus (`container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`),
 * the figures OpenCost compares with requests.
 */
export class PrometheusUsage {
  constructor(
    private readonly options: {
      url: string;
      /** Label carrying the cluster name when one Prometheus holds several clusters. */
      clusterLabel?: string;
      timeoutMs?: number;
    },
  ) {}

  /** The PromQL for one pod's average usage over `[start, end]`. */
  static queries(
    pod: SparkCostPod,
    clusterLabel?: string,
  ): { cpu: string; memory: string; time: number } {
    // The range is the pod's life: the rate over it is its average core use.
    const seconds = Math.max(
      1,
      Math.ceil((pod.endTime - pod.startTime) / 1000),
    );
    const quote = (v: string) => JSON.stringify(v);
    const selector = [
      `namespace=${quote(pod.namespace)}`,
      `pod=${quote(pod.name)}`,
      'container!=""',
      'container!="POD"',
      ...(clusterLabel ? [`${clusterLabel}=${quote(pod.cluster)}`] : []),
    ].join(',');
    // Per-point core use (irate: no extrapolation) averaged over the life Prometheus saw, so a
    // pod scraped for part of its life is not diluted by the part it was not.
    const step = Math.max(1, Math.floor(seconds / 200));
    return {
      cpu: `sum(avg_over_time(irate(container_cpu_usage_seconds_total{${selector}}[2m])[${seconds}s:${step}s]))`,
      memory: `sum(avg_over_time(container_memory_working_set_bytes{${selector}}[${seconds}s]))`,
      time: pod.endTime / 1000,
    };
  }

  private async scalar(
    query: string,
    time: number,
  ): Promise<number | undefined> {
    const url = new URL('api/v1/query', this.options.url.replace(/\/?$/, '/'));
    url.searchParams.set('query', query);
    url.searchParams.set('time', String(time));
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!response.ok) {
      throw new Error(`Prometheus ${url.origin} answered ${response.status}`);
    }
    const body = (await response.json()) as {
      data?: { result?: Array<{ value?: [number, string] }> };
    };
    const value = body.data?.result?.[0]?.value?.[1];
    return value === undefined ? undefined : Number(value);
  }

  async usageOf(
    pod: SparkCostPod,
  ): Promise<{ cpu?: number; memoryBytes?: number } | undefined> {
    const { cpu, memory, time } = PrometheusUsage.queries(
      pod,
      this.options.clusterLabel,
    );
    const [cores, bytes] = await Promise.all([
      this.scalar(cpu, time),
      this.scalar(memory, time),
    ]);
    if (cores === undefined && bytes === undefined) return undefined;
    return { cpu: cores, memoryBytes: bytes };
  }
}
