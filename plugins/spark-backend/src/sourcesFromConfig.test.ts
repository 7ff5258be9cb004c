import { ConfigReader } from '@backstage/config';
import { sourcesFromConfig } from './plugin';

describe('sourcesFromConfig', () => {
  it('adds one Kubernetes source per cluster of the kubernetes: block, next to the spark: sources', () => {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'prod-eu',
                url: 'https://127.0.0.1:6443',
                authProvider: 'serviceAccount',
                serviceAccountToken: 'token',
              },
            ],
          },
        ],
      },
      spark: {
        eventLogs: [{ name: 'demo', dir: '/tmp' }],
        kubernetesSnapshots: [{ name: 'demo', dir: '/tmp' }],
      },
    });
    expect(sourcesFromConfig(config).map(source => source.id)).toEqual([
      'eventlog:demo',
      'kubernetes-snapshot:demo',
      'kubernetes:prod-eu',
    ]);
  });

  it('has no Kubernetes source without clusters', () => {
    expect(sourcesFromConfig(new ConfigReader({}))).toEqual([]);
  });
});
