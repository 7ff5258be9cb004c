import { stopPortal } from './portal';

/** Stops the portal started by global-setup.ts and removes its data dir. */
export default async function globalTeardown() {
  const state = process.env.SPARK_K8S_E2E_PORTAL;
  if (state) await stopPortal(JSON.parse(state));
}
