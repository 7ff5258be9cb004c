import {
  makeTempDir,
  removeDir,
  runSparkJob,
  sparkVersions,
} from '@spark-k8s/harness';
import { execFileSync } from 'node:child_process';
import knexFactory from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import {
  dumpStore,
  ingestDirectory,
} from '../../__testUtils__/ingestDirectory';

const childScript = path.resolve(
  __dirname,
  '../../__testUtils__/ingestChild.ts',
);

/** Runs the ingestion in its own process; resolves with its exit signal (SIGKILL when it killed itself). */
function ingestInChild(options: Record<string, unknown>): {
  status: number | null;
  signal: string | null;
  stderr: string;
} {
  try {
    execFileSync(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        childScript,
        JSON.stringify(options),
      ],
      {
        cwd: path.resolve(__dirname, '../../..'),
        encoding: 'utf8',
        stdio: 'pipe',
      },
    );
    return { status: 0, signal: null, stderr: '' };
  } catch (error) {
    const e = error as {
      status: number | null;
      signal: string | null;
      stderr: string;
    };
    return { status: e.status, signal: e.signal, stderr: e.stderr };
  }
}

const job = `
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("settlement-etl").getOrCreate()
for i in range(2):
    df = spark.range(0, 60000, 1, 160).select((F.col("id") % 37).alias("k"), F.col("id").alias("v"))
    df.groupBy("k").agg(F.sum("v"), F.countDistinct("v")).collect()
spark.stop()
`;

let tmp: string;
let logs4: string; // Spark 4: rolling, zstd
let logs35: string; // Spark 3.5: one plain file
let plainLog: string;

beforeAll(async () => {
  tmp = makeTempDir('eventlog-source-test');
  logs4 = path.join(tmp, 'logs4');
  logs35 = path.join(tmp, 'logs35');
  await runSparkJob({
    sparkVersion: sparkVersions.spark4,
    script: job,
    eventLogDir: logs4,
    conf: {
      'spark.kubernetes.driver.label.backstage.io/kubernetes-id':
        'settlement-etl',
      'spark.hadoop.fs.s3a.secret.key': 'hunter2',
    },
  });
  const [log35] = (
    await runSparkJob({
      sparkVersion: sparkVersions.spark35,
      script: job,
      eventLogDir: logs35,
    })
  ).eventLogs;
  plainLog = log35.files[0];
}, 300_000);

afterAll(() => removeDir(tmp));

