import { KubernetesObjectApi, loadAllYaml } from '@kubernetes/client-node';
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  createNamespace,
  installCrds,
  startKubeApiserver,
  type RunningKubeApiserver,
} from '../packages/harness/src/kube';
import {
  guestToken,
  harnessClusterEnv,
  screenshot,
  signInAsGuest,
  startPortal,
  stopPortal,
  type StartedPortal,
} from './portal';

const root = path.resolve(__dirname, '..');
const crdDir = path.join(
  root,
  'plugins/spark-backend/src/sources/kubernetes/__fixtures__/crds',
);

const labels = { 'backstage.io/kubernetes-id': 'settlement-etl' };

/** A run of the settlement ETL as the kubeflow operator leaves it: the SparkApplication and its driver. */
const sparkApplication = {
  apiVersion: 'sparkoperator.k8s.io/v1beta2',
  kind: 'SparkApplication',
  metadata: { name: 'settlement-etl-e2e', namespace: 'payments-data', labels },
  spec: {
    type: 'Python',
    mode: 'cluster',
    sparkVersion: '4.0.1',
    image: 'apache/spark:4.0.1',
    mainApplicationFile: 'local:///opt/jobs/settlement_etl.py',
    driver: { cores: 1, memory: '1g', serviceAccount: 'default' },
    executor: { instances: 2, cores: 2, memory: '2g' },
  },
};

const driverPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'settlement-etl-e2e-driver',
    namespace: 'payments-data',
    labels: {
      ...labels,
      'spark-role': 'driver',
      'spark-app-selector': 'spark-e2e0000000000000000000000001',
      'sparkoperator.k8s.io/app-name': 'settlement-etl-e2e',
    },
  },
  spec: {
    containers: [
      {
        name: 'spark-kubernetes-driver',
        image: 'apache/spark:4.0.1',
        resources: { requests: { cpu: '1', memory: '1408Mi' } },
      },
    ],
  },
};

test.describe('the Kubernetes tab of a Spark job Component', () => {
  let kube: RunningKubeApiserver | undefined;
  let portal: StartedPortal | undefined;

  // A real kube-apiserver with the operator's CRDs, and a portal whose `kubernetes:` points at it.
  test.beforeAll(async () => {
    test.setTimeout(900_000);
    kube = await startKubeApiserver();
    const kc = kube.kubeConfig();
    const client = KubernetesObjectApi.makeApiClient(kc);
    for (const file of ['sparkoperator.k8s.io.yaml', 'spark.apache.org.yaml']) {
      await installCrds(
        kc,
        loadAllYaml(fs.readFileSync(path.join(crdDir, file), 'utf8')) as any[],
      );
    }
    await createNamespace(kc, 'payments-data');
    await client.create(sparkApplication);
    await client.create(driverPod);

    portal = await startPortal({
      name: 'kubernetes',
      env: harnessClusterEnv(kube),
    });
  });

  test.afterAll(async () => {
    if (portal) await stopPortal(portal);
    await kube?.stop();
  });

  test('lists its SparkApplication, and the Spark tab shows the live run', async ({
    page,
  }) => {
    test.setTimeout(360_000);
    const baseURL = portal!.url;
    await signInAsGuest(page, 'en', baseURL);
    await page.goto(
      `${baseURL}/catalog/default/component/settlement-etl/kubernetes`,
    );
    const cluster = page.getByRole('button', { name: /harness/ });
    await expect(cluster).toBeVisible({ timeout: 120_000 });
    await cluster.click();
    // The operator's objects come from the plugin's customResources (app-config.yaml).
    await expect(
      page.getByText('settlement-etl-e2e', { exact: true }).first(),
    ).toBeVisible();
    await expect(page.getByText('SparkApplication').first()).toBeVisible();
    await screenshot(page, 'kubernetes-tab');

    // The same `kubernetes:` block feeds the Spark data plane: once its source has listed the
    // cluster, the live run is on the Spark tab.
    const appId = driverPod.metadata.labels['spark-app-selector'];
    await expect
      .poll(
        async () => {
          const token = await guestToken(page.request, baseURL);
          const res = await page.request.get(
            `${baseURL}/api/spark/apps?entityRef=component:default/settlement-etl&limit=100`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          return res.ok()
            ? (await res.json()).items.map((app: any) => app.id)
            : [];
        },
        { timeout: 180_000, intervals: [2000] },
      )
      .toContain(appId);
    await page.goto(
      `${baseURL}/catalog/default/component/settlement-etl/spark`,
    );
    await expect(
      page.getByRole('link', { name: new RegExp(appId) }),
    ).toBeVisible();
    await screenshot(page, 'kubernetes-spark-tab');
  });
});
