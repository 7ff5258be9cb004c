import { z } from 'zod';
import type {
  PresetParameters,
  PresetParametersInput,
  SparkVersion,
} from './types';
import {
  applicationFile,
  cronSchedule,
  dns1035Label,
  dnsLabel,
  entityRef,
  httpEndpoint,
  imageReference,
  javaClassName,
  jobArgument,
  MAX_NAME_LENGTH,
  s3Uri,
} from './fields';

/**
 * The Spark versions presets are rendered and tested for: the newest 4.x, the 4.x line the
 * Iceberg runtime is published for, and the newest 3.5.x.
 *
 * @public
 */
export const SPARK_VERSIONS: readonly SparkVersion[] = [
  '4.3.0',
  '4.1.3',
  '3.5.9',
];

/**
 * The `major.minor` of a Spark version, which decides connector artifacts (`3.5`, `4.1`…).
 *
 * @public
 */
export function sparkMinorVersion(version: SparkVersion): string {
  return version.split('.').slice(0, 2).join('.');
}

/**
 * The Scala binary version of Apache's builds of a Spark version (2.12 for 3.5, 2.13 for 4).
 *
 * @public
 */
export function scalaBinaryVersion(version: SparkVersion): '2.12' | '2.13' {
  return version.startsWith('3.') ? '2.12' : '2.13';
}

const resources = (maxCores: number, maxMemoryGiB: number) => ({
  cores: z
    .int()
    .min(1, { message: 'must be at least 1 core' })
    .max(maxCores, { message: `must be at most ${maxCores} cores` })
    .default(1)
    .describe('CPU cores (requests = limits)')
    .meta({ title: 'CPU cores' }),
  memoryGiB: z
    .number()
    .min(1, { message: 'must be at least 1 GiB' })
    .max(maxMemoryGiB, { message: `must be at most ${maxMemoryGiB} GiB` })
    .multipleOf(0.5, { message: 'must be a multiple of 0.5 GiB' })
    .default(2)
    .describe('JVM heap in GiB; Spark adds its memory overhead on top')
    .meta({ title: 'Memory (GiB)' }),
});

