import type { EventLogAggregator } from '../aggregator';
import type { EventLogLineSpans } from '../lines';
import { EventLineSyntaxError } from '../parseEvent';
import { TaskEventScanner } from '../taskEventScanner';
import {
  LINE_TASK_END,
  LINE_TASK_START,
  ScannedRecordReader,
  type ScannedRecords,
} from './scannedRecords';
import type { ScanWorkerPool } from './ScanWorkerPool';

/**
 * Lines of an event log ready for the aggregator, in the log's order. `feed` must be called
 * for lines 0, 1, 2 … in turn.
 */
export interface ScannedLineBatch {
  readonly count: number;
  /** Decompressed offset just after line `i`'s newline: where a resumed read starts. */
  readonly offsets: ArrayLike<number>;
  /** Bytes of line `i`, without its newline. */
  readonly lengths: ArrayLike<number>;
  /** Gives line `i` to the aggregator; throws EventLineSyntaxError when it is not JSON. */
  feed(i: number, aggregator: EventLogAggregator): void;
  /** The start of line `i`, for messages. */
  preview(i: number): string;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EventLineSyntaxError((error as Error).message);
  }
}

/** A batch scanned here, line by line as it is fed (no worker threads). */
class InlineBatch implements ScannedLineBatch {
  readonly count: number;
  readonly offsets: number[];
  readonly lengths: number[];

  constructor(
    private readonly spans: EventLogLineSpans,
    private readonly scanner: TaskEventScanner,
  ) {
    this.count = spans.starts.length;
    this.offsets = spans.offsets;
    this.lengths = spans.starts.map((start, i) => spans.ends[i] - start);
  }

  feed(i: number, aggregator: EventLogAggregator): void {
    const { bytes, starts, ends } = this.spans;
    const scanner = this.scanner;
    switch (scanner.scan(bytes, starts[i], ends[i])) {
      case 'taskEnd':
        aggregator.consumeTaskEnd(scanner.taskEnd);
        return;
      case 'taskStart':
        aggregator.consumeTaskStart(scanner.taskStart);
        return;
      default:
        aggregator.consume(
          parseJson(bytes.toString('utf8', starts[i], ends[i])),
        );
    }
  }

  preview(i: number): string {
    const { bytes, starts, ends } = this.spans;
    return bytes
      .toString('utf8', starts[i], Math.min(ends[i], starts[i] + 320))
      .slice(0, 80);
  }
}

/** A batch a scan thread has read: records for task events, the text of every other line. */
class ScannedBatch implements ScannedLineBatch {
  private readonly reader: ScannedRecordReader;
  private readonly texts: string[] = [];

  constructor(
    readonly count: number,
    readonly offsets: Float64Array,
    readonly lengths: Int32Array,
    readonly records: ScannedRecords,
  ) {
    this.reader = new ScannedRecordReader(records);
  }

  feed(i: number, aggregator: EventLogAggregator): void {
    const reader = this.reader;
    switch (reader.next()) {
      case LINE_TASK_END:
        aggregator.consumeTaskEnd(reader.taskEnd);
        return;
      case LINE_TASK_START:
        aggregator.consumeTaskStart(reader.taskStart);
        return;
      default:
        this.texts[i] = reader.text;
        aggregator.consume(parseJson(reader.text));
    }
  }

  preview(i: number): string {
    return (this.texts[i] ?? '').slice(0, 80);
  }
}

/** The lines in a buffer of their own, for a batch fed later than the reader's next chunk. */
function copyOfSpans(spans: EventLogLineSpans): EventLogLineSpans {
  const { bytes, starts, ends, offsets } = spans;
  const count = starts.length;
  if (count === 0) return spans;
  const from = starts[0];
  const shift = -from;
  return {
    bytes: Buffer.from(bytes.subarray(from, ends[count - 1])),
    starts: starts.map(start => start + shift),
    ends: ends.map(end => end + shift),
    offsets,
  };
}

/** Bytes of lines gathered before a batch goes to a scan thread. */
const BATCH_BYTES = 1 << 20;
/** Batch buffers grow to hold the largest chunk, up to this; a larger line gets its own. */
const MAX_CAPACITY = 32 << 20;
/** Batches in flight per scan thread: one being scanned, one waiting. */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * Lines copied out of the reader's chunks into buffers that move to a scan thread and come
 * back: a few buffers go round and round, so memory stays flat and nothing is zero-filled or
 * collected per batch.
 */
class BatchBuilder {
  private readonly freeBytes: ArrayBuffer[] = [];
  private readonly freeRecords: ArrayBuffer[] = [];
  private bytes: Uint8Array;
  private used = 0;
  private starts: number[] = [];
  private ends: number[] = [];
  private offsets: number[] = [];

  /** Room of a batch buffer: twice a batch, or twice the largest chunk seen. */
  private capacity: number;

  constructor(
    private readonly pool: ScanWorkerPool,
    private readonly batchBytes: number,
  ) {
    this.capacity = 2 * batchBytes;
    this.bytes = this.buffer();
  }

  get size(): number {
    return this.used;
  }

