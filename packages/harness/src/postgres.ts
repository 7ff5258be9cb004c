import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  assertPortFree,
  freePort,
  HarnessError,
  isExecutable,
  makeTempDir,
  once,
  removeDir,
  RunningPart,
  startProcess,
  waitFor,
} from './common';

const part = 'postgres';
const installHint =
  'run scripts/install-system-packages.sh (installs the Debian package postgresql)';
const debianRoot = '/usr/lib/postgresql';

/** The server binaries of Debian's newest installed PostgreSQL major version. */
export interface PostgresInstall {
  major: number;
  binDir: string;
  initdb: string;
  postgres: string;
}

export function findPostgres(): PostgresInstall {
  const majors = (fs.existsSync(debianRoot) ? fs.readdirSync(debianRoot) : [])
    .filter(name => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => b - a);
  for (const major of majors) {
    const binDir = path.join(debianRoot, String(major), 'bin');
    const initdb = path.join(binDir, 'initdb');
    const postgres = path.join(binDir, 'postgres');
    if (isExecutable(initdb) && isExecutable(postgres)) {
      return { major, binDir, initdb, postgres };
    }
  }
  throw new HarnessError(
    part,
    `no PostgreSQL server binaries (${debianRoot}/<major>/bin/initdb and postgres): ${installHint}`,
  );
}

export interface PostgresOptions {
  /** Defaults to a free port. */
  port?: number;
  /** The password-authenticated login role to create; default `spark_k8s`. */
  user?: string;
  /** Default: random. */
  password?: string;
  /** A database owned by `user`; default `spark_k8s`. */
  database?: string;
  /** Make `user` a superuser (it always has CREATEDB). Default false. */
  superuser?: boolean;
  /** Default 300: a Backstage backend opens a connection pool per plugin. */
  maxConnections?: number;
  timeoutMs?: number;
}

export interface RunningPostgres extends RunningPart {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  /** `postgresql://user:password@127.0.0.1:port/database` */
  connectionString: string;
  /** The major version of the server, e.g. 15. */
  major: number;
  /** Directory of the server's unix socket; the `postgres` superuser may connect there without a password. */
  socketDir: string;
}

/** The unprivileged account to run the server as: initdb and postgres refuse to run as root. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map(line => line.split(':'))
    .find(fields => fields[0] === 'postgres');
  if (!entry) {
    throw new HarnessError(
      part,
      `running as root, but there is no 'postgres' system user to run the server as: ${installHint}`,
    );
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/**
 * Starts a private PostgreSQL server: a fresh cluster in a temporary directory, listening
 * on 127.0.0.1 only, with a password-authenticated role and a database it owns.
 */
export async function startPostgres(
  options: PostgresOptions = {},
): Promise<RunningPostgres> {
  const install = findPostgres();
  const account = serverAccount();
  const port = options.port ?? (await freePort());
  await assertPortFree(port, part);
  const user = options.user ?? 'spark_k8s';
  const password = options.password ?? randomBytes(16).toString('hex');
  const database = options.database ?? 'spark_k8s';
  const timeoutMs = options.timeoutMs ?? 60_000;

  const tempDir = makeTempDir(part);
  const dataDir = path.join(tempDir, 'data');
  const socketDir = path.join(tempDir, 'socket');
  fs.mkdirSync(socketDir);
  if (account) {
    fs.chownSync(tempDir, account.uid, account.gid);
    fs.chownSync(socketDir, account.uid, account.gid);
  }
  const spawnAs = {
    ...account,
    cwd: tempDir,
    env: { ...process.env, LC_ALL: 'C' },
  };

  try {
    await promisify(execFile)(
      install.initdb,
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
      ],
      spawnAs,
    );
  } catch (e) {
    removeDir(tempDir);
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new HarnessError(
      part,
      `initdb failed: ${err.stderr || err.stdout || err.message}`,
    );
  }

  const server = startProcess(
    part,
    install.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDir}`,
      '-c',
      `max_connections=${options.maxConnections ?? 300}`,
      // A throw-away test server: durability buys nothing and costs seconds.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { ...spawnAs, logFile: path.join(tempDir, 'postgres.log') },
  );

  const stop = once(async () => {
    const pid = server.child.pid;
    if (pid !== undefined && server.child.exitCode === null) {
      // SIGINT is PostgreSQL's "fast shutdown"; the SIGTERM of server.stop() would wait for clients.
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
      await Promise.race([
        new Promise(resolve => server.child.once('exit', resolve)),
        new Promise(resolve => setTimeout(resolve, 10_000)),
      ]);
    }
    await server.stop();
    removeDir(tempDir);
  });

  const adminConnection = {
    host: socketDir,
    port,
    user: 'postgres',
    database: 'postgres',
  };
  try {
    await waitFor(
      part,
      'the server to accept connections',
      async () => {
        const probe = new Client(adminConnection);
        try {
          await probe.connect();
          await probe.query('SELECT 1');
          return true;
        } finally {
          await probe.end().catch(() => undefined);
        }
      },
      { timeoutMs, process: server },
    );
    const admin = new Client(adminConnection);
    await admin.connect();
    try {
      await admin.query(
        `CREATE ROLE ${admin.escapeIdentifier(user)} LOGIN CREATEDB${
          options.superuser ? ' SUPERUSER' : ''
        } PASSWORD ${admin.escapeLiteral(password)}`,
      );
      await admin.query(
        `CREATE DATABASE ${admin.escapeIdentifier(
          database,
        )} OWNER ${admin.escapeIdentifier(user)}`,
      );
    } finally {
      await admin.end();
    }
    // Proves the TCP listener and password authentication the callers use.
    const client = new Client({
      host: '127.0.0.1',
      port,
      user,
      password,
      database,
    });
    await client.connect();
    await client.end();
  } catch (e) {
    const log = server.tail();
    await stop();
    if (e instanceof HarnessError) throw e;
    throw new HarnessError(
      part,
      `setting up the server failed: ${
        (e as Error).message
      }; last log lines:\n${log}`,
    );
  }

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    connectionString: `postgresql://${encodeURIComponent(
      user,
    )}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(
      database,
    )}`,
    major: install.major,
    socketDir,
    stop,
  };
}