/** The fields of the parameter schema, without its cross-field checks. */
export const presetParametersObjectSchema = z
  .object({
    name: dns1035Label(MAX_NAME_LENGTH).describe(
      'Name of the environment; every object is named after it. Up to 30 lowercase letters, digits and "-", starting with a letter',
    ),
    namespace: dnsLabel(63).describe(
      'Kubernetes namespace the environment is created in. Up to 63 lowercase letters, digits and "-"',
    ),
    owner: entityRef
      .optional()
      .describe('Owning team, e.g. group:default/team-a'),
    sparkVersion: z
      .enum(['4.3.0', '4.1.3', '3.5.9'])
      .describe(
        'The Spark release the environment runs: images, conf and connectors',
      ),
    image: imageReference
      .optional()
      .describe(
        'Spark image; default apache/spark:<version>-python3 (Java 17, uid 185)',
      ),
    driver: z
      .object(resources(16, 64))
      .strict()
      .prefault({})
      .describe('The Spark driver (or Connect server)'),
    executor: z
      .object({
        ...resources(32, 256),
        instances: z
          .int()
          .min(0, { message: 'must not be negative' })
          .max(200, { message: 'must be at most 200 executors' })
          .default(2)
          .describe('Executors at start (the minimum with dynamic allocation)')
          .meta({ title: 'Executors at start' }),
        maxInstances: z
          .int()
          .min(1, { message: 'must be at least 1 executor' })
          .max(500, { message: 'must be at most 500 executors' })
          .default(10)
          .describe('Most executors dynamic allocation may start')
          .meta({ title: 'Most executors' }),
        gpus: z
          .int()
          .min(0, { message: 'must not be negative' })
          .max(8, { message: 'must be at most 8 GPUs per executor' })
          .default(0)
          .describe('GPUs per executor (RAPIDS)')
          .meta({ title: 'GPUs per executor' }),
      })
      .strict()
      .prefault({})
      .describe('Spark executors'),
    quota: z
      .object({
        cpu: z
          .int()
          .min(1, { message: 'must be at least 1 core' })
          .max(2000, { message: 'must be at most 2000 cores' })
          .default(64)
          .describe('Namespace CPU quota (requests), cores')
          .meta({ title: 'CPU (cores)' }),
        memoryGiB: z
          .int()
          .min(1, { message: 'must be at least 1 GiB' })
          .max(8192, { message: 'must be at most 8192 GiB' })
          .default(256)
          .describe('Namespace memory quota (requests and limits), GiB')
          .meta({ title: 'Memory (GiB)' }),
        gpus: z
          .int()
          .min(0, { message: 'must not be negative' })
          .max(256, { message: 'must be at most 256 GPUs' })
          .default(0)
          .describe('Namespace GPU quota')
          .meta({ title: 'GPUs' }),
        pods: z
          .int()
          .min(1, { message: 'must be at least 1 pod' })
          .max(5000, { message: 'must be at most 5000 pods' })
          .default(200)
          .describe('Most pods in the namespace')
          .meta({ title: 'Pods' }),
      })
      .strict()
      .prefault({})
      .describe('ResourceQuota of the namespace'),
    storage: z
      .object({
        endpoint: httpEndpoint
          .optional()
          .describe(
            'S3-compatible endpoint (MinIO, Ceph RGW…); empty for AWS S3',
          )
          .meta({ title: 'S3 endpoint' }),
        credentialsSecret: dnsLabel(63)
          .default('spark-s3-credentials')
          .describe(
            'Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (created by you, never by the template)',
          )
          .meta({ title: 'Credentials Secret' }),
        eventLogDir: s3Uri
          .optional()
          .describe('Where Spark writes event logs (spark.eventLog.dir)')
          .meta({ title: 'Event log directory' }),
        warehouseDir: s3Uri
          .optional()
          .describe('Table warehouse (Iceberg, Hive Metastore)')
          .meta({ title: 'Warehouse directory' }),
        backupDir: s3Uri
          .optional()
          .describe('Where metastore database backups go')
          .meta({ title: 'Backup directory' }),
      })
      .strict()
      .prefault({})
      .describe('Object storage'),
    iceberg: z
      .object({
        catalog: z
          .enum(['rest', 'hive'])
          .default('rest')
          .describe(
            'Iceberg catalog: an Iceberg REST catalog or a Hive Metastore',
          )
          .meta({ title: 'Catalog' }),
      })
      .strict()
      .prefault({})
      .describe('Iceberg tables'),
    job: z
      .object({
        type: z
          .enum(['Python', 'Scala', 'Java'])
          .default('Python')
          .describe('Language of the job')
          .meta({ title: 'Language' }),
        mainApplicationFile: applicationFile
          .default('local:///opt/spark/examples/src/main/python/pi.py')
          .describe('The job: a .py or .jar file')
          .meta({ title: 'Application file' }),
        mainClass: javaClassName
          .optional()
          .describe('Main class of a Scala or Java job')
          .meta({ title: 'Main class' }),
        arguments: z
          .array(jobArgument)
          .max(50, { message: 'must be at most 50 arguments' })
          .default([])
          .describe('Arguments passed to the job')
          .meta({ title: 'Arguments' }),
        schedule: cronSchedule
          .default('0 3 * * *')
          .describe('When a scheduled job runs (cron, cluster time zone)')
          .meta({ title: 'Schedule' }),
      })
      .strict()
      .prefault({})
      .describe('The Spark job of batch and operator presets'),
    spot: z
      .boolean()
      .default(false)
      .describe('Run executors on spot/preemptible nodes'),
    usage: z
      .object({
        sparkHoursPerMonth: z
          .number()
          .min(0, { message: 'must not be negative' })
          .max(744, { message: 'must be at most 744 hours (a month)' })
          .default(160)
          .describe(
            'Hours a month the Spark executors run, for the cost estimate',
          )
          .meta({ title: 'Spark hours a month' }),
      })
      .strict()
      .prefault({})
      .describe('Expected usage, for the cost estimate'),
  })
  .strict();

/**
 * What a user fills in when provisioning a preset. Every object is strict (unknown keys are
 * rejected), every number bounded and every string patterned; defaults fill what is left out,
 * after the preset's own parameter defaults.
 *
 * @public
 */
export const presetParametersSchema: z.ZodType<
  PresetParameters,
  PresetParametersInput
> = presetParametersObjectSchema.superRefine((value, ctx) => {
  if (value.executor.maxInstances < value.executor.instances) {
    ctx.addIssue({
      code: 'custom',
      path: ['executor', 'maxInstances'],
      message: `must be at least executor.instances (${value.executor.instances})`,
    });
  }
  if (value.job.type !== 'Python' && value.job.mainClass === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['job', 'mainClass'],
      message: `is required for a ${value.job.type} job`,
    });
  }
});

// The hand-written public types and the schema's own types must agree both ways.
type Parsed = z.output<typeof presetParametersObjectSchema>;
export const parametersMatchTypes: [Parsed, PresetParameters] = [
  {} as PresetParameters,
  {} as Parsed,
];
