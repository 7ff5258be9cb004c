import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  makeTempDir,
  removeDir,
  repoRoot,
  startS3Server,
  type RunningS3Server,
} from '@spark-k8s/harness';
import type { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import {
  dumpStore,
  ingestDirectory,
  ingestStorage,
} from '../../__testUtils__/ingestDirectory';
import type { SparkStore } from '../../store/SparkStore';
import {
  type EventLogStorage,
  type S3EventLogLocation,
  S3EventLogStorage,
} from './storage';

const demoLogs = path.join(repoRoot, 'demo-data', 'eventlogs');
const bucket = 'spark-logs';

let tmp: string;
let stateDir: string;
let server: RunningS3Server;

function location(overrides: Partial<S3EventLogLocation> = {}) {
  return {
    bucket,
    prefix: 'spark-events',
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    ...overrides,
  };
}

function s3(): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    },
  });
}

/** Every file under `dir`, relative, with `/` separators. */
function filesUnder(dir: string, base = ''): string[] {
  return fs
    .readdirSync(path.join(dir, base), { withFileTypes: true })
    .flatMap(entry => {
      const relative = base ? `${base}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(dir, relative) : [relative];
    });
}

async function upload(key: string, body: Buffer | string): Promise<void> {
  await s3().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
  );
}

/** One run of the source into the SQLite file; returns what the store holds and the source's status. */
async function runOnce(
  storage: EventLogStorage,
  sqliteFile: string,
): Promise<{
  stored: Record<string, unknown[]>;
  status: Awaited<ReturnType<SparkStore['listSourceStatus']>>[number];
}> {
  let knex: Knex | undefined;
  try {
    const ingested = await ingestStorage({ storage, sqliteFile });
    knex = ingested.knex;
    const [status] = await ingested.store.listSourceStatus();
    return { stored: await dumpStore(knex), status };
  } finally {
    await knex?.destroy();
  }
}

async function directoryResult(dir: string, name: string) {
  const { knex } = await ingestDirectory({
    dir,
    sqliteFile: path.join(tmp, `${name}.sqlite`),
  });
  try {
    return await dumpStore(knex);
  } finally {
    await knex.destroy();
  }
}

beforeAll(async () => {
  tmp = makeTempDir('s3-eventlog-test');
  stateDir = path.join(tmp, 's3-state');
  server = await startS3Server({ stateDir });
  await s3().send(new CreateBucketCommand({ Bucket: bucket }));
  for (const file of filesUnder(demoLogs)) {
    await upload(
      `spark-events/${file}`,
      fs.readFileSync(path.join(demoLogs, file)),
    );
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeDir(tmp);
});

describe('S3EventLogStorage against a real S3-compatible server', () => {
  it('stores the same result as the directory source for the demo logs (every codec, rolling v2 directories)', async () => {
    const names = filesUnder(demoLogs);
    // The demo logs cover what the bucket has to: each codec, and rolling logs, one in progress.
    expect(names.some(name => name.endsWith('.zstd'))).toBe(true);
    expect(names.some(name => name.endsWith('.lz4'))).toBe(true);
    expect(names.some(name => name.endsWith('.snappy'))).toBe(true);
    expect(names.some(name => !name.includes('.'))).toBe(true);
    expect(names.some(name => name.endsWith('.inprogress'))).toBe(true);

    const fromBucket = await runOnce(
      new S3EventLogStorage(location()),
      path.join(tmp, 'bucket.sqlite'),
    );
    expect(fromBucket.status).toMatchObject({ status: 'ok', problems: [] });
    const expected = await directoryResult(demoLogs, 'directory');
    expect(expected.apps.length).toBe(
      fs.readdirSync(demoLogs).length, // one app per log
    );
    expect(fromBucket.stored).toEqual(expected);
  }, 120_000);

  it('tails an in-progress log that grows between polls and ends equal to the directory source', async () => {
    const app = 'local-1796154852829'; // plain
    const lines = fs.readFileSync(path.join(demoLogs, app), 'utf8').split('\n');
    const storage = new S3EventLogStorage(location({ prefix: 'tail/' }));
    const sqliteFile = path.join(tmp, 'tail.sqlite');
    const third = Math.floor(lines.length / 3);
    const written = (count: number, cut = 0) =>
      `${lines.slice(0, count).join('\n')}\n${lines[count].slice(0, cut)}`;

    // S3 objects are replaced whole: each poll sees a longer object under the same key.
    await upload(`tail/${app}.inprogress`, written(third, 25));
    const first = await runOnce(storage, sqliteFile);
    expect(first.status.status).toBe('ok');
    expect(first.stored.apps).toEqual([
      expect.objectContaining({ state: 'RUNNING', complete: false }),
    ]);

    await upload(`tail/${app}.inprogress`, written(2 * third, 7));
    const second = await runOnce(storage, sqliteFile);
    expect(second.stored.apps).toEqual([
      expect.objectContaining({ state: 'RUNNING', complete: false }),
    ]);

    await upload(`tail/${app}`, lines.join('\n'));
    await s3().send(
      new DeleteObjectCommand({
        Bucket: bucket,
        Key: `tail/${app}.inprogress`,
      }),
    );
    const done = await runOnce(storage, sqliteFile);
    expect(done.status).toMatchObject({ status: 'ok', problems: [] });

    const dir = path.join(tmp, 'tail-dir');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(demoLogs, app), path.join(dir, app));
    expect(done.stored).toEqual(await directoryResult(dir, 'tail-dir'));
    expect(done.stored.apps).toEqual([
      expect.objectContaining({ state: 'SUCCEEDED', complete: true }),
    ]);
  }, 120_000);

  it('reports wrong credentials, a missing bucket and a server that is down as a clear per-source error, and loses nothing', async () => {
    const sqliteFile = path.join(tmp, 'bad.sqlite');
    const good = await runOnce(new S3EventLogStorage(location()), sqliteFile);
    expect(good.status.status).toBe('ok');

    const wrongSecret = await runOnce(
      new S3EventLogStorage(location({ secretAccessKey: 'not-the-secret' })),
      sqliteFile,
    );
    expect(wrongSecret.status).toMatchObject({
      id: 'eventlog:local',
      status: 'error',
      message: expect.stringMatching(
        /^cannot list s3:\/\/spark-logs\/spark-events\/: SignatureDoesNotMatch: .+ \(HTTP 403\)$/,
      ),
    });
    expect(wrongSecret.stored).toEqual(good.stored);

    const unknownKey = await runOnce(
      new S3EventLogStorage(location({ accessKeyId: 'nobody' })),
      sqliteFile,
    );
    // AWS answers InvalidAccessKeyId (403); versitygw XAdminUserNotFound (404).
    expect(unknownKey.status.message).toMatch(
      /^cannot list s3:\/\/spark-logs\/spark-events\/: \w+: .*access key.* \(HTTP 40[34]\)$/i,
    );
    expect(unknownKey.stored).toEqual(good.stored);

    const missing = await runOnce(
      new S3EventLogStorage(location({ bucket: 'no-such-bucket' })),
      sqliteFile,
    );
    expect(missing.status).toMatchObject({
      status: 'error',
      message: expect.stringMatching(
        /^cannot list s3:\/\/no-such-bucket\/spark-events\/: NoSuchBucket: .+ \(HTTP 404\)$/,
      ),
    });
    expect(missing.stored).toEqual(good.stored);

    const port = server.port;
    await server.stop();
    try {
      const down = await runOnce(new S3EventLogStorage(location()), sqliteFile);
      expect(down.status).toMatchObject({
        status: 'error',
        message: expect.stringMatching(
          /^cannot list s3:\/\/spark-logs\/spark-events\/: .*ECONNREFUSED/,
        ),
      });
      expect(down.stored).toEqual(good.stored);
    } finally {
      server = await startS3Server({ stateDir, port });
    }

    const back = await runOnce(new S3EventLogStorage(location()), sqliteFile);
    expect(back.status).toMatchObject({ status: 'ok', problems: [] });
    expect(back.stored).toEqual(good.stored);
  }, 180_000);

  it('keeps what it read when the server goes down between logs, and reads the rest on the next run', async () => {
    const bucketStorage = new S3EventLogStorage(location());
    let opened = 0;
    const port = server.port;
    // The real server is stopped once the first log has been opened: the rest cannot be read.
    const failing: EventLogStorage = {
      label: bucketStorage.label,
      listLogs: () => bucketStorage.listLogs(),
      async open(name, start) {
        if (++opened === 2) await server.stop();
        return bucketStorage.open(name, start);
      },
    };
    const sqliteFile = path.join(tmp, 'down-mid-run.sqlite');
    let cut;
    try {
      cut = await runOnce(failing, sqliteFile);
    } finally {
      server = await startS3Server({ stateDir, port });
    }
    expect(cut.status.status).toBe('error');
    expect(cut.status.problems.length).toBeGreaterThan(0);
    for (const problem of cut.status.problems) {
      expect(problem.message).toMatch(
        /^cannot read s3:\/\/spark-logs\/spark-events\/\S+: .*ECONNREFUSED.* \(read again from there on the next run\)$/,
      );
    }
    // Nothing unreadable was recorded: a storage failure is not a broken log.
    expect(JSON.stringify(cut.stored)).not.toContain('EventLogUnreadable');

    const next = await runOnce(bucketStorage, sqliteFile);
    expect(next.status).toMatchObject({ status: 'ok', problems: [] });
    expect(next.stored).toEqual(await directoryResult(demoLogs, 'after-down'));
  }, 180_000);
});
