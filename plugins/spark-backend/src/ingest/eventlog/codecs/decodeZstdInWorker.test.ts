import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { zstdCompressSync } from 'node:zlib';
import { zstdFrames } from './__testUtils__/encoders';
import { CodecError } from './CodecError';
import {
  decodeZstdInWorker,
  type ZstdInWorkerOptions,
} from './decodeZstdInWorker';
import { decodeZstd } from './zstdFrames';

/** Lines of varied length, some of them random (so they do not compress away). */
function sampleLog(lines: number): Buffer {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(
      JSON.stringify({
        Event: 'SparkListenerTaskEnd',
        'Task ID': i,
        Payload: 'x'.repeat((i * 37) % 400),
        Noise: i % 3 === 0 ? randomBytes(60).toString('base64') : '',
      }),
    );
  }
  return Buffer.from(`${out.join('\n')}\n`);
}

const LOG = sampleLog(2000);
/** Many frames, as Spark writes them (one per flush). */
const FRAMES = zstdFrames(LOG, 5000);

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    chunks.push(bytes.subarray(at, at + size));
  }
  return Readable.from(chunks);
}

/** A small ring: it goes round many times, and the worker waits for the reader often. */
const SMALL: ZstdInWorkerOptions = { slots: 3, slotBytes: 4096 };

/** Decodes; the bytes, whether each chunk stayed intact until the next was asked, the error. */
async function run(
  decoded: AsyncIterable<Buffer>,
  options: { stopAfter?: number } = {},
) {
  const out: Buffer[] = [];
  let previous: { chunk: Buffer; copy: Buffer } | undefined;
  let intact = true;
  let error: unknown;
  try {
    for await (const chunk of decoded) {
      intact &&= !previous || previous.chunk.equals(previous.copy);
      previous = { chunk, copy: Buffer.from(chunk) };
      out.push(previous.copy);
      if (out.length === options.stopAfter) break;
    }
  } catch (caught) {
    error = caught;
  }
  return { bytes: Buffer.concat(out), chunks: out.length, intact, error };
}

describe('decodeZstdInWorker', () => {
  it('gives the bytes of decodeZstd, whatever the input chunks and the ring size', async () => {
    expect(LOG.length).toBeGreaterThan(100 * 4096);
    for (const [inputChunk, options] of [
      [1 << 20, {}],
      [777, SMALL],
      [64 * 1024, { ...SMALL, inputsInFlight: 1 }],
    ] as const) {
      const result = await run(
        decodeZstdInWorker(chunked(FRAMES, inputChunk), options),
      );
      expect(result.error).toBeUndefined();
      expect(result.intact).toBe(true);
      expect(result.bytes.equals(LOG)).toBe(true);
    }
    // One frame of many blocks, in full slots.
    const one = await run(
      decodeZstdInWorker(chunked(zstdCompressSync(LOG), 1 << 20), SMALL),
    );
    expect(one.bytes.equals(LOG)).toBe(true);
    expect(one.chunks).toBe(Math.ceil(LOG.length / 4096));
  });

  it('hands on every byte before a cut, then the truncation decodeZstd reports', async () => {
    const cut = FRAMES.subarray(0, Math.floor(FRAMES.length * 0.6));
    const here = await run(decodeZstd(chunked(cut, 5000)));
    const there = await run(decodeZstdInWorker(chunked(cut, 5000), SMALL));
    expect(here.error).toBeInstanceOf(CodecError);
    const { message, at, truncated } = here.error as CodecError;
    expect(truncated).toBe(true);
    expect(there.error).toBeInstanceOf(CodecError);
    expect(there.error).toMatchObject({ message, at, truncated });
    expect(there.bytes.length).toBe(here.bytes.length);
    expect(there.bytes.equals(here.bytes)).toBe(true);
  });

  it('fails on a corrupt frame with the CodecError decodeZstd gives', async () => {
    // With checksums, any flipped byte is found.
    const stream = Buffer.from(zstdFrames(LOG, 5000, { checksum: true }));
    stream[Math.floor(stream.length * 0.4)] ^= 0xff;
    const here = await run(decodeZstd(chunked(stream, 5000)));
    const there = await run(decodeZstdInWorker(chunked(stream, 5000), SMALL));
    expect(here.error).toBeInstanceOf(CodecError);
    const { message, at, truncated } = here.error as CodecError;
    expect(there.error).toBeInstanceOf(CodecError);
    expect(there.error).toMatchObject({ message, at, truncated });
    expect(there.bytes.equals(LOG.subarray(0, there.bytes.length))).toBe(true);
  });

  it('fails with the error of its input, and stops the thread when the reader stops', async () => {
    async function* failing() {
      yield FRAMES.subarray(0, 10_000);
      throw new Error('storage went away');
    }
    const failed = await run(decodeZstdInWorker(failing(), SMALL));
    expect((failed.error as Error).message).toBe('storage went away');

    const stopped = await run(decodeZstdInWorker(chunked(FRAMES, 777), SMALL), {
      stopAfter: 5,
    });
    expect(stopped.error).toBeUndefined();
    expect(stopped.bytes.equals(LOG.subarray(0, stopped.bytes.length))).toBe(
      true,
    );
  });
});
