import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { EventLogCodec } from '@spark-k8s/plugin-spark-common';
import {
  lz4BlockStream,
  lzfStream,
  snappyJavaStream,
  zstdFrames,
} from './codecs/__testUtils__/encoders';
import { FileChunks } from './fileChunks';
import {
  EventLogFormatError,
  type EventLogLine,
  openFile,
  readEventLogLineBatches,
  readEventLogLines,
  type ReadEventLogOptions,
} from './lines';

const encoders: Record<EventLogCodec, (data: Buffer) => Buffer> = {
  lz4: data => lz4BlockStream(data),
  snappy: data => snappyJavaStream(data),
  lzf: data => lzfStream(data),
  zstd: data => zstdFrames(data, 2000),
};
const codecs = Object.keys(encoders) as EventLogCodec[];
const allCodecs: Array<EventLogCodec | undefined> = [undefined, ...codecs];

function event(i: number): string {
  return JSON.stringify({
    Event: 'SparkListenerTaskEnd',
    'Task ID': i,
    // Multi-byte characters: offsets count bytes, not characters.
    Host: `exécuteur-${i}-${'é'.repeat(i % 4)}`,
    Payload: 'p'.repeat((i * 53) % 700),
  });
}

const TEXTS = Array.from({ length: 120 }, (_, i) => event(i));
const LOG = Buffer.from(`${TEXTS.join('\n')}\n`);

/** The lines and `end` offsets of a text, computed independently of the reader. */
function expectedLines(texts: string[], start = 0): EventLogLine[] {
  let end = start;
  return texts.map(text => {
    end += Buffer.byteLength(text) + 1;
    return { text, end };
  });
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventlog-lines-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function writeFile(bytes: Buffer): string {
  const file = path.join(dir, `log-${files++}`);
  fs.writeFileSync(file, bytes);
  return file;
}

async function collect(
  options: Partial<ReadEventLogOptions> & Pick<ReadEventLogOptions, 'open'>,
): Promise<EventLogLine[]> {
  const lines: EventLogLine[] = [];
  for await (const line of readEventLogLines({
    inProgress: false,
    label: 'test.log',
    ...options,
  })) {
    lines.push(line);
  }
  return lines;
}

async function failure(
  options: Partial<ReadEventLogOptions> & Pick<ReadEventLogOptions, 'open'>,
): Promise<{ error: unknown; lines: EventLogLine[] }> {
  const lines: EventLogLine[] = [];
  try {
    for await (const line of readEventLogLines({
      inProgress: false,
      label: 'test.log',
      ...options,
    })) {
      lines.push(line);
    }
  } catch (error) {
    return { error, lines };
  }
  throw new Error(`expected a failure, got ${lines.length} lines`);
}

function chunks(bytes: Buffer, size: number): () => Readable {
  return () => {
    const parts: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) {
      parts.push(bytes.subarray(at, at + size));
    }
    return Readable.from(parts);
  };
}

