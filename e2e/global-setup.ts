import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../packages/harness/src/common';

/** Starts the portal through the README's start command on a free port with a fresh data dir. */
export default async function globalSetup() {
  if (process.env.PORTAL_URL) return; // an already running portal was given
  const root = path.resolve(__dirname, '..');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-k8s-e2e-'));
  // Per port, so E2E runs started side by side never share a log or stop each other's portal.
  const logFile = path.join(root, 'test-results', `e2e-portal-${port}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const child = spawn(path.join(root, 'scripts', 'start'), [], {
    env: {
      ...process.env,
      SPARK_K8S_PORT: String(port),
      SPARK_K8S_DATA_DIR: dataDir,
    },
    stdio: ['ignore', out, out],
    detached: true,
  });
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 8 * 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `the portal exited with ${child.exitCode} during start, see ${logFile}`,
      );
    }
    try {
      const res = await fetch(`${url}/.backstage/health/v1/readiness`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGTERM');
      throw new Error(
        `the portal did not become ready on ${url}, see ${logFile}`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  process.env.PORTAL_URL = url;
  process.env.PORTAL_LOG = logFile;
  // Global setup and teardown run in the same runner process: the state travels in its env.
  process.env.SPARK_K8S_E2E_PORTAL = JSON.stringify({
    pid: child.pid,
    dataDir,
    url,
  });
}
