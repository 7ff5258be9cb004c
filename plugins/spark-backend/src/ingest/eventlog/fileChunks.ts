import { open } from 'node:fs/promises';

/** Reads of 1 MiB: fewer, larger chunks are what makes plain logs fast. */
export const FILE_CHUNK_BYTES = 1 << 20;
/** Buffers used in turn: the chunk handed on, the one before it, and the one being read. */
const RING = 3;

/**
 * The bytes of a local file from `start`, in chunks read into three buffers used in turn, one
 * read ahead. A stream would allocate a new buffer for each chunk, and for a large log the
 * garbage collector and the kernel (fresh pages for every buffer) would spend more time on
 * those than on reading. So a chunk is only valid until two more chunks have been asked for:
 * whoever keeps bytes longer copies them (see `EventLogLineSpans`). Only for uncompressed
 * logs: a decompressor may hold on to its input for longer.
 */
export class FileChunks implements AsyncIterable<Buffer> {
  private destroyed = false;

  constructor(
    private readonly path: string,
    private readonly start: number,
    private readonly chunkBytes = FILE_CHUNK_BYTES,
  ) {}

  /** Stops the reading at the next chunk (as a stream's `destroy`). */
  destroy(): void {
    this.destroyed = true;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    if (this.destroyed) return;
    const handle = await open(this.path, 'r');
    const ring = Array.from({ length: RING }, () =>
      Buffer.allocUnsafe(this.chunkBytes),
    );
    let position = this.start;
    const readInto = (slot: number) =>
      handle.read(ring[slot], 0, this.chunkBytes, position);
    let pending: ReturnType<typeof readInto> | undefined = readInto(0);
    try {
      for (let k = 0; ; k++) {
        const { bytesRead } = await pending;
        pending = undefined;
        if (bytesRead === 0 || this.destroyed) return;
        position += bytesRead;
        const chunk = ring[k % RING].subarray(0, bytesRead);
        pending = readInto((k + 1) % RING);
        yield chunk;
      }
    } finally {
      // A read still under way finishes before the file is closed.
      await pending?.catch(() => undefined);
      await handle.close();
    }
  }
}
