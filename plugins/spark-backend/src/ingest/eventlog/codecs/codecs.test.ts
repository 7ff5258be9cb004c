import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { zstdCompressSync } from 'node:zlib';
import type { EventLogCodec } from '@spark-k8s/plugin-spark-common';
import { CodecError, decodeEventLog } from '.';
import {
  lz4BlockStream,
  lzfStream,
  SNAPPY_JAVA_HEADER,
  snappyJavaStream,
  zstdFrames,
  zstdSkippableFrame,
} from './__testUtils__/encoders';
import { lzfDecompress } from './lzf';
import { xxhash32 } from './xxhash32';

/** An event-log-like text: varied line lengths, one line longer than any block, some noise. */
function sampleLog(lines = 200): Buffer {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(
      JSON.stringify({
        Event: 'SparkListenerTaskEnd',
        'Stage ID': i % 7,
        'Task Info': { 'Task ID': i, Host: `host-${i % 3}` },
        Payload: 'x'.repeat((i * 37) % 400),
        Noise: i % 5 === 0 ? randomBytes(90).toString('base64') : '',
      }),
    );
  }
  out.splice(50, 0, JSON.stringify({ Event: 'Long', Text: 'y'.repeat(5000) }));
  return Buffer.from(`${out.join('\n')}\n`);
}

const LOG = sampleLog();

const encoders: Record<EventLogCodec, (data: Buffer) => Buffer> = {
  lz4: data => lz4BlockStream(data),
  snappy: data => snappyJavaStream(data),
  lzf: data => lzfStream(data),
  zstd: data => zstdFrames(data, 3000),
};
const codecs = Object.keys(encoders) as EventLogCodec[];

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    chunks.push(bytes.subarray(at, at + size));
  }
  return Readable.from(chunks);
}

async function decode(
  codec: EventLogCodec | undefined,
  bytes: Buffer,
  chunkSize = Math.max(bytes.length, 1),
): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of decodeEventLog(codec, chunked(bytes, chunkSize))) {
    out.push(piece);
  }
  return Buffer.concat(out);
}

/** What decoding gives: the bytes before any error, and the error. */
async function attempt(
  codec: EventLogCodec,
  bytes: Buffer,
  chunkSize?: number,
): Promise<{ out: Buffer; error?: unknown }> {
  const out: Buffer[] = [];
  try {
    for await (const piece of decodeEventLog(
      codec,
      chunked(bytes, chunkSize ?? Math.max(bytes.length, 1)),
    )) {
      out.push(piece);
    }
    return { out: Buffer.concat(out) };
  } catch (error) {
    return { out: Buffer.concat(out), error };
  }
}

describe('xxhash32', () => {
  it.each([
    ['', 0, 0x02cc5d05],
    ['a', 0, 0x550d7456],
    ['abc', 0, 0x32d153ff],
    ['Nobody inspects the spammish repetition', 0, 0xe2293b2f],
  ])('hashes %j with seed %d', (text, seed, expected) => {
    expect(xxhash32(Buffer.from(text), seed)).toBe(expected);
  });

  it('gives the same hash for aligned and unaligned buffers', () => {
    const data = randomBytes(1000);
    const unaligned = Buffer.concat([Buffer.alloc(1), data]).subarray(1);
    expect(xxhash32(unaligned, 7)).toBe(xxhash32(Buffer.from(data), 7));
  });
});

describe('lzfDecompress', () => {
  it('repeats overlapping references byte by byte', () => {
    // "ab" as a literal run, then 6 bytes from 2 back: "abababab".
    const block = Buffer.from([0x01, 0x61, 0x62, (6 - 2) << 5, 0x01]);
    expect(lzfDecompress(block, 8)?.toString()).toBe('abababab');
  });

  it('refuses references before the start, runs past the end and wrong totals', () => {
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x05]), 4)).toBe(
      undefined,
    );
    expect(lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toBe(undefined);
    expect(lzfDecompress(Buffer.from([0x00, 0x61]), 2)).toBe(undefined);
    expect(lzfDecompress(Buffer.from([0x00, 0x61, 0xe0]), 12)).toBe(undefined);
  });
});

describe.each(codecs)('%s', codec => {
  const encoded = encoders[codec](LOG);

  it.each([1, 7, 1000, 65536])(
    'decodes a stream arriving in %d-byte chunks',
    async size => {
      expect((await decode(codec, encoded, size)).equals(LOG)).toBe(true);
    },
  );

  it('decodes an empty input to nothing', async () => {
    expect((await decode(codec, Buffer.alloc(0))).length).toBe(0);
  });

  it('yields every byte before a cut, and calls the cut a truncation', async () => {
    const wrong: unknown[] = [];
    const unnoticed: number[] = [];
    for (let cut = 1; cut < encoded.length; cut += 29) {
      const { out, error } = await attempt(
        codec,
        encoded.subarray(0, cut),
        997,
      );
      const prefix = LOG.subarray(0, out.length).equals(out);
      if (!error) unnoticed.push(cut);
      const truncation =
        !error ||
        (error instanceof CodecError && error.truncated && error.at <= cut);
      if (!prefix || !truncation) wrong.push({ cut, prefix, error });
    }
    expect(wrong).toEqual([]);
    // Only a cut on a frame boundary goes unnoticed, and never with lz4's end mark.
    expect(unnoticed.length).toBeLessThan(encoded.length / 29 / 2);
    expect(codec === 'lz4' ? unnoticed : []).toEqual([]);
  }, 30_000);

  it('never fails with anything but a CodecError on corrupt bytes', async () => {
    const wrong: unknown[] = [];
    for (let at = 0; at < encoded.length; at += 97) {
      const corrupt = Buffer.from(encoded);
      corrupt[at] ^= 0x5a;
      const { error } = await attempt(codec, corrupt, 4096);
      if (error && !(error instanceof CodecError)) wrong.push({ at, error });
    }
    expect(wrong).toEqual([]);
  }, 30_000);

  it('refuses bytes that are not this format at offset 0', async () => {
    const { error } = await attempt(
      codec,
      Buffer.from(`${'{"Event":1}\n'.repeat(5)}`),
    );
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).truncated).toBe(false);
    expect((error as CodecError).at).toBe(0);
  });
});

