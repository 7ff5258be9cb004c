import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEventLogName } from '@spark-k8s/plugin-spark-common';
import type { Knex } from 'knex';
import { KubernetesSnapshotSource } from '../sources/kubernetes/KubernetesSnapshotSource';
import type { SparkStore } from '../store/SparkStore';
import { ingestDirectory } from './ingestDirectory';

/** The repository's demo-data/ folder (real Spark runs, see demo-data/README.md). */
export function demoDataDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'demo-data', 'manifest.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('demo-data/manifest.json not found');
    dir = parent;
  }
  return path.join(dir, 'demo-data');
}

/** Every file below `dir`, sorted, as paths. */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry =>
      entry.isDirectory()
        ? filesUnder(path.join(dir, entry.name))
        : [path.join(dir, entry.name)],
    )
    .sort();
}

export interface DemoRun {
  id: string;
  component?: string;
  namespace: string;
  expect: 'success' | 'failure' | 'in-progress';
  entry: string;
}

export interface DemoManifest {
  runs: DemoRun[];
  files: Record<string, string>;
}

export function readDemoManifest(): DemoManifest {
  return JSON.parse(
    fs.readFileSync(path.join(demoDataDir(), 'manifest.json'), 'utf8'),
  );
}

/** The Spark app id of a demo run, from its event-log entry's name. */
export function demoAppId(run: DemoRun): string {
  const entry = path.join(demoDataDir(), run.entry);
  return parseEventLogName(
    path.basename(entry),
    fs.statSync(entry).isDirectory(),
  )!.app;
}

const quiet = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
};

/** A SQLite store holding the demo runs, read by the portal's own event-log and snapshot sources. */
export async function loadDemoStore(): Promise<{
  knex: Knex;
  store: SparkStore;
  close(): Promise<void>;
}> {
  const demo = demoDataDir();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-store-'));
  const { knex, store } = await ingestDirectory({
    dir: path.join(demo, 'eventlogs'),
    sqliteFile: path.join(tmp, 'spark.sqlite'),
  });
  await new KubernetesSnapshotSource({
    name: 'demo',
    dir: path.join(demo, 'kubernetes'),
    schedule: { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
  }).run({ store, logger: quiet, signal: new AbortController().signal });
  return {
    knex,
    store,
    async close() {
      await knex.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
