import { startPortal } from './portal';

/** Starts the portal the E2E tests share, unless PORTAL_URL names one already running. */
export default async function globalSetup() {
  if (process.env.PORTAL_URL) return;
  const portal = await startPortal();
  process.env.PORTAL_URL = portal.url;
  process.env.PORTAL_LOG = portal.logFile;
  // Global setup and teardown run in the same runner process: the state travels in its env.
  process.env.SPARK_K8S_E2E_PORTAL = JSON.stringify(portal);
}
