import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { createZstdDecompress, type ZstdDecompress } from 'node:zlib';
import { CodecError } from './CodecError';
import { asBuffer } from './framing';

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** A zstd block never holds more than 128 KiB, compressed or not. */
const MAX_BLOCK = 128 * 1024;
/** At most this many blocks per decompressor write: at most 4 MiB of output, whatever the ratio. */
const BLOCKS_PER_WRITE = 32;
const OUTPUT_CHUNK = 1024 * 1024;
/**
 * Decompressed chunks (of up to OUTPUT_CHUNK) kept ready ahead of the reader: decompression
 * overlaps line handling. The reader gets the decompressor's chunks as they are: counted as
 * chunks, they are never joined into larger buffers (a copy) when the reader falls behind.
 */
const READ_AHEAD_CHUNKS = 4;

type Phase =
  | 'magic'
  | 'descriptor'
  | 'frameHeader'
  | 'skippableSize'
  | 'blockHeader'
  | 'blockBody'
  | 'checksum'
  | 'skippableBody';

/** Where a write to the decompressor should stop: after a frame, or after enough blocks. */
export interface ZstdCut {
  at: number;
  frameEnd: boolean;
}

/**
 * Finds where zstd frames end by walking frame and block headers, without decompressing. Spark
 * ends a frame at every flush of an event log (so readers of `.inprogress` logs see complete
 * frames), and node:zlib's decompressor stops at the end of the first frame: each frame needs a
 * decompressor of its own. Walking also tells a cut-off stream from a complete one.
 */
export class ZstdFrameWalker {
  private phase: Phase = 'magic';
  private readonly head = Buffer.alloc(18);
  private headLength = 0;
  private want = 4;
  private skip = 0;
  private lastBlock = false;
  private checksum = false;
  private blocks = 0;
  /** Bytes walked before the current chunk. */
  private consumed = 0;
  /** Compressed offset of the header being gathered, for messages. */
  private headerAt = 0;
  /** Compressed offset of the frame being walked. */
  frameAt = 0;

  /** True when the bytes so far stop inside a frame. */
  get inFrame(): boolean {
    return this.phase !== 'magic' || this.headLength > 0;
  }

  /** Walks one chunk; answers the cuts inside it. Throws CodecError on bytes that are not zstd. */
  walk(chunk: Buffer): ZstdCut[] {
    const cuts: ZstdCut[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, chunk.length - pos);
        pos += take;
        this.skip -= take;
        if (this.skip === 0) this.afterBody(pos, cuts);
        continue;
      }
      if (this.headLength === 0) this.headerAt = this.consumed + pos;
      const take = Math.min(this.want - this.headLength, chunk.length - pos);
      chunk.copy(this.head, this.headLength, pos, pos + take);
      this.headLength += take;
      pos += take;
      if (this.headLength === this.want) this.onHeader(pos, cuts);
    }
    this.consumed += chunk.length;
    return cuts;
  }

  private onHeader(pos: number, cuts: ZstdCut[]): void {
    const head = this.head;
    switch (this.phase) {
      case 'magic': {
        const magic = head.readUInt32LE(0);
        if (magic === ZSTD_MAGIC) {
          this.phase = 'descriptor';
          this.want = 5;
        } else if ((magic & 0xfffffff0) >>> 0 === SKIPPABLE_MAGIC) {
          this.phase = 'skippableSize';
          this.want = 8;
        } else {
          throw new CodecError(
            `not a zstd stream: bad frame magic 0x${head.toString(
              'hex',
              0,
              4,
            )}`,
            this.headerAt,
          );
        }
        return;
      }
      case 'descriptor': {
        const descriptor = head[4];
        if (descriptor & 0x08) {
          throw new CodecError(
            'corrupt zstd frame header (reserved bit set)',
            this.headerAt,
          );
        }
        const singleSegment = (descriptor >> 5) & 1;
        const contentSizeBytes = [singleSegment, 2, 4, 8][descriptor >> 6];
        const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
        this.checksum = (descriptor & 0x04) !== 0;
        this.phase = 'frameHeader';
        this.want =
          5 + (1 - singleSegment) + dictionaryBytes + contentSizeBytes;
        return;
      }
      case 'frameHeader':
        this.expectBlock();
        return;
      case 'skippableSize':
        this.phase = 'skippableBody';
        this.startBody(head.readUInt32LE(4), pos, cuts);
        return;
      case 'blockHeader': {
        const value = head[0] | (head[1] << 8) | (head[2] << 16);
        const type = (value >> 1) & 3;
        const size = value >>> 3;
        if (type === 3 || size > MAX_BLOCK) {
          throw new CodecError(
            `corrupt zstd block header (type ${type}, ${size} bytes)`,
            this.headerAt,
          );
        }
        this.lastBlock = (value & 1) === 1;
        this.blocks += 1;
        this.phase = 'blockBody';
        this.startBody(type === 1 ? 1 : size, pos, cuts);
        return;
      }
      default:
        throw new Error(`zstd walker: no header in phase ${this.phase}`);
    }
  }

  private expectBlock(): void {
    this.phase = 'blockHeader';
    this.want = 3;
    this.headLength = 0;
  }

  private startBody(size: number, pos: number, cuts: ZstdCut[]): void {
    this.headLength = 0;
    this.skip = size;
    if (size === 0) this.afterBody(pos, cuts);
  }

  private afterBody(pos: number, cuts: ZstdCut[]): void {
    if (this.phase === 'blockBody' && !this.lastBlock) {
      this.expectBlock();
      if (this.blocks >= BLOCKS_PER_WRITE) {
        cuts.push({ at: pos, frameEnd: false });
        this.blocks = 0;
      }
      return;
    }
    if (this.phase === 'blockBody' && this.checksum) {
      this.phase = 'checksum';
      this.skip = 4;
      return;
    }
    cuts.push({ at: pos, frameEnd: true });
    this.phase = 'magic';
    this.want = 4;
    this.headLength = 0;
    this.blocks = 0;
    this.frameAt = this.consumed + pos;
  }
}

