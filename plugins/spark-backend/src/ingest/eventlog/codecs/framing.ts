import { CodecError } from './CodecError';

/**
 * The largest frame (compressed or decompressed) a block codec may declare. lz4-java caps its
 * blocks at 32 MiB; snappy-java and LZF blocks are far smaller. A bigger length is corruption,
 * and refusing it keeps a bad length from making us buffer the rest of the file.
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** What a frame reader found at a position: a whole frame, or how many bytes it needs first. */
export type FrameRead = { next: number; data?: Buffer } | { need: number };

/** Reads the frames of one block-framed container (lz4-java, snappy-java, LZF). */
export interface FrameReader {
  /**
   * Reads the frame at `pos` of `buf`; `at` is that position in the whole compressed stream.
   * Answers `need` (bytes from `pos`, more than `buf` holds) when the frame is not all there yet.
   * Throws CodecError on bytes that are not this format.
   */
  read(buf: Buffer, pos: number, at: number): FrameRead;
  /** Called at the end of input on a frame boundary; throws when the stream lacks its end mark. */
  finish?(at: number): void;
}

/** Buffers, Uint8Arrays (from S3 clients) or strings, as a Buffer without copying. */
export function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) {
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  return Buffer.from(String(chunk), 'latin1');
}

/** A few bytes as text or hex, for messages. */
export function describe(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return /^[\x20-\x7e]*$/.test(text)
    ? JSON.stringify(text)
    : `0x${bytes.toString('hex')}`;
}

/**
 * Decodes a block-framed stream into decompressed chunks. Holds one frame of input at most (plus
 * the chunk it ends in); pieces of a frame are gathered and joined once, when it is complete.
 */
export async function* decodeFrames(
  reader: FrameReader,
  input: AsyncIterable<unknown>,
  codec: string,
): AsyncIterable<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  let need = 0;
  let consumed = 0;
  for await (const raw of input) {
    const chunk = asBuffer(raw);
    if (chunk.length === 0) continue;
    parts.push(chunk);
    have += chunk.length;
    if (have < need) continue;
    const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
    let pos = 0;
    for (;;) {
      const frame = reader.read(buf, pos, consumed + pos);
      if ('need' in frame) {
        need = frame.need;
        break;
      }
      pos = frame.next;
      if (frame.data?.length) yield frame.data;
    }
    consumed += pos;
    have = buf.length - pos;
    parts = have > 0 ? [buf.subarray(pos)] : [];
  }
  if (have > 0) {
    throw new CodecError(
      `the ${codec} stream ends inside a block (${have} bytes of a ${need}-byte block): truncated`,
      consumed,
      true,
    );
  }
  reader.finish?.(consumed);
}
