import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { MemoryIngestStore } from './__testUtils__/MemoryIngestStore';
import { readKubernetesClusters } from './config';
import { createKubernetesSources } from './createKubernetesSources';
import { KubernetesSource } from './KubernetesSource';

const config = new ConfigReader({
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'prod-eu',
            url: 'https://10.0.0.1:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'token-1',
            caData: 'LS0tLS1CRUdJTi0tLS0t',
          },
          {
            name: 'dev',
            url: 'https://10.0.0.2:6443',
            authProvider: 'serviceAccount',
            skipTLSVerify: true,
            caFile: '/etc/ssl/dev-ca.pem',
          },
          {
            name: 'gke-analytics',
            url: 'https://10.0.0.3',
            authProvider: 'google',
          },
          {
            name: 'newer-style',
            url: 'https://10.0.0.4',
            authMetadata: {
              'kubernetes.io/auth-provider': 'serviceAccount',
              serviceAccountToken: 'token-4',
            },
          },
          {
            name: 'prod-eu',
            url: 'https://10.0.0.9:6443',
            authProvider: 'serviceAccount',
          },
        ],
      },
      { type: 'gke', projectId: 'analytics', region: 'europe-west1' },
    ],
  },
});

describe('readKubernetesClusters', () => {
  it('reads serviceAccount clusters and explains what it skips', () => {
    const { clusters, warnings } = readKubernetesClusters(config);
    expect(clusters).toEqual([
      {
        name: 'prod-eu',
        url: 'https://10.0.0.1:6443',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'token-1',
        caData: 'LS0tLS1CRUdJTi0tLS0t',
        caFile: undefined,
        skipTLSVerify: false,
      },
      {
        name: 'dev',
        url: 'https://10.0.0.2:6443',
        authProvider: 'serviceAccount',
        serviceAccountToken: undefined,
        caData: undefined,
        caFile: '/etc/ssl/dev-ca.pem',
        skipTLSVerify: true,
      },
      {
        name: 'newer-style',
        url: 'https://10.0.0.4',
        authProvider: 'serviceAccount',
        serviceAccountToken: 'token-4',
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
      },
    ]);
    expect(warnings).toEqual([
      {
        cluster: 'gke-analytics',
        message:
          'cluster "gke-analytics" uses authProvider "google", which the Spark source does not support (only "serviceAccount" with a serviceAccountToken); its Spark apps are not ingested',
      },
      {
        cluster: 'prod-eu',
        message:
          'cluster "prod-eu" is configured twice; the Spark source reads the first entry only',
      },
      {
        message: expect.stringContaining(
          'kubernetes.clusterLocatorMethods[1] has type "gke"',
        ),
      },
    ]);
  });

  it('reads nothing when there is no kubernetes config', () => {
    expect(readKubernetesClusters(new ConfigReader({}))).toEqual({
      clusters: [],
      warnings: [],
    });
  });
});

describe('createKubernetesSources', () => {
  it('creates a source per cluster and one that reports an unsupported cluster', async () => {
    const logger = mockServices.logger.mock();
    const sources = createKubernetesSources(config, {
      logger,
      watchMs: 1000,
    });
    expect(sources.map(s => s.id)).toEqual([
      'kubernetes:prod-eu',
      'kubernetes:dev',
      'kubernetes:newer-style',
      'kubernetes:gke-analytics',
    ]);
    expect(sources[0]).toBeInstanceOf(KubernetesSource);
    expect(logger.warn).toHaveBeenCalledTimes(3);

    const store = new MemoryIngestStore();
    await sources[3].run({
      store,
      logger,
      signal: new AbortController().signal,
    });
    expect(store.runs).toEqual([
      {
        sourceId: 'kubernetes:gke-analytics',
        kind: 'kubernetes',
        error: expect.stringContaining('authProvider "google"'),
      },
    ]);
  });
});
