import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type {
  SparkAppReport,
  SparkAppSource,
  SparkIngestStore,
  SparkSourceProblem,
  SparkSourceRunContext,
} from '@spark-k8s/plugin-spark-node';
import os from 'node:os';
import {
  type AggregatorState,
  EventLogAggregator,
} from '../../ingest/eventlog/aggregator';
import { readEventLogLineSpans } from '../../ingest/eventlog/lines';
import { EventLineSyntaxError } from '../../ingest/eventlog/parseEvent';
import { scanLines } from '../../ingest/eventlog/scan/scanLines';
import {
  defaultScanThreads,
  ScanWorkerPool,
} from '../../ingest/eventlog/scan/ScanWorkerPool';
import {
  type EventLogEntry,
  type EventLogStorage,
  EventLogStorageError,
} from './storage';

/** Where ingestion of one log stands; stored as the source's checkpoint for the log. */
export interface EventLogCheckpoint {
  /** `partial`: more to read (killed mid-way, or the log is in progress). */
  status: 'partial' | 'done' | 'error';
  /** Sizes of the files when the checkpoint was taken: unchanged `done`/`error` logs are skipped. */
  fingerprint: string;
  /** Next file (index into the log's files) and the decompressed offset in it. */
  position: { file: number; offset: number };
  /** The aggregator at `position`; absent once done. */
  state?: AggregatorState;
  error?: string;
}

export interface EventLogSourceOptions {
  name: string;
  storage: EventLogStorage;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Save a checkpoint after this many decompressed bytes of one log. */
  checkpointBytes?: number;
  /** Conf redaction pattern on top of Spark's default (the app's own is applied too). */
  redactionRegex?: string;
  maxLineBytes?: number;
  /**
   * Worker threads that scan the task events of large logs beside the aggregator; 0 scans on
   * the calling thread. Default: none below four cores, else the cores less two, at most 3.
   */
  scanThreads?: number;
  /** Logs whose files hold at least this many bytes are scanned in threads; default 4 MiB. */
  scanInThreadsFromBytes?: number;
  /** zstd files of at least this many bytes are decompressed in a worker thread; default 1 MiB. */
  zstdInWorkerFromBytes?: number;
}

const DEFAULT_CHECKPOINT_BYTES = 64 * 1024 * 1024;
const DEFAULT_SCAN_IN_THREADS_FROM_BYTES = 4 * 1024 * 1024;
/** zstd files this large (some 25 MiB of log and more) are decompressed in a worker thread. */
const ZSTD_IN_WORKER_FROM_BYTES = 1024 * 1024;

function fingerprintOf(entry: EventLogEntry): string {
  return `${entry.inProgress ? 'inprogress' : 'complete'}|${entry.files
    .map(file => `${file.name}:${file.size}`)
    .join('|')}`;
}

/** True when the files only grew (or a rolling log got more parts) since the checkpoint. */
function canResume(previous: string, entry: EventLogEntry): boolean {
  const before = previous.split('|').slice(1);
  return before.every((item, index) => {
    const file = entry.files[index];
    if (!file) return false;
    const [, size] = item.split(/:(?=\d+$)/);
    return file.size >= Number(size);
  });
}

class EventLogFailure extends Error {}

/**
 * Ingests the Spark event logs of one directory or bucket. Each log is read in one streaming
 * pass; progress is checkpointed, so a killed backend resumes where it stopped and in-progress
 * logs are tailed by offset.
 */
export class EventLogSource implements SparkAppSource {
  readonly id: string;
  readonly kind = 'eventlog' as const;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  private scanPool: ScanWorkerPool | undefined;

  constructor(private readonly options: EventLogSourceOptions) {
    this.id = `eventlog:${options.name}`;
    this.schedule = options.schedule;
  }

