import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  startKubeApiserver,
  type RunningKubeApiserver,
} from '@spark-k8s/harness';
import { exampleInputs, runAction } from '../__testUtils__/actionContext';
import { installOperatorCrds } from '../__testUtils__/kube';
import { PRESETS_DIR } from '../__testUtils__/presets';
import { applyObjects } from '../kubernetes/apply';
import { readProvisioningClusters } from '../kubernetes/clusters';
import { PresetLibrary } from '../presets/PresetLibrary';
import { createApplyAction } from './apply';
import { examples } from './apply.examples';

jest.setTimeout(240_000);

describe('spark:kubernetes:apply against a real kube-apiserver', () => {
  let kube: RunningKubeApiserver;

  beforeAll(async () => {
    kube = await startKubeApiserver();
    await installOperatorCrds(kube.kubeConfig());
  });

  afterAll(async () => {
    await kube?.stop();
  });

  function action() {
    const clusters = readProvisioningClusters(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'production',
                  url: kube.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: kube.adminToken,
                  caData: Buffer.from(kube.caPem).toString('base64'),
                },
              ],
            },
          ],
        },
      }),
    );
    const auditor = mockServices.auditor.mock();
    const success = jest.fn();
    auditor.createEvent.mockResolvedValue({ success, fail: jest.fn() });
    const apply = createApplyAction({
      library: PresetLibrary.fromDirectory(PRESETS_DIR),
      clusters,
      permissions: mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.ALLOW }],
      }),
      auditor,
    });
    return { apply, auditor, success };
  }

  it.each(exampleInputs({ id: 'spark:kubernetes:apply', examples }))(
    'example: $description',
    async ({ inputs }) => {
      const { apply, success } = action();
      const [input] = inputs;
      const namespace = (input.parameters as { namespace: string }).namespace;

      const dry = await runAction(apply, input, { isDryRun: true });
      expect(dry.outputs).toMatchObject({
        cluster: 'production',
        namespace,
        dryRun: true,
      });
      expect((dry.outputs.results as any[])[0]).toMatchObject({
        outcome: 'created',
      });
      await expect(
        kube
          .kubeConfig()
          .makeApiClient(CoreV1Api)
          .readNamespace({ name: namespace }),
      ).rejects.toMatchObject({ code: 404 });

      const real = await runAction(apply, input);
      const outcomes = (real.outputs.results as any[]).map(r => r.outcome);
      expect(new Set(outcomes)).toEqual(new Set(['created']));
      const stored = await kube
        .kubeConfig()
        .makeApiClient(CoreV1Api)
        .readNamespace({ name: namespace });
      expect(
        stored.metadata?.labels?.['pod-security.kubernetes.io/enforce'],
      ).toBe('restricted');

      const again = await runAction(apply, input);
      expect(
        new Set((again.outputs.results as any[]).map(r => r.outcome)),
      ).toEqual(new Set(['unchanged']));
      expect(success).toHaveBeenCalledTimes(3);
      expect(success).toHaveBeenLastCalledWith({
        meta: {
          outcomes: {
            created: 0,
            configured: 0,
            unchanged: outcomes.length,
            'pending-namespace': 0,
          },
        },
      });
    },
  );

  it('says which CRDs are missing when the cluster does not serve a kind', async () => {
    const [result] = await applyObjects(
      kube.kubeConfig(),
      [
        {
          apiVersion: 'sparkoperator.k8s.io/v1beta3',
          kind: 'SparkApplication',
          metadata: { name: 'x', namespace: 'default' },
        },
      ],
      { dryRun: true },
    );
    expect(result).toMatchObject({
      outcome: 'failed',
      message:
        'the cluster does not serve sparkoperator.k8s.io/v1beta3 SparkApplication; install its CRDs (the kubeflow spark-operator)',
    });
  });
});
