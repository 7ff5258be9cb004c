import {
  containerSecurityContext,
  podSecurityContext,
  IMAGE_USERS,
  namespaced,
  s3CredentialsEnv,
  TMP_MOUNT,
  TMP_VOLUME,
  type RenderContext,
  type RenderedObject,
} from '../objects';
import type { SparkSetup } from '../spark';
import type { Component } from './types';

/** Keys the operator sets from the spec's own fields; in sparkConf they would fight those. */
const OPERATOR_OWNED = [
  'spark.master',
  'spark.submit.deployMode',
  'spark.kubernetes.namespace',
  'spark.kubernetes.container.image',
  'spark.kubernetes.authenticate.driver.serviceAccountName',
  'spark.kubernetes.driver.podTemplateFile',
  'spark.kubernetes.executor.podTemplateFile',
  'spark.kubernetes.driver.podTemplateContainerName',
  'spark.kubernetes.executor.podTemplateContainerName',
  'spark.driver.cores',
  'spark.driver.memory',
  'spark.executor.cores',
  'spark.executor.memory',
  'spark.executor.instances',
  'spark.kubernetes.driver.limit.cores',
  'spark.kubernetes.executor.limit.cores',
];

/** The `spec` of a kubeflow v1beta2 SparkApplication for the environment's job. */
export function sparkApplicationSpec(ctx: RenderContext, spark: SparkSetup) {
  const { parameters: p } = ctx;
  const sparkConf = Object.fromEntries(
    Object.entries(spark.conf).filter(([key]) => !OPERATOR_OWNED.includes(key)),
  );
  const dynamic = spark.conf['spark.dynamicAllocation.enabled'] === 'true';
  const pod = () => ({
    podSecurityContext: podSecurityContext(ctx.security, IMAGE_USERS.spark),
    securityContext: containerSecurityContext(),
    env: s3CredentialsEnv(p),
    volumeMounts: [TMP_MOUNT],
    // The catalog entry's kubernetes annotations select the app's pods by these.
    labels: {
      'backstage.io/kubernetes-id': p.name,
      'app.kubernetes.io/instance': p.name,
      'app.kubernetes.io/part-of': p.name,
    },
  });
  return {
    type: p.job.type,
    mode: 'cluster',
    sparkVersion: p.sparkVersion,
    image: ctx.sparkImage,
    imagePullPolicy: 'IfNotPresent',
    mainApplicationFile: p.job.mainApplicationFile,
    ...(p.job.mainClass ? { mainClass: p.job.mainClass } : {}),
    ...(p.job.arguments.length > 0 ? { arguments: p.job.arguments } : {}),
    ...(p.job.type === 'Python' ? { pythonVersion: '3' } : {}),
    sparkConf,
    restartPolicy: {
      type: 'OnFailure',
      onFailureRetries: 2,
      onFailureRetryInterval: 30,
      onSubmissionFailureRetries: 2,
      onSubmissionFailureRetryInterval: 30,
    },
    volumes: [TMP_VOLUME],
    ...(dynamic
      ? {
          dynamicAllocation: {
            enabled: true,
            initialExecutors: p.executor.instances,
            minExecutors: p.executor.instances,
            maxExecutors: p.executor.maxInstances,
            shuffleTrackingEnabled:
              spark.conf['spark.dynamicAllocation.shuffleTracking.enabled'] ===
              'true',
          },
        }
      : {}),
    driver: {
      ...pod(),
      cores: p.driver.cores,
      coreLimit: `${p.driver.cores}`,
      memory: `${p.driver.memoryGiB * 1024}m`,
      serviceAccount: ctx.sparkServiceAccount,
    },
    executor: {
      ...pod(),
      cores: p.executor.cores,
      coreLimit: `${p.executor.cores}`,
      memory: `${p.executor.memoryGiB * 1024}m`,
      instances: p.executor.instances,
      ...(p.executor.gpus > 0
        ? { gpu: { name: 'nvidia.com/gpu', quantity: p.executor.gpus } }
        : {}),
      ...(spark.executor.executorTolerations.length > 0
        ? { tolerations: spark.executor.executorTolerations }
        : {}),
      ...(spark.executor.affinity ? { affinity: spark.executor.affinity } : {}),
    },
  };
}

/** The job as a SparkApplication the kubeflow spark-operator runs once. */
export function sparkApplicationObject(
  ctx: RenderContext,
  spark: SparkSetup,
): RenderedObject {
  return namespaced(
    ctx,
    'sparkoperator.k8s.io/v1beta2',
    'SparkApplication',
    ctx.name('job'),
    'spark-application',
    { spec: sparkApplicationSpec(ctx, spark) },
  );
}

function requireOperator(ctx: RenderContext, use: string): string | undefined {
  return ctx.preset.backend === 'operator'
    ? undefined
    : `${use} needs backend "operator"`;
}

export const sparkApplication: Component<'spark-application'> = {
  unsupported: ctx => requireOperator(ctx, 'spark-application'),
  objects: (ctx, _settings, spark) => [sparkApplicationObject(ctx, spark)],
};

/** The job on a cron: the operator creates one SparkApplication per run. */
export const scheduledSparkApplication: Component<'scheduled-spark-application'> =
  {
    unsupported: ctx => requireOperator(ctx, 'scheduled-spark-application'),
    objects: (ctx, settings, spark) => [
      namespaced(
        ctx,
        'sparkoperator.k8s.io/v1beta2',
        'ScheduledSparkApplication',
        ctx.name('scheduled'),
        'scheduled-spark-application',
        {
          spec: {
            schedule: ctx.parameters.job.schedule,
            concurrencyPolicy: settings.concurrencyPolicy,
            successfulRunHistoryLimit: 3,
            failedRunHistoryLimit: 3,
            template: sparkApplicationSpec(ctx, spark),
          },
        },
      ),
    ],
  };
