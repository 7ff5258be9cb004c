import {
  container,
  deployment,
  IMAGE_USERS,
  podSpec,
  s3CredentialsEnv,
  service,
} from '../objects';
import { driverResources, sparkConfVolumes } from '../spark';
import { sparkConnectPackage } from '../versions';
import type { Component } from './types';

export const CONNECT_PORT = 15002;

/** The Connect server's Service, which Jupyter and Airflow use: `sc://<name>-connect:15002`. */
export function connectUrl(name: (suffix: string) => string): string {
  return `sc://${name('connect')}:${CONNECT_PORT}`;
}

/**
 * A Spark Connect server. Its driver runs in the server's pod (client mode), so executors reach
 * it on the pod IP; on Kubernetes it starts executor pods with the driver's service account.
 */
export const connectServer: Component<'connect-server'> = {
  spark(ctx) {
    const pkg = sparkConnectPackage(ctx.parameters.sparkVersion);
    return pkg ? { packages: [pkg] } : {};
  },
  objects(ctx, _settings, spark) {
    const name = ctx.name('connect');
    const { volumes, volumeMounts } = sparkConfVolumes(spark);
    const onKubernetes = ctx.preset.backend !== 'standalone';
    return [
      deployment(
        ctx,
        name,
        'connect-server',
        1,
        podSpec(ctx, IMAGE_USERS.spark, {
          serviceAccountName: ctx.sparkServiceAccount,
          automountServiceAccountToken: onKubernetes,
          volumes,
          containers: [
            container({
              name: 'connect',
              image: ctx.sparkImage,
              command: ['/opt/spark/sbin/start-connect-server.sh'],
              args: [
                '--conf',
                'spark.driver.host=$(POD_IP)',
                '--conf',
                'spark.driver.bindAddress=0.0.0.0',
                '--conf',
                'spark.driver.port=7078',
                '--conf',
                'spark.blockManager.port=7079',
                ...(onKubernetes
                  ? ['--conf', 'spark.kubernetes.driver.pod.name=$(POD_NAME)']
                  : []),
              ],
              env: [
                // start-connect-server.sh daemonizes unless told not to; the container is the daemon.
                { name: 'SPARK_NO_DAEMONIZE', value: 'true' },
                {
                  name: 'POD_IP',
                  valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
                },
                {
                  name: 'POD_NAME',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
                },
                ...s3CredentialsEnv(ctx.parameters),
              ],
              ports: [
                { name: 'grpc', containerPort: CONNECT_PORT },
                { name: 'driver', containerPort: 7078 },
                { name: 'blockmanager', containerPort: 7079 },
                { name: 'ui', containerPort: 4040 },
              ],
              readinessProbe: {
                tcpSocket: { port: CONNECT_PORT },
                periodSeconds: 10,
              },
              resources: driverResources(ctx),
              volumeMounts,
            }),
          ],
        }),
      ),
      service(ctx, name, 'connect-server', [
        { name: 'grpc', port: CONNECT_PORT },
        { name: 'ui', port: 4040 },
      ]),
    ];
  },
};