  /** The scan threads for a log this large, or none (small logs are scanned right here). */
  private scanPoolFor(entry: EventLogEntry): ScanWorkerPool | undefined {
    const threads = this.options.scanThreads ?? defaultScanThreads();
    const bytes = entry.files.reduce((sum, file) => sum + file.size, 0);
    const from =
      this.options.scanInThreadsFromBytes ?? DEFAULT_SCAN_IN_THREADS_FROM_BYTES;
    if (threads < 1 || bytes < from) return undefined;
    this.scanPool ??= new ScanWorkerPool({ threads });
    return this.scanPool;
  }

  /** CPU time the scan threads have used so far, in milliseconds. */
  get scanThreadsCpuMs(): number {
    return this.scanPool?.cpuMs ?? 0;
  }

  /** Stops the scan threads now instead of after they have been idle a while. */
  async close(): Promise<void> {
    await this.scanPool?.close();
  }

  async run({ store, logger, signal }: SparkSourceRunContext): Promise<void> {
    let entries: EventLogEntry[];
    try {
      entries = await this.options.storage.listLogs();
    } catch (error) {
      const message = `cannot list ${this.options.storage.label}: ${
        (error as Error).message
      }`;
      logger.warn(`${this.id}: ${message}`);
      await store.reportSourceRun(this.id, {
        kind: 'eventlog',
        error: message,
      });
      return;
    }

    const problems: SparkSourceProblem[] = [];
    for (const entry of entries) {
      if (signal.aborted) break;
      try {
        await this.ingest(entry, store, signal);
      } catch (error) {
        const message = (error as Error).message;
        logger.warn(`${this.id}: ${message}`);
        problems.push({
          item: `${this.options.storage.label}/${entry.key}`,
          message,
        });
      }
    }
    // Logs that failed earlier and have not changed stay listed as problems.
    for (const entry of entries) {
      const checkpoint = await store.getCheckpoint<EventLogCheckpoint>(
        this.id,
        entry.key,
      );
      if (
        checkpoint?.status === 'error' &&
        !problems.some(p => p.item.endsWith(`/${entry.key}`))
      ) {
        problems.push({
          item: `${this.options.storage.label}/${entry.key}`,
          message: checkpoint.error ?? 'unreadable',
        });
      }
    }
    await store.reportSourceRun(this.id, { kind: 'eventlog', problems });
  }

