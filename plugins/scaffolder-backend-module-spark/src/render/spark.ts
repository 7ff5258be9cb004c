import type {
  V1Affinity,
  V1Pod,
  V1PodSpec,
  V1Toleration,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import {
  container,
  namespaced,
  podSpec,
  IMAGE_USERS,
  resources,
  s3CredentialsEnv,
  withOverheadMiB,
  type RenderContext,
  type RenderedObject,
} from './objects';
import type { SparkContribution } from './components/types';
import { hadoopAwsPackage } from './versions';

/** Where pods that run Spark themselves mount the rendered conf and pod templates. */
export const SPARK_CONF_DIR = '/opt/spark/conf';
export const POD_TEMPLATE_DIR = '/opt/spark/pod-templates';
export const DRIVER_TEMPLATE_KEY = 'driver-pod-template.yaml';
export const EXECUTOR_TEMPLATE_KEY = 'executor-pod-template.yaml';
/** Spark takes the driver/executor container from a pod template by this name. */
export const SPARK_CONTAINER = 'spark';

/**
 * The Spark side of an environment: the final conf and the pod templates.
 *
 * @public
 */
export interface SparkSetup {
  /** `spark.master` of clients in the namespace. */
  master: string;
  /** Every key, sorted: the content of spark-defaults.conf. */
  conf: Record<string, string>;
  /** `spark.kubernetes.driver.podTemplateFile`. */
  driverPodTemplate: V1Pod;
  /** `spark.kubernetes.executor.podTemplateFile`. */
  executorPodTemplate: V1Pod;
  /** The ConfigMap with spark-defaults.conf and the pod templates. */
  confMap: string;
  /** Executor pod-spec additions of the components (spot nodes, GPUs). */
  executor: {
    /** Taints executors tolerate (spot pools, GPU nodes). */
    executorTolerations: V1Toleration[];
    /** Where executors prefer to run (spot pools). */
    affinity?: V1Affinity;
  };
}

export function sparkMaster(ctx: RenderContext): string {
  switch (ctx.preset.backend) {
    case 'standalone':
      return `spark://${ctx.name('master')}:7077`;
    default:
      return 'k8s://https://kubernetes.default.svc:443';
  }
}

/** The conf every Spark app of the environment starts from, before components and overrides. */
function baseConf(ctx: RenderContext): Record<string, string> {
  const p = ctx.parameters;
  const conf: Record<string, string> = {
    'spark.master': sparkMaster(ctx),
    'spark.driver.cores': `${p.driver.cores}`,
    'spark.driver.memory': `${p.driver.memoryGiB * 1024}m`,
    'spark.executor.cores': `${p.executor.cores}`,
    'spark.executor.memory': `${p.executor.memoryGiB * 1024}m`,
    // Ivy's default cache under $HOME is not writable for an arbitrary UID.
    'spark.jars.ivy': '/tmp/.ivy2',
    'spark.local.dir': '/tmp/spark-local',
  };
  if (ctx.preset.backend === 'standalone') {
    conf['spark.cores.max'] = `${p.executor.cores * p.executor.maxInstances}`;
  } else {
    Object.assign(conf, {
      'spark.executor.instances': `${p.executor.instances}`,
      'spark.kubernetes.namespace': ctx.namespace,
      'spark.kubernetes.container.image': ctx.sparkImage,
      'spark.kubernetes.authenticate.driver.serviceAccountName':
        ctx.sparkServiceAccount,
      'spark.kubernetes.driver.podTemplateFile': `${POD_TEMPLATE_DIR}/${DRIVER_TEMPLATE_KEY}`,
      'spark.kubernetes.executor.podTemplateFile': `${POD_TEMPLATE_DIR}/${EXECUTOR_TEMPLATE_KEY}`,
      'spark.kubernetes.driver.podTemplateContainerName': SPARK_CONTAINER,
      'spark.kubernetes.executor.podTemplateContainerName': SPARK_CONTAINER,
      'spark.kubernetes.driver.label.backstage.io/kubernetes-id': p.name,
      'spark.kubernetes.executor.label.backstage.io/kubernetes-id': p.name,
      'spark.kubernetes.driver.limit.cores': `${p.driver.cores}`,
      'spark.kubernetes.executor.limit.cores': `${p.executor.cores}`,
    });
  }
  if (p.storage.eventLogDir) {
    conf['spark.eventLog.enabled'] = 'true';
    conf['spark.eventLog.dir'] = p.storage.eventLogDir;
    conf['spark.eventLog.rolling.enabled'] = 'true';
  }
  if (p.storage.endpoint) {
    conf['spark.hadoop.fs.s3a.endpoint'] = p.storage.endpoint;
    conf['spark.hadoop.fs.s3a.path.style.access'] = 'true';
  }
  return conf;
}

/** A Spark pod template: the profile's security context, /tmp, and the S3 credentials env. */
function podTemplate(
  ctx: RenderContext,
  role: 'driver' | 'executor',
  extra: Partial<V1PodSpec>,
): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: ctx.labels(`spark-${role}`) },
    spec: podSpec(ctx, IMAGE_USERS.spark, {
      ...(role === 'driver'
        ? {
            serviceAccountName: ctx.sparkServiceAccount,
            automountServiceAccountToken: true,
          }
        : {}),
      ...extra,
      containers: [
        container({
          name: SPARK_CONTAINER,
          image: ctx.sparkImage,
          env: s3CredentialsEnv(ctx.parameters),
        }),
      ],
    }),
  };
}

