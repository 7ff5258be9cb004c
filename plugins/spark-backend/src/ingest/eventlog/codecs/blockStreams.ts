import { uncompressSync as lz4Uncompress } from 'lz4-napi';
import { uncompressSync as snappyUncompress } from 'snappy';

/** A framing or block error in a compressed event log; `at` is the compressed byte offset. */
export class CodecError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
  }
}

/**
 * One block-framed format: reads one frame at `pos` of `buf`; answers undefined when the frame
 * is not complete in `buf` yet.
 */
type FrameReader = (
  buf: Buffer,
  pos: number,
  absolute: number,
) => { next: number; data?: Buffer } | undefined;

const LZ4_MAGIC = Buffer.from('LZ4Block');
const LZ4_HEADER = 8 + 1 + 4 + 4 + 4;

/** lz4-java's LZ4BlockOutputStream, which Spark's lz4 codec writes (not the LZ4 frame format). */
const lz4Block: FrameReader = (buf, pos, absolute) => {
  if (buf.length - pos < LZ4_HEADER) return undefined;
  if (!buf.subarray(pos, pos + 8).equals(LZ4_MAGIC)) {
    throw new CodecError('not an LZ4Block stream (bad magic)', absolute);
  }
  const method = buf[pos + 8] & 0xf0;
  const compressed = buf.readInt32LE(pos + 9);
  const original = buf.readInt32LE(pos + 13);
  if (compressed < 0 || original < 0 || (method !== 0x10 && method !== 0x20)) {
    throw new CodecError('corrupt LZ4Block header', absolute);
  }
  const end = pos + LZ4_HEADER + compressed;
  if (buf.length < end) return undefined;
  const body = buf.subarray(pos + LZ4_HEADER, end);
  if (original === 0) return { next: end };
  if (method === 0x10) return { next: end, data: Buffer.from(body) };
  const sized = Buffer.allocUnsafe(4 + body.length);
  sized.writeUInt32LE(original, 0);
  body.copy(sized, 4);
  let data: Buffer;
  try {
    data = lz4Uncompress(sized);
  } catch (error) {
    throw new CodecError(
      `corrupt LZ4 block: ${(error as Error).message}`,
      absolute,
    );
  }
  if (data.length !== original)
    throw new CodecError('LZ4 block has the wrong length', absolute);
  return { next: end, data };
};

const SNAPPY_MAGIC = Buffer.from([
  0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00,
]);

/** snappy-java's SnappyOutputStream: a 16-byte header, then length-prefixed raw snappy blocks. */
const snappyStream: FrameReader = (buf, pos, absolute) => {
  if (
    buf.length - pos >= 8 &&
    buf.subarray(pos, pos + 8).equals(SNAPPY_MAGIC)
  ) {
    return buf.length - pos >= 16 ? { next: pos + 16 } : undefined;
  }
  if (absolute === 0)
    throw new CodecError('not a snappy-java stream (bad magic)', 0);
  if (buf.length - pos < 4) return undefined;
  const length = buf.readInt32BE(pos);
  if (length < 0) throw new CodecError('corrupt snappy chunk length', absolute);
  const end = pos + 4 + length;
  if (buf.length < end) return undefined;
  try {
    return {
      next: end,
      data: snappyUncompress(buf.subarray(pos + 4, end)) as Buffer,
    };
  } catch (error) {
    throw new CodecError(
      `corrupt snappy block: ${(error as Error).message}`,
      absolute,
    );
  }
};

/** LZF block decompression (the format of the Ning compress-lzf library Spark uses). */
function lzfDecompress(
  input: Buffer,
  outLength: number,
  absolute: number,
): Buffer {
  const out = Buffer.allocUnsafe(outLength);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > input.length || op + run > outLength) break;
      input.copy(out, op, ip, ip + run);
      ip += run;
      op += run;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += input[ip++];
      ref -= input[ip++];
      len += 2;
      if (ref < 0 || op + len > outLength) break;
      for (let i = 0; i < len; i++) out[op++] = out[ref++];
    }
  }
  if (op !== outLength) throw new CodecError('corrupt LZF chunk', absolute);
  return out;
}

/** Ning compress-lzf chunks: "ZV", type 0 (stored) or 1 (compressed), big-endian lengths. */
const lzfStream: FrameReader = (buf, pos, absolute) => {
  if (buf.length - pos < 5) return undefined;
  if (buf[pos] !== 0x5a || buf[pos + 1] !== 0x56) {
    throw new CodecError('not an LZF stream (bad chunk header)', absolute);
  }
  const type = buf[pos + 2];
  const length = buf.readUInt16BE(pos + 3);
  if (type === 0) {
    const end = pos + 5 + length;
    return buf.length < end
      ? undefined
      : { next: end, data: Buffer.from(buf.subarray(pos + 5, end)) };
  }
  if (type !== 1)
    throw new CodecError(`unknown LZF chunk type ${type}`, absolute);
  if (buf.length - pos < 7) return undefined;
  const original = buf.readUInt16BE(pos + 5);
  const end = pos + 7 + length;
  if (buf.length < end) return undefined;
  return {
    next: end,
    data: lzfDecompress(buf.subarray(pos + 7, end), original, absolute),
  };
};

const readers = { lz4: lz4Block, snappy: snappyStream, lzf: lzfStream };

/**
 * Decodes a block-framed stream (lz4, snappy, lzf as Spark writes them) into decompressed
 * chunks, holding at most one frame of input at a time. A stream that ends inside a frame
 * throws a CodecError (truncated), which an in-progress reader may ignore.
 */
export async function* decodeBlockStream(
  codec: keyof typeof readers,
  input: AsyncIterable<Buffer>,
): AsyncIterable<Buffer> {
  const read = readers[codec];
  let pending: Buffer | undefined;
  let consumed = 0;
  for await (const chunk of input) {
    let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const frame = read(buf, pos, consumed + pos);
      if (!frame) break;
      pos = frame.next;
      if (frame.data?.length) yield frame.data;
    }
    consumed += pos;
    pending = pos < buf.length ? buf.subarray(pos) : undefined;
    buf = Buffer.alloc(0);
  }
  if (pending?.length) {
    throw new CodecError(
      `the ${codec} stream ends inside a block (truncated)`,
      consumed,
    );
  }
}
