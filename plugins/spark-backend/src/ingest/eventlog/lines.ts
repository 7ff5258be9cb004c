import fs from 'node:fs';
import type { EventLogCodec } from '@spark-k8s/plugin-spark-common';
import { CodecError, decodeEventLog } from './codecs';
import { describe } from './codecs/framing';
import { FILE_CHUNK_BYTES } from './fileChunks';

/** One line of an event log and where it ends in the decompressed stream. */
export interface EventLogLine {
  text: string;
  /** Decompressed offset just after this line's newline: where a resumed read starts. */
  end: number;
}

/**
 * The lines one decompressed chunk ends, as byte ranges of `bytes`: neither copied nor decoded.
 * Line `i` is `bytes[starts[i], ends[i])`, without its newline. `bytes` may be a buffer the
 * reader reads into again: count on it only until the next batch is asked for, and copy what
 * is needed longer.
 */
export interface EventLogLineSpans {
  bytes: Buffer;
  starts: number[];
  ends: number[];
  /** Decompressed offset just after line `i`'s newline: where a resumed read starts. */
  offsets: number[];
}

export interface ReadEventLogOptions {
  /**
   * Opens the raw file bytes from byte `start` (non-zero only for uncompressed logs). Chunks
   * may be buffers used again once two more chunks have been asked for (`FileChunks`).
   */
  open(
    start: number,
  ):
    | NodeJS.ReadableStream
    | AsyncIterable<Buffer>
    | Promise<NodeJS.ReadableStream | AsyncIterable<Buffer>>;
  codec?: EventLogCodec;
  /** Decompressed offset to resume from (an earlier `end`); lines before it are skipped. */
  fromOffset?: number;
  /** An `.inprogress` log: an incomplete last line or a cut compressed tail ends the read quietly. */
  inProgress: boolean;
  /** A longer line is an error, never an out-of-memory; default 64 MiB. */
  maxLineBytes?: number;
  /** Decompress a zstd log in a worker thread (worth it for large logs). */
  zstdInWorker?: boolean;
  signal?: AbortSignal;
  /** The file's path or URL, for messages. */
  label: string;
}

/** Where an {@link EventLogFormatError} happened. */
export interface EventLogFormatErrorDetails {
  /** The file's path or URL (the reader's `label`). */
  file: string;
  codec: EventLogCodec | 'none';
  /** Byte offset of the bad frame (compressed) or line (decompressed). */
  offset: number;
  offsetKind: 'compressed' | 'decompressed';
  /** What is wrong there. */
  reason: string;
}

/** An event log that cannot be read: says which file, which codec, where and what. */
export class EventLogFormatError extends Error {
  readonly details: EventLogFormatErrorDetails;

  constructor(details: EventLogFormatErrorDetails) {
    const codec =
      details.codec === 'none' ? 'uncompressed' : `${details.codec}-compressed`;
    super(
      `${details.file}: unreadable ${codec} event log at ${details.offsetKind} byte ${details.offset}: ${details.reason}`,
    );
    this.name = 'EventLogFormatError';
    this.details = details;
  }
}

const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** `open` for a local file: `readEventLogLines({ open: openFile(path), ... })`. */
export function openFile(path: string): (start: number) => fs.ReadStream {
  return start =>
    fs.createReadStream(path, { start, highWaterMark: FILE_CHUNK_BYTES });
}

/**
 * Splits decompressed chunks into lines, counting decompressed offsets. Lines are cut out of the
 * chunks they arrive in; only a line spanning chunks is copied, once, when its end arrives.
 */
class LineSplitter {
  /** Pieces of the line not ended yet. */
  private parts: Buffer[] = [];
  private partLength = 0;

  constructor(
    /** Decompressed offset of the next line's first byte. */
    private offset: number,
    private readonly from: number,
    private readonly maxLine: number,
    private readonly fail: (offset: number, reason: string) => Error,
  ) {}

  /**
   * The lines that `chunk` ends: a line begun in earlier chunks first (copied once, joined),
   * then the chunk's own. Throws at a bad line, after handing the good ones to `onLines`.
   */
  push(chunk: Buffer, onLines: (spans: EventLogLineSpans) => void): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    if (this.partLength > 0) {
      if (newline === -1) {
        this.keep(chunk);
        return;
      }
      const length = this.partLength + newline;
      this.parts.push(chunk.subarray(0, newline));
      const line = Buffer.concat(this.parts, length);
      this.parts = [];
      this.partLength = 0;
      const joined = spansOf(line);
      this.emit(line, 0, length, joined);
      if (joined.starts.length) onLines(joined);
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    const spans = spansOf(chunk);
    try {
      while (newline !== -1) {
        this.emit(chunk, start, newline, spans);
        start = newline + 1;
        newline = chunk.indexOf(NEWLINE, start);
      }
    } finally {
      if (spans.starts.length) onLines(spans);
    }
    if (start < chunk.length) {
      this.keep(start === 0 ? chunk : chunk.subarray(start));
    }
  }

