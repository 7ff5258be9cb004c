import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorkerModule, workerModuleBeside } from '../workerModules';
import {
  SCAN_WORKER_ROLE,
  type ScanRequest,
  type ScanResponse,
} from './scanWorker';

export interface ScanWorkerPoolOptions {
  /** Worker threads; default {@link defaultScanThreads}, at least 1. */
  threads?: number;
  /** Workers idle this long are stopped (started again on the next batch); default 10 s. */
  idleMs?: number;
  /** The worker module; default `scanWorker` beside this module, built or TypeScript. */
  workerScript?: string;
}

interface Pending {
  resolve(response: ScanResponse): void;
  reject(error: Error): void;
}

interface ScanThread {
  worker: Worker;
  pending: Map<number, Pending>;
  cpuMicros: number;
}

/**
 * The default number of scan threads: none below four cores, else the cores less two (one for
 * the aggregator, one for reading, decompression and garbage collection), at most 3. On two
 * cores a scan thread only competes with those: `bench/eventlog` measured the ingestion of a
 * 1.1 GiB log slower with one (plain 1.12 s against 1.05 s, zstd 1.98 s against 1.65 s).
 */
export function defaultScanThreads(
  cores: number = os.availableParallelism(),
): number {
  return cores < 4 ? 0 : Math.min(3, cores - 2);
}

/**
 * Worker threads that run the task-event scanner on batches of lines, so that scanning (most
 * of an ingestion's CPU) runs beside the aggregator instead of before it. Batches go to the
 * least busy thread; each answer is matched to its request, so callers keep their own order.
 * Threads do not keep the process alive while idle, and stop after `idleMs` without work.
 */
export class ScanWorkerPool {
  readonly threads: number;
  private readonly idleMs: number;
  private readonly workerScript: string;
  private running: ScanThread[] = [];
  private nextId = 0;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** CPU time of threads that have stopped. */
  private stoppedCpuMicros = 0;

  constructor(options: ScanWorkerPoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? defaultScanThreads());
    this.idleMs = options.idleMs ?? 10_000;
    this.workerScript =
      options.workerScript ?? workerModuleBeside(__filename, 'scanWorker');
  }

  /**
   * Scans the lines `bytes[starts[i], ends[i])`. The buffers move to the worker (they are
   * detached here); `bytes` comes back in the answer, and `reuse` (records of an earlier batch
   * no longer read) is written into when large enough.
   */
  scan(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    reuse?: ArrayBuffer,
  ): Promise<ScanResponse> {
    const thread = this.leastBusy();
    const id = this.nextId++;
    const request: ScanRequest = { id, bytes, starts, ends, reuse };
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.inFlight++ === 0) for (const t of this.running) t.worker.ref();
    const moved = [bytes.buffer, starts.buffer, ends.buffer] as ArrayBuffer[];
    if (reuse) moved.push(reuse);
    return new Promise<ScanResponse>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage(request, moved);
    }).finally(() => this.settled());
  }

  /** CPU time the scan threads have used, in milliseconds (as of their last answers). */
  get cpuMs(): number {
    const running = this.running.reduce((sum, t) => sum + t.cpuMicros, 0);
    return (this.stoppedCpuMicros + running) / 1000;
  }

  /** Stops the threads; batches still in flight fail. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const threads = this.running;
    this.running = [];
    for (const thread of threads) this.stoppedCpuMicros += thread.cpuMicros;
    await Promise.all(threads.map(thread => thread.worker.terminate()));
  }

  private settled(): void {
    if (--this.inFlight > 0) return;
    for (const thread of this.running) thread.worker.unref();
    this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private leastBusy(): ScanThread {
    let best: ScanThread | undefined;
    for (const thread of this.running) {
      if (!best || thread.pending.size < best.pending.size) best = thread;
    }
    if (
      best &&
      (best.pending.size === 0 || this.running.length >= this.threads)
    ) {
      return best;
    }
    return this.start();
  }

  private start(): ScanThread {
    const worker = startWorkerModule(this.workerScript, {
      role: SCAN_WORKER_ROLE,
    });
    const thread: ScanThread = { worker, pending: new Map(), cpuMicros: 0 };
    const forget = () => {
      if (!this.running.includes(thread)) return;
      this.running = this.running.filter(t => t !== thread);
      this.stoppedCpuMicros += thread.cpuMicros;
    };
    const fail = (error: Error) => {
      forget();
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
    };
    worker.on('message', (response: ScanResponse) => {
      thread.cpuMicros = response.cpuMicros;
      const pending = thread.pending.get(response.id);
      thread.pending.delete(response.id);
      pending?.resolve(response);
    });
    worker.on('error', (error: Error) =>
      fail(new Error(`event-log scan thread failed: ${error.message}`)),
    );
    worker.on('exit', code => {
      if (thread.pending.size)
        fail(new Error(`event-log scan thread exited with code ${code}`));
      else forget();
    });
    this.running.push(thread);
    return thread;
  }
}
