import fs from 'node:fs';
import path from 'node:path';

/** Stops the portal started by global-setup.ts and removes its data dir. */
export default async function globalTeardown() {
  const stateFile = path.resolve(
    __dirname,
    '..',
    'test-results',
    'e2e-portal.json',
  );
  if (!fs.existsSync(stateFile)) return;
  const { pid, dataDir } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
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
  fs.rmSync(stateFile);
}
