import {
  container,
  IMAGE_USERS,
  namespaced,
  podSpec,
  resources,
  service,
  statefulSet,
  type RenderContext,
} from '../objects';
import { celebornClientPackage, VERSIONS } from '../versions';
import type { Component } from './types';

const MASTERS = 3;
const MASTER_PORT = 9097;

/** The masters' stable names through their headless Service (Raft needs all three). */
function masterEndpoints(ctx: RenderContext): string {
  const master = ctx.name('celeborn-master');
  return Array.from(
    { length: MASTERS },
    (_, i) => `${master}-${i}.${master}.${ctx.namespace}.svc:${MASTER_PORT}`,
  ).join(',');
}

/**
 * Apache Celeborn remote shuffle: three masters (Raft HA) and workers as StatefulSets. Spark
 * writes shuffle data to the workers, so executors can go away (dynamic allocation, spot)
 * without losing it.
 */
export const celeborn: Component<'celeborn'> = {
  unsupported(ctx) {
    return celebornClientPackage(ctx.parameters.sparkVersion)
      ? undefined
      : `the Celeborn Spark client is not published for Spark ${ctx.parameters.sparkVersion}`;
  },
  spark(ctx) {
    return {
      packages: [celebornClientPackage(ctx.parameters.sparkVersion)!],
      conf: {
        'spark.shuffle.manager':
          'org.apache.spark.shuffle.celeborn.SparkShuffleManager',
        'spark.celeborn.master.endpoints': masterEndpoints(ctx),
        'spark.shuffle.service.enabled': 'false',
        'spark.celeborn.client.spark.shuffle.writer': 'hash',
        'spark.celeborn.client.push.replicate.enabled': 'true',
        // Spark 3.5's ShuffleDataIO plugin lets dynamic allocation release executors without shuffle tracking.
        'spark.shuffle.sort.io.plugin.class':
          'org.apache.spark.shuffle.celeborn.CelebornShuffleDataIO',
        'spark.dynamicAllocation.shuffleTracking.enabled': 'false',
        'spark.sql.adaptive.localShuffleReader.enabled': 'false',
      },
    };
  },
  objects(ctx, settings) {
    const master = ctx.name('celeborn-master');
    const worker = ctx.name('celeborn-worker');
    const conf = ctx.name('celeborn-conf');
    const confVolume = { name: 'conf', configMap: { name: conf } };
    const confMount = { name: 'conf', mountPath: '/opt/celeborn/conf' };
    const daemon = (
      name: string,
      script: string,
      mib: number,
      mounts: object[],
    ) =>
      container({
        name,
        image: VERSIONS.celebornImage,
        command: [`/opt/celeborn/sbin/${script}`],
        env: [{ name: 'CELEBORN_NO_DAEMONIZE', value: 'true' }],
        resources: resources(1, mib),
        volumeMounts: [confMount, ...(mounts as never[])],
      });
    const masterHosts = Array.from(
      { length: MASTERS },
      (_, i) => `${master}-${i}.${master}.${ctx.namespace}.svc`,
    );
    return [
      namespaced(ctx, 'v1', 'ConfigMap', conf, 'celeborn', {
        data: {
          'celeborn-defaults.conf': [
            `celeborn.master.endpoints ${masterEndpoints(ctx)}`,
            'celeborn.master.ha.enabled true',
            ...masterHosts.flatMap((host, i) => [
              `celeborn.master.ha.node.${i}.host ${host}`,
              `celeborn.master.ha.node.${i}.port ${MASTER_PORT}`,
              `celeborn.master.ha.node.${i}.ratis.port 9872`,
            ]),
            'celeborn.master.ha.ratis.raft.server.storage.dir /tmp/ratis',
            'celeborn.worker.storage.dirs /mnt/shuffle',
            'celeborn.worker.commitFiles.threads 32',
            '',
          ].join('\n'),
        },
      }),
      statefulSet(
        ctx,
        master,
        'celeborn-master',
        MASTERS,
        podSpec(ctx, IMAGE_USERS.celeborn, {
          volumes: [confVolume],
          containers: [
            {
              ...daemon('master', 'start-master.sh', 2048, []),
              ports: [
                { name: 'rpc', containerPort: MASTER_PORT },
                { name: 'ratis', containerPort: 9872 },
              ],
            },
          ],
        }),
        { podManagementPolicy: 'Parallel' },
      ),
      service(
        ctx,
        master,
        'celeborn-master',
        [
          { name: 'rpc', port: MASTER_PORT },
          { name: 'ratis', port: 9872 },
        ],
        true,
      ),
      statefulSet(
        ctx,
        worker,
        'celeborn-worker',
        settings.workers,
        podSpec(ctx, IMAGE_USERS.celeborn, {
          volumes: [confVolume],
          containers: [
            daemon('worker', 'start-worker.sh', 4096, [
              { name: 'shuffle', mountPath: '/mnt/shuffle' },
            ]),
          ],
        }),
        {
          podManagementPolicy: 'Parallel',
          volumeClaimTemplates: [
            {
              metadata: { name: 'shuffle' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: '100Gi' } },
              },
            },
          ],
        },
      ),
      service(
        ctx,
        worker,
        'celeborn-worker',
        [{ name: 'rpc', port: 9098 }],
        true,
      ),
    ];
  },
};
