import {
  container,
  deployment,
  IMAGE_USERS,
  podSpec,
  resources,
  s3CredentialsEnv,
  service,
} from '../objects';
import { sparkConfVolumes } from '../spark';
import { MissingParameterError, type Component } from './types';

/** A History Server over the environment's event-log directory (`spark.eventLog.dir`). */
export const historyServer: Component<'history-server'> = {
  unsupported(ctx) {
    if (!ctx.parameters.storage.eventLogDir) {
      throw new MissingParameterError('storage.eventLogDir', 'history-server');
    }
    return undefined;
  },
  spark(ctx) {
    return {
      conf: {
        'spark.history.fs.logDirectory': ctx.parameters.storage.eventLogDir!,
        'spark.history.fs.cleaner.enabled': 'true',
        'spark.history.fs.cleaner.maxAge': '30d',
        'spark.history.store.hybridStore.enabled': 'true',
        'spark.history.store.path': '/tmp/history-store',
      },
    };
  },
  objects(ctx, _settings, spark) {
    const name = ctx.name('history-server');
    const { volumes, volumeMounts } = sparkConfVolumes(spark);
    return [
      deployment(
        ctx,
        name,
        'history-server',
        1,
        podSpec(ctx, IMAGE_USERS.spark, {
          volumes,
          containers: [
            container({
              name: 'history-server',
              image: ctx.sparkImage,
              command: ['/opt/spark/bin/spark-class'],
              args: ['org.apache.spark.deploy.history.HistoryServer'],
              env: s3CredentialsEnv(ctx.parameters),
              ports: [{ name: 'http', containerPort: 18080 }],
              readinessProbe: {
                httpGet: { path: '/api/v1/version', port: 18080 },
                periodSeconds: 15,
              },
              resources: resources(1, 4096),
              volumeMounts,
            }),
          ],
        }),
      ),
      service(ctx, name, 'history-server', [{ name: 'http', port: 18080 }]),
    ];
  },
};
