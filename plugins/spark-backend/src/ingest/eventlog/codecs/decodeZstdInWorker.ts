import type { Worker } from 'node:worker_threads';
import { startWorkerModule, workerModuleBeside } from '../workerModules';
import { CodecError } from './CodecError';
import { asBuffer } from './framing';
import {
  DONE,
  type FromZstdWorker,
  LENGTHS,
  RELEASED,
  SEQ,
  type ToZstdWorker,
  wakeSeqWaiters,
  WRITTEN,
  ZSTD_WORKER_ROLE,
  type ZstdWorkerData,
  type ZstdWorkerFailure,
} from './zstdWorker';

export interface ZstdInWorkerOptions {
  /** Slots of the shared ring; default 6. */
  slots?: number;
  /** Bytes of a slot; default 1 MiB (the decompressor's output chunk). */
  slotBytes?: number;
  /** Compressed chunks sent and not yet taken by the decoder; default 2. */
  inputsInFlight?: number;
  /** The worker module; default `zstdWorker` beside this module. */
  workerScript?: string;
}

function failureError(failure: ZstdWorkerFailure): Error {
  return failure.codec
    ? new CodecError(failure.message, failure.codec.at, failure.codec.truncated)
    : new Error(`zstd decoding thread: ${failure.message}`);
}

/**
 * {@link decodeZstd} in a worker thread, for large logs. The decompressor then runs on as the
 * aggregator works instead of waiting for this thread's event loop between its output chunks,
 * and the garbage of its output buffers is collected in the worker's small heap. It writes
 * into a ring of shared buffers, which the chunks handed on are views of: a chunk is valid
 * until two more have been asked for (as with `FileChunks`). The same bytes, the same
 * CodecErrors (offsets, truncation) as in this thread; compressed input is sent a few chunks
 * at a time, so memory stays bounded.
 */
export async function* decodeZstdInWorker(
  input: NodeJS.ReadableStream | AsyncIterable<unknown>,
  options: ZstdInWorkerOptions = {},
): AsyncGenerator<Buffer> {
  const slots = options.slots ?? 6;
  const slotBytes = options.slotBytes ?? 1 << 20;
  const inputsInFlight = options.inputsInFlight ?? 2;
  const ringBuffer = new SharedArrayBuffer(slots * slotBytes);
  const controlBuffer = new SharedArrayBuffer(
    Int32Array.BYTES_PER_ELEMENT * (LENGTHS + slots),
  );
  const control = new Int32Array(controlBuffer);
  const ring = Buffer.from(ringBuffer);
  const worker: Worker = startWorkerModule(
    options.workerScript ?? workerModuleBeside(__filename, 'zstdWorker'),
    {
      role: ZSTD_WORKER_ROLE,
      ring: ringBuffer,
      control: controlBuffer,
      slots,
      slotBytes,
    } satisfies ZstdWorkerData,
  );
  // Anything here that the reader below must see wakes it through SEQ.
  const wakeReader = () => wakeSeqWaiters(control);
  let stopped: Error | undefined;
  let finished: { failure?: ZstdWorkerFailure } | undefined;
  let unacknowledged = 0;
  let acknowledged: (() => void) | undefined;
  const stop = (error: Error) => {
    stopped ??= error;
    acknowledged?.();
    wakeReader();
  };
  worker.on('message', (message: FromZstdWorker) => {
    if (message.type === 'consumed') {
      unacknowledged -= 1;
      acknowledged?.();
      acknowledged = undefined;
    } else {
      finished = { failure: message.failure };
      wakeReader();
    }
  });
  worker.on('error', (error: Error) =>
    stop(new Error(`zstd decoding thread failed: ${error.message}`)),
  );
  worker.on('exit', code => {
    if (!finished)
      stop(new Error(`zstd decoding thread exited with code ${code}`));
  });
  const acknowledgement = () =>
    new Promise<void>(resolve => {
      acknowledged = resolve;
    });
  const send = (message: ToZstdWorker, transfer: ArrayBuffer[] = []) =>
    worker.postMessage(message, transfer);

  void (async () => {
    for await (const raw of input as AsyncIterable<unknown>) {
      if (stopped) return;
      const chunk = asBuffer(raw);
      if (chunk.length === 0) continue;
      // A copy of its own moves to the worker: the reader may use its buffer again.
      const copy = new Uint8Array(chunk);
      unacknowledged += 1;
      send({ type: 'input', chunk: copy }, [copy.buffer]);
      while (unacknowledged >= inputsInFlight && !stopped) {
        await acknowledgement();
      }
    }
    if (!stopped) send({ type: 'end' });
  })().catch(error => stop(error as Error));

  try {
    for (let k = 0; ; k++) {
      if (k >= 2) {
        // Chunks before the one handed on last are free again.
        Atomics.store(control, RELEASED, k - 1);
        Atomics.notify(control, RELEASED);
      }
      for (;;) {
        if (stopped) throw stopped;
        const seq = Atomics.load(control, SEQ);
        if (Atomics.load(control, WRITTEN) > k) break;
        if (Atomics.load(control, DONE)) {
          // The worker posts how it ended before it sets DONE.
          while (!finished && !stopped) {
            const wait = Atomics.waitAsync(
              control,
              SEQ,
              Atomics.load(control, SEQ),
            );
            if (wait.async) await wait.value;
          }
          if (stopped) throw stopped;
          if (finished?.failure) throw failureError(finished.failure);
          return;
        }
        const wait = Atomics.waitAsync(control, SEQ, seq);
        if (wait.async) await wait.value;
      }
      const slot = k % slots;
      const start = slot * slotBytes;
      yield ring.subarray(start, start + control[LENGTHS + slot]);
    }
  } finally {
    // The feeding loop ends at its next chunk; the caller destroys the input.
    stopped ??= new Error('zstd decoding stopped');
    acknowledged?.();
    await worker.terminate();
  }
}
