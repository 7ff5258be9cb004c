import { z } from 'zod';
import { cronSchedule, dnsLabel, sparkConfKey, sparkConfValue } from './fields';
import { presetParametersObjectSchema } from './parameters';
import type { Preset, PresetBackend, SecurityProfile } from './types';

/**
 * How Spark runs in a preset's environment: spark-submit / Spark Connect straight on
 * Kubernetes, a Spark Standalone cluster in the namespace, or SparkApplications handled by the
 * kubeflow spark-operator.
 *
 * @public
 */
export const PRESET_BACKENDS: readonly PresetBackend[] = [
  'kubernetes',
  'standalone',
  'operator',
];

/**
 * Security profiles the rendered pods comply with: Pod Security "restricted", or OpenShift's
 * restricted-v2 SCC (arbitrary UID from the namespace range, group 0) on top of it.
 *
 * @public
 */
export const SECURITY_PROFILES: readonly SecurityProfile[] = [
  'restricted',
  'openshift-restricted-v2',
];

const noSettings = z.object({}).strict().prefault({});

/** The shared components presets are composed of, each with its own settings. */
const presetComponentSchema = z.discriminatedUnion('use', [
  z
    .object({
      use: z.literal('connect-server'),
      with: noSettings,
    })
    .strict()
    .describe(
      'A Spark Connect server (port 15002) whose driver runs in its pod',
    ),
  z
    .object({ use: z.literal('jupyter'), with: noSettings })
    .strict()
    .describe('JupyterLab with PySpark, connected to the Spark Connect server'),
  z
    .object({
      use: z.literal('standalone-cluster'),
      with: z
        .object({
          workers: z.int().min(1).max(50).default(2),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .describe('A Spark Standalone master and workers in the namespace'),
  z
    .object({
      use: z.literal('airflow'),
      with: z
        .object({
          submitWith: z.enum(['connect', 'spark-submit', 'operator']),
        })
        .strict(),
    })
    .strict()
    .describe(
      'Apache Airflow with a Spark connection for Spark Connect, spark-submit or the spark-operator',
    ),
  z
    .object({ use: z.literal('spark-submit'), with: noSettings })
    .strict()
    .describe(
      'spark-defaults.conf and driver/executor pod templates for spark-submit --deploy-mode cluster',
    ),
  z
    .object({ use: z.literal('spark-application'), with: noSettings })
    .strict()
    .describe('A kubeflow SparkApplication (sparkoperator.k8s.io/v1beta2)'),
  z
    .object({
      use: z.literal('scheduled-spark-application'),
      with: z
        .object({
          concurrencyPolicy: z
            .enum(['Allow', 'Forbid', 'Replace'])
            .default('Forbid'),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .describe('A kubeflow ScheduledSparkApplication running the job on a cron'),
  z
    .object({ use: z.literal('history-server'), with: noSettings })
    .strict()
    .describe('A Spark History Server reading the event-log directory'),
  z
    .object({
      use: z.literal('hive-metastore'),
      with: z
        .object({
          backupSchedule: cronSchedule.default('0 2 * * *'),
          databaseStorageGiB: z.int().min(1).max(1000).default(10),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .describe(
      'A Hive Metastore on PostgreSQL, with a backup CronJob (pg_dump to S3) and a restore CronJob',
    ),
  z
    .object({ use: z.literal('iceberg'), with: noSettings })
    .strict()
    .describe(
      'Iceberg tables: the runtime and catalog conf, and an Iceberg REST catalog when chosen',
    ),
  z
    .object({
      use: z.literal('celeborn'),
      with: z
        .object({
          workers: z.int().min(1).max(20).default(3),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .describe(
      'Apache Celeborn remote shuffle: masters, workers and the client conf',
    ),
  z
    .object({ use: z.literal('rapids-gpu'), with: noSettings })
    .strict()
    .describe('The RAPIDS Accelerator: plugin jar, GPU resources and conf'),
  z
    .object({
      use: z.literal('dynamic-allocation'),
      with: z
        .object({
          shuffleTracking: z.boolean().default(true),
          decommission: z.boolean().default(false),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .describe(
      'Dynamic allocation with shuffle tracking, optionally graceful decommissioning',
    ),
  z
    .object({ use: z.literal('spot-nodes'), with: noSettings })
    .strict()
    .describe(
      'Executors on spot/preemptible node pools (driver stays on on-demand nodes)',
    ),
]);

const presetObjectSchema = z
  .object({
    apiVersion: z.literal('presets.spark-k8s.io/v1'),
    name: dnsLabel(40).describe('Id of the preset; the folder name'),
    title: z.string().min(1).max(80),
    description: z.string().min(1).max(2000),
    backend: z.enum(['kubernetes', 'standalone', 'operator']),
    security: z
      .enum(['restricted', 'openshift-restricted-v2'])
      .default('restricted'),
    sparkVersions: z
      .array(z.enum(['4.3.0', '4.1.3', '3.5.9']))
      .min(1)
      .describe('Spark versions the preset is offered (and tested) for'),
    tags: z.array(dnsLabel(63)).max(10).default([]),
    components: z
      .array(presetComponentSchema)
      .min(1)
      .describe('Shared components, rendered in this order'),
    overrides: z
      .object({
        parameters: presetParametersObjectSchema
          .omit({
            name: true,
            namespace: true,
            owner: true,
            sparkVersion: true,
          })
          .partial()
          .default({})
          .describe(
            'Parameter defaults this preset sets (a user may change them)',
          ),
        sparkConf: z
          .record(sparkConfKey, sparkConfValue)
          .default({})
          .describe(
            'Spark conf set on top of the components (wins over them; a user cannot change it)',
          ),
      })
      .strict()
      .prefault({}),
  })
  .strict();

// The hand-written public types and the schema's own types must agree both ways.
type Parsed = z.output<typeof presetObjectSchema>;
export const presetMatchesTypes: [Parsed, Preset] = [
  {} as Preset,
  {} as Parsed,
];

/**
 * A `presets/<name>/preset.yaml`: which components an environment is made of, for which Spark
 * versions and backend, and the explicit overrides of the components' defaults.
 *
 * @public
 */
export const presetSchema: z.ZodType<Preset, unknown> =
  presetObjectSchema.superRefine((preset, ctx) => {
    const uses = preset.components.map(c => c.use);
    uses.forEach((use, index) => {
      if (uses.indexOf(use) !== index) {
        ctx.addIssue({
          code: 'custom',
          path: ['components', index, 'use'],
          message: `component "${use}" is listed twice`,
        });
      }
    });
  });
