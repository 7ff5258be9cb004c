import type { EventLogCodec } from '@spark-k8s/plugin-spark-common';
import { CodecError, decodeBlockStream } from './codecs/blockStreams';
import { decodeZstdStream } from './codecs/zstdFrames';

/** One line of an event log and where it ends in the decompressed stream. */
export interface EventLogLine {
  text: string;
  /** Decompressed offset just after this line's newline: where a resumed read starts. */
  end: number;
}

export interface ReadEventLogOptions {
  /** Opens the raw file bytes from byte `start` (non-zero only for uncompressed logs). */
  open(start: number): NodeJS.ReadableStream | Promise<NodeJS.ReadableStream>;
  codec?: EventLogCodec;
  /** Decompressed offset to resume from (an earlier `end`); lines before it are skipped. */
  fromOffset?: number;
  /** An `.inprogress` log: an incomplete last line or a cut compressed tail ends the read quietly. */
  inProgress: boolean;
  /** A longer line is an error, never an out-of-memory; default 64 MiB. */
  maxLineBytes?: number;
  signal?: AbortSignal;
  /** The file's path or URL, for messages. */
  label: string;
}

/** An event log that cannot be read: says which file, which codec, where and what. */
export class EventLogFormatError extends Error {}

const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

function decompressed(
  raw: NodeJS.ReadableStream,
  codec: EventLogCodec | undefined,
): AsyncIterable<Buffer> {
  const input = raw as unknown as AsyncIterable<Buffer>;
  if (!codec) return input;
  if (codec === 'zstd') return decodeZstdStream(input);
  return decodeBlockStream(codec, input);
}

/**
 * Streams the lines of one event-log file, decompressing on the way, with bounded memory (one
 * chunk plus the line being assembled). Uncompressed logs resume by seeking; compressed ones
 * are decompressed from the start and skipped up to `fromOffset`.
 */
export async function* readEventLogLines(
  options: ReadEventLogOptions,
): AsyncIterable<EventLogLine> {
  const from = options.fromOffset ?? 0;
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const seekable = !options.codec;
  const what = `${options.label} (${options.codec ?? 'uncompressed'})`;
  let offset = seekable ? from : 0;
  let carry: Buffer | undefined;
  try {
    const raw = await options.open(seekable ? from : 0);
    for await (const chunk of decompressed(raw, options.codec)) {
      if (options.signal?.aborted) return;
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const newline = buf.indexOf(10, start);
        if (newline === -1) break;
        const end = offset + newline + 1;
        if (end > from && newline > start) {
          yield { text: buf.toString('utf8', start, newline), end };
        }
        start = newline + 1;
      }
      offset += start;
      carry = start < buf.length ? buf.subarray(start) : undefined;
      if (carry && carry.length > maxLine) {
        throw new EventLogFormatError(
          `${what}: the line starting at decompressed byte ${offset} is longer than ${maxLine} bytes`,
        );
      }
    }
  } catch (error) {
    if (error instanceof EventLogFormatError) throw error;
    // Spark is still writing an in-progress log: its compressed tail may be cut mid-block.
    if (options.inProgress) return;
    const at =
      error instanceof CodecError
        ? `compressed byte ${error.at}`
        : `decompressed byte ${offset + (carry?.length ?? 0)}`;
    throw new EventLogFormatError(
      `${what}: cannot be read at ${at}: ${(error as Error).message}`,
    );
  }
  // A finished log's last line may lack its newline; an in-progress one is still being written.
  if (carry?.length && !options.inProgress && offset + carry.length > from) {
    yield { text: carry.toString('utf8'), end: offset + carry.length };
  }
}
