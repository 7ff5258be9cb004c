import { createZstdDecompress, type ZstdDecompress } from 'node:zlib';
import { CodecError } from './blockStreams';

const ZSTD_MAGIC = 0xfd2fb528;
const CHUNK = 1 << 20;

/**
 * Finds where zstd frames end in a byte stream without decompressing, by walking frame and
 * block headers. Spark's zstd event logs hold many frames (one per flush), and node:zlib's
 * decompressor stops after the first, so each frame gets a decompressor of its own.
 */
class ZstdFrameBoundaries {
  private state: 'frame' | 'block' | 'body' | 'checksum' | 'skip' = 'frame';
  private remaining = 0;
  private lastBlock = false;
  private checksum = false;
  /** Header bytes that arrived split across chunks. */
  private head = Buffer.alloc(0);
  consumed = 0;

  /**
   * Splits `chunk` into pieces, each flagged when it ends a frame. Throws CodecError on bytes
   * that are not zstd.
   */
  split(chunk: Buffer): Array<{ bytes: Buffer; endsFrame: boolean }> {
    const pieces: Array<{ bytes: Buffer; endsFrame: boolean }> = [];
    let start = 0;
    let pos = 0;
    const cut = (endsFrame: boolean) => {
      if (pos > start || endsFrame) {
        pieces.push({ bytes: chunk.subarray(start, pos), endsFrame });
      }
      start = pos;
    };
    while (pos < chunk.length) {
      if (
        this.state === 'body' ||
        this.state === 'skip' ||
        this.state === 'checksum'
      ) {
        const take = Math.min(this.remaining, chunk.length - pos);
        pos += take;
        this.remaining -= take;
        if (this.remaining > 0) break;
        if (this.state === 'body') {
          if (!this.lastBlock) this.state = 'block';
          else if (this.checksum) {
            this.state = 'checksum';
            this.remaining = 4;
          } else {
            this.state = 'frame';
            cut(true);
          }
        } else if (this.state === 'checksum') {
          this.state = 'frame';
          cut(true);
        } else {
          this.state = 'frame';
          cut(false);
        }
        continue;
      }
      // Header states: gather bytes until the header is complete.
      const need =
        this.state === 'block' ? 3 : this.frameHeaderLength(chunk, pos);
      const have = this.head.length + (chunk.length - pos);
      if (need === undefined || have < need) {
        const take = chunk.length - pos;
        this.head = Buffer.concat([this.head, chunk.subarray(pos)]);
        pos += take;
        if (this.head.length > 32)
          throw new CodecError('corrupt zstd header', this.consumed);
        break;
      }
      const fromChunk = need - this.head.length;
      const header = Buffer.concat([
        this.head,
        chunk.subarray(pos, pos + fromChunk),
      ]);
      this.head = Buffer.alloc(0);
      pos += fromChunk;
      if (this.state === 'block') {
        const value = header[0] | (header[1] << 8) | (header[2] << 16);
        this.lastBlock = (value & 1) === 1;
        const type = (value >> 1) & 3;
        const size = value >>> 3;
        if (type === 3)
          throw new CodecError(
            'corrupt zstd block (reserved type)',
            this.consumed + pos,
          );
        this.remaining = type === 1 ? 1 : size;
        this.state = 'body';
      } else {
        const magic = header.readUInt32LE(0);
        if (magic === ZSTD_MAGIC) {
          this.checksum = (header[4] & 0x04) !== 0;
          this.state = 'block';
        } else {
          this.remaining = header.readUInt32LE(4);
          this.state = 'skip';
        }
      }
    }
    this.consumed += chunk.length;
    cut(false);
    return pieces;
  }

  /** Length of the frame header starting at the gathered bytes, or undefined when unknown yet. */
  private frameHeaderLength(chunk: Buffer, pos: number): number | undefined {
    const bytes = Buffer.concat([this.head, chunk.subarray(pos, pos + 5)]);
    if (bytes.length < 5) return undefined;
    const magic = bytes.readUInt32LE(0);
    if ((magic & 0xfffffff0) === 0x184d2a50) return 8;
    if (magic !== ZSTD_MAGIC) {
      throw new CodecError(
        'not a zstd stream (bad frame magic)',
        this.consumed + pos - this.head.length,
      );
    }
    const descriptor = bytes[4];
    const fcsFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    const dictFlag = descriptor & 3;
    const fcs = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag];
    return 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictFlag] + fcs;
  }

  get inFrame(): boolean {
    return this.state !== 'frame' || this.head.length > 0;
  }
}

function write(decompressor: ZstdDecompress, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    decompressor.write(bytes, error => (error ? reject(error) : resolve()));
  });
}

function finish(decompressor: ZstdDecompress): Promise<void> {
  return new Promise((resolve, reject) => {
    decompressor.once('error', reject);
    decompressor.once('end', resolve);
    decompressor.end();
  });
}

/** Decompresses a stream of zstd frames (and skippable frames) chunk by chunk. */
export async function* decodeZstdStream(
  input: AsyncIterable<Buffer>,
): AsyncIterable<Buffer> {
  const boundaries = new ZstdFrameBoundaries();
  let output: Buffer[] = [];
  let failure: Error | undefined;
  const open = () => {
    const decompressor = createZstdDecompress({ chunkSize: CHUNK });
    decompressor.on('data', (data: Buffer) => output.push(data));
    decompressor.on('error', error => {
      failure ??= error;
    });
    return decompressor;
  };
  let decompressor = open();
  const drain = function* () {
    const ready = output;
    output = [];
    yield* ready;
  };
  try {
    for await (const chunk of input) {
      for (const piece of boundaries.split(chunk)) {
        if (piece.bytes.length) await write(decompressor, piece.bytes);
        if (piece.endsFrame) {
          await finish(decompressor);
          decompressor = open();
        }
        if (failure) throw failure;
        yield* drain();
      }
    }
  } catch (error) {
    if (error instanceof CodecError) throw error;
    throw new CodecError(
      `corrupt zstd data: ${(error as Error).message}`,
      boundaries.consumed,
    );
  }
  yield* drain();
  if (boundaries.inFrame) {
    throw new CodecError(
      'the zstd stream ends inside a frame (truncated)',
      boundaries.consumed,
    );
  }
  decompressor.destroy();
}
