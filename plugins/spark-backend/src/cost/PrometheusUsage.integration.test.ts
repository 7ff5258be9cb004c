import { startPrometheus, type RunningPrometheus } from '@spark-k8s/harness';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pricePod } from './appCost';
import { DEFAULT_PRICE_MODEL } from './priceModel';
import { PrometheusUsage } from './PrometheusUsage';

jest.setTimeout(120_000);

const GIB = 2 ** 30;

/**
 * The kubelet's cAdvisor series of one Spark executor container: 1.5 cores busy, 3 GiB working
 * set (more than the 1 core and 2 GiB it requested); and the pause container, which never counts.
 */
function cadvisor(startedAt: number) {
  return () => {
    const seconds = (Date.now() - startedAt) / 1000;
    const labels = 'namespace="payments",pod="etl-exec-1"';
    return [
      '# TYPE container_cpu_usage_seconds_total counter',
      `container_cpu_usage_seconds_total{${labels},container="spark-kubernetes-executor"} ${(
        1.5 * seconds
      ).toFixed(3)}`,
      `container_cpu_usage_seconds_total{${labels},container="POD"} ${(
        9 * seconds
      ).toFixed(3)}`,
      '# TYPE container_memory_working_set_bytes gauge',
      `container_memory_working_set_bytes{${labels},container="spark-kubernetes-executor"} ${
        3 * GIB
      }`,
      `container_memory_working_set_bytes{${labels},container="POD"} ${GIB}`,
      '',
    ].join('\n');
  };
}

describe('usage from a real Prometheus', () => {
  let exporter: Server;
  let prometheus: RunningPrometheus;
  const startedAt = Date.now();

  beforeAll(async () => {
    const body = cadvisor(startedAt);
    exporter = createServer((_, res) => res.end(body()));
    await new Promise<void>(r => exporter.listen(0, '127.0.0.1', r));
    const { port } = exporter.address() as AddressInfo;
    prometheus = await startPrometheus({
      config: {
        global: { scrape_interval: '1s' },
        scrape_configs: [
          {
            job_name: 'cadvisor',
            static_configs: [{ targets: [`127.0.0.1:${port}`] }],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await new Promise(r => exporter?.close(r));
  });

  it('prices max(request, usage) with the container usage Prometheus recorded', async () => {
    const usage = new PrometheusUsage({ url: prometheus.url });
    // The pod's life as Prometheus saw it: from the first scrape on.
    const podStart = Date.now();
    const pod = () => ({
      name: 'etl-exec-1',
      namespace: 'payments',
      cluster: 'prod',
      role: 'executor' as const,
      nodeLabels: {},
      startTime: podStart,
      endTime: Date.now(),
      requests: { cpu: 1, memoryBytes: 2 * GIB },
    });
    // Wait for enough samples for a rate (the scrape interval is 1 s).
    let measured: Awaited<ReturnType<PrometheusUsage['usageOf']>>;
    for (let i = 0; i < 120; i++) {
      measured = await usage.usageOf(pod());
      if (
        measured?.cpu !== undefined &&
        !Number.isNaN(measured.cpu) &&
        Date.now() - podStart > 5000
      )
        break;
      await new Promise(r => setTimeout(r, 500));
    }
    expect(measured!.cpu).toBeCloseTo(1.5, 1);
    expect(measured!.memoryBytes).toBe(3 * GIB);

    const priced = pricePod(DEFAULT_PRICE_MODEL, {
      ...pod(),
      usage: measured!,
    });
    expect(priced).toMatchObject({
      basis: 'usage',
      usageKnown: true,
      memoryGiB: 3,
    });
    expect(priced.cpu).toBeCloseTo(1.5, 1);
  });
});
