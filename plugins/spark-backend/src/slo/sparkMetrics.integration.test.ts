import {
  freePort,
  runSparkJob,
  sparkVersions,
  startPrometheus,
  type RunningPrometheus,
} from '@spark-k8s/harness';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { sparkMetricRuleGroups } from './rules';

jest.setTimeout(300_000);

/** A job that runs a shuffle, then keeps its driver up until the test has what it needs. */
const JOB = `
import os, time
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("settlement-etl").getOrCreate()
spark.range(0, 200000).selectExpr("id % 7 as k").groupBy("k").count().collect()
while not os.path.exists(os.environ["SPARK_TEST_DONE"]):
    time.sleep(0.2)
spark.stop()
`;

async function query(prometheus: RunningPrometheus, promql: string) {
  const url = new URL('/api/v1/query', prometheus.url);
  url.searchParams.set('query', promql);
  const body = (await (await fetch(url)).json()) as {
    data: {
      result: Array<{
        metric: Record<string, string>;
        value: [number, string];
      }>;
    };
  };
  return body.data.result;
}

/** Polls until the query has a result; the scrape and rule intervals are 1 s. */
async function eventually(prometheus: RunningPrometheus, promql: string) {
  for (let attempt = 0; attempt < 240; attempt++) {
    const result = await query(prometheus, promql);
    if (result.length) return result;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${promql} never had a value`);
}

describe('the Spark metric rules on a real driver scraped by a real Prometheus', () => {
  it('evaluate to values from /metrics/prometheus/ and /metrics/executors/prometheus/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spark-metrics-'));
    const done = join(dir, 'done');
    const uiPort = await freePort();
    const rulesFile = join(dir, 'spark.rules.yml');
    writeFileSync(
      rulesFile,
      stringify({
        groups: sparkMetricRuleGroups({ appBaseUrl: 'http://portal' }),
      }),
    );
    const target = `127.0.0.1:${uiPort}`;
    const prometheus = await startPrometheus({
      config: {
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        scrape_configs: [
          // The servlet answers on the path with a trailing slash only.
          {
            job_name: 'spark-driver',
            metrics_path: '/metrics/prometheus/',
            static_configs: [{ targets: [target] }],
          },
          {
            job_name: 'spark-executors',
            metrics_path: '/metrics/executors/prometheus/',
            static_configs: [{ targets: [target] }],
          },
        ],
      },
      rules: [rulesFile],
    });
    const job = runSparkJob({
      sparkVersion: sparkVersions.spark4,
      script: JOB,
      eventLogDir: join(dir, 'events'),
      env: { SPARK_TEST_DONE: done },
      conf: {
        'spark.ui.enabled': 'true',
        'spark.ui.port': String(uiPort),
        'spark.ui.prometheus.enabled': 'true',
        'spark.metrics.conf.*.sink.prometheusServlet.class':
          'org.apache.spark.metrics.sink.PrometheusServlet',
        'spark.metrics.conf.*.sink.prometheusServlet.path':
          '/metrics/prometheus',
      },
    });
    try {
      const slots = await eventually(
        prometheus,
        'spark:executor_task_slots_busy:ratio',
      );
      expect(slots[0].metric.application_name).toBe('settlement-etl');
      const busy = Number(slots[0].value[1]);
      expect(busy).toBeGreaterThanOrEqual(0);
      expect(busy).toBeLessThanOrEqual(1);

      // The driver samples its executor metrics on each heartbeat: 0 until the first one.
      const heap = await eventually(
        prometheus,
        'spark:driver_jvm_heap_used:ratio > 0',
      );
      expect(heap[0].metric).toMatchObject({
        job: 'spark-driver',
        instance: target,
      });
      expect(Number(heap[0].value[1])).toBeLessThan(1);

      const failedStages = await eventually(
        prometheus,
        'spark:driver_failed_stages:max',
      );
      expect(Number(failedStages[0].value[1])).toBe(0);

      const failedTasks = await eventually(
        prometheus,
        'spark:executor_failed_tasks:increase5m',
      );
      expect(Number(failedTasks[0].value[1])).toBe(0);
      // GC time over task time (NaN while no task runs: 0 / 0 over the window).
      const gc = await eventually(
        prometheus,
        'spark:executor_gc_time:ratio_rate5m',
      );
      expect(gc[0].metric.application_name).toBe('settlement-etl');
    } finally {
      writeFileSync(done, '');
      await job.catch(() => undefined);
      await prometheus.stop();
    }
  });
});