/**
 * Decompresses concatenated zstd frames. node:zlib's decompressor goes on to the next frame
 * when a write ends exactly at a frame's end (it stops only at input left over past a frame),
 * so writes are cut at frame ends. A stream cut inside a frame is not an error of the stream
 * itself: everything before the cut is emitted and `truncation` says where it stopped, so a
 * reader of an in-progress log loses nothing readable.
 */
class ZstdFramesDecompress extends Transform {
  private readonly walker = new ZstdFrameWalker();
  private readonly decompressor: ZstdDecompress;
  /** Compressed offset of the frame the next write starts in. */
  private frameAt = 0;
  private walked = 0;
  /** Set while a chunk's writes wait for the reader to catch up. */
  private continueWriting: (() => void) | undefined;
  /**
   * The reader has asked for more (`_read`) since the last write began. A readable stream asks
   * once and not again until something is pushed, and it asks before it takes what is buffered
   * (so `readableLength` is still high then): the next write must go ahead, or both sides wait
   * for each other.
   */
  private readRequested = false;
  /** Ends the chunk being written with the decompressor's error. */
  private failure: ((error: Error) => void) | undefined;
  truncation: CodecError | undefined;

  constructor() {
    super({
      readableObjectMode: true,
      readableHighWaterMark: READ_AHEAD_CHUNKS,
    });
    this.decompressor = createZstdDecompress({ chunkSize: OUTPUT_CHUNK });
    this.decompressor.on('data', (data: Buffer) => this.push(data));
    // A failing decompressor is destroyed without calling back its write: the error is the news.
    this.decompressor.on('error', error => this.failure?.(error));
  }

  override _transform(
    chunk: unknown,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    const buf = asBuffer(chunk);
    const base = this.walked;
    this.walked += buf.length;
    let cuts: ZstdCut[];
    try {
      cuts = this.walker.walk(buf);
    } catch (error) {
      callback(error as Error);
      return;
    }
    const pieces: Array<{ start: number; end: number; frameAt: number }> = [];
    let start = 0;
    for (const cut of cuts) {
      if (cut.at > start) {
        pieces.push({ start, end: cut.at, frameAt: this.frameAt });
        start = cut.at;
      }
      if (cut.frameEnd) this.frameAt = base + cut.at;
    }
    if (start < buf.length) {
      pieces.push({ start, end: buf.length, frameAt: this.frameAt });
    }
    let index = 0;
    let finished = false;
    const finish = (error?: Error) => {
      if (finished) return;
      finished = true;
      this.failure = undefined;
      callback(error);
    };
    this.failure = error =>
      finish(
        new CodecError(
          `corrupt zstd frame: ${error.message}`,
          pieces[Math.max(index - 1, 0)].frameAt,
        ),
      );
    const next = (error?: Error | null): void => {
      if (error) this.failure?.(error);
      else if (finished) return;
      else if (index === pieces.length) finish();
      else if (
        this.readableLength >= READ_AHEAD_CHUNKS &&
        !this.readRequested
      ) {
        // The reader is behind: go on when it asks for more (_read).
        this.continueWriting = next;
      } else {
        this.readRequested = false;
        const piece = pieces[index++];
        this.decompressor.write(buf.subarray(piece.start, piece.end), next);
      }
    };
    next();
  }

  override _read(size: number): void {
    const resume = this.continueWriting;
    this.continueWriting = undefined;
    this.readRequested = true;
    resume?.();
    super._read(size);
  }

  override _flush(callback: TransformCallback): void {
    if (this.walker.inFrame) {
      this.truncation = new CodecError(
        'the zstd stream ends inside a frame: truncated',
        this.walker.frameAt,
        true,
      );
    }
    this.decompressor.destroy();
    callback();
  }

  override _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void,
  ): void {
    this.decompressor.destroy();
    callback(error);
  }
}

/** Decompresses a zstd event log (any number of frames), reading ahead of the consumer. */
export async function* decodeZstd(
  input: NodeJS.ReadableStream | AsyncIterable<unknown>,
): AsyncIterable<Buffer> {
  const decompress = new ZstdFramesDecompress();
  // Errors reach the iteration below; the callback only keeps them from being unhandled.
  pipeline(input as NodeJS.ReadableStream, decompress, () => {});
  for await (const chunk of decompress) yield chunk as Buffer;
  if (decompress.truncation) throw decompress.truncation;
}
