import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  type EventLogCodec,
  parseEventLogName,
} from '@spark-k8s/plugin-spark-common';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FILE_CHUNK_BYTES, FileChunks } from '../../ingest/eventlog/fileChunks';

/** One file of an event log, in the order Spark wrote them. */
export interface EventLogFile {
  /** Path relative to the log directory (or key relative to the prefix). */
  name: string;
  size: number;
  codec?: EventLogCodec;
}

/** One app attempt's event log: a single file or the parts of a rolling log. */
export interface EventLogEntry {
  /** Stable across `.inprogress` → complete renames: the app (and attempt) part of the name. */
  key: string;
  files: EventLogFile[];
  inProgress: boolean;
}

/**
 * The storage failed, not the log: the server is down, the credentials are refused, the bucket
 * or object is gone. What was read stays; the read is tried again on the next run.
 */
export class EventLogStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventLogStorageError';
  }
}

/** An S3 or network error as one line: the S3 error code (`NoSuchBucket` …) and its message. */
export function describeStorageError(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    errors?: unknown[];
    $metadata?: { httpStatusCode?: number };
  };
  if (e?.errors?.length && !e.message) {
    // Node's AggregateError (one error per address tried) has no message of its own.
    return e.errors.map(describeStorageError).join('; ');
  }
  const status = e?.$metadata?.httpStatusCode;
  const text = e?.message || e?.code || String(error);
  const name =
    e?.name && e.name !== 'Error' && !text.startsWith(e.name)
      ? `${e.name}: `
      : '';
  return `${name}${text}${status ? ` (HTTP ${status})` : ''}`;
}

/** Where event logs live: a directory or an S3-compatible bucket. */
export interface EventLogStorage {
  /** For messages: the directory path or `s3://bucket/prefix`. */
  readonly label: string;
  listLogs(): Promise<EventLogEntry[]>;
  /** The raw bytes of one file from a byte offset. */
  open(name: string, start: number): Promise<NodeJS.ReadableStream>;
  /**
   * The bytes of an uncompressed file from a byte offset, read into a few buffers used in
   * turn: each chunk is valid only until two more have been asked for (see `FileChunks`).
   * Offered by storages that read faster that way; the reader copies what it keeps.
   */
  openUncompressed?(name: string, start: number): AsyncIterable<Buffer>;
}

interface ListedName {
  name: string;
  isDirectory: boolean;
  size: number;
}

/** Groups a listing of `spark.eventLog.dir` into logs; names Spark does not write are skipped. */
export function groupEventLogs(
  top: ListedName[],
  listDir: (dir: string) => ListedName[] | undefined,
): EventLogEntry[] {
  const entries: EventLogEntry[] = [];
  for (const item of top) {
    const parsed = parseEventLogName(item.name, item.isDirectory);
    if (!parsed) continue;
    if (parsed.kind === 'single') {
      entries.push({
        key: parsed.app,
        files: [{ name: item.name, size: item.size, codec: parsed.codec }],
        inProgress: parsed.inProgress,
      });
    } else if (parsed.kind === 'rolling-dir') {
      const children = listDir(item.name) ?? [];
      const parts: Array<EventLogFile & { index: number }> = [];
      let inProgress = true;
      let sawStatus = false;
      for (const child of children) {
        const part = parseEventLogName(child.name, child.isDirectory);
        if (part?.kind === 'rolling-part') {
          parts.push({
            name: `${item.name}/${child.name}`,
            size: child.size,
            codec: part.codec,
            index: part.index,
          });
        } else if (part?.kind === 'rolling-status') {
          sawStatus = true;
          inProgress = part.inProgress;
        }
      }
      if (parts.length === 0) continue;
      parts.sort((a, b) => a.index - b.index);
      entries.push({
        key: `eventlog_v2_${parsed.app}`,
        files: parts.map(({ index: _index, ...file }) => file),
        // Without a status marker Spark was killed before writing one: treat as in progress.
        inProgress: sawStatus ? inProgress : true,
      });
    }
  }
  return entries.sort((a, b) => a.key.localeCompare(b.key));
}

/** Event logs in a local (or mounted) directory. */
export class DirectoryEventLogStorage implements EventLogStorage {
  readonly label: string;

  constructor(private readonly dir: string) {
    this.label = dir;
  }

