import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileChunks } from './fileChunks';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-chunks-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('FileChunks', () => {
  const bytes = randomBytes(10_000);
  let file: string;
  beforeAll(() => {
    file = path.join(dir, 'log');
    fs.writeFileSync(file, bytes);
  });

  it.each([
    [0, 1000],
    [0, 3333],
    [4321, 1000],
    [0, 1 << 20],
  ])(
    'reads the file from byte %d in chunks of %d bytes, the one before each still intact',
    async (start, size) => {
      const seen: Buffer[] = [];
      let previous: { chunk: Buffer; copy: Buffer } = {
        chunk: Buffer.alloc(0),
        copy: Buffer.alloc(0),
      };
      let previousIntact = true;
      let largest = 0;
      for await (const chunk of new FileChunks(file, start, size)) {
        // The chunk handed on before this one is valid until the next is asked for.
        previousIntact &&= previous.chunk.equals(previous.copy);
        largest = Math.max(largest, chunk.length);
        previous = { chunk, copy: Buffer.from(chunk) };
        seen.push(previous.copy);
      }
      expect(previousIntact).toBe(true);
      expect(largest).toBeLessThanOrEqual(size);
      expect(Buffer.concat(seen).equals(bytes.subarray(start))).toBe(true);
    },
  );

  it('reads nothing of an empty file, and stops when destroyed', async () => {
    const empty = path.join(dir, 'empty');
    fs.writeFileSync(empty, '');
    const none: Buffer[] = [];
    for await (const chunk of new FileChunks(empty, 0)) none.push(chunk);
    expect(none).toEqual([]);

    const reader = new FileChunks(file, 0, 1000);
    let chunks = 0;
    for await (const _ of reader) {
      if (++chunks === 3) reader.destroy();
    }
    expect(chunks).toBe(3);
  });

  it('fails with the file system error of a missing file', async () => {
    const read = async () => {
      for await (const _ of new FileChunks(path.join(dir, 'missing'), 0)) {
        // nothing
      }
    };
    await expect(read()).rejects.toThrow(/ENOENT/);
  });
});
