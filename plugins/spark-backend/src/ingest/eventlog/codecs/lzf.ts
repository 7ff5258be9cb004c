import { CodecError } from './CodecError';
import { describe, type FrameRead, type FrameReader } from './framing';

const STORED = 0;
const COMPRESSED = 1;

/**
 * Chunks of the Ning compress-lzf library, which Spark's lzf codec writes: "ZV", a type byte,
 * then a big-endian length and data (type 0, stored) or compressed length, decompressed length
 * and an LZF block (type 1). Chunks hold at most 64 KiB, so memory stays small.
 */
export class LzfChunkReader implements FrameReader {
  read(buf: Buffer, pos: number, at: number): FrameRead {
    const available = buf.length - pos;
    if (available < 3) return { need: 3 };
    if (buf[pos] !== 0x5a || buf[pos + 1] !== 0x56) {
      throw new CodecError(
        `not an LZF stream: expected a chunk starting "ZV", found ${describe(
          buf.subarray(pos, pos + 2),
        )}`,
        at,
      );
    }
    const type = buf[pos + 2];
    if (type === STORED) {
      if (available < 5) return { need: 5 };
      const end = pos + 5 + buf.readUInt16BE(pos + 3);
      if (buf.length < end) return { need: end - pos };
      return { next: end, data: buf.subarray(pos + 5, end) };
    }
    if (type !== COMPRESSED) {
      throw new CodecError(`corrupt LZF chunk: unknown type ${type}`, at);
    }
    if (available < 7) return { need: 7 };
    const end = pos + 7 + buf.readUInt16BE(pos + 3);
    if (buf.length < end) return { need: end - pos };
    const data = lzfDecompress(
      buf.subarray(pos + 7, end),
      buf.readUInt16BE(pos + 5),
    );
    if (!data) throw new CodecError('corrupt LZF chunk', at);
    return { next: end, data };
  }
}

/**
 * Decompresses one LZF block into exactly `outLength` bytes; undefined when the block is corrupt
 * (a reference before the start, a run past either end, or the wrong total).
 */
export function lzfDecompress(
  src: Buffer,
  outLength: number,
): Buffer | undefined {
  const out = Buffer.allocUnsafe(outLength);
  const inLength = src.length;
  let ip = 0;
  let op = 0;
  while (ip < inLength) {
    const control = src[ip++];
    if (control < 32) {
      // A literal run of control + 1 bytes.
      const run = control + 1;
      if (ip + run > inLength || op + run > outLength) return undefined;
      if (run > 16) {
        src.copy(out, op, ip, ip + run);
        ip += run;
        op += run;
      } else {
        for (let i = 0; i < run; i++) out[op++] = src[ip++];
      }
      continue;
    }
    // A back reference: length in the top 3 bits (7 = one more length byte), distance below.
    let length = control >> 5;
    if (length === 7) {
      if (ip >= inLength) return undefined;
      length += src[ip++];
    }
    if (ip >= inLength) return undefined;
    let ref = op - ((control & 0x1f) << 8) - src[ip++] - 1;
    length += 2;
    if (ref < 0 || op + length > outLength) return undefined;
    if (op - ref >= length && length > 32) {
      out.copyWithin(op, ref, ref + length);
      op += length;
    } else {
      // Overlapping references repeat the bytes just written, so copy one byte at a time.
      for (let i = 0; i < length; i++) out[op++] = out[ref++];
    }
  }
  return op === outLength ? out : undefined;
}
