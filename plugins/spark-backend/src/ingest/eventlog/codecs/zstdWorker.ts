import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CodecError } from './CodecError';
import { decodeZstd } from './zstdFrames';

/** `workerData.role` of a zstd worker: the module decodes only when started as one. */
export const ZSTD_WORKER_ROLE = 'spark-eventlog-zstd';

/**
 * Cells of the control array the two threads share. The worker writes decompressed chunks into
 * the slots of a shared ring and counts them in WRITTEN; the reader counts in RELEASED the
 * chunks it is done with; DONE is set after the last chunk (or a failure). SEQ changes with
 * every change the worker makes, so the reader waits on that one cell.
 */
export const WRITTEN = 0;
export const RELEASED = 1;
export const DONE = 2;
export const SEQ = 3;
/** From here on, the length of the chunk in each slot. */
export const LENGTHS = 4;

/** Changes SEQ and wakes whoever waits on it: the reader looks at the cells again. */
export function wakeSeqWaiters(control: Int32Array): void {
  Atomics.add(control, SEQ, 1);
  Atomics.notify(control, SEQ);
}

export interface ZstdWorkerData {
  role: typeof ZSTD_WORKER_ROLE;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  slots: number;
  slotBytes: number;
}

/** Compressed input, in order, then its end. */
export type ToZstdWorker =
  | { type: 'input'; chunk: Uint8Array }
  | { type: 'end' };

/** How decoding ended, sent before DONE is set. */
export interface ZstdWorkerFailure {
  message: string;
  /** Set for a CodecError: where, and whether the stream only stops inside a frame. */
  codec?: { at: number; truncated: boolean };
}

export type FromZstdWorker =
  /** The decoder took one more input chunk: another may be sent. */
  { type: 'consumed' } | { type: 'done'; failure?: ZstdWorkerFailure };

function describe(error: unknown): ZstdWorkerFailure {
  if (error instanceof CodecError) {
    return {
      message: error.message,
      codec: { at: error.at, truncated: error.truncated },
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

function serve(data: ZstdWorkerData): void {
  const port = parentPort!;
  const control = new Int32Array(data.control);
  const ring = new Uint8Array(data.ring);
  const { slots, slotBytes } = data;
  const queue: Array<Uint8Array | undefined> = [];
  let wake: (() => void) | undefined;
  port.on('message', (message: ToZstdWorker) => {
    queue.push(message.type === 'input' ? message.chunk : undefined);
    wake?.();
    wake = undefined;
  });
  const message = () =>
    new Promise<void>(resolve => {
      wake = resolve;
    });
  async function* input(): AsyncGenerator<Buffer> {
    for (;;) {
      if (!queue.length) await message();
      const chunk = queue.shift();
      if (!chunk) return;
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      // Asked for the next one: the decoder has taken this one.
      port.postMessage({ type: 'consumed' } satisfies FromZstdWorker);
    }
  }
  const finish = (failure?: ZstdWorkerFailure) => {
    port.postMessage({ type: 'done', failure } satisfies FromZstdWorker);
    Atomics.store(control, DONE, 1);
    wakeSeqWaiters(control);
  };
  (async () => {
    let written = 0;
    /** Bytes in the slot being filled (slot `written % slots`, not yet handed on). */
    let filled = 0;
    const publish = () => {
      control[LENGTHS + (written % slots)] = filled;
      written += 1;
      filled = 0;
      Atomics.store(control, WRITTEN, written);
      wakeSeqWaiters(control);
    };
    try {
      // Chunks are gathered into full slots: the short ones at frame ends (Spark ends a
      // frame at every flush) do not each become a chunk of their own.
      for await (const chunk of decodeZstd(input())) {
        let at = 0;
        while (at < chunk.length) {
          if (filled === 0) {
            for (;;) {
              const released = Atomics.load(control, RELEASED);
              if (written - released < slots) break;
              await Atomics.waitAsync(control, RELEASED, released).value;
            }
          }
          const take = Math.min(chunk.length - at, slotBytes - filled);
          ring.set(
            chunk.subarray(at, at + take),
            (written % slots) * slotBytes + filled,
          );
          filled += take;
          at += take;
          if (filled === slotBytes) publish();
        }
      }
    } finally {
      // What was decoded before a failure is handed on too.
      if (filled > 0) publish();
    }
  })().then(
    () => finish(),
    error => finish(describe(error)),
  );
}

if (!isMainThread && workerData?.role === ZSTD_WORKER_ROLE) {
  serve(workerData as ZstdWorkerData);
}