/** Combines the base conf, the components' contributions and the preset's explicit overrides. */
export function sparkSetup(
  ctx: RenderContext,
  contributions: SparkContribution[],
): SparkSetup {
  const conf = baseConf(ctx);
  const packages = new Set<string>();
  const s3Package = hadoopAwsPackage(ctx.parameters.sparkVersion);
  const p = ctx.parameters.storage;
  if ((p.eventLogDir || p.warehouseDir) && s3Package) packages.add(s3Package);
  const executorTolerations = contributions.flatMap(
    c => c.executorTolerations ?? [],
  );
  const executorAffinity = contributions.find(
    c => c.executorAffinity,
  )?.executorAffinity;
  for (const contribution of contributions) {
    Object.assign(conf, contribution.conf ?? {});
    for (const pkg of contribution.packages ?? []) packages.add(pkg);
  }
  if (packages.size > 0) conf['spark.jars.packages'] = [...packages].join(',');
  // The preset's overrides win over every component: they are its explicit choices.
  Object.assign(conf, ctx.preset.overrides.sparkConf);

  const gpus = ctx.parameters.executor.gpus;
  const executorPodTemplate = podTemplate(ctx, 'executor', {
    ...(executorTolerations.length > 0
      ? { tolerations: executorTolerations }
      : {}),
    ...(executorAffinity ? { affinity: executorAffinity } : {}),
  });
  if (gpus > 0) {
    // Spark requests GPUs from spark.executor.resource.gpu.*; the template only adds the limit.
    executorPodTemplate.spec!.containers[0].resources = {
      limits: { 'nvidia.com/gpu': `${gpus}` },
    };
  }
  const sorted = Object.fromEntries(
    Object.entries(conf).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    master: sparkMaster(ctx),
    conf: sorted,
    driverPodTemplate: podTemplate(ctx, 'driver', {}),
    executorPodTemplate,
    confMap: ctx.name('spark-conf'),
    executor: { executorTolerations, affinity: executorAffinity },
  };
}

/** spark-defaults.conf: one `key value` line per entry (keys and values are patterned, one line each). */
export function sparkDefaultsConf(conf: Record<string, string>): string {
  return `${Object.entries(conf)
    .map(([key, value]) => `${key} ${value}`)
    .join('\n')}\n`;
}

/** The ConfigMap every Spark client in the namespace mounts. */
export function sparkConfMap(
  ctx: RenderContext,
  spark: SparkSetup,
): RenderedObject {
  return namespaced(ctx, 'v1', 'ConfigMap', spark.confMap, 'spark-conf', {
    data: {
      'spark-defaults.conf': sparkDefaultsConf(spark.conf),
      [DRIVER_TEMPLATE_KEY]: stringify(spark.driverPodTemplate, {
        aliasDuplicateObjects: false,
      }),
      [EXECUTOR_TEMPLATE_KEY]: stringify(spark.executorPodTemplate, {
        aliasDuplicateObjects: false,
      }),
    },
  });
}

/** Volumes and mounts of a pod that runs Spark from the rendered conf (Connect, History Server). */
export function sparkConfVolumes(spark: SparkSetup) {
  return {
    volumes: [
      {
        name: 'spark-conf',
        configMap: {
          name: spark.confMap,
          items: [{ key: 'spark-defaults.conf', path: 'spark-defaults.conf' }],
        },
      },
      {
        name: 'pod-templates',
        configMap: {
          name: spark.confMap,
          items: [
            { key: DRIVER_TEMPLATE_KEY, path: DRIVER_TEMPLATE_KEY },
            { key: EXECUTOR_TEMPLATE_KEY, path: EXECUTOR_TEMPLATE_KEY },
          ],
        },
      },
    ],
    volumeMounts: [
      { name: 'spark-conf', mountPath: SPARK_CONF_DIR },
      { name: 'pod-templates', mountPath: POD_TEMPLATE_DIR },
    ],
  };
}

/** A long-running Spark daemon pod's container resources (driver sizing plus JVM overhead). */
export function driverResources(ctx: RenderContext) {
  const d = ctx.parameters.driver;
  return resources(d.cores, withOverheadMiB(d.memoryGiB));
}
