import { uncompressSync as lz4Uncompress } from 'lz4-napi';
import { CodecError } from './CodecError';
import { describe, type FrameRead, type FrameReader } from './framing';
import { xxhash32 } from './xxhash32';

const MAGIC = Buffer.from('LZ4Block', 'latin1');
/** Magic, token, compressed length, decompressed length, checksum. */
const HEADER = 8 + 1 + 4 + 4 + 4;
const METHOD_RAW = 0x10;
const METHOD_LZ4 = 0x20;
/** The token's low nibble is log2(block size) - 10. */
const LEVEL_BASE = 10;
/** lz4-java's default checksum: XXH32 with this seed, of which 28 bits are kept. */
const CHECKSUM_SEED = 0x9747b28c;
const CHECKSUM_MASK = 0x0fffffff;

/**
 * lz4-java's LZ4BlockOutputStream, which Spark's lz4 codec writes (not the LZ4 frame format):
 * blocks of `LZ4Block` + token + lengths + checksum + data, and an empty block at close. Spark
 * reads concatenated streams, so another `LZ4Block` header may follow an end mark.
 */
export class Lz4BlockReader implements FrameReader {
  /** False between a data block and the end mark: a log that stops there was cut. */
  private closed = true;
  private scratch = Buffer.allocUnsafe(4 + 65536);

  read(buf: Buffer, pos: number, at: number): FrameRead {
    if (buf.length - pos < HEADER) return { need: HEADER };
    if (buf.compare(MAGIC, 0, MAGIC.length, pos, pos + MAGIC.length) !== 0) {
      throw new CodecError(
        `not an LZ4Block stream: expected the magic "LZ4Block", found ${describe(
          buf.subarray(pos, pos + MAGIC.length),
        )}`,
        at,
      );
    }
    const token = buf[pos + 8];
    const method = token & 0xf0;
    const blockSize = 1 << (LEVEL_BASE + (token & 0x0f));
    const compressed = buf.readInt32LE(pos + 9);
    const original = buf.readInt32LE(pos + 13);
    const checksum = buf.readInt32LE(pos + 17);
    if (
      (method !== METHOD_RAW && method !== METHOD_LZ4) ||
      original < 0 ||
      original > blockSize ||
      compressed < 0 ||
      (original === 0) !== (compressed === 0) ||
      (method === METHOD_RAW && compressed !== original) ||
      compressed > maxCompressedLength(original)
    ) {
      throw new CodecError(
        `corrupt LZ4Block header (token 0x${token.toString(
          16,
        )}, ${compressed} compressed bytes, ${original} decompressed bytes)`,
        at,
      );
    }
    if (original === 0) {
      this.closed = true;
      return { next: pos + HEADER };
    }
    const end = pos + HEADER + compressed;
    if (buf.length < end) return { need: HEADER + compressed };
    let data: Buffer;
    if (method === METHOD_RAW) {
      data = buf.subarray(pos + HEADER, end);
    } else {
      // lz4-napi wants the decompressed length as a 4-byte prefix; the input is not ours to
      // change, so the block is copied behind one, into a buffer reused from block to block.
      if (this.scratch.length < 4 + compressed) {
        this.scratch = Buffer.allocUnsafe(
          Math.max(4 + compressed, 2 * this.scratch.length),
        );
      }
      this.scratch.writeUInt32LE(original, 0);
      buf.copy(this.scratch, 4, pos + HEADER, end);
      try {
        data = lz4Uncompress(this.scratch.subarray(0, 4 + compressed));
      } catch (error) {
        throw new CodecError(
          `corrupt LZ4 block: ${(error as Error).message}`,
          at,
        );
      }
      if (data.length !== original) {
        throw new CodecError(
          `corrupt LZ4 block: ${data.length} bytes instead of ${original}`,
          at,
        );
      }
    }
    if ((xxhash32(data, CHECKSUM_SEED) & CHECKSUM_MASK) !== checksum) {
      throw new CodecError('corrupt LZ4 block: checksum mismatch', at);
    }
    this.closed = false;
    return { next: end, data };
  }

  finish(at: number): void {
    if (!this.closed) {
      throw new CodecError(
        'the lz4 stream has no end mark (its last block is missing): truncated',
        at,
        true,
      );
    }
  }
}

/** LZ4's worst case for incompressible input; lz4-java stores such blocks raw anyway. */
function maxCompressedLength(original: number): number {
  return original + Math.floor(original / 255) + 16;
}
