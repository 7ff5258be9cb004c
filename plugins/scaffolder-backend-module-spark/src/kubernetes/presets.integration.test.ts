import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  createNamespace,
  startKubeApiserver,
  type RunningKubeApiserver,
} from '@spark-k8s/harness';
import { installOperatorCrds, probePods } from '../__testUtils__/kube';
import { parametersFor, presetMatrix, presets } from '../__testUtils__/presets';
import { renderPreset } from '../render/render';
import { validateRendered } from '../validate/validate';
import { applyObjects } from './apply';

jest.setTimeout(600_000);

const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
};

function renderFor(name: string, version: string, namespace: string) {
  const preset = presets.get(name)!;
  return renderPreset(
    preset,
    parametersFor(preset, version as never, {
      namespace,
      quota: { cpu: 400, memoryGiB: 2048, gpus: 16 },
    }),
  );
}

describe('presets on a real kube-apiserver (Pod Security restricted, spark-operator CRDs)', () => {
  let kube: RunningKubeApiserver;
  let kc: KubeConfig;

  beforeAll(async () => {
    kube = await startKubeApiserver();
    kc = kube.kubeConfig();
    await installOperatorCrds(kc);
  });

  afterAll(async () => {
    await kube?.stop();
  });

  it.each(presetMatrix)(
    '%s for Spark %s: dry-run and apply accepted, pods admitted, re-apply unchanged',
    async (name, version) => {
      const namespace = `${name}-${version.replace(/\./g, '-')}`;
      await createNamespace(kc, namespace, RESTRICTED);
      const rendered = renderFor(name, version, namespace);
      expect(validateRendered(rendered)).toEqual([]);

      const dryRun = await applyObjects(kc, rendered.objects, { dryRun: true });
      expect(dryRun.filter(r => r.outcome === 'failed')).toEqual([]);
      expect(dryRun.flatMap(r => r.warnings)).toEqual([]);

      const applied = await applyObjects(kc, rendered.objects, {
        dryRun: false,
      });
      expect(applied.filter(r => r.outcome === 'failed')).toEqual([]);
      expect(applied.flatMap(r => r.warnings)).toEqual([]);

      const objects = KubernetesObjectApi.makeApiClient(kc);
      for (const object of rendered.objects) {
        const stored = await objects.read({
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: {
            name: object.metadata.name,
            namespace: object.metadata.namespace,
          },
        });
        expect(stored.metadata?.labels?.['backstage.io/kubernetes-id']).toBe(
          'team-a',
        );
      }

      const again = await applyObjects(kc, rendered.objects, { dryRun: false });
      expect(again.map(r => r.outcome)).toEqual(
        rendered.objects.map(() => 'unchanged'),
      );

      // Enforcement happens on Pods: every pod template must be admitted as a Pod.
      const pods = await applyObjects(kc, probePods(rendered.objects), {
        dryRun: true,
      });
      expect(pods.length).toBeGreaterThan(0);
      expect(pods.filter(r => r.outcome !== 'created')).toEqual([]);
    },
  );

  it('rejects a deliberately bad preset, naming the field', async () => {
    const namespace = 'bad-preset';
    await createNamespace(kc, namespace, RESTRICTED);
    const rendered = renderFor(
      'jupyter-connect-kubernetes',
      '4.3.0',
      namespace,
    );
    await applyObjects(kc, rendered.objects, { dryRun: false });
    const connect = rendered.objects.find(
      o => o.metadata.name === 'team-a-connect' && o.kind === 'Deployment',
    ) as any;
    const containerSpec = connect.spec.template.spec.containers[0];
    containerSpec.securityContext.allowPrivilegeEscalation = true;
    containerSpec.securityContext.runAsUser = 0;

    // Our validation names the exact field…
    expect(validateRendered(rendered).map(f => f.path)).toEqual([
      'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      'spec.template.spec.containers[0].securityContext.runAsUser',
    ]);
    // …the API server warns on the Deployment and refuses its pods.
    const [deployment] = await applyObjects(kc, [connect], { dryRun: true });
    expect(deployment.warnings.join('\n')).toMatch(
      /would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "connect" must set securityContext.allowPrivilegeEscalation=false\)/,
    );
    const [pod] = await applyObjects(kc, probePods([connect]), {
      dryRun: true,
    });
    expect(pod).toMatchObject({ outcome: 'failed', status: 403 });
    expect(pod.message).toMatch(
      /violates PodSecurity "restricted:latest".*allowPrivilegeEscalation != false.*runAsUser=0/,
    );

    // A misspelt field in a SparkApplication is refused by the operator's CRD schema, by name.
    const batch = renderFor('batch-spark-operator', '4.3.0', namespace);
    const app = batch.objects.find(o => o.kind === 'SparkApplication') as any;
    app.spec.driver.cors = 1;
    const [result] = await applyObjects(kc, [app], { dryRun: true });
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(result.message).toMatch(
      /\.spec\.driver\.cors: field not declared in schema/,
    );

    // Nothing of the bad objects was stored.
    const core = kc.makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace })).items).toEqual([]);
  });

  it('reports objects of a namespace that does not exist yet as pending in a dry-run', async () => {
    const rendered = renderFor(
      'batch-spark-operator',
      '3.5.9',
      'not-created-yet',
    );
    const results = await applyObjects(kc, rendered.objects, { dryRun: true });
    expect(results[0]).toMatchObject({
      object: 'Namespace not-created-yet',
      outcome: 'created',
    });
    expect(new Set(results.slice(1).map(r => r.outcome))).toEqual(
      new Set(['pending-namespace']),
    );
    await expect(
      kc.makeApiClient(CoreV1Api).readNamespace({ name: 'not-created-yet' }),
    ).rejects.toMatchObject({ code: 404 });
  });
});
