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

  it('takes the scan threads of an event-log location, and refuses a count that is not one', () => {
    const eventLogs = (scanThreads: number) =>
      new ConfigReader({
        spark: { eventLogs: [{ name: 'big', dir: '/tmp', scanThreads }] },
      });
    expect(sourcesFromConfig(eventLogs(2)).map(source => source.id)).toEqual([
      'eventlog:big',
    ]);
    expect(() => sourcesFromConfig(eventLogs(1.5))).toThrow(
      'spark.eventLogs[big].scanThreads: a whole number from 0 to 16, not 1.5',
    );
    expect(() => sourcesFromConfig(eventLogs(-1))).toThrow(/not -1/);
  });

  it('has no Kubernetes source without clusters', () => {
    expect(sourcesFromConfig(new ConfigReader({}))).toEqual([]);
  });
});