  /** The last line when it has no newline: kept for a finished log if it is whole. */
  end(inProgress: boolean): EventLogLineSpans | undefined {
    if (this.partLength === 0 || inProgress) return undefined;
    const end = this.offset + this.partLength;
    if (end <= this.from) return undefined;
    const text = Buffer.concat(this.parts, this.partLength);
    let last = text.length - 1;
    while (last > 0 && (text[last] === 0x20 || text[last] === 0x0d)) last--;
    if (text[last] !== CLOSE_BRACE) {
      throw this.fail(
        this.offset,
        `the log ends inside its last line (${text.length} bytes without a newline or a closing brace): truncated`,
      );
    }
    return { bytes: text, starts: [0], ends: [text.length], offsets: [end] };
  }

  private keep(piece: Buffer): void {
    if (this.partLength === 0 && this.offset >= this.from) {
      // Checked before buffering, so a binary file fails at once instead of after maxLine bytes.
      this.expectJson(piece, 0, piece.length);
    }
    // A copy: the chunk's buffer may be read into again before the line ends.
    this.parts.push(Buffer.from(piece));
    this.partLength += piece.length;
    if (this.partLength > this.maxLine) this.tooLong();
  }

  private emit(
    buf: Buffer,
    start: number,
    newline: number,
    spans: EventLogLineSpans,
  ): void {
    const end = this.offset + (newline - start) + 1;
    if (end > this.from && newline > start) {
      if (newline - start > this.maxLine) this.tooLong();
      this.expectJson(buf, start, newline);
      spans.starts.push(start);
      spans.ends.push(newline);
      spans.offsets.push(end);
    }
    this.offset = end;
  }

  private expectJson(buf: Buffer, start: number, end: number): void {
    if (buf[start] !== OPEN_BRACE) {
      throw this.fail(
        this.offset,
        `not a JSON event line: it starts with ${describe(
          buf.subarray(start, Math.min(end, start + 16)),
        )}`,
      );
    }
  }

  private tooLong(): never {
    throw this.fail(
      this.offset,
      `a line longer than ${this.maxLine} bytes (the limit, maxLineBytes)`,
    );
  }
}

function spansOf(bytes: Buffer): EventLogLineSpans {
  return { bytes, starts: [], ends: [], offsets: [] };
}

function destroy(
  stream: NodeJS.ReadableStream | AsyncIterable<Buffer>,
  error?: unknown,
): void {
  const destroyable = stream as { destroy?: (error?: Error) => void };
  destroyable.destroy?.(error instanceof Error ? error : undefined);
}

/**
 * Streams the lines of one event-log file as byte ranges of the decompressed chunks (one batch
 * per chunk, plus one for each line that spans chunks), with bounded memory: the chunks in
 * flight plus the line being assembled. Uncompressed logs resume by
 * seeking; compressed ones are decompressed from the start and skipped up to `fromOffset`.
 * Throws EventLogFormatError on bytes that are not an event log in that codec, and the signal's
 * reason when it is aborted.
 */
export async function* readEventLogLineSpans(
  options: ReadEventLogOptions,
): AsyncIterable<EventLogLineSpans> {
  const { codec, signal, inProgress } = options;
  const from = options.fromOffset ?? 0;
  if (!Number.isSafeInteger(from) || from < 0) {
    throw new RangeError(`fromOffset must be an offset, not ${from}`);
  }
  const failure =
    (offsetKind: EventLogFormatErrorDetails['offsetKind']) =>
    (offset: number, reason: string) =>
      new EventLogFormatError({
        file: options.label,
        codec: codec ?? 'none',
        offset,
        offsetKind,
        reason,
      });
  const seek = codec ? 0 : from;
  const splitter = new LineSplitter(
    seek,
    from,
    options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    failure('decompressed'),
  );
  signal?.throwIfAborted();
  const raw = await options.open(seek);
  const onAbort = () => destroy(raw, signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of decodeEventLog(codec, raw, {
      zstdInWorker: options.zstdInWorker,
    })) {
      signal?.throwIfAborted();
      const batches: EventLogLineSpans[] = [];
      let bad: unknown;
      try {
        splitter.push(chunk, spans => batches.push(spans));
      } catch (error) {
        bad = error;
      }
      yield* batches;
      if (bad) throw bad;
    }
    const last = splitter.end(inProgress);
    if (last) yield last;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof CodecError) {
      // Spark is still writing an in-progress log: its tail may stop inside a frame.
      if (error.truncated && inProgress) return;
      throw failure('compressed')(error.at, error.message);
    }
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    destroy(raw);
  }
}

/** {@link readEventLogLineSpans} as decoded lines, in batches (one per decompressed chunk). */
export async function* readEventLogLineBatches(
  options: ReadEventLogOptions,
): AsyncIterable<EventLogLine[]> {
  for await (const { bytes, starts, ends, offsets } of readEventLogLineSpans(
    options,
  )) {
    yield starts.map((start, i) => ({
      text: bytes.toString('utf8', start, ends[i]),
      end: offsets[i],
    }));
  }
}

/** {@link readEventLogLineBatches}, one line at a time. */
export async function* readEventLogLines(
  options: ReadEventLogOptions,
): AsyncIterable<EventLogLine> {
  for await (const lines of readEventLogLineBatches(options)) yield* lines;
}
