/**
 * The public shapes of presets and provisioning parameters. The zod schemas produce exactly
 * these (checked at compile time in schemas.ts), and the API report shows these rather than
 * the schemas' inferred types.
 */

/**
 * One of the Spark versions presets support (see `SPARK_VERSIONS`).
 *
 * @public
 */
export type SparkVersion = '4.3.0' | '4.1.3' | '3.5.9';

/**
 * How Spark runs in a preset's environment.
 *
 * @public
 */
export type PresetBackend = 'kubernetes' | 'standalone' | 'operator';

/**
 * A security profile the rendered pods comply with.
 *
 * @public
 */
export type SecurityProfile = 'restricted' | 'openshift-restricted-v2';

/**
 * CPU cores and JVM memory of a Spark driver or executor.
 *
 * @public
 */
export interface SparkResources {
  /** CPU cores (requests = limits). */
  cores: number;
  /** JVM heap in GiB; Spark adds its memory overhead on top. */
  memoryGiB: number;
}

/**
 * Provisioning parameters after defaults: what the renderer works with.
 *
 * @public
 */
export interface PresetParameters {
  /** Name of the environment; every object is named after it. */
  name: string;
  /** Namespace the environment is created in. */
  namespace: string;
  /** Owning team, e.g. `group:default/team-a`. */
  owner?: string;
  /** Spark version of drivers, executors and daemons. */
  sparkVersion: SparkVersion;
  /** Spark image; default `apache/spark:<version>-python3`. */
  image?: string;
  /** The Spark driver (or Connect server). */
  driver: SparkResources;
  /** Spark executors. */
  executor: SparkResources & {
    /** Executors at start (the minimum with dynamic allocation). */
    instances: number;
    /** Most executors dynamic allocation may start. */
    maxInstances: number;
    /** GPUs per executor. */
    gpus: number;
  };
  /** The namespace's ResourceQuota. */
  quota: { cpu: number; memoryGiB: number; gpus: number; pods: number };
  /** Object storage. */
  storage: {
    endpoint?: string;
    credentialsSecret: string;
    eventLogDir?: string;
    warehouseDir?: string;
    backupDir?: string;
  };
  /** Iceberg tables: which catalog. */
  iceberg: { catalog: 'rest' | 'hive' };
  /** The Spark job of batch and operator presets. */
  job: {
    type: 'Python' | 'Scala' | 'Java';
    mainApplicationFile: string;
    mainClass?: string;
    arguments: string[];
    schedule: string;
  };
  /** Run executors on spot capacity. */
  spot: boolean;
  /** Expected usage, for the cost estimate. */
  usage: { sparkHoursPerMonth: number };
}

/**
 * Every field optional, down the tree (arrays stay whole).
 *
 * @public
 */
export type PartialTree<T> = {
  [K in keyof T]?: T[K] extends Array<unknown>
    ? T[K]
    : T[K] extends object
    ? PartialTree<T[K]>
    : T[K];
};

/**
 * Provisioning parameters as a user or a template gives them: defaults may be left out.
 *
 * @public
 */
export type PresetParametersInput = PartialTree<PresetParameters> &
  Pick<PresetParameters, 'name' | 'namespace' | 'sparkVersion'>;

/**
 * One entry of a preset's `components`: a shared component and its settings.
 *
 * @public
 */
export type PresetComponent =
  | { use: 'connect-server'; with: {} }
  | { use: 'jupyter'; with: {} }
  | { use: 'standalone-cluster'; with: { workers: number } }
  | {
      use: 'airflow';
      with: { submitWith: 'connect' | 'spark-submit' | 'operator' };
    }
  | { use: 'spark-submit'; with: {} }
  | { use: 'spark-application'; with: {} }
  | {
      use: 'scheduled-spark-application';
      with: { concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace' };
    }
  | { use: 'history-server'; with: {} }
  | {
      use: 'hive-metastore';
      with: { backupSchedule: string; databaseStorageGiB: number };
    }
  | { use: 'iceberg'; with: {} }
  | { use: 'celeborn'; with: { workers: number } }
  | { use: 'rapids-gpu'; with: {} }
  | {
      use: 'dynamic-allocation';
      with: { shuffleTracking: boolean; decommission: boolean };
    }
  | { use: 'spot-nodes'; with: {} };

/**
 * The id of a shared component (`connect-server`, `airflow`…).
 *
 * @public
 */
export type PresetComponentId = PresetComponent['use'];

/**
 * A parsed `presets/<name>/preset.yaml`.
 *
 * @public
 */
export interface Preset {
  /** Always `presets.spark-k8s.io/v1`. */
  apiVersion: 'presets.spark-k8s.io/v1';
  /** Id of the preset; the folder name. */
  name: string;
  /** Shown in the template list. */
  title: string;
  /** What the environment is for, in a paragraph. */
  description: string;
  /** How Spark runs. */
  backend: PresetBackend;
  /** The pod security profile. */
  security: SecurityProfile;
  /** Spark versions the preset is offered (and tested) for. */
  sparkVersions: SparkVersion[];
  /** Catalog tags of the template. */
  tags: string[];
  /** Shared components, rendered in this order. */
  components: PresetComponent[];
  /** The preset's explicit choices over the components' and schema's defaults. */
  overrides: {
    /** Parameter defaults this preset sets (a user may change them). */
    parameters: Partial<
      Omit<PresetParameters, 'name' | 'namespace' | 'owner' | 'sparkVersion'>
    >;
    /** Spark conf set on top of the components (a user cannot change it). */
    sparkConf: Record<string, string>;
  };
}
