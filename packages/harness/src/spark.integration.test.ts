import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir } from './common';
import {
  EventLog,
  HistoryServer,
  runSparkJob,
  sparkVersions,
  startHistoryServer,
} from './spark';

const jobScript = `
import json
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("harness-smoke").getOrCreate()
df = spark.range(0, 10000, numPartitions=4)
rows = df.groupBy((F.col("id") % 10).alias("bucket")).count().collect()
assert len(rows) == 10 and all(r["count"] == 1000 for r in rows), rows
sc = spark.sparkContext
print("HARNESS_RESULT " + json.dumps({"appId": sc.applicationId, "appName": sc.appName, "sparkVersion": spark.version}))
spark.stop()
`;

interface JobReport {
  appId: string;
  appName: string;
  sparkVersion: string;
}

function parseReport(output: string): JobReport {
  const line = output.split('\n').find(l => l.startsWith('HARNESS_RESULT '));
  if (!line)
    throw new Error(
      `job printed no HARNESS_RESULT line; output:\n${output.slice(-4000)}`,
    );
  return JSON.parse(line.slice('HARNESS_RESULT '.length));
}

/** The event log layout each Spark line writes with default settings. */
interface ExpectedLayout {
  rolling: boolean;
  codec: string | undefined;
  entry: (appId: string) => string;
  firstFile: (appId: string) => string;
}

// Spark 4 defaults: rolling event logs (a directory per application), zstd-compressed.
const spark4Layout: ExpectedLayout = {
  rolling: true,
  codec: 'zstd',
  entry: appId => `eventlog_v2_${appId}`,
  firstFile: appId => `events_1_${appId}.zstd`,
};

// Spark 3.5 defaults: one uncompressed file named after the application.
const spark35Layout: ExpectedLayout = {
  rolling: false,
  codec: undefined,
  entry: appId => appId,
  firstFile: appId => appId,
};

// Sequential on purpose: each version starts a driver JVM and a History Server JVM on a 2-core machine.
describe.each([
  ['Spark 4', sparkVersions.spark4, spark4Layout],
  ['Spark 3.5', sparkVersions.spark35, spark35Layout],
])(
  '%s (%s): real job, event log and History Server',
  (_label, version, layout) => {
    let eventLogDir: string;
    let historyServer: HistoryServer | undefined;
    let report: JobReport;
    let eventLogs: EventLog[];

    beforeAll(() => {
      eventLogDir = makeTempDir(`spark-eventlog-${version}`);
    });

    afterAll(async () => {
      await historyServer?.stop();
      removeDir(eventLogDir);
    });

    it('runs a groupBy/count job in local mode and writes an event log', async () => {
      const result = await runSparkJob({
        sparkVersion: version,
        script: jobScript,
        eventLogDir,
      });
      report = parseReport(result.output);
      eventLogs = result.eventLogs;

      expect(report.sparkVersion).toBe(version);
      expect(report.appName).toBe('harness-smoke');
      expect(report.appId).toMatch(/^local-\d+$/);
      expect(eventLogs).toHaveLength(1);
      const [log] = eventLogs;
      expect(log.appId).toBe(report.appId);
      expect(log.files.length).toBeGreaterThanOrEqual(1);
      for (const file of log.files)
        expect(fs.statSync(file).size).toBeGreaterThan(0);
      expect({
        rolling: log.rolling,
        codec: log.codec,
        entry: path.basename(log.path),
        firstFile: path.basename(log.files[0]),
      }).toEqual({
        rolling: layout.rolling,
        codec: layout.codec,
        entry: layout.entry(report.appId),
        firstFile: layout.firstFile(report.appId),
      });
    }, 300_000);

    it('is listed by the real History Server with its jobs', async () => {
      expect(report).toBeDefined();
      historyServer = await startHistoryServer({
        sparkVersion: version,
        logDir: eventLogDir,
      });
      expect(historyServer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const app = await historyServer.waitForApplication(report.appId, 90_000);
      expect(app.id).toBe(report.appId);
      expect(app.name).toBe(report.appName);
      expect(app.attempts[0]?.completed).toBe(true);

      const listed = (await (
        await fetch(`${historyServer.url}/api/v1/applications`)
      ).json()) as Array<{
        id: string;
        name: string;
      }>;
      expect(listed.map(a => [a.id, a.name])).toEqual([
        [report.appId, report.appName],
      ]);

      const jobsResponse = await fetch(
        `${historyServer.url}/api/v1/applications/${report.appId}/jobs`,
      );
      expect(jobsResponse.status).toBe(200);
      const jobs = (await jobsResponse.json()) as Array<{
        jobId: number;
        status: string;
      }>;
      expect(jobs.length).toBeGreaterThanOrEqual(1);
      expect(jobs.every(j => j.status === 'SUCCEEDED')).toBe(true);
    }, 300_000);
  },
);
