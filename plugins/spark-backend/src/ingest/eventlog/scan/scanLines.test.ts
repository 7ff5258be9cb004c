import path from 'node:path';
import { Readable } from 'node:stream';
import { zstdCompressSync } from 'node:zlib';
import { DirectoryEventLogStorage } from '../../../sources/eventlog/storage';
import { EventLogAggregator } from '../aggregator';
import { type EventLogLineSpans, readEventLogLineSpans } from '../lines';
import { FileChunks } from '../fileChunks';
import { scanLines } from './scanLines';
import { defaultScanThreads, ScanWorkerPool } from './ScanWorkerPool';

/** Real logs of real Spark runs: zstd rolling logs, lz4, snappy and plain single files. */
const demoLogs = path.resolve(
  __dirname,
  '../../../../../../demo-data/eventlogs',
);
const storage = new DirectoryEventLogStorage(demoLogs);

let pool: ScanWorkerPool;

beforeAll(() => {
  pool = new ScanWorkerPool({ threads: 2 });
});

afterAll(() => pool.close());

/**
 * The lines of a demo log. With `chunkBytes`, uncompressed files are read as a backend reads
 * them, into buffers used in turn, but in chunks that small (the buffers go round many times),
 * and zstd files are decompressed in a worker thread.
 */
async function* demoLogLines(
  key: string,
  chunkBytes?: number,
): AsyncIterable<EventLogLineSpans> {
  const entry = (await storage.listLogs()).find(e => e.key === key)!;
  for (const file of entry.files) {
    yield* readEventLogLineSpans({
      open: start =>
        chunkBytes && !file.codec
          ? new FileChunks(path.join(demoLogs, file.name), start, chunkBytes)
          : storage.open(file.name, start),
      codec: file.codec,
      inProgress: entry.inProgress,
      label: file.name,
      zstdInWorker: Boolean(chunkBytes),
    });
  }
}

/** Feeds every line to a fresh aggregator; returns it, the offsets seen and what stopped it. */
async function ingest(
  lines: AsyncIterable<EventLogLineSpans>,
  threads?: ScanWorkerPool,
  options: { batchBytes?: number; ownShare?: number } = {},
) {
  const aggregator = new EventLogAggregator();
  const offsets: number[] = [];
  let failure: string | undefined;
  try {
    for await (const batch of scanLines(lines, threads, options)) {
      for (let i = 0; i < batch.count; i++) {
        batch.feed(i, aggregator);
        offsets.push(batch.offsets[i]);
      }
    }
  } catch (error) {
    failure = (error as Error).message;
  }
  return {
    state: aggregator.toState(),
    report: aggregator.report(),
    offsets,
    failure,
  };
}

describe('scanLines', () => {
  it('ends in the same aggregator state with scan threads as without, for every demo log', async () => {
    const keys = (await storage.listLogs()).map(entry => entry.key);
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) {
      const inline = await ingest(demoLogLines(key));
      expect(inline.failure).toBeUndefined();
      expect(inline.offsets.length).toBeGreaterThan(20);
      // Read into buffers used in turn, lines spanning several of them; zstd in a worker.
      expect(await ingest(demoLogLines(key, 1000))).toEqual(inline);
      // Small batches: many in flight at once, buffers going round, and lines split between batches.
      for (const options of [
        { batchBytes: 4096 },
        { batchBytes: 64 * 1024, ownShare: 0 },
        { batchBytes: 4096, ownShare: 0.5 },
        { batchBytes: 4096, ownShare: 0.5, chunkBytes: 1000 },
        {},
      ]) {
        const threaded = await ingest(
          demoLogLines(key, options.chunkBytes),
          pool,
          options,
        );
        expect({ key, options, ...threaded }).toEqual({
          key,
          options,
          ...inline,
        });
      }
    }
  }, 60_000);

  it('reads a zstd log many times larger than the decompressor read-ahead without stalling', async () => {
    // The aggregator's pauses while it waits for scan threads once left the zstd decompressor
    // and its reader each waiting for the other; this log has that shape (35 MiB, 3 MiB zstd).
    const lines: string[] = [];
    for (let i = 0; i < 40000; i++) {
      lines.push(
        JSON.stringify({
          Event: 'SparkListenerTaskEnd',
          'Task ID': i,
          Metrics: Array.from(
            { length: 40 },
            (_, k) => (i * 7919 + k * 104729) % 100003,
          ),
        }),
      );
    }
    const compressed = zstdCompressSync(
      Buffer.from(`${lines.join('\n')}\n`.repeat(3)),
    );
    const chunks: Buffer[] = [];
    for (let at = 0; at < compressed.length; at += 1 << 20) {
      chunks.push(compressed.subarray(at, at + (1 << 20)));
    }
    // Decompressed here and in a worker thread (as large logs are).
    for (const zstdInWorker of [false, true]) {
      let count = 0;
      for await (const batch of scanLines(
        readEventLogLineSpans({
          open: () => Readable.from(chunks),
          codec: 'zstd',
          inProgress: false,
          label: 'big.zstd',
          zstdInWorker,
        }),
        pool,
      )) {
        count += batch.count;
        // An aggregator slower than the decompressor (a checkpoint, a busy machine).
        await new Promise(resolve => setTimeout(resolve, 5));
      }
      expect({ zstdInWorker, count }).toEqual({
        zstdInWorker,
        count: 3 * lines.length,
      });
    }
  }, 60_000);

  it('hands on every line read before a broken one, then fails the same way', async () => {
    const key = 'local-1796154852829'; // plain
    async function* broken(): AsyncIterable<EventLogLineSpans> {
      let lines = 0;
      for await (const spans of demoLogLines(key)) {
        const keep = Math.min(spans.starts.length, 30 - lines);
        yield {
          bytes: spans.bytes,
          starts: spans.starts.slice(0, keep),
          ends: spans.ends.slice(0, keep),
          offsets: spans.offsets.slice(0, keep),
        };
        lines += keep;
        if (lines >= 30) throw new Error('unreadable from here');
      }
    }
    const inline = await ingest(broken());
    expect(inline.failure).toBe('unreadable from here');
    expect(inline.offsets).toHaveLength(30);
    expect(await ingest(broken(), pool, { batchBytes: 4096 })).toEqual(inline);
  });

  it('throws at a line that is not JSON after feeding the lines before it, as without threads', async () => {
    const text = Buffer.from(
      '{"Event":"SparkListenerLogStart","Spark Version":"4.3.0"}\n{"Event": oops}\n',
    );
    const lines = async function* oneChunk(): AsyncIterable<EventLogLineSpans> {
      yield {
        bytes: text,
        starts: [0, 58],
        ends: [57, text.length - 1],
        offsets: [58, text.length],
      };
    };
    const inline = await ingest(lines());
    expect(inline.failure).toMatch(/JSON/);
    expect(inline.offsets).toEqual([58]);
    expect(await ingest(lines(), pool)).toEqual(inline);
  });
});

describe('defaultScanThreads', () => {
  it('uses no scan thread below four cores, then the cores less two, at most three', () => {
    expect([1, 2, 3, 4, 5, 6, 64].map(defaultScanThreads)).toEqual([
      0, 0, 0, 2, 3, 3, 3,
    ]);
  });
});
