import fs from 'node:fs';
import path from 'node:path';
import {
  assertPortFree,
  cacheDir,
  freePort,
  HarnessError,
  makeTempDir,
  removeDir,
  requireExecutable,
  repoRoot,
  RunningPart,
  startProcess,
  waitFor,
} from './common';

const part = 's3';
const installHint =
  'run packages/harness/scripts/install-s3.sh (builds versitygw from its Go module)';

/** The versitygw version the harness builds: the one pinned in build/versitygw/go.mod. */
export function versitygwVersion(): string {
  const goMod = fs.readFileSync(
    path.join(repoRoot, 'packages', 'harness', 'build', 'versitygw', 'go.mod'),
    'utf8',
  );
  const match = /^\s*github\.com\/versity\/versitygw\s+(v\S+)/m.exec(goMod);
  if (!match) {
    throw new HarnessError(
      part,
      'no versitygw version in build/versitygw/go.mod',
    );
  }
  return match[1];
}

/** Path of the built versitygw binary under `.cache/versitygw/<version>/`. */
export function versitygwPath(): string {
  return requireExecutable(
    part,
    path.join(cacheDir, 'versitygw', versitygwVersion(), 'versitygw'),
    installHint,
  );
}

export interface S3ServerOptions {
  /** Defaults to a free port. Give the port of a stopped server to start it again where it was. */
  port?: number;
  /**
   * Where buckets, objects and their metadata live. Default: a temporary directory, removed by
   * stop(); a given directory is kept, so a server started again on it has the same buckets.
   */
  stateDir?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  timeoutMs?: number;
}

export interface RunningS3Server extends RunningPart {
  /** `http://127.0.0.1:<port>`: the endpoint, with path-style addressing. */
  endpoint: string;
  port: number;
  region: string;
  /** The root user's static credentials. */
  accessKeyId: string;
  secretAccessKey: string;
  stateDir: string;
}

/**
 * Starts a real S3-compatible server (versitygw with its posix backend) on 127.0.0.1; resolves
 * once it answers S3 requests. Buckets are created through the S3 API like on any other store.
 */
export async function startS3Server(
  options: S3ServerOptions = {},
): Promise<RunningS3Server> {
  const binary = versitygwPath();
  const port = options.port ?? (await freePort());
  await assertPortFree(port, part);
  const endpoint = `http://127.0.0.1:${port}`;
  const accessKeyId = options.accessKeyId ?? 'harness-access-key';
  const secretAccessKey = options.secretAccessKey ?? 'harness-secret-key';
  const region = options.region ?? 'us-east-1';

  const tempDir = makeTempDir(part);
  const stateDir = options.stateDir ?? path.join(tempDir, 'state');
  const bucketsDir = path.join(stateDir, 'buckets');
  const metadataDir = path.join(stateDir, 'metadata');
  fs.mkdirSync(bucketsDir, { recursive: true });
  fs.mkdirSync(metadataDir, { recursive: true });

  const server = startProcess(
    part,
    binary,
    [
      '--port',
      `127.0.0.1:${port}`,
      '--region',
      region,
      '--quiet',
      'posix',
      // Object metadata in a side folder, not extended attributes: works on every filesystem.
      '--sidecar',
      metadataDir,
      bucketsDir,
    ],
    {
      cwd: tempDir,
      logFile: path.join(tempDir, 'versitygw.log'),
      env: {
        ...process.env,
        ROOT_ACCESS_KEY_ID: accessKeyId,
        ROOT_SECRET_ACCESS_KEY: secretAccessKey,
      },
    },
  );
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await server.stop();
      removeDir(tempDir);
    })());

  try {
    // An unsigned request gets S3's own 403 XML answer once the server is up.
    await waitFor(
      part,
      `${endpoint} to answer S3 requests`,
      async () => {
        const answer = await fetch(endpoint);
        const body = await answer.text();
        return answer.status === 403 && body.includes('<Error>')
          ? true
          : undefined;
      },
      { timeoutMs: options.timeoutMs ?? 60_000, process: server },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    endpoint,
    port,
    region,
    accessKeyId,
    secretAccessKey,
    stateDir,
    stop,
  };
}