describe('EventLogSource', () => {
  it('ends with the same stored result when killed with SIGKILL mid-log and resumed, with or without worker threads', () => {
    const whole = path.join(tmp, 'whole.sqlite');
    const resumed = path.join(tmp, 'resumed.sqlite');
    // Read whole on the main thread; killed and resumed with scan threads on every log, and
    // zstd decompressed in a worker thread.
    const threads = {
      scanThreads: 2,
      scanInThreadsFromBytes: 0,
      zstdInWorkerFromBytes: 0,
    };
    for (const dir of [logs4, logs35]) {
      const first = ingestInChild({ dir, sqliteFile: whole, scanThreads: 0 });
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      const killed = ingestInChild({
        dir,
        sqliteFile: resumed,
        checkpointBytes: 64 * 1024,
        killAfterCheckpoints: 4,
        ...threads,
      });
      expect(killed.signal).toBe('SIGKILL');
      const rest = ingestInChild({
        dir,
        sqliteFile: resumed,
        checkpointBytes: 64 * 1024,
        ...threads,
      });
      expect(rest.stderr).toBe('');
      expect(rest.status).toBe(0);
    }
    return Promise.all(
      [whole, resumed].map(async filename => {
        const knex = knexFactory({
          client: 'better-sqlite3',
          connection: { filename },
          useNullAsDefault: true,
        });
        try {
          return await dumpStore(knex);
        } finally {
          await knex.destroy();
        }
      }),
    ).then(([a, b]) => {
      expect(a.apps).toHaveLength(2);
      expect(b).toEqual(a);
      const apps = a.apps as any[];
      expect(apps.every(app => app.complete && app.state === 'SUCCEEDED')).toBe(
        true,
      );
      expect(apps.map(app => app.sparkVersion).sort()).toEqual([
        sparkVersions.spark35,
        sparkVersions.spark4,
      ]);
    });
  }, 300_000);

  it('redacts the Spark conf before it is stored', async () => {
    const file = path.join(tmp, 'redact.sqlite');
    const { knex } = await ingestDirectory({ dir: logs4, sqliteFile: file });
    try {
      const rows = await knex('spark_app_reports').select('report');
      const stored =
        JSON.stringify(rows) +
        JSON.stringify(
          await knex('spark_history_documents').select('documents'),
        );
      expect(stored).not.toContain('hunter2');
      expect(stored).toContain('spark.hadoop.fs.s3a.secret.key');
    } finally {
      await knex.destroy();
    }
  });

  it('tails an in-progress log by offset and ends equal to reading the finished log', async () => {
    const dir = path.join(tmp, 'tail');
    fs.mkdirSync(dir);
    const lines = fs.readFileSync(plainLog, 'utf8').split('\n');
    const app = path.basename(plainLog);
    const inProgress = path.join(dir, `${app}.inprogress`);
    // Half the events, and half of the next line: Spark was writing it.
    const half = Math.floor(lines.length / 2);
    fs.writeFileSync(
      inProgress,
      `${lines.slice(0, half).join('\n')}\n${lines[half].slice(0, 20)}`,
    );

    const file = path.join(tmp, 'tail.sqlite');
    let ingested = await ingestDirectory({ dir, sqliteFile: file });
    const running = (await dumpStore(ingested.knex)).apps as any[];
    await ingested.knex.destroy();
    expect(running).toHaveLength(1);
    expect(running[0]).toMatchObject({ state: 'RUNNING', complete: false });

    fs.appendFileSync(
      inProgress,
      `${lines[half].slice(20)}\n${lines.slice(half + 1).join('\n')}`,
    );
    fs.renameSync(inProgress, path.join(dir, app));
    ingested = await ingestDirectory({ dir, sqliteFile: file });
    const tailed = await dumpStore(ingested.knex);
    await ingested.knex.destroy();

    const fresh = await ingestDirectory({
      dir,
      sqliteFile: path.join(tmp, 'tail-fresh.sqlite'),
    });
    const expected = await dumpStore(fresh.knex);
    await fresh.knex.destroy();
    expect(tailed).toEqual(expected);
    expect((tailed.apps as any[])[0]).toMatchObject({
      state: 'SUCCEEDED',
      complete: true,
    });
  });

  it('records a clear problem per bad log, keeps going, and never shows a partial app as complete', async () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir);
    const original = fs.readFileSync(plainLog, 'utf8');
    const good = path.basename(plainLog);
    // Each bad log is its own app, as every real log is.
    const as = (appId: string) => original.split(good).join(appId);
    fs.copyFileSync(plainLog, path.join(dir, good));
    // Truncated: a completed zstd log cut in the middle of a frame.
    const zstd = execFileSync('zstd', ['-c', '-q'], {
      input: as('local-truncated'),
    });
    fs.writeFileSync(
      path.join(dir, 'local-truncated.zstd'),
      zstd.subarray(0, Math.floor(zstd.length / 2)),
    );
    // Corrupt: binary garbage where events should be.
    fs.writeFileSync(
      path.join(dir, 'local-corrupt'),
      Buffer.concat([
        Buffer.from(
          `${as('local-corrupt').split('\n').slice(0, 3).join('\n')}\n`,
        ),
        Buffer.from([0, 159, 146, 150, 255, 10]),
      ]),
    );
    fs.writeFileSync(path.join(dir, 'local-empty'), '');
    fs.writeFileSync(
      path.join(dir, 'local-notjson'),
      'this is not an event log\n',
    );
    // Unknown events are skipped, not errors.
    fs.writeFileSync(
      path.join(dir, 'local-unknown-events'),
      as('local-unknown-events').replace(
        '\n',
        '\n{"Event":"com.example.CustomListenerEvent","payload":[1,2,3]}\n',
      ),
    );
    // A line over the cap (1 MiB here) is an error, never an out-of-memory.
    fs.writeFileSync(
      path.join(dir, 'local-huge-line'),
      `${
        as('local-huge-line').split('\n')[0]
      }\n{"Event":"SparkListenerEnvironmentUpdate","x":"${'a'.repeat(
        2 * 2 ** 20,
      )}"}\n`,
    );

    const file = path.join(tmp, 'bad.sqlite');
    const { knex, store } = await ingestDirectory({
      dir,
      sqliteFile: file,
      maxLineBytes: 2 ** 20,
    });
    try {
      const [status] = await store.listSourceStatus();
      expect(status.status).toBe('error');
      const problems = Object.fromEntries(
        status.problems.map(p => [path.basename(p.item), p.message]),
      );
      expect(Object.keys(problems).sort()).toEqual(
        [
          'local-corrupt',
          'local-empty',
          'local-huge-line',
          'local-notjson',
          'local-truncated',
        ].sort(),
      );
      for (const [item, message] of Object.entries(problems)) {
        expect({ item, message }).toEqual({
          item,
          message: expect.stringContaining(
            item === 'local-truncated' ? 'local-truncated.zstd' : item,
          ),
        });
      }
      const apps = (await dumpStore(knex)).apps as any[];
      const byId = Object.fromEntries(apps.map(app => [app.id, app]));
      expect(byId[good]).toMatchObject({ complete: true, state: 'SUCCEEDED' });
      expect(byId['local-unknown-events']).toMatchObject({
        complete: true,
        state: 'SUCCEEDED',
      });
      // Logs that were partly read show what was read, never as complete.
      expect(
        apps
          .filter(app => !app.complete)
          .every(app => app.state !== 'SUCCEEDED'),
      ).toBe(true);
      expect(apps.filter(app => app.complete)).toHaveLength(2); // the good log and the one with unknown events
    } finally {
      await knex.destroy();
    }
  });
});