describe('lz4 (LZ4Block)', () => {
  it('stores incompressible blocks raw and reads concatenated streams', async () => {
    const noise = randomBytes(5000);
    const stream = Buffer.concat([
      lz4BlockStream(noise, { blockSize: 2048 }),
      lz4BlockStream(LOG, { blockSize: 32768 }),
    ]);
    expect(stream[8] & 0xf0).toBe(0x10);
    expect(
      (await decode('lz4', stream, 999)).equals(Buffer.concat([noise, LOG])),
    ).toBe(true);
  });

  it('calls a stream without its end mark truncated', async () => {
    const { out, error } = await attempt(
      'lz4',
      lz4BlockStream(LOG, { close: false }),
    );
    expect(out.equals(LOG)).toBe(true);
    expect((error as CodecError).truncated).toBe(true);
  });

  it('catches a changed byte through the checksum', async () => {
    const stream = lz4BlockStream(randomBytes(3000), { blockSize: 1024 });
    stream[21 + 100] ^= 1;
    const { error } = await attempt('lz4', stream);
    expect((error as Error).message).toMatch(/checksum mismatch/);
    expect((error as CodecError).at).toBe(0);
  });

  it('refuses a block larger than its declared block size', async () => {
    const stream = lz4BlockStream(LOG, { blockSize: 1024 });
    stream.writeInt32LE(4096, 13);
    const { error } = await attempt('lz4', stream);
    expect((error as Error).message).toMatch(/corrupt LZ4Block header/);
  });
});

describe('snappy (snappy-java)', () => {
  it('reads a header repeated between chunks (concatenated streams)', async () => {
    const stream = Buffer.concat([
      snappyJavaStream(LOG.subarray(0, 5000)),
      snappyJavaStream(LOG.subarray(5000)),
    ]);
    expect((await decode('snappy', stream, 333)).equals(LOG)).toBe(true);
  });

  it('refuses an absurd chunk length instead of waiting for it', async () => {
    const stream = Buffer.concat([
      SNAPPY_JAVA_HEADER,
      Buffer.from([0x7f, 0xff, 0xff, 0xff]),
      Buffer.alloc(100),
    ]);
    const { error } = await attempt('snappy', stream);
    expect((error as Error).message).toMatch(/corrupt snappy chunk length/);
    expect((error as CodecError).at).toBe(16);
  });

  it('refuses a newer stream format', async () => {
    const stream = snappyJavaStream(LOG);
    stream.writeInt32BE(2, 12);
    const { error } = await attempt('snappy', stream);
    expect((error as Error).message).toMatch(/newer than the supported/);
  });
});

describe('lzf (Ning compress-lzf)', () => {
  it('reads stored and compressed chunks', async () => {
    const noise = randomBytes(3000);
    const stream = lzfStream(Buffer.concat([noise, LOG]));
    expect(stream[2]).toBe(0);
    expect(
      (await decode('lzf', stream, 500)).equals(Buffer.concat([noise, LOG])),
    ).toBe(true);
  });

  it('refuses an unknown chunk type', async () => {
    const stream = lzfStream(LOG);
    stream[2] = 9;
    const { error } = await attempt('lzf', stream);
    expect((error as Error).message).toMatch(/unknown type 9/);
  });
});

describe('zstd (frames)', () => {
  it('decodes every frame, with checksums and skippable frames between', async () => {
    const stream = Buffer.concat([
      zstdFrames(LOG.subarray(0, 10000), 1000, { checksum: true }),
      zstdSkippableFrame(Buffer.from('ignored')),
      zstdFrames(LOG.subarray(10000), 100000),
    ]);
    for (const size of [1, 5, 4096]) {
      expect((await decode('zstd', stream, size)).equals(LOG)).toBe(true);
    }
  });

  it('decodes one frame of many blocks, cut into bounded writes', async () => {
    const big = Buffer.concat(Array.from({ length: 60 }, () => sampleLog(300)));
    const stream = zstdCompressSync(big);
    expect((await decode('zstd', stream, 1 << 20)).equals(big)).toBe(true);
  });

  it('reports a corrupt frame at the offset of that frame', async () => {
    const first = zstdFrames(LOG.subarray(0, 3000), 3000);
    const second = zstdFrames(LOG.subarray(3000), 1_000_000, {
      checksum: true,
    });
    const stream = Buffer.concat([first, second]);
    stream[stream.length - 2] ^= 0xff;
    const { error } = await attempt('zstd', stream);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).truncated).toBe(false);
    expect((error as CodecError).at).toBe(first.length);
  });

  it('refuses a reserved block type', async () => {
    const stream = zstdFrames(LOG, 100000);
    // The first block header follows the 4-byte magic and the frame header.
    const descriptor = stream[4];
    const single = (descriptor >> 5) & 1;
    const headerLength =
      5 +
      (1 - single) +
      [single, 2, 4, 8][descriptor >> 6] +
      [0, 1, 2, 4][descriptor & 3];
    stream[headerLength] |= 0x06;
    const { error } = await attempt('zstd', stream);
    expect((error as Error).message).toMatch(/corrupt zstd block header/);
  });
});
