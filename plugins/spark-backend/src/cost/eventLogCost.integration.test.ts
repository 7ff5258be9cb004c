import { mockServices } from '@backstage/backend-test-utils';
import {
  makeTempDir,
  removeDir,
  runSparkJob,
  sparkVersions,
} from '@spark-k8s/harness';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestDirectory } from '../__testUtils__/ingestDirectory';
import { CostStore } from '../store/CostStore';
import { CostPricer, priceModelCostModel } from './CostPricer';
import { DEFAULT_PRICE_MODEL } from './priceModel';

jest.setTimeout(300_000);

/** Executors in their own JVMs (local-cluster), a shuffle, and idle time after it. */
const JOB = `
import time
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
spark.range(0, 400000, numPartitions=8).selectExpr("id % 13 as k").groupBy("k").count().collect()
time.sleep(3)
spark.stop()
`;

/** The figures worked out from the raw event log, independently of the portal's aggregator. */
function expectedFromLog(file: string) {
  const events = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line));
  const end = events.find(
    e => e.Event === 'SparkListenerApplicationEnd',
  ).Timestamp;
  const executors = new Map<
    string,
    {
      cores: number;
      added: number;
      removed?: number;
      memory: number;
      busy: number;
    }
  >();
  for (const e of events) {
    if (e.Event === 'SparkListenerExecutorAdded') {
      executors.set(e['Executor ID'], {
        cores: e['Executor Info']['Total Cores'],
        added: e.Timestamp,
        memory: 0,
        busy: 0,
      });
    } else if (e.Event === 'SparkListenerExecutorRemoved') {
      executors.get(e['Executor ID'])!.removed = e.Timestamp;
    } else if (e.Event === 'SparkListenerBlockManagerAdded') {
      const executor = executors.get(e['Block Manager ID']['Executor ID']);
      if (executor) executor.memory = e['Maximum Memory'];
    } else if (e.Event === 'SparkListenerTaskEnd') {
      const info = e['Task Info'];
      const executor = executors.get(info['Executor ID']);
      if (executor) executor.busy += info['Finish Time'] - info['Launch Time'];
    }
  }
  let coreMs = 0;
  let mibMs = 0;
  let busy = 0;
  for (const executor of executors.values()) {
    const life = (executor.removed ?? end) - executor.added;
    coreMs += executor.cores * life;
    mibMs += (executor.memory / 2 ** 20) * life;
    busy += executor.busy;
  }
  const hour = 3_600_000;
  return {
    executors: executors.size,
    total:
      (coreMs / hour) * DEFAULT_PRICE_MODEL.prices.vcpuHour +
      (mibMs / 1024 / hour) * DEFAULT_PRICE_MODEL.prices.gibHour,
    share: 1 - busy / coreMs,
  };
}

describe('cost of a real Spark run from its event log', () => {
  let dir: string;
  afterAll(() => dir && removeDir(dir));

  it('prices reserved executor time and the idle share as the log records them', async () => {
    dir = makeTempDir('eventlog-cost');
    const events = join(dir, 'events');
    const { eventLogs } = await runSparkJob({
      sparkVersion: sparkVersions.spark35,
      script: JOB,
      eventLogDir: events,
      master: 'local-cluster[2,1,1024]',
    });
    const expected = expectedFromLog(eventLogs[0].files[0]);
    expect(expected.executors).toBe(2);

    const { knex, store } = await ingestDirectory({
      dir: events,
      sqliteFile: join(dir, 'store.sqlite'),
    });
    try {
      const costs = new CostStore(knex, store);
      await new CostPricer({
        store,
        costs,
        model: priceModelCostModel(DEFAULT_PRICE_MODEL),
        logger: mockServices.logger.mock(),
      }).run();
      const [{ id }] = (await store.listApps({ limit: 1 })).items;
      const cost = await costs.getAppCost(id);
      expect(cost.from).toBe('event-log');
      // Figures are kept to a millionth.
      expect(cost.total).toBeCloseTo(expected.total, 5);
      expect(cost.total).toBeGreaterThan(0);
      expect(cost.wasted!.share).toBeCloseTo(expected.share, 6);
      // The run slept with its executors up: some of their time was idle.
      expect(cost.wasted!.share).toBeGreaterThan(0);
      expect(cost.wasted!.cost).toBeCloseTo(expected.share * cost.total, 5);
    } finally {
      await knex.destroy();
    }
  });
});
