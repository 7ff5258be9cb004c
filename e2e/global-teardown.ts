import fs from 'node:fs';

/** Stops the portal started by global-setup.ts and removes its data dir. */
export default async function globalTeardown() {
  const state = process.env.SPARK_K8S_E2E_PORTAL;
  if (!state) return;
  const { pid, dataDir } = JSON.parse(state);
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (let i = 0; i < 30; i++) {
    try {
      process.kill(-pid, 0);
    } catch {
      break;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // stopped
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
