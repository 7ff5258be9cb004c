import type { EventLogCodec } from '@spark-k8s/plugin-spark-common';
import { asBuffer, decodeFrames, type FrameReader } from './framing';
import { Lz4BlockReader } from './lz4Block';
import { LzfChunkReader } from './lzf';
import { SnappyStreamReader } from './snappyStream';
import { decodeZstdInWorker } from './decodeZstdInWorker';
import { decodeZstd } from './zstdFrames';

export { CodecError } from './CodecError';

const blockReaders: Record<
  Exclude<EventLogCodec, 'zstd'>,
  () => FrameReader
> = {
  lz4: () => new Lz4BlockReader(),
  lzf: () => new LzfChunkReader(),
  snappy: () => new SnappyStreamReader(),
};

async function* plain(input: AsyncIterable<unknown>): AsyncIterable<Buffer> {
  for await (const chunk of input) yield asBuffer(chunk);
}

/**
 * The decompressed bytes of an event log written with `codec` (undefined: not compressed), as
 * Spark's codecs frame them. Throws CodecError on bytes that are not that format; a stream cut
 * inside a frame throws one with `truncated` set, after everything before the cut.
 */
export function decodeEventLog(
  codec: EventLogCodec | undefined,
  input: NodeJS.ReadableStream | AsyncIterable<unknown>,
  options: {
    /** Decompress zstd in a worker thread (for large logs; see decodeZstdInWorker). */
    zstdInWorker?: boolean;
  } = {},
): AsyncIterable<Buffer> {
  const chunks = input as AsyncIterable<unknown>;
  if (!codec) return plain(chunks);
  if (codec === 'zstd') {
    return options.zstdInWorker ? decodeZstdInWorker(input) : decodeZstd(input);
  }
  const reader = blockReaders[codec];
  if (!reader) throw new Error(`unknown event-log codec ${codec}`);
  return decodeFrames(reader(), chunks, codec);
}
