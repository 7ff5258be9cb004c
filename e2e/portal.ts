import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../packages/harness/src/common';
import { harnessKubernetesConfig } from '../packages/harness/src/kube';

const root = path.resolve(__dirname, '..');

/** A portal started by {@link startPortal}: where it listens, its log, what to stop and remove. */
export interface StartedPortal {
  url: string;
  logFile: string;
  pid: number;
  dataDir: string;
}

/**
 * Starts the portal through the README's start command on a free port with a fresh data dir,
 * and waits until it is ready. `env` adds settings, e.g. `APP_CONFIG_…` overrides.
 */
export async function startPortal(
  options: { name?: string; env?: Record<string, string> } = {},
): Promise<StartedPortal> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-k8s-e2e-'));
  // Per port, so E2E runs started side by side never share a log or stop each other's portal.
  const logFile = path.join(
    root,
    'test-results',
    `e2e-portal-${options.name ? `${options.name}-` : ''}${port}.log`,
  );
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');
  const child = spawn(path.join(root, 'scripts', 'start'), [], {
    env: {
      ...process.env,
      ...options.env,
      SPARK_K8S_PORT: String(port),
      SPARK_K8S_DATA_DIR: dataDir,
    },
    stdio: ['ignore', out, out],
    detached: true,
  });
  const portal = {
    url: `http://localhost:${port}`,
    logFile,
    pid: child.pid!,
    dataDir,
  };
  const deadline = Date.now() + 8 * 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `the portal exited with ${child.exitCode} during start, see ${logFile}`,
      );
    }
    try {
      const res = await fetch(`${portal.url}/.backstage/health/v1/readiness`);
      if (res.ok) return portal;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopPortal(portal);
      throw new Error(
        `the portal did not become ready on ${portal.url}, see ${logFile}`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** Stops a portal of {@link startPortal} (its whole process group) and removes its data dir. */
export async function stopPortal(
  portal: Pick<StartedPortal, 'pid' | 'dataDir'>,
): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(-portal.pid, name);
      return true;
    } catch {
      return false; // gone
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 30 && signal(0); i++) {
    await new Promise(r => setTimeout(r, 500));
  }
  signal('SIGKILL');
  fs.rmSync(portal.dataDir, { recursive: true, force: true });
}

/** A token of the portal's guest user, for calls to its API. */
export async function guestToken(
  request: APIRequestContext,
  baseURL = '',
): Promise<string> {
  const res = await request.get(`${baseURL}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(res.ok(), await res.text()).toBeTruthy();
  return (await res.json()).backstageIdentity.token;
}

/** Signs in as the guest in the given language and waits for the demo catalog on the home page. */
export async function signInAsGuest(
  page: Page,
  language: 'en' | 'ru' = 'en',
  baseURL = '',
): Promise<void> {
  await page.goto(`${baseURL}/`);
  await page.evaluate(lang => localStorage.setItem('language', lang), language);
  await page.getByRole('button', { name: /enter/i }).click();
  await expect(page.getByText('Daily settlement ETL').first()).toBeVisible();
}

/** A full-page screenshot under test-results/screenshots, kept as an artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(root, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({
    path: path.join(dir, `${name}.png`),
    fullPage: true,
  });
}

/**
 * The app-config override that makes a portal's `kubernetes:` block name the harness's
 * kube-apiserver as the cluster `harness`, as a real deployment's config would.
 */
export function harnessClusterEnv(kube: {
  url: string;
  adminToken: string;
  caPem: string;
}): Record<string, string> {
  return {
    APP_CONFIG_kubernetes_clusterLocatorMethods: JSON.stringify(
      harnessKubernetesConfig(kube).clusterLocatorMethods,
    ),
  };
}
