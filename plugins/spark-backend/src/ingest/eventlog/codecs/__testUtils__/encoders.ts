/**
 * Writers of the containers Spark's codecs produce, for unit tests: LZ4Block (lz4-java),
 * snappy-java streams, Ning LZF chunks and concatenated zstd frames. Block payloads come from
 * the real libraries where one exists; only the framing is written here.
 */
import { compressSync as lz4Compress } from 'lz4-napi';
import { compressSync as snappyCompress } from 'snappy';
import { constants, zstdCompressSync } from 'node:zlib';
import { xxhash32 } from '../xxhash32';

function slices(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) {
    out.push(data.subarray(at, at + size));
  }
  return out;
}

/** lz4-java's LZ4BlockOutputStream; `blockSize` is a power of two from 1 KiB. */
export function lz4BlockStream(
  data: Buffer,
  options: { blockSize?: number; close?: boolean } = {},
): Buffer {
  const blockSize = options.blockSize ?? 1024;
  const level = Math.log2(blockSize) - 10;
  const header = (
    method: number,
    compressed: number,
    original: number,
    check: number,
  ) => {
    const head = Buffer.alloc(21);
    head.write('LZ4Block', 0, 'latin1');
    head[8] = method | level;
    head.writeInt32LE(compressed, 9);
    head.writeInt32LE(original, 13);
    head.writeInt32LE(check, 17);
    return head;
  };
  const parts: Buffer[] = [];
  for (const block of slices(data, blockSize)) {
    // lz4-napi prefixes the decompressed size; LZ4Block keeps it in its own header.
    const compressed = lz4Compress(block).subarray(4);
    const check = xxhash32(block, 0x9747b28c) & 0x0fffffff;
    if (compressed.length < block.length) {
      parts.push(header(0x20, compressed.length, block.length, check));
      parts.push(compressed);
    } else {
      parts.push(header(0x10, block.length, block.length, check), block);
    }
  }
  if (options.close ?? true) parts.push(header(0x10, 0, 0, 0));
  return Buffer.concat(parts);
}

export const SNAPPY_JAVA_HEADER = Buffer.from([
  0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1,
]);

/** snappy-java's SnappyOutputStream. */
export function snappyJavaStream(data: Buffer, blockSize = 1024): Buffer {
  const parts: Buffer[] = [SNAPPY_JAVA_HEADER];
  for (const block of slices(data, blockSize)) {
    const compressed = snappyCompress(block);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(compressed.length);
    parts.push(length, compressed);
  }
  return Buffer.concat(parts);
}

/** A plain LZF compressor (greedy, one hash slot per 3-byte prefix), enough for tests. */
export function lzfCompress(input: Buffer): Buffer {
  const out: number[] = [];
  const literals: number[] = [];
  const flush = () => {
    for (let at = 0; at < literals.length; at += 32) {
      const run = literals.slice(at, at + 32);
      out.push(run.length - 1, ...run);
    }
    literals.length = 0;
  };
  const last = new Map<number, number>();
  let i = 0;
  while (i < input.length) {
    const key =
      i + 2 < input.length
        ? (input[i] << 16) | (input[i + 1] << 8) | input[i + 2]
        : -1;
    const candidate = key >= 0 ? last.get(key) : undefined;
    if (key >= 0) last.set(key, i);
    let length = 0;
    if (candidate !== undefined && i - candidate <= 8192) {
      while (
        length < 264 &&
        i + length < input.length &&
        input[candidate + length] === input[i + length]
      ) {
        length++;
      }
    }
    if (length < 3) {
      literals.push(input[i++]);
      continue;
    }
    flush();
    const offset = i - candidate! - 1;
    const coded = length - 2;
    if (coded < 7) {
      out.push((coded << 5) | (offset >> 8), offset & 0xff);
    } else {
      out.push((7 << 5) | (offset >> 8), coded - 7, offset & 0xff);
    }
    i += length;
  }
  flush();
  return Buffer.from(out);
}

/** Ning compress-lzf chunks ("ZV"), stored when compression does not pay. */
export function lzfStream(data: Buffer, blockSize = 1024): Buffer {
  const parts: Buffer[] = [];
  for (const block of slices(data, blockSize)) {
    const compressed = lzfCompress(block);
    if (compressed.length < block.length) {
      const head = Buffer.from([0x5a, 0x56, 1, 0, 0, 0, 0]);
      head.writeUInt16BE(compressed.length, 3);
      head.writeUInt16BE(block.length, 5);
      parts.push(head, compressed);
    } else {
      const head = Buffer.from([0x5a, 0x56, 0, 0, 0]);
      head.writeUInt16BE(block.length, 3);
      parts.push(head, block);
    }
  }
  return Buffer.concat(parts);
}

/** One zstd frame per `frameSize` bytes, as Spark ends a frame at each flush. */
export function zstdFrames(
  data: Buffer,
  frameSize: number,
  options: { checksum?: boolean } = {},
): Buffer {
  return Buffer.concat(
    slices(data, frameSize).map(frame =>
      zstdCompressSync(frame, {
        params: {
          [constants.ZSTD_c_checksumFlag]: options.checksum ? 1 : 0,
        },
      }),
    ),
  );
}

/** A zstd skippable frame (magic 0x184D2A5?), which readers pass over. */
export function zstdSkippableFrame(content: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(0x184d2a53, 0);
  head.writeUInt32LE(content.length, 4);
  return Buffer.concat([head, content]);
}