  /** Adds a chunk's lines; a batch that would overflow is submitted first. */
  add(
    spans: EventLogLineSpans,
    submitted: Array<Promise<ScannedLineBatch>>,
  ): void {
    const { bytes, starts, ends, offsets } = spans;
    const count = starts.length;
    if (count === 0) return;
    // The lines of a chunk are contiguous (one newline apart): one copy for all of them.
    const from = starts[0];
    const to = ends[count - 1];
    if (this.used > 0 && this.used + (to - from) > this.bytes.length) {
      submitted.push(this.submit());
    }
    if (to - from > this.bytes.length) {
      if (2 * (to - from) <= MAX_CAPACITY) {
        // Chunks larger than the buffers (a decompressor's read-ahead): larger ones from now on.
        this.capacity = 2 * (to - from);
        this.freeBytes.length = 0;
        this.bytes = this.buffer();
      } else {
        this.bytes = new Uint8Array(to - from); // a huge line: a buffer of its own, used once
      }
    }
    this.bytes.set(bytes.subarray(from, to), this.used);
    const shift = this.used - from;
    for (let i = 0; i < count; i++) {
      this.starts.push(starts[i] + shift);
      this.ends.push(ends[i] + shift);
      this.offsets.push(offsets[i]);
    }
    this.used += to - from;
    if (this.used >= this.batchBytes) submitted.push(this.submit());
  }

  /** Hands the gathered lines to a scan thread; the builder starts empty again. */
  submit(): Promise<ScannedBatch> {
    const count = this.starts.length;
    const starts = Int32Array.from(this.starts);
    const ends = Int32Array.from(this.ends);
    const lengths = new Int32Array(count);
    for (let i = 0; i < count; i++) lengths[i] = ends[i] - starts[i];
    const offsets = Float64Array.from(this.offsets);
    const bytes = this.bytes.subarray(0, this.used);
    this.bytes = this.buffer();
    this.used = 0;
    this.starts = [];
    this.ends = [];
    this.offsets = [];
    return this.pool
      .scan(bytes, starts, ends, this.freeRecords.pop())
      .then(response => {
        if (response.bytes.byteLength === this.capacity) {
          this.freeBytes.push(response.bytes);
        }
        return new ScannedBatch(count, offsets, lengths, response);
      });
  }

  /** A batch's records the aggregator is done with: the next batch is written into them. */
  release(batch: ScannedBatch): void {
    this.freeRecords.push(batch.records.records.buffer as ArrayBuffer);
  }

  private buffer(): Uint8Array {
    const free = this.freeBytes.pop();
    return new Uint8Array(free ?? new ArrayBuffer(this.capacity));
  }
}

/**
 * The lines of one event-log file, scanned and in order. Without a pool the scanner runs here
 * as each line is fed. With one, lines are gathered into batches of about 1 MiB that scan
 * threads read while the aggregator takes the batches before them (and scans a share of the
 * chunks itself); a few batches are in flight at a time, so memory stays bounded. When the reader fails, every line it gave before
 * the failure is still handed on first, exactly as without threads.
 */
export async function* scanLines(
  spans: AsyncIterable<EventLogLineSpans>,
  pool?: ScanWorkerPool,
  options: {
    batchBytes?: number;
    /** Share of the bytes scanned on the calling thread; default 1 / (threads + 4). */
    ownShare?: number;
  } = {},
): AsyncIterable<ScannedLineBatch> {
  if (!pool) {
    const scanner = new TaskEventScanner();
    for await (const lines of spans) yield new InlineBatch(lines, scanner);
    return;
  }
  const inFlight: Array<Promise<ScannedLineBatch>> = [];
  const builder = new BatchBuilder(pool, options.batchBytes ?? BATCH_BYTES);
  const depth = pool.threads * IN_FLIGHT_PER_THREAD;
  // The aggregator's thread scans a share of the chunks itself, in their turn: it would
  // otherwise wait for the scan threads part of the time.
  const ownShare = options.ownShare ?? 1 / (pool.threads + 4);
  const scanner = new TaskEventScanner();
  let ownBytes = 0;
  let allBytes = 0;
  let failure: { error: unknown } | undefined;
  // Yields the oldest batch; once the consumer asks for the next one, its records are free.
  async function* next(): AsyncGenerator<ScannedLineBatch> {
    const batch = await inFlight.shift()!;
    yield batch;
    if (batch instanceof ScannedBatch) builder.release(batch);
  }
  try {
    try {
      for await (const lines of spans) {
        const count = lines.starts.length;
        const size = count ? lines.ends[count - 1] - lines.starts[0] : 0;
        allBytes += size;
        if (builder.size === 0 && ownBytes + size <= ownShare * allBytes) {
          ownBytes += size;
          // Fed after the batches ahead of it, by when the reader may have used its buffer again.
          inFlight.push(
            Promise.resolve(new InlineBatch(copyOfSpans(lines), scanner)),
          );
        } else {
          builder.add(lines, inFlight);
        }
        while (inFlight.length > depth) yield* next();
      }
    } catch (error) {
      failure = { error };
    }
    if (builder.size > 0) inFlight.push(builder.submit());
    while (inFlight.length) yield* next();
    if (failure) throw failure.error;
  } finally {
    // Stopped early (a bad line, an abort): answers still coming are dropped.
    for (const pending of inFlight) pending.catch(() => {});
  }
}
