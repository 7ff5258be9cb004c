import { CoreV1Api } from '@kubernetes/client-node';
import {
  sparkInstall,
  sparkVersions,
  startKubeApiserver,
  type RunningKubeApiserver,
} from '@spark-k8s/harness';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parametersFor, presets } from '../__testUtils__/presets';
import { renderPreset } from '../render/render';
import {
  DRIVER_TEMPLATE_KEY,
  EXECUTOR_TEMPLATE_KEY,
  sparkDefaultsConf,
} from '../render/spark';
import { applyObjects } from './apply';

jest.setTimeout(300_000);

const run = promisify(execFile);

/**
 * A real spark-submit in cluster mode with a rendered preset's spark-defaults.conf and pod
 * templates: the driver pod it creates must pass Pod Security "restricted", the quota and the
 * LimitRange of the environment. (The harness has no kubelet, so the driver never starts.)
 */
describe.each([sparkVersions.spark4, sparkVersions.spark35])(
  'spark-submit %s --deploy-mode cluster into a rendered environment',
  version => {
    let kube: RunningKubeApiserver;

    beforeAll(async () => {
      kube = await startKubeApiserver();
    });

    afterAll(async () => {
      await kube?.stop();
    });

    it('creates a driver pod that admission accepts, with the templates applied', async () => {
      const preset = presets.get('airflow-spark-submit')!;
      const namespace = `submit-${version.replace(/\./g, '-')}`;
      const { storage: _storage, ...parameters } = parametersFor(
        preset,
        version as never,
        {
          namespace,
        },
      );
      // No object storage: the submission needs no extra packages (no Maven download).
      const rendered = renderPreset(preset, parameters);
      const kc = kube.kubeConfig();
      const applied = await applyObjects(kc, rendered.objects, {
        dryRun: false,
      });
      expect(applied.filter(r => r.outcome === 'failed')).toEqual([]);

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-submit-'));
      const confDir = path.join(dir, 'conf');
      fs.mkdirSync(confDir);
      const confMap = rendered.objects.find(
        o => o.metadata.name === 'team-a-spark-conf',
      ) as any;
      fs.writeFileSync(
        path.join(confDir, 'spark-defaults.conf'),
        sparkDefaultsConf(rendered.spark.conf),
      );
      fs.writeFileSync(
        path.join(dir, 'driver.yaml'),
        confMap.data[DRIVER_TEMPLATE_KEY],
      );
      fs.writeFileSync(
        path.join(dir, 'executor.yaml'),
        confMap.data[EXECUTOR_TEMPLATE_KEY],
      );
      fs.writeFileSync(path.join(dir, 'ca.crt'), kube.caPem);
      const install = sparkInstall(version);

      await run(
        install.sparkSubmit,
        [
          '--master',
          `k8s://${kube.url}`,
          '--deploy-mode',
          'cluster',
          '--name',
          'team-a-pi',
          // The conf's paths are where pods mount the templates; spark-submit reads them here.
          '--conf',
          `spark.kubernetes.driver.podTemplateFile=${path.join(
            dir,
            'driver.yaml',
          )}`,
          '--conf',
          `spark.kubernetes.executor.podTemplateFile=${path.join(
            dir,
            'executor.yaml',
          )}`,
          '--conf',
          `spark.kubernetes.authenticate.submission.oauthToken=${kube.adminToken}`,
          '--conf',
          `spark.kubernetes.authenticate.submission.caCertFile=${path.join(
            dir,
            'ca.crt',
          )}`,
          'local:///opt/spark/examples/src/main/python/pi.py',
        ],
        {
          env: {
            ...process.env,
            JAVA_HOME: install.javaHome,
            SPARK_HOME: install.sparkHome,
            SPARK_CONF_DIR: confDir,
            SPARK_LOCAL_IP: '127.0.0.1',
            PYSPARK_PYTHON: install.python,
          },
          timeout: 180_000,
        },
      );

      const pods = await kc
        .makeApiClient(CoreV1Api)
        .listNamespacedPod({ namespace, labelSelector: 'spark-role=driver' });
      expect(pods.items).toHaveLength(1);
      const [driver] = pods.items;
      expect(driver.metadata?.labels).toMatchObject({
        'spark-role': 'driver',
        'backstage.io/kubernetes-id': 'team-a',
        'app.kubernetes.io/part-of': 'team-a',
        'spark-version': version,
      });
      expect(driver.spec?.serviceAccountName).toBe('team-a-spark');
      expect(driver.spec?.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 185,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const container = driver.spec!.containers[0];
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.image).toBe(`apache/spark:${version}-python3`);
      // A Python app's overhead is 40 %: 2 GiB heap + max(384 MiB, 0.4 x 2048 MiB).
      expect(container.resources?.limits).toMatchObject({
        cpu: '1',
        memory: '2867Mi',
      });
      expect(container.env).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'AWS_ACCESS_KEY_ID',
            valueFrom: {
              secretKeyRef: {
                name: 'spark-s3-credentials',
                key: 'AWS_ACCESS_KEY_ID',
                optional: true,
              },
            },
          }),
        ]),
      );
    });
  },
);
