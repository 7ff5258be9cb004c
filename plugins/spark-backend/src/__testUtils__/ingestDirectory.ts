import type { LoggerService } from '@backstage/backend-plugin-api';
import knexFactory, { type Knex } from 'knex';
import { SparkStore } from '../store/SparkStore';
import { EventLogSource } from '../sources/eventlog/EventLogSource';
import {
  DirectoryEventLogStorage,
  type EventLogStorage,
} from '../sources/eventlog/storage';

/** Logs warnings to stderr; the rest is quiet. */
const stderrLogger: LoggerService = {
  error: message => process.stderr.write(`${message}\n`),
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => stderrLogger,
};

/** How {@link ingestDirectory} and {@link ingestStorage} ingest (see EventLogSourceOptions). */
export interface IngestOptions {
  sqliteFile: string;
  checkpointBytes?: number;
  maxLineBytes?: number;
  /** Test hook: the process SIGKILLs itself right after this many checkpoints. */
  killAfterCheckpoints?: number;
  /** Scan threads; 0 scans on the calling thread. */
  scanThreads?: number;
  scanInThreadsFromBytes?: number;
  zstdInWorkerFromBytes?: number;
}

export interface IngestResult {
  knex: Knex;
  store: SparkStore;
  scanThreadsCpuMs: number;
}

/**
 * Ingests one event-log directory into a SQLite file, once, outside a backend: for tests that
 * kill the process mid-ingest and for the benchmark.
 */
export async function ingestDirectory(
  options: IngestOptions & { dir: string },
): Promise<IngestResult> {
  const { dir, ...rest } = options;
  return ingestStorage({
    ...rest,
    storage: new DirectoryEventLogStorage(dir),
  });
}

/** {@link ingestDirectory} from any storage (a bucket); one run of the source, into a SQLite file. */
export async function ingestStorage(
  options: IngestOptions & { storage: EventLogStorage },
): Promise<IngestResult> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: options.sqliteFile },
    useNullAsDefault: true,
  });
  const store = await SparkStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  if (options.killAfterCheckpoints !== undefined) {
    let left = options.killAfterCheckpoints;
    const put = store.putCheckpoint.bind(store);
    store.putCheckpoint = async (sourceId, key, value) => {
      await put(sourceId, key, value);
      if (--left <= 0) process.kill(process.pid, 'SIGKILL');
    };
  }
  const source = new EventLogSource({
    name: 'local',
    storage: options.storage,
    schedule: { frequency: { seconds: 30 }, timeout: { minutes: 60 } },
    checkpointBytes: options.checkpointBytes,
    maxLineBytes: options.maxLineBytes,
    scanThreads: options.scanThreads,
    scanInThreadsFromBytes: options.scanInThreadsFromBytes,
    zstdInWorkerFromBytes: options.zstdInWorkerFromBytes,
  });
  try {
    await source.run({
      store,
      logger: stderrLogger,
      signal: new AbortController().signal,
    });
  } finally {
    await source.close();
  }
  return { knex, store, scanThreadsCpuMs: source.scanThreadsCpuMs };
}

/** What a store holds, without the times of writing: equal for equal ingestions. */
export async function dumpStore(
  knex: Knex,
): Promise<Record<string, unknown[]>> {
  const apps = await knex('spark_apps')
    .orderBy('app_id')
    .select('app_id', 'summary');
  const reports = await knex('spark_app_reports')
    .orderBy(['source_id', 'app_id', 'attempt_id'])
    .select('source_id', 'app_id', 'attempt_id', 'report');
  const history = await knex('spark_history_documents')
    .orderBy(['app_id', 'attempt_id', 'source_id'])
    .select('app_id', 'attempt_id', 'documents');
  return {
    apps: apps.map(row => {
      const { updatedAt: _updatedAt, ...summary } = JSON.parse(row.summary);
      return summary;
    }),
    reports: reports.map(row => ({ ...row, report: JSON.parse(row.report) })),
    history: history.map(row => ({
      ...row,
      documents: JSON.parse(row.documents),
    })),
  };
}
