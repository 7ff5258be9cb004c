import type {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type {
  SparkAppMetrics,
  SparkAppState,
  SparkExecutorSummary,
  SparkFailure,
  SparkJobSummary,
  SparkKubernetesObject,
  SparkSourceKind,
  SparkStageSummary,
} from '@spark-k8s/plugin-spark-common';

/**
 * The History Server's JSON of one app attempt, kept so `/history/api/v1` can answer with it.
 * Field names are Spark's (`ApplicationInfo`, `JobData`, `StageData`, `ExecutorSummary`,
 * `ApplicationEnvironmentInfo`); the environment is already redacted.
 *
 * @public
 */
export interface SparkHistoryDocuments {
  /** One `ApplicationAttemptInfo` (the attempt's entry in `applications[].attempts`). */
  attempt: Record<string, unknown>;
  /** `JobData` of every job. */
  jobs: Array<Record<string, unknown>>;
  /** `StageData` of every stage attempt. */
  stages: Array<Record<string, unknown>>;
  /** Every executor, alive or removed (`allexecutors`); `executors` is the active subset. */
  allexecutors: Array<Record<string, unknown>>;
  /** `ApplicationEnvironmentInfo`, redacted. */
  environment: Record<string, unknown>;
}

/**
 * What one source knows of one attempt of a Spark app. Sources report; the store merges
 * reports of several sources into one {@link @spark-k8s/plugin-spark-common#SparkAppSummary}.
 *
 * @public
 */
export interface SparkAppReport {
  /** Spark's app id. */
  appId: string;
  /** '' when Spark did not number attempts. */
  attemptId: string;
  /** `spark.app.name`. */
  name?: string;
  /** The attempt's state as this source sees it. */
  state?: SparkAppState;
  /** The Spark version that ran the app. */
  sparkVersion?: string;
  /** The user Spark ran as. */
  user?: string;
  /** The Kubernetes cluster (a `kubernetes:` cluster name). */
  cluster?: string;
  /** The Kubernetes namespace of the driver. */
  namespace?: string;
  /** Epoch milliseconds. */
  startTime?: number;
  /** Epoch milliseconds; absent while the app runs. */
  endTime?: number;
  /** True when the source saw the whole app (ended, whole log read). */
  complete: boolean;
  /** Why the app failed, in Spark's or Kubernetes' words. */
  failureReason?: string;
  /** Totals over the app's tasks. */
  metrics?: SparkAppMetrics;
  /**
   * Labels for attribution: pod labels from Kubernetes, `spark.kubernetes.driver.label.*`
   * and `spark.app.name` from the Spark conf.
   */
  labels?: Record<string, string>;
  /** Job summaries. */
  jobs?: SparkJobSummary[];
  /** Stage summaries with task-metric quantiles. */
  stages?: SparkStageSummary[];
  /** Executors, added and removed, with peak metrics. */
  executors?: SparkExecutorSummary[];
  /** Failures grouped by reason. */
  failures?: SparkFailure[];
  /** The app's redacted Spark conf and system properties, shown to holders of the sensitive permission. */
  environment?: Record<string, unknown>;
  /** History-Server-shaped documents of this attempt. */
  history?: SparkHistoryDocuments;
}

/**
 * A problem with one item of a source (one log, one CRD, one URL), visible through the API.
 *
 * @public
 */
export interface SparkSourceProblem {
  /** The log, CRD or URL the problem is about. */
  item: string;
  /** What failed there, for people. */
  message: string;
}

/**
 * Where sources write. Every call is durable when it resolves.
 *
 * @public
 */
export interface SparkIngestStore {
  /** Stores what this source knows of an app attempt, replacing its earlier report. */
  reportApp(sourceId: string, report: SparkAppReport): Promise<void>;
  /** Stores the app report and the source's checkpoint in one transaction. */
  reportAppWithCheckpoint(
    sourceId: string,
    report: SparkAppReport,
    checkpoint: { key: string; value: unknown },
  ): Promise<void>;
  /** The source's checkpoint under `key`, if any. */
  getCheckpoint<T>(sourceId: string, key: string): Promise<T | undefined>;
  /** Replaces the source's checkpoint under `key`. */
  putCheckpoint(sourceId: string, key: string, value: unknown): Promise<void>;
  /** Checkpoint keys of a source, to find logs that disappeared. */
  listCheckpointKeys(sourceId: string): Promise<string[]>;
  /** Forgets the source's checkpoint under `key`. */
  deleteCheckpoint(sourceId: string, key: string): Promise<void>;
  /** Stores Kubernetes objects of Spark apps, replacing earlier versions. */
  upsertKubernetesObjects(objects: SparkKubernetesObject[]): Promise<void>;
  /** Removes a Kubernetes object that was deleted in its cluster. */
  deleteKubernetesObject(key: {
    cluster: string;
    kind: string;
    namespace: string;
    name: string;
  }): Promise<void>;
  /** Objects of one cluster and kind, to reconcile a re-list. */
  listKubernetesObjectKeys(
    cluster: string,
    kind: string,
  ): Promise<Array<{ namespace: string; name: string }>>;
  /** Records one run of a source: ok, or what failed and where. */
  reportSourceRun(
    sourceId: string,
    run: {
      kind: SparkSourceKind;
      error?: string;
      problems?: SparkSourceProblem[];
      warnings?: SparkSourceProblem[];
    },
  ): Promise<void>;
}

/**
 * What a source gets on each run.
 *
 * @public
 */
export interface SparkSourceRunContext {
  /** Where the source writes what it finds. */
  store: SparkIngestStore;
  /** The Spark plugin's logger. */
  logger: LoggerService;
  /** Aborted when the backend shuts down or the task times out; stop at the next safe point. */
  signal: AbortSignal;
}

/**
 * A source of Spark apps, run by the backend as a scheduled task (one replica at a time).
 *
 * @public
 */
export interface SparkAppSource {
  /** Unique and stable: `eventlog:<name>`, `kubernetes:<cluster>` … */
  id: string;
  /** What the source reads. */
  kind: SparkSourceKind;
  /** How often the backend runs it. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** One pass: read what changed since the last checkpoint and report it. */
  run(context: SparkSourceRunContext): Promise<void>;
}
