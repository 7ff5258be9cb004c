import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  Watch,
  V1Pod,
} from '@kubernetes/client-node';
import {
  createNamespace,
  RunningKubeApiserver,
  startKubeApiserver,
} from './kube';

jest.setTimeout(400_000);

const restrictedContainer = {
  name: 'app',
  image: 'registry.example.com/spark:4.0',
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

function pod(name: string, container: object): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [container as any] },
  };
}

describe('kube-apiserver harness', () => {
  let kube: RunningKubeApiserver;

  beforeAll(async () => {
    kube = await startKubeApiserver();
  });

  afterAll(async () => {
    await kube?.stop();
  });

  it('enforces Pod Security "restricted" on a labelled namespace', async () => {
    const kc = kube.kubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    await createNamespace(kc, 'team-restricted', {
      'pod-security.kubernetes.io/enforce': 'restricted',
    });

    const privileged = pod('privileged', {
      name: 'app',
      image: 'registry.example.com/spark:4.0',
      securityContext: { privileged: true },
    });
    await expect(
      core.createNamespacedPod({
        namespace: 'team-restricted',
        body: privileged,
      }),
    ).rejects.toThrow(/violates PodSecurity \W+restricted/);

    const created = await core.createNamespacedPod({
      namespace: 'team-restricted',
      body: pod('restricted', restrictedContainer),
    });
    expect(created.metadata?.uid).toBeTruthy();
  });

  it('installs a CRD, creates a custom object and sees it through a watch', async () => {
    const kc = kube.kubeConfig();
    const apiext = kc.makeApiClient(ApiextensionsV1Api);
    await apiext.createCustomResourceDefinition({
      body: {
        metadata: { name: 'smoketests.harness.spark-k8s.dev' },
        spec: {
          group: 'harness.spark-k8s.dev',
          scope: 'Namespaced',
          names: {
            plural: 'smoketests',
            singular: 'smoketest',
            kind: 'SmokeTest',
          },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: { message: { type: 'string' } },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    // Established: the apiserver serves the new kind.
    for (let i = 0; ; i++) {
      const crd = await apiext.readCustomResourceDefinition({
        name: 'smoketests.harness.spark-k8s.dev',
      });
      if (
        crd.status?.conditions?.some(
          c => c.type === 'Established' && c.status === 'True',
        )
      )
        break;
      if (i > 100) throw new Error('CRD never became Established');
      await new Promise(r => setTimeout(r, 100));
    }

    // The watch cache of a just-established CRD answers 429 until it is initialised;
    // like client-go's reflector, retry.
    const seen = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await new Promise<{ type: string; obj: any }>(
            (resolve, reject) => {
              new Watch(kc)
                .watch(
                  '/apis/harness.spark-k8s.dev/v1/namespaces/default/smoketests',
                  {},
                  (type, obj) => resolve({ type, obj }),
                  err => err && reject(err),
                )
                .catch(reject);
            },
          );
        } catch (e) {
          if (attempt > 50 || !/Too Many Requests/.test(String(e))) throw e;
          await new Promise(r => setTimeout(r, 200));
        }
      }
    })();
    // Give the watch a moment to be established before the object is created.
    await new Promise(r => setTimeout(r, 1000));
    await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group: 'harness.spark-k8s.dev',
      version: 'v1',
      namespace: 'default',
      plural: 'smoketests',
      body: {
        apiVersion: 'harness.spark-k8s.dev/v1',
        kind: 'SmokeTest',
        metadata: { name: 'hello' },
        spec: { message: 'watched' },
      },
    });
    const event = await seen;
    expect(event.type).toBe('ADDED');
    expect(event.obj.metadata.name).toBe('hello');
    expect(event.obj.spec.message).toBe('watched');
  });

  it('answers 403 to an authenticated user without RBAC grants', async () => {
    const core = kube
      .kubeConfig(kube.unprivilegedToken)
      .makeApiClient(CoreV1Api);
    await expect(core.listPodForAllNamespaces()).rejects.toThrow(
      /403|forbidden/i,
    );
  });
});