  /** Reads one log from its checkpoint to its end (or to the abort). */
  async ingest(
    entry: EventLogEntry,
    store: SparkIngestStore,
    signal: AbortSignal,
  ): Promise<void> {
    const fingerprint = fingerprintOf(entry);
    let checkpoint = await store.getCheckpoint<EventLogCheckpoint>(
      this.id,
      entry.key,
    );
    // Nothing new: a finished or unreadable log, or an in-progress one that has not grown.
    if (checkpoint && checkpoint.fingerprint === fingerprint) return;
    if (
      checkpoint &&
      (!checkpoint.state || !canResume(checkpoint.fingerprint, entry))
    ) {
      checkpoint = undefined;
    }

    const aggregator = checkpoint?.state
      ? EventLogAggregator.fromState(checkpoint.state, {
          redactionRegex: this.options.redactionRegex,
        })
      : new EventLogAggregator({ redactionRegex: this.options.redactionRegex });
    let position = checkpoint?.position ?? { file: 0, offset: 0 };
    const scanPool = this.scanPoolFor(entry);
    const checkpointBytes =
      this.options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
    let sinceCheckpoint = 0;
    let events = 0;
    const save = (status: EventLogCheckpoint['status'], fp: string) =>
      store.putCheckpoint(this.id, entry.key, {
        status,
        fingerprint: fp,
        position,
        state: aggregator.toState(),
      } satisfies EventLogCheckpoint);

    try {
      for (let index = position.file; index < entry.files.length; index++) {
        const file = entry.files[index];
        const isLast = index === entry.files.length - 1;
        const label = `${this.options.storage.label}/${file.name}`;
        const lines = readEventLogLineSpans({
          open: start => {
            const { storage } = this.options;
            return !file.codec && storage.openUncompressed
              ? storage.openUncompressed(file.name, start)
              : storage.open(file.name, start);
          },
          codec: file.codec,
          fromOffset: index === position.file ? position.offset : 0,
          inProgress: entry.inProgress && isLast,
          maxLineBytes: this.options.maxLineBytes,
          zstdInWorker:
            file.codec === 'zstd' &&
            file.size >=
              (this.options.zstdInWorkerFromBytes ??
                ZSTD_IN_WORKER_FROM_BYTES) &&
            os.availableParallelism() > 1,
          signal,
          label,
        });
        for await (const batch of scanLines(lines, scanPool)) {
          const { offsets, lengths } = batch;
          for (let i = 0; i < batch.count; i++) {
            try {
              batch.feed(i, aggregator);
            } catch (error) {
              if (i > 0) position = { file: index, offset: offsets[i - 1] };
              if (!(error instanceof EventLineSyntaxError)) throw error;
              throw new EventLogFailure(
                `${label}: the line ending at decompressed byte ${
                  offsets[i]
                } is not JSON (${JSON.stringify(batch.preview(i))}…)`,
              );
            }
            events += 1;
            sinceCheckpoint += lengths[i] + 1;
            if (sinceCheckpoint >= checkpointBytes || signal.aborted) {
              position = { file: index, offset: offsets[i] };
              await save('partial', '');
              sinceCheckpoint = 0;
              if (signal.aborted) return;
            }
          }
          if (batch.count > 0) {
            position = { file: index, offset: offsets[batch.count - 1] };
          }
        }
        if (!isLast) position = { file: index + 1, offset: 0 };
      }
      if (!entry.inProgress && events === 0 && !checkpoint) {
        throw new EventLogFailure(
          `${this.options.storage.label}/${entry.key}: the log has ended but holds no events`,
        );
      }
    } catch (error) {
      if (signal.aborted) {
        await save('partial', '');
        return;
      }
      if (error instanceof EventLogStorageError) {
        // The storage failed, not the log: keep what was read and resume there next run.
        await save('partial', '');
        throw new EventLogFailure(
          `${error.message} (read again from there on the next run)`,
        );
      }
      const message = (error as Error).message;
      await this.reportUnreadable(
        store,
        aggregator,
        entry,
        fingerprint,
        position,
        message,
      );
      throw error instanceof EventLogFailure
        ? error
        : new EventLogFailure(message);
    }

    const report = aggregator.report();
    const complete = !entry.inProgress && report.complete;
    await store.reportAppWithCheckpoint(
      this.id,
      { ...report, complete },
      {
        key: entry.key,
        value: {
          status: entry.inProgress ? 'partial' : 'done',
          fingerprint,
          position,
          state: entry.inProgress ? aggregator.toState() : undefined,
        } satisfies EventLogCheckpoint,
      },
    );
  }

  /** Keeps what was read visible, never as complete, and remembers the error for this version of the files. */
  private async reportUnreadable(
    store: SparkIngestStore,
    aggregator: EventLogAggregator,
    entry: EventLogEntry,
    fingerprint: string,
    position: { file: number; offset: number },
    message: string,
  ): Promise<void> {
    const checkpoint: EventLogCheckpoint = {
      status: 'error',
      fingerprint,
      position,
      error: message,
    };
    const partial = aggregator.report();
    if (!aggregator.appId) {
      await store.putCheckpoint(this.id, entry.key, checkpoint);
      return;
    }
    const report: SparkAppReport = {
      ...partial,
      complete: false,
      state: partial.state === 'RUNNING' ? 'UNKNOWN' : partial.state,
      failures: [
        ...(partial.failures ?? []),
        { scope: 'app', reason: 'EventLogUnreadable', message, count: 1 },
      ],
    };
    await store.reportAppWithCheckpoint(this.id, report, {
      key: entry.key,
      value: checkpoint,
    });
  }
}
