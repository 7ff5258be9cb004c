/**
 * Diagnosis rules on real Spark runs made for them (the demo runs cover skew, spill, a lost
 * executor, a failing UDF and tiny tasks; see diagnosis.test.ts): ANSI errors of Spark 4,
 * results too large for the driver, GC pressure, too few partitions and shuffle fetch
 * failures after an executor loss. Each log is read by the portal's event-log source.
 */
import {
  makeTempDir,
  removeDir,
  runSparkJob,
  sparkVersions,
} from '@spark-k8s/harness';
import { parseEventLogName } from '@spark-k8s/plugin-spark-common';
import fs from 'node:fs';
import path from 'node:path';
import { ingestDirectory } from '../__testUtils__/ingestDirectory';
import { DiagnosisEngine } from './DiagnosisEngine';
import { DiagnosisService } from './DiagnosisService';

jest.setTimeout(600_000);

/** The runs are seconds long; time thresholds shrink with them. */
const engine = new DiagnosisEngine({
  thresholds: {
    'excessive-gc': { gcShare: 0.1, minStageRunTimeMs: 200 },
    'too-few-partitions': { minStageMs: 300 },
  },
});

async function diagnose(
  sparkVersion: string,
  script: string,
  options: { conf?: Record<string, string>; master?: string } = {},
): Promise<{ rules: string[]; evidence: string }> {
  const tmp = makeTempDir('diagnosis-spark');
  try {
    const logDir = path.join(tmp, 'logs');
    await runSparkJob({
      sparkVersion,
      script,
      eventLogDir: logDir,
      conf: options.conf,
      master: options.master,
      env: { MARKER: path.join(tmp, 'killed') },
    });
    const { knex, store } = await ingestDirectory({
      dir: logDir,
      sqliteFile: path.join(tmp, 'spark.sqlite'),
    });
    try {
      const [entry] = fs.readdirSync(logDir).filter(n => !n.startsWith('.'));
      const appId = parseEventLogName(
        entry,
        fs.statSync(path.join(logDir, entry)).isDirectory(),
      )!.app;
      const service = new DiagnosisService(store, engine, {
        vcpuHour: 0.0252,
        gibHour: 0.014,
        currency: 'USD',
      });
      const found = engine.diagnose(await service.input(appId, undefined));
      return {
        rules: found.map(d => d.ruleId),
        evidence: JSON.stringify(found.map(d => d.evidence)),
      };
    } finally {
      await knex.destroy();
    }
  } finally {
    removeDir(tmp);
  }
}

const INVALID_CAST = `
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
try:
    spark.range(0, 1000, numPartitions=2).selectExpr("CAST(concat('row-', id) AS INT) AS n").collect()
except Exception as error:
    print("query failed:", str(error)[:200])
spark.stop()
`;

describe('diagnosis rules on real Spark runs', () => {
  it('Spark 4 ANSI mode: an invalid cast fails the query', async () => {
    const { rules, evidence } = await diagnose(
      sparkVersions.spark4,
      INVALID_CAST,
    );
    expect(rules).toContain('spark-4-upgrade');
    expect(evidence).toContain('CAST_INVALID_INPUT');
  });

  it('Spark 3.5 gives NULL for the same cast: nothing to upgrade', async () => {
    const { rules } = await diagnose(sparkVersions.spark35, INVALID_CAST);
    expect(rules).not.toContain('spark-4-upgrade');
    expect(rules).not.toContain('task-failures-high');
  });

  it('results over spark.driver.maxResultSize', async () => {
    const { rules, evidence } = await diagnose(
      sparkVersions.spark4,
      `
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
try:
    # Hashes: results that do not compress away under Spark's result compression.
    spark.range(0, 200000, numPartitions=4).selectExpr("id", "sha2(cast(id AS string), 512) AS pad").collect()
except Exception as error:
    print("collect failed:", str(error)[:200])
spark.stop()
`,
      { conf: { 'spark.driver.maxResultSize': '1m' } },
    );
    expect(rules).toContain('driver-bottleneck');
    expect(evidence).toContain('spark.driver.maxResultSize');
  });

  it('one partition on four cores', async () => {
    const { rules } = await diagnose(
      sparkVersions.spark35,
      `
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
import time
# One partition of work that takes two seconds whatever the machine.
print(spark.sparkContext.parallelize(range(20), 1).map(lambda x: time.sleep(0.1) or x).sum())
spark.stop()
`,
      { master: 'local[4]' },
    );
    expect(rules).toContain('too-few-partitions');
  });

  it('GC pressure from wide rows in a small heap', async () => {
    const { rules } = await diagnose(
      sparkVersions.spark35,
      `
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.getOrCreate()
rows = spark.range(0, 1_500_000, numPartitions=2).selectExpr("id % 200 AS k", "repeat(cast(id AS string), 20) AS v")
rows.groupBy("k").agg(F.collect_list("v").alias("vs")).selectExpr("k", "size(vs)").write.format("noop").mode("overwrite").save()
spark.stop()
`,
      {
        conf: {
          'spark.driver.memory': '512m',
          // A tiny young generation makes the collector run all the time, on any machine.
          'spark.driver.extraJavaOptions': '-XX:+UseSerialGC -Xmn2m',
          'spark.sql.shuffle.partitions': '2',
          'spark.sql.adaptive.enabled': 'false',
        },
      },
    );
    expect(rules).toContain('excessive-gc');
  });

  it('shuffle fetch failures after the executor with the map output dies', async () => {
    const { rules, evidence } = await diagnose(
      sparkVersions.spark35,
      `
import os
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
marker = os.environ["MARKER"]

def reduce_side(rows):
    rows = list(rows)
    if not os.path.exists(marker):
        # The first reducer kills its executor JVM, and with it the map output it served.
        open(marker, "w").close()
        pid = os.getpid()
        while pid > 1:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"CoarseGrainedExecutorBackend" in f.read():
                    os.kill(pid, 9)
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
    return [len(rows)]

pairs = spark.sparkContext.parallelize(range(200_000), 4).map(lambda x: (x % 50, x))
print(sum(pairs.groupByKey(4).mapPartitions(reduce_side).collect()))
spark.stop()
`,
      {
        master: 'local-cluster[2,1,1024]',
        conf: { 'spark.executor.memory': '512m' },
      },
    );
    expect(rules).toContain('executor-lost');
    expect(rules).toContain('fetch-failures');
    expect(evidence).toContain('FetchFailed');
  });
});
