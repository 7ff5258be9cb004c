import {
  makeTempDir,
  removeDir,
  runSparkJob,
  sparkVersions,
  startHistoryServer,
  type HistoryServer,
} from '@spark-k8s/harness';
import fs from 'node:fs';
import path from 'node:path';
import { readEventLogLineSpans } from '../lines';
import { EventLineConsumer } from '../parseEvent';
import { DirectoryEventLogStorage } from '../../../sources/eventlog/storage';
import { EventLogAggregator } from './EventLogAggregator';
import {
  HISTORY_FIELDS_NOT_REPRODUCED,
  withoutUnreproduced,
} from './historyCompat';

/** Two jobs: a shuffle + SQL job that succeeds, and one whose tasks fail and retry before the job fails. */
const script = `
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("compat-check").getOrCreate()
spark.sparkContext.setJobDescription("aggregate")
df = spark.range(0, 20000, 1, 12).select((F.col("id") % 7).alias("k"), F.col("id").alias("v"))
df.groupBy("k").agg(F.sum("v").alias("s")).orderBy("k").collect()
spark.sparkContext.setJobDescription(None)
def boom(x):
    if x % 5 == 0:
        raise ValueError("bad row %d" % x)
    return x
try:
    spark.sparkContext.parallelize(range(40), 4).map(boom).count()
except Exception:
    pass
spark.stop()
`;

const versions = [sparkVersions.spark4, sparkVersions.spark35];

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

describe.each(versions)('History Server compatibility, Spark %s', version => {
  let tmp: string;
  let server: HistoryServer;
  let appId: string;
  let ours: NonNullable<ReturnType<EventLogAggregator['report']>['history']>;

  beforeAll(async () => {
    tmp = makeTempDir('hs-compat');
    const logDir = path.join(tmp, 'logs');
    const { eventLogs } = await runSparkJob({
      sparkVersion: version,
      script,
      eventLogDir: logDir,
      conf: {
        'spark.task.maxFailures': '2',
        'spark.sql.adaptive.enabled': 'false',
      },
    });
    appId = eventLogs[0].appId;
    server = await startHistoryServer({ sparkVersion: version, logDir });
    await server.waitForApplication(appId);
    const storage = new DirectoryEventLogStorage(logDir);
    const [entry] = await storage.listLogs();
    const aggregator = new EventLogAggregator();
    // The same path as ingestion: task events through the byte scanner, the rest JSON.parse.
    const consumer = new EventLineConsumer(aggregator);
    for (const file of entry.files) {
      for await (const { bytes, starts, ends } of readEventLogLineSpans({
        open: start => storage.open(file.name, start),
        codec: file.codec,
        inProgress: false,
        label: file.name,
      })) {
        starts.forEach((start, i) => consumer.consume(bytes, start, ends[i]));
      }
    }
    ours = aggregator.report().history!;
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    if (tmp) removeDir(tmp);
  });

  const hs = (suffix: string) =>
    getJson(`${server.url}/api/v1/applications/${appId}${suffix}`);

  it('answers applications like the History Server', async () => {
    const [app] = (await getJson(`${server.url}/api/v1/applications`)).filter(
      (a: any) => a.id === appId,
    );
    expect(withoutUnreproduced('attempt', ours.attempt)).toEqual(
      withoutUnreproduced('attempt', app.attempts[0]),
    );
  });

  it.each(['jobs', 'stages', 'allexecutors', 'environment'] as const)(
    'answers %s like the History Server',
    async kind => {
      const theirs = await hs(`/${kind}`);
      const mine = (ours as any)[kind];
      // Lists are compared item by item; environment is one document.
      const comparable = (doc: any) =>
        Array.isArray(doc)
          ? doc.map((item: any) => withoutUnreproduced(kind, item))
          : withoutUnreproduced(kind, doc);
      expect(comparable(mine)).toEqual(comparable(theirs));
    },
    // The History Server reads the log on its first request for the app: slow on a busy machine.
    120_000,
  );

  it('documents every field it does not reproduce', () => {
    const doc = fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../../../../docs/history-api-compatibility.md',
      ),
      'utf8',
    );
    for (const [kind, fields] of Object.entries(
      HISTORY_FIELDS_NOT_REPRODUCED,
    )) {
      for (const field of Object.keys(fields))
        expect({
          kind,
          field,
          documented: doc.includes(`\`${field}\``),
        }).toEqual({ kind, field, documented: true });
    }
  });
});
