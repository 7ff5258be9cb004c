import { uncompressSync as snappyUncompress } from 'snappy';
import { CodecError } from './CodecError';
import {
  describe,
  MAX_FRAME_BYTES,
  type FrameRead,
  type FrameReader,
} from './framing';

const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** Magic, then the writer's version and the oldest reader version it needs (big-endian ints). */
const HEADER = MAGIC.length + 4 + 4;
const SUPPORTED_VERSION = 1;

/**
 * snappy-java's SnappyOutputStream, which Spark's snappy codec writes: a header, then chunks of a
 * 4-byte big-endian length and one raw snappy block. A header may appear again at a chunk
 * boundary (concatenated streams); its first byte can never start a real, positive length.
 */
export class SnappyStreamReader implements FrameReader {
  private started = false;

  read(buf: Buffer, pos: number, at: number): FrameRead {
    const available = buf.length - pos;
    if (!this.started || buf[pos] === MAGIC[0]) {
      if (available < HEADER) return { need: HEADER };
      if (buf.compare(MAGIC, 0, MAGIC.length, pos, pos + MAGIC.length) !== 0) {
        throw new CodecError(
          this.started
            ? `corrupt snappy chunk length 0x${buf.toString(
                'hex',
                pos,
                pos + 4,
              )}`
            : `not a snappy-java stream: expected its magic header, found ${describe(
                buf.subarray(pos, pos + MAGIC.length),
              )}`,
          at,
        );
      }
      const compatible = buf.readInt32BE(pos + 12);
      if (compatible > SUPPORTED_VERSION) {
        throw new CodecError(
          `snappy-java stream format ${compatible} is newer than the supported ${SUPPORTED_VERSION}`,
          at,
        );
      }
      this.started = true;
      return { next: pos + HEADER };
    }
    if (available < 4) return { need: 4 };
    const length = buf.readUInt32BE(pos);
    if (length === 0 || length > MAX_FRAME_BYTES) {
      throw new CodecError(`corrupt snappy chunk length ${length}`, at);
    }
    const end = pos + 4 + length;
    if (buf.length < end) return { need: 4 + length };
    const block = buf.subarray(pos + 4, end);
    // The block's own length preamble decides the allocation: bound it before snappy trusts it.
    const declared = preambleLength(block);
    if (declared === undefined || declared > MAX_FRAME_BYTES) {
      throw new CodecError('corrupt snappy block: bad length preamble', at);
    }
    let data: Buffer;
    try {
      data = snappyUncompress(block) as Buffer;
    } catch (error) {
      throw new CodecError(
        `corrupt snappy block: ${(error as Error).message}`,
        at,
      );
    }
    if (data.length !== declared) {
      throw new CodecError(
        `corrupt snappy block: ${data.length} bytes instead of ${declared}`,
        at,
      );
    }
    return { next: end, data };
  }
}

/** The varint that starts a raw snappy block: its decompressed length. */
function preambleLength(block: Buffer): number | undefined {
  let value = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    value += (block[i] & 0x7f) * 2 ** (7 * i);
    if (block[i] < 0x80) return value;
  }
  return undefined;
}