describe('readEventLogLines', () => {
  it.each([1, 3, 100, 4096, 1 << 20])(
    'splits lines arriving in %d-byte chunks, with byte offsets',
    async size => {
      expect(await collect({ open: chunks(LOG, size) })).toEqual(
        expectedLines(TEXTS),
      );
    },
  );

  it.each(allCodecs)('reads a %s file', async codec => {
    const file = writeFile(codec ? encoders[codec](LOG) : LOG);
    expect(await collect({ open: openFile(file), codec })).toEqual(
      expectedLines(TEXTS),
    );
  });

  it.each([7, 100, 4096])(
    'reads a file through buffers used in turn, %d bytes each, lines spanning many of them',
    async size => {
      const file = writeFile(LOG);
      expect(
        await collect({ open: start => new FileChunks(file, start, size) }),
      ).toEqual(expectedLines(TEXTS));
      const fromOffset = expectedLines(TEXTS)[40].end;
      expect(
        await collect({
          open: start => new FileChunks(file, start, size),
          fromOffset,
        }),
      ).toEqual(expectedLines(TEXTS.slice(41), fromOffset));
    },
  );

  it('gives the same lines in batches', async () => {
    const lines: EventLogLine[] = [];
    for await (const batch of readEventLogLineBatches({
      open: chunks(LOG, 777),
      inProgress: false,
      label: 'test.log',
    })) {
      expect(batch.length).toBeGreaterThan(0);
      lines.push(...batch);
    }
    expect(lines).toEqual(expectedLines(TEXTS));
  });

  it('resumes a plain file by seeking to the offset', async () => {
    const file = writeFile(LOG);
    const all = expectedLines(TEXTS);
    const starts: number[] = [];
    const resumed = await collect({
      open: start => {
        starts.push(start);
        return openFile(file)(start);
      },
      fromOffset: all[49].end,
    });
    expect(starts).toEqual([all[49].end]);
    expect(resumed).toEqual(all.slice(50));
  });

  it.each(codecs)(
    'resumes a %s file by decompressing from the start and skipping',
    async codec => {
      const file = writeFile(encoders[codec](LOG));
      const all = expectedLines(TEXTS);
      const starts: number[] = [];
      const resumed = await collect({
        open: start => {
          starts.push(start);
          return openFile(file)(start);
        },
        codec,
        fromOffset: all[79].end,
      });
      expect(starts).toEqual([0]);
      expect(resumed).toEqual(all.slice(80));
    },
  );

  it('skips blank lines but counts their bytes', async () => {
    const text = `${TEXTS[0]}\n\n${TEXTS[1]}\n`;
    expect(await collect({ open: chunks(Buffer.from(text), 10) })).toEqual([
      { text: TEXTS[0], end: Buffer.byteLength(TEXTS[0]) + 1 },
      { text: TEXTS[1], end: Buffer.byteLength(text) },
    ]);
  });

  it.each(allCodecs)('reads an empty %s file as no lines', async codec => {
    const file = writeFile(Buffer.alloc(0));
    for (const inProgress of [false, true]) {
      expect(
        await collect({ open: openFile(file), codec, inProgress }),
      ).toEqual([]);
    }
  });

  describe('the last line', () => {
    const unterminated = Buffer.from(TEXTS.slice(0, 3).join('\n'));

    it.each(allCodecs)(
      'of a finished %s log is kept without its newline',
      async codec => {
        const file = writeFile(
          codec ? encoders[codec](unterminated) : unterminated,
        );
        const lines = await collect({ open: openFile(file), codec });
        expect(lines.map(line => line.text)).toEqual(TEXTS.slice(0, 3));
        expect(lines[2].end).toBe(unterminated.length);
      },
    );

    it('of a finished log is an error when it is cut', async () => {
      const cut = Buffer.concat([LOG, Buffer.from(TEXTS[5].slice(0, 40))]);
      const { error, lines } = await failure({
        open: openFile(writeFile(cut)),
        label: '/logs/app-1',
      });
      expect(lines).toHaveLength(TEXTS.length);
      expect(error).toBeInstanceOf(EventLogFormatError);
      expect((error as Error).message).toBe(
        `/logs/app-1: unreadable uncompressed event log at decompressed byte ${LOG.length}: ` +
          'the log ends inside its last line (40 bytes without a newline or a closing brace): truncated',
      );
      expect((error as EventLogFormatError).details).toEqual({
        file: '/logs/app-1',
        codec: 'none',
        offset: LOG.length,
        offsetKind: 'decompressed',
        reason: expect.stringContaining('truncated'),
      });
    });

    it.each(allCodecs)(
      'of an in-progress %s log is left for later',
      async codec => {
        const cut = Buffer.concat([LOG, Buffer.from(TEXTS[5].slice(0, 40))]);
        const file = writeFile(codec ? encoders[codec](cut) : cut);
        expect(
          await collect({ open: openFile(file), codec, inProgress: true }),
        ).toEqual(expectedLines(TEXTS));
      },
    );
  });

  describe('tailing an in-progress log by offset', () => {
    it('reads what was appended since the last line read', async () => {
      const file = writeFile(Buffer.alloc(0));
      const append = (text: string) => fs.appendFileSync(file, text);
      const read = (fromOffset: number, inProgress = true) =>
        collect({ open: openFile(file), fromOffset, inProgress });

      append(`${TEXTS[0]}\n${TEXTS[1]}\n${TEXTS[2].slice(0, 30)}`);
      const first = await read(0);
      expect(first).toEqual(expectedLines(TEXTS.slice(0, 2)));

      append(`${TEXTS[2].slice(30)}\n${TEXTS[3]}\n${TEXTS[4].slice(0, 10)}`);
      const second = await read(first[1].end);
      expect(second).toEqual(expectedLines(TEXTS.slice(2, 4), first[1].end));

      // Nothing new: nothing read, and the offset stays valid.
      expect(await read(second[1].end)).toEqual([]);

      append(`${TEXTS[4].slice(10)}\n${TEXTS[5]}`);
      const last = await read(second[1].end, false);
      // The finished log's last line has no newline: it ends at the end of the file.
      expect(last).toEqual([
        expectedLines(TEXTS.slice(4, 6), second[1].end)[0],
        { text: TEXTS[5], end: fs.statSync(file).size },
      ]);
    });

    it('reads a zstd log whose last frame is still being written', async () => {
      const file = writeFile(Buffer.alloc(0));
      const firstPart = Buffer.from(`${TEXTS.slice(0, 40).join('\n')}\n`);
      const secondPart = Buffer.from(`${TEXTS.slice(40).join('\n')}\n`);
      const frames = Buffer.concat([
        zstdFrames(firstPart, 1500),
        zstdFrames(secondPart, 1500),
      ]);
      const firstFrames = zstdFrames(firstPart, 1500).length;
      const read = (fromOffset: number) =>
        collect({
          open: openFile(file),
          codec: 'zstd',
          fromOffset,
          inProgress: true,
        });

      // Spark has written the first frames and half of the next one.
      fs.writeFileSync(file, frames.subarray(0, firstFrames + 20));
      const first = await read(0);
      expect(first).toEqual(expectedLines(TEXTS.slice(0, 40)));

      fs.writeFileSync(file, frames);
      const rest = await read(first[first.length - 1].end);
      expect(rest).toEqual(
        expectedLines(TEXTS.slice(40), first[first.length - 1].end),
      );
    });
  });

  describe('bad input', () => {
    it.each(codecs)(
      'a truncated %s file of a finished log is an error naming the compressed offset',
      async codec => {
        const encoded = encoders[codec](LOG);
        const file = writeFile(encoded.subarray(0, encoded.length - 9));
        const { error } = await failure({
          open: openFile(file),
          codec,
          label: file,
        });
        expect(error).toBeInstanceOf(EventLogFormatError);
        const { details, message } = error as EventLogFormatError;
        expect(details.codec).toBe(codec);
        expect(details.offsetKind).toBe('compressed');
        expect(details.offset).toBeLessThan(encoded.length);
        expect(message).toContain(file);
        expect(message).toContain(`${codec}-compressed`);
        expect(message).toContain('truncated');
      },
    );

    it.each(codecs)(
      'a truncated %s file of an in-progress log gives the lines before the cut',
      async codec => {
        const encoded = encoders[codec](LOG);
        const file = writeFile(encoded.subarray(0, encoded.length - 9));
        const lines = await collect({
          open: openFile(file),
          codec,
          inProgress: true,
        });
        expect(lines).toEqual(expectedLines(TEXTS).slice(0, lines.length));
        expect(lines.length).toBeGreaterThan(TEXTS.length / 2);
      },
    );

    it.each(codecs)('a %s file with corrupt bytes is an error', async codec => {
      const encoded = Buffer.from(encoders[codec](LOG));
      for (let at = 0; at < encoded.length; at += 211) encoded[at] ^= 0xa5;
      for (const inProgress of [false, true]) {
        const { error } = await failure({
          open: openFile(writeFile(encoded)),
          codec,
          inProgress,
        });
        expect(error).toBeInstanceOf(EventLogFormatError);
      }
    });

    it.each(codecs)(
      'a plain file read as %s is refused at byte 0',
      async codec => {
        const { error } = await failure({
          open: openFile(writeFile(LOG)),
          codec,
        });
        expect(error).toBeInstanceOf(EventLogFormatError);
        expect((error as EventLogFormatError).details).toMatchObject({
          codec,
          offset: 0,
          offsetKind: 'compressed',
        });
      },
    );

    it('a compressed file read as plain is refused at byte 0', async () => {
      const { error } = await failure({
        open: openFile(writeFile(encoders.zstd(LOG))),
      });
      expect((error as Error).message).toMatch(
        /^test\.log: unreadable uncompressed event log at decompressed byte 0: not a JSON event line: it starts with 0x28b52ffd/,
      );
    });

    it('a binary file is refused at once, not after buffering a line', async () => {
      let pulled = 0;
      async function* endlessNoise() {
        for (;;) {
          const chunk = randomBytes(65536);
          chunk[0] = 0x00;
          pulled += chunk.length;
          yield chunk;
        }
      }
      const { error } = await failure({
        open: () => Readable.from(endlessNoise()),
      });
      expect((error as EventLogFormatError).details.offset).toBe(0);
      expect(pulled).toBeLessThanOrEqual(4 * 65536);
    });

    it('a text file that is not JSON lines is refused at its first bad line', async () => {
      const text = Buffer.from(`${TEXTS[0]}\nhello world\n`);
      const { error, lines } = await failure({ open: chunks(text, 5) });
      expect(lines).toHaveLength(1);
      expect((error as EventLogFormatError).details).toMatchObject({
        offset: Buffer.byteLength(TEXTS[0]) + 1,
        offsetKind: 'decompressed',
        // Seen as soon as the line starts, before it is complete.
        reason: expect.stringMatching(
          /^not a JSON event line: it starts with "hel/,
        ),
      });
    });

    it('an endless line stops at maxLineBytes, with bounded reading', async () => {
      let pulled = 0;
      async function* endlessLine() {
        yield Buffer.from(`${TEXTS[0]}\n{"Event":"`);
        for (;;) {
          pulled += 65536;
          yield Buffer.alloc(65536, 0x61);
        }
      }
      const { error, lines } = await failure({
        open: () => Readable.from(endlessLine()),
        maxLineBytes: 1 << 20,
      });
      expect(lines).toHaveLength(1);
      expect((error as Error).message).toContain(
        `a line longer than ${1 << 20} bytes`,
      );
      expect(pulled).toBeLessThan(3 << 20);
    });

    it.each(codecs)(
      'an endless %s line stops at maxLineBytes too',
      async codec => {
        const long = Buffer.from(`{"Event":"${'b'.repeat(300_000)}"}\n`);
        const { error } = await failure({
          open: openFile(writeFile(encoders[codec](long))),
          codec,
          maxLineBytes: 100_000,
        });
        expect((error as EventLogFormatError).details).toMatchObject({
          offset: 0,
          offsetKind: 'decompressed',
        });
      },
    );

    it('refuses a negative or fractional offset', async () => {
      await expect(
        collect({ open: chunks(LOG, 100), fromOffset: -1 }),
      ).rejects.toThrow(RangeError);
      await expect(
        collect({ open: chunks(LOG, 100), fromOffset: 1.5 }),
      ).rejects.toThrow(RangeError);
    });
  });

  describe('stopping', () => {
    it('closes the file when the reader stops early', async () => {
      const streams: fs.ReadStream[] = [];
      const file = writeFile(encoders.zstd(LOG));
      for await (const line of readEventLogLines({
        open: start => {
          const stream = openFile(file)(start);
          streams.push(stream);
          return stream;
        },
        codec: 'zstd',
        inProgress: false,
        label: file,
      })) {
        expect(line.end).toBeGreaterThan(0);
        break;
      }
      expect(streams).toHaveLength(1);
      expect(streams[0].destroyed).toBe(true);
    });

    it('throws the abort reason when aborted, and closes the file', async () => {
      const controller = new AbortController();
      let stream: Readable | undefined;
      const lines: EventLogLine[] = [];
      const reading = (async () => {
        for await (const line of readEventLogLines({
          open: () => {
            stream = new Readable({ read() {} });
            stream.push(Buffer.from(`${TEXTS[0]}\n`));
            return stream;
          },
          inProgress: true,
          label: 'test.log',
          signal: controller.signal,
        })) {
          lines.push(line);
          controller.abort(new Error('shutting down'));
        }
      })();
      await expect(reading).rejects.toThrow('shutting down');
      expect(lines).toHaveLength(1);
      expect(stream?.destroyed).toBe(true);
    });

    it('does not open the file when already aborted', async () => {
      const open = jest.fn();
      await expect(
        collect({ open, signal: AbortSignal.abort(new Error('too late')) }),
      ).rejects.toThrow('too late');
      expect(open).not.toHaveBeenCalled();
    });
  });
});
