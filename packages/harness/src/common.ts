import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The repository root: the nearest folder above the working directory with backstage.json. */
export const repoRoot = findRepoRoot(process.cwd());

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'backstage.json'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(
        `[harness] no backstage.json in ${start} or above: run from the repository`,
      );
    }
  }
}

/** Git-ignored folder holding toolchains, built binaries and venvs, keyed by version. */
export const cacheDir =
  process.env.SPARK_K8S_CACHE ?? path.join(repoRoot, '.cache');

/** Raised when a part cannot start; the message names the part and what to do. */
export class HarnessError extends Error {
  constructor(part: string, message: string) {
    super(`[harness:${part}] ${message}`);
    this.name = 'HarnessError';
  }
}

/** A running real part. `stop()` is idempotent and always safe to call. */
export interface RunningPart {
  /** Stops the part and removes its temporary directory. */
  stop(): Promise<void>;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Fails with a clear error when something already listens on the port. */
export async function assertPortFree(
  port: number,
  part: string,
): Promise<void> {
  const inUse = await new Promise<boolean>(resolve => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (inUse) {
    throw new HarnessError(part, `port ${port} on 127.0.0.1 is already in use`);
  }
}

/** Creates a temporary directory for one part; removed by the part's stop(). */
export function makeTempDir(part: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `spark-k8s-${part}-`));
}

/** True when the file exists and may be executed. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns the path of an executable, or throws naming the missing tool and its installer. */
export function requireExecutable(
  part: string,
  file: string,
  installHint: string,
): string {
  if (!isExecutable(file)) {
    throw new HarnessError(part, `${file} is missing: ${installHint}`);
  }
  return file;
}

/** Finds a program on PATH (like `command -v`), or undefined. */
export function which(program: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .map(dir => path.join(dir, program))
    .find(isExecutable);
}

/** A child process whose output is kept in a log file, so a failed start can show why. */
export interface ManagedProcess {
  child: ChildProcess;
  logFile: string;
  /** The last lines of the log, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(
  part: string,
  command: string,
  args: string[],
  options: SpawnOptions & { logFile: string },
): ManagedProcess {
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    ...options,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  child.on('error', () => {
    // reported through exit checks in waitFor and tail()
  });
  let exited = child.exitCode !== null;
  const exitPromise = new Promise<void>(resolve => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const tail = (lines = 30) => {
    try {
      return fs
        .readFileSync(options.logFile, 'utf8')
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  };
  return {
    child,
    logFile: options.logFile,
    tail,
    async stop(graceMs = 10_000) {
      if (exited || child.pid === undefined) return;
      const signalGroup = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
        } catch {
          // already gone
        }
      };
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
      void part;
    },
  };
}

/** Polls `check` until it returns a value, the process dies, or the timeout passes. */
export async function waitFor<T>(
  part: string,
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; process?: ManagedProcess; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (options.process && options.process.child.exitCode !== null) {
      throw new HarnessError(
        part,
        `exited with code ${
          options.process.child.exitCode
        } before ${what}; last log lines:\n${options.process.tail()}`,
      );
    }
    try {
      const result = await check();
      if (result !== undefined) return result;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const detail =
        lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const log = options.process
        ? `; last log lines:\n${options.process.tail()}`
        : '';
      throw new HarnessError(
        part,
        `timed out after ${options.timeoutMs} ms waiting for ${what}${detail}${log}`,
      );
    }
    await new Promise(r => setTimeout(r, options.intervalMs ?? 250));
  }
}

/** Makes a part's shutdown safe to call twice or concurrently: it runs once. */
export function once(shutdown: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= shutdown());
}

/** A part's stop(): stops its processes in order, then removes its directory; runs once. */
export function stopProcesses(
  dir: string,
  ...processes: ManagedProcess[]
): () => Promise<void> {
  return once(async () => {
    for (const process of processes) await process.stop();
    removeDir(dir);
  });
}

/** Removes a directory tree, ignoring errors (used by stop()). */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