  private async list(dir: string): Promise<ListedName[]> {
    const dirents = await readdir(dir, { withFileTypes: true });
    const listed: ListedName[] = [];
    for (const dirent of dirents) {
      const path = join(dir, dirent.name);
      try {
        const info = await stat(path);
        listed.push({
          name: dirent.name,
          isDirectory: info.isDirectory(),
          size: info.size,
        });
      } catch {
        // Removed between readdir and stat (a log being renamed): the next run sees it.
      }
    }
    return listed;
  }

  async listLogs(): Promise<EventLogEntry[]> {
    const top = await this.list(this.dir);
    const children = new Map<string, ListedName[]>();
    for (const item of top) {
      if (item.isDirectory && item.name.startsWith('eventlog_v2_')) {
        children.set(item.name, await this.list(join(this.dir, item.name)));
      }
    }
    return groupEventLogs(top, name => children.get(name));
  }

  async open(name: string, start: number): Promise<NodeJS.ReadableStream> {
    return createReadStream(join(this.dir, name), {
      start,
      highWaterMark: FILE_CHUNK_BYTES,
    });
  }

  openUncompressed(name: string, start: number): FileChunks {
    return new FileChunks(join(this.dir, name), start);
  }
}

/** Connection of an S3-compatible bucket (AWS S3, MinIO, Ceph RGW …). */
export interface S3EventLogLocation {
  bucket: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** Event logs in an S3-compatible bucket under a prefix (`spark.eventLog.dir=s3a://bucket/prefix`). */
export class S3EventLogStorage implements EventLogStorage {
  readonly label: string;
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly location: S3EventLogLocation) {
    this.prefix = location.prefix
      ? `${location.prefix.replace(/^\/+|\/+$/g, '')}/`
      : '';
    this.label = `s3://${location.bucket}/${this.prefix}`;
    this.client = new S3Client({
      region: location.region ?? 'us-east-1',
      endpoint: location.endpoint,
      forcePathStyle: location.forcePathStyle,
      credentials:
        location.accessKeyId && location.secretAccessKey
          ? {
              accessKeyId: location.accessKeyId,
              secretAccessKey: location.secretAccessKey,
            }
          : undefined,
    });
  }

  async listLogs(): Promise<EventLogEntry[]> {
    const top = new Map<string, ListedName>();
    const children = new Map<string, ListedName[]>();
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: this.prefix,
            ContinuationToken: token,
          }),
        )
        .catch(error => {
          throw new EventLogStorageError(describeStorageError(error));
        });
      for (const object of page.Contents ?? []) {
        const relative = (object.Key ?? '').slice(this.prefix.length);
        const [first, second, ...deeper] = relative.split('/');
        if (!first || deeper.length) continue;
        if (second === undefined) {
          top.set(first, {
            name: first,
            isDirectory: false,
            size: object.Size ?? 0,
          });
        } else if (second) {
          top.set(first, { name: first, isDirectory: true, size: 0 });
          const list = children.get(first) ?? [];
          list.push({
            name: second,
            isDirectory: false,
            size: object.Size ?? 0,
          });
          children.set(first, list);
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return groupEventLogs([...top.values()], name => children.get(name));
  }

  async open(name: string, start: number): Promise<NodeJS.ReadableStream> {
    const where = `${this.label}${name}`;
    const answer = await this.client
      .send(
        new GetObjectCommand({
          Bucket: this.location.bucket,
          Key: `${this.prefix}${name}`,
          Range: start > 0 ? `bytes=${start}-` : undefined,
        }),
      )
      .catch(error => {
        throw new EventLogStorageError(
          `cannot read ${where}: ${describeStorageError(error)}`,
        );
      });
    if (!answer.Body) {
      throw new EventLogStorageError(`cannot read ${where}: empty answer`);
    }
    return Readable.from(bodyBytes(answer.Body as Readable, where), {
      objectMode: false,
    });
  }
}

/** An object's bytes; a connection lost mid-body is a storage error, not a broken log. */
async function* bodyBytes(
  body: Readable,
  where: string,
): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) yield chunk as Buffer;
  } catch (error) {
    throw new EventLogStorageError(
      `cannot read ${where}: ${describeStorageError(error)}`,
    );
  } finally {
    body.destroy();
  }
}
