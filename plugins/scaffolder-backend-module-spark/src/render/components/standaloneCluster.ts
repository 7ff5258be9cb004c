import {
  container,
  deployment,
  IMAGE_USERS,
  podSpec,
  resources,
  service,
  statefulSet,
  withOverheadMiB,
} from '../objects';
import { sparkConfVolumes } from '../spark';
import type { Component } from './types';

/** A Spark Standalone master (StatefulSet) and workers sized to hold one executor each. */
export const standaloneCluster: Component<'standalone-cluster'> = {
  unsupported(ctx) {
    return ctx.preset.backend === 'standalone'
      ? undefined
      : 'standalone-cluster needs backend "standalone"';
  },
  objects(ctx, settings, spark) {
    const master = ctx.name('master');
    const { executor } = ctx.parameters;
    const { volumes, volumeMounts } = sparkConfVolumes(spark);
    const daemon = (role: string, args: string[], cores: number, mib: number) =>
      container({
        name: role,
        image: ctx.sparkImage,
        command: ['/opt/spark/bin/spark-class'],
        args,
        env: [
          { name: 'SPARK_WORKER_DIR', value: '/tmp/work' },
          { name: 'SPARK_NO_DAEMONIZE', value: 'true' },
        ],
        resources: resources(cores, mib),
        volumeMounts,
      });
    return [
      statefulSet(
        ctx,
        master,
        'spark-master',
        1,
        podSpec(ctx, IMAGE_USERS.spark, {
          volumes,
          containers: [
            {
              ...daemon(
                'master',
                [
                  'org.apache.spark.deploy.master.Master',
                  '--host',
                  '0.0.0.0',
                  '--port',
                  '7077',
                  '--webui-port',
                  '8080',
                ],
                1,
                1024,
              ),
              ports: [
                { name: 'spark', containerPort: 7077 },
                { name: 'ui', containerPort: 8080 },
              ],
            },
          ],
        }),
      ),
      service(ctx, master, 'spark-master', [
        { name: 'spark', port: 7077 },
        { name: 'ui', port: 8080 },
      ]),
      deployment(
        ctx,
        ctx.name('worker'),
        'spark-worker',
        settings.workers,
        podSpec(ctx, IMAGE_USERS.spark, {
          volumes,
          containers: [
            daemon(
              'worker',
              [
                'org.apache.spark.deploy.worker.Worker',
                '--cores',
                `${executor.cores}`,
                '--memory',
                `${executor.memoryGiB * 1024}m`,
                spark.master,
              ],
              executor.cores,
              withOverheadMiB(executor.memoryGiB),
            ),
          ],
        }),
      ),
    ];
  },
};
