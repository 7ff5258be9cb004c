/**
 * Regenerates the portal's demo data from real Spark runs: every job in jobs/ runs with the
 * harness's Spark (4.x and 3.5.x), its event log is copied to eventlogs/, and the Kubernetes
 * objects the same runs would have left in a cluster (kubeflow SparkApplications, driver and
 * executor pods) are written to kubernetes/ from what the logs say. manifest.json records each
 * file's sha256; a unit test fails when a fixture no longer matches it (edited by hand).
 *
 * Run: demo-data/generate.sh (a few minutes; needs the harness's Spark venvs).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  makeTempDir,
  removeDir,
  runSparkJob,
  sparkVersions,
} from '@spark-k8s/harness';
import { parseEventLogName } from '@spark-k8s/plugin-spark-common';
import { stringify } from 'yaml';
import { filesUnder } from '../plugins/spark-backend/src/__testUtils__/demoStore';
import { ingestDirectory } from '../plugins/spark-backend/src/__testUtils__/ingestDirectory';
import {
  demoRuns,
  type DemoRun,
  toKubernetesObjects,
  type RunFacts,
} from './runs';

const ROOT = __dirname;
const EVENT_LOGS = path.join(ROOT, 'eventlogs');
const KUBERNETES = path.join(ROOT, 'kubernetes');

function sparkConf(run: DemoRun): Record<string, string> {
  const conf: Record<string, string> = {
    'spark.app.name': run.component ?? run.id,
    'spark.kubernetes.namespace': run.namespace,
    'spark.sql.shuffle.partitions': '8',
    // A credential in the conf shows that it never reaches the store, the API or the UI.
    'spark.hadoop.fs.s3a.secret.key': 'demo-credential-redacted-everywhere',
    ...run.conf,
  };
  if (run.component) {
    for (const role of ['driver', 'executor']) {
      conf[`spark.kubernetes.${role}.label.backstage.io/kubernetes-id`] =
        run.component;
    }
  }
  return conf;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function runOne(run: DemoRun, index: number): Promise<string[]> {
  const logDir = makeTempDir('demo-log');
  const work = makeTempDir('demo-work');
  try {
    const started = Date.now();
    const result = await runSparkJob({
      sparkVersion:
        run.spark === '4' ? sparkVersions.spark4 : sparkVersions.spark35,
      script: path.join(ROOT, 'jobs', run.script),
      eventLogDir: logDir,
      conf: sparkConf(run),
      master: run.master,
      env: {
        OUTPUT_DIR: work,
        KILL_EXECUTOR_MARKER: run.killExecutor ? path.join(work, 'killed') : '',
        ...run.env,
      },
      allowFailure: run.expect !== 'success',
      timeoutMs: 15 * 60_000,
    });
    const ended =
      run.expect === 'success' ? result.exitCode === 0 : result.exitCode !== 0;
    if (!ended) {
      throw new Error(
        `${run.id}: expected ${run.expect}, spark-submit exited ${
          result.exitCode
        }\n${result.output.slice(-3000)}`,
      );
    }
    const entries = [
      ...result.eventLogs.map(log => log.path),
      ...result.inProgressLogs,
    ];
    if (entries.length !== 1) {
      throw new Error(`${run.id}: expected one event log, got ${entries}`);
    }
    if (run.expect === 'in-progress' && result.inProgressLogs.length !== 1) {
      throw new Error(`${run.id}: the log was finished, not in progress`);
    }
    const target = path.join(EVENT_LOGS, path.basename(entries[0]));
    fs.cpSync(entries[0], target, { recursive: true });
    console.log(
      `[${index + 1}/${demoRuns.length}] ${run.id}: ${path.basename(
        target,
      )} (exit ${result.exitCode}, ${((Date.now() - started) / 1000).toFixed(
        0,
      )} s)`,
    );
    return [target];
  } finally {
    removeDir(logDir);
    removeDir(work);
  }
}

async function main(): Promise<void> {
  fs.rmSync(EVENT_LOGS, { recursive: true, force: true });
  fs.rmSync(KUBERNETES, { recursive: true, force: true });
  fs.mkdirSync(EVENT_LOGS, { recursive: true });
  fs.mkdirSync(KUBERNETES, { recursive: true });

  const runLogs = new Map<string, string>();
  for (const [index, run] of demoRuns.entries()) {
    const [entry] = await runOne(run, index);
    runLogs.set(run.id, entry);
  }

  // Read the logs back with the portal's own ingestion: the facts the Kubernetes objects carry
  // come from the runs, and a log the portal cannot read stops the generator here.
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-ingest-'));
  const { knex, store } = await ingestDirectory({
    dir: EVENT_LOGS,
    sqliteFile: path.join(dbDir, 'spark.sqlite'),
  });
  const [status] = (await store.listSourceStatus()).filter(
    s => s.id === 'eventlog:local',
  );
  if (status?.problems?.length) {
    throw new Error(
      `the portal cannot read the demo logs: ${JSON.stringify(
        status.problems,
      )}`,
    );
  }
  const objects: unknown[] = [];
  for (const run of demoRuns) {
    const entry = runLogs.get(run.id)!;
    const name = parseEventLogName(
      path.basename(entry),
      fs.statSync(entry).isDirectory(),
    );
    if (!name) throw new Error(`${entry} is not an event-log name`);
    const app = await store.getAppDetails(name.app);
    const facts: RunFacts = {
      appId: app.app.id,
      state: app.app.state,
      startTime: app.app.startTime,
      endTime: app.app.endTime,
      failureReason: app.app.failureReason,
      executors: app.executors
        .filter(e => e.executorId !== 'driver')
        .map(e => ({
          id: e.executorId,
          addTime: e.addTime,
          removeTime: e.removeTime,
          removeReason: e.removeReason,
        })),
    };
    objects.push(...toKubernetesObjects(run, facts));
  }
  await knex.destroy();
  fs.rmSync(dbDir, { recursive: true, force: true });
  fs.writeFileSync(
    path.join(KUBERNETES, 'demo-cluster.yaml'),
    `# Generated by demo-data/generate.ts from the demo runs; do not edit.\n${objects
      .map(object => stringify(object))
      .join('---\n')}`,
  );

  const manifest = {
    generatedBy: 'demo-data/generate.sh',
    spark: sparkVersions,
    runs: demoRuns.map(run => ({
      id: run.id,
      component: run.component,
      namespace: run.namespace,
      spark: run.spark,
      expect: run.expect,
      entry: path.relative(ROOT, runLogs.get(run.id)!),
    })),
    files: Object.fromEntries(
      [...filesUnder(EVENT_LOGS), ...filesUnder(KUBERNETES)].map(file => [
        path.relative(ROOT, file),
        sha256(file),
      ]),
    ),
  };
  fs.writeFileSync(
    path.join(ROOT, 'manifest.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  const bytes = filesUnder(EVENT_LOGS).reduce(
    (sum, file) => sum + fs.statSync(file).size,
    0,
  );
  console.log(
    `demo data: ${demoRuns.length} runs, ${(bytes / 1024).toFixed(
      0,
    )} KiB of event logs, ${objects.length} Kubernetes objects`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
