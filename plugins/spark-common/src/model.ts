/**
 * The portal's model of a Spark application, as the backend stores it and the API returns it.
 * One record per Spark app id; every source (event logs, Kubernetes, History Servers) adds to it.
 */

import type { SparkMoney } from './insights';

// Cost, SLO and diagnosis answers belong to the model too; they live in their own file.
export * from './insights';

/**
 * Where a Spark app is in its life, across sources: operators' states, pod phases and event logs
 * map onto these.
 *
 * @public
 */
export const SPARK_APP_STATES = [
  'PENDING',
  'SUBMITTED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'UNKNOWN',
] as const;

/**
 * One of {@link SPARK_APP_STATES}.
 *
 * @public
 */
export type SparkAppState = (typeof SPARK_APP_STATES)[number];

/**
 * Kinds of sources the backend ingests Spark apps from.
 *
 * @public
 */
export type SparkSourceKind = 'eventlog' | 'kubernetes' | 'history-server';

/**
 * Totals over all tasks and executors of an app (or of one stage).
 *
 * @public
 */
export interface SparkAppMetrics {
  /** Jobs the app ran. */
  jobs: number;
  /** Jobs that failed. */
  failedJobs: number;
  /** Stage attempts the app ran. */
  stages: number;
  /** Stage attempts that failed. */
  failedStages: number;
  /** Tasks that ended (any outcome). */
  tasks: number;
  /** Tasks that failed. */
  failedTasks: number;
  /** Tasks Spark killed (speculation, a cancelled job). */
  killedTasks: number;
  /** Executors the app ever had. */
  executors: number;
  /** Most executors alive at once. */
  maxConcurrentExecutors: number;
  /** Σ executor cores × time alive, in core-milliseconds (what was reserved). */
  executorCoreMs: number;
  /** Σ executor memory (heap + overhead when known) × time alive, in MiB-milliseconds. */
  executorMemoryMibMs: number;
  /** Σ task run time, in milliseconds. */
  executorRunTimeMs: number;
  /** Σ task CPU time, in nanoseconds. */
  executorCpuTimeNs: number;
  /** Σ JVM GC time during tasks, in milliseconds. */
  jvmGcTimeMs: number;
  /** Σ bytes spilled, in their in-memory size. */
  memoryBytesSpilled: number;
  /** Σ bytes spilled to disk. */
  diskBytesSpilled: number;
  /** Σ bytes read from sources. */
  inputBytes: number;
  /** Σ bytes written to sinks. */
  outputBytes: number;
  /** Σ shuffle bytes read (local and remote). */
  shuffleReadBytes: number;
  /** Σ shuffle bytes written. */
  shuffleWriteBytes: number;
  /** Largest `Peak Execution Memory` of any task. */
  peakExecutionMemory: number;
}

/**
 * A failure worth showing: an app, job, stage, task class or executor that failed, with why.
 *
 * @public
 */
export interface SparkFailure {
  /** What failed: an app, job, stage, task class, executor, pod or operator object. */
  scope: 'app' | 'job' | 'stage' | 'task' | 'executor' | 'pod' | 'operator';
  /** Job id, `stageId.attempt`, executor id, pod name … */
  id?: string;
  /** Short class of the failure: `ExecutorLostFailure`, `FetchFailed`, `OOMKilled`, exit code 52 … */
  reason: string;
  /** First line(s) of the message, redacted and capped. */
  message?: string;
  /** How many times this (scope, reason) happened. */
  count: number;
  /** Exit code of the process, when one exited. */
  exitCode?: number;
  /** ISO time of the first occurrence. */
  time?: string;
}

/**
 * Task-metric quantiles of one stage attempt, from a bounded sketch over all its tasks.
 *
 * @public
 */
export interface SparkStageTaskQuantiles {
  /** The stage. */
  stageId: number;
  /** The stage attempt. */
  attemptId: number;
  /** Quantiles these values are for, e.g. [0, 0.25, 0.5, 0.75, 0.95, 1]. */
  quantiles: number[];
  /** Task duration (launch to finish), in milliseconds. */
  durationMs: number[];
  /** JVM GC time per task, in milliseconds. */
  jvmGcTimeMs: number[];
  /** Bytes spilled per task, in memory size. */
  memoryBytesSpilled: number[];
  /** Bytes spilled to disk per task. */
  diskBytesSpilled: number[];
  /** Shuffle bytes read per task. */
  shuffleReadBytes: number[];
  /** Shuffle bytes written per task. */
  shuffleWriteBytes: number[];
  /** Input bytes read per task. */
  inputBytes: number[];
  /** Peak execution memory per task, in bytes. */
  peakExecutionMemory: number[];
}

/**
 * The catalog owner of an app and how it was found.
 *
 * @public
 */
export interface SparkAppAttribution {
  /** The Component this app is a run of, e.g. `component:default/settlement-etl`. */
  entityRef?: string;
  /** The owning Group, e.g. `group:default/payments-data`; absent when unowned. */
  teamRef?: string;
  /** The owning Group and its parents, nearest first; team views roll up with it. */
  teamRefs: string[];
  /** Which rule matched: a Component annotation, a namespace mapping, or nothing. */
  matchedBy: 'annotation' | 'label-selector' | 'namespace-mapping' | 'none';
}

/**
 * One Spark app as the portal knows it: merged from every source that saw it.
 *
 * @public
 */
export interface SparkAppSummary {
  /** Spark's application id (`spark-…`, `app-…`, `local-…`), or a Kubernetes key before Spark assigned one. */
  id: string;
  /** `spark.app.name`. */
  name: string;
  /** Merged state of the app across its sources. */
  state: SparkAppState;
  /** Attempt ids seen for the app ('' when Spark did not number attempts). */
  attempts: string[];
  /** The Spark version that ran it. */
  sparkVersion?: string;
  /** The user Spark ran as. */
  user?: string;
  /** The Kubernetes cluster (a `kubernetes:` cluster name), when known. */
  cluster?: string;
  /** The Kubernetes namespace of the driver, when known. */
  namespace?: string;
  /** ISO times. */
  startTime?: string;
  /** ISO time the app ended; absent while it runs. */
  endTime?: string;
  /** End minus start, in milliseconds; absent while it runs. */
  durationMs?: number;
  /** The catalog owner of the app and how it was matched. */
  attribution: SparkAppAttribution;
  /** Sources that reported this app, e.g. `eventlog:demo`, `kubernetes:prod-eu`. */
  sources: string[];
  /** True once the app ended and its whole event log was read; false for partial data. */
  complete: boolean;
  /** Totals over tasks and executors, from the event log or History Server. */
  metrics?: SparkAppMetrics;
  /** The reason the app failed, when it did. */
  failureReason?: string;
  /** What the run cost; absent until a price model priced it. */
  cost?: SparkMoney;
  /** Whether the run met its Component's SLOs; absent until an SLO judged it. */
  slo?: { state: 'met' | 'missed'; sloIds: string[] };
  /** ISO time the record last changed. */
  updatedAt: string;
}

/**
 * A job of an app, as the portal summarises it.
 *
 * @public
 */
export interface SparkJobSummary {
  /** Spark job id. */
  jobId: number;
  /** What Spark calls the job (its call site). */
  name: string;
  /** `RUNNING`, `SUCCEEDED`, `FAILED` or `UNKNOWN`. */
  status: string;
  /** ISO time the job was submitted. */
  submissionTime?: string;
  /** ISO time the job ended. */
  completionTime?: string;
  /** Stages of the job. */
  stageIds: number[];
  /** Tasks of the job. */
  numTasks: number;
  /** Failed tasks of the job. */
  numFailedTasks: number;
  /** Why the job failed, first line. */
  failureReason?: string;
}

/**
 * A stage attempt of an app with its totals and task quantiles.
 *
 * @public
 */
export interface SparkStageSummary {
  /** Spark stage id. */
  stageId: number;
  /** Attempt of the stage (retries count up from 0). */
  attemptId: number;
  /** What Spark calls the stage (its call site). */
  name: string;
  /** `ACTIVE`, `COMPLETE`, `FAILED`, `PENDING` or `SKIPPED`. */
  status: string;
  /** Tasks of the stage attempt. */
  numTasks: number;
  /** Failed tasks of the stage attempt. */
  numFailedTasks: number;
  /** ISO time the attempt was submitted. */
  submissionTime?: string;
  /** ISO time the attempt ended. */
  completionTime?: string;
  /** Why the attempt failed, first line. */
  failureReason?: string;
  /** Totals over the attempt's tasks. */
  metrics: Omit<
    SparkAppMetrics,
    | 'jobs'
    | 'failedJobs'
    | 'stages'
    | 'failedStages'
    | 'executors'
    | 'maxConcurrentExecutors'
    | 'executorCoreMs'
    | 'executorMemoryMibMs'
  >;
  /** Task-metric quantiles of the attempt. */
  quantiles?: SparkStageTaskQuantiles;
}

/**
 * An executor of an app: its life, reasons and peaks.
 *
 * @public
 */
export interface SparkExecutorSummary {
  /** Spark executor id (`driver` for the driver). */
  executorId: string;
  /** Host (pod IP or node) the executor ran on. */
  host?: string;
  /** Cores of the executor. */
  cores: number;
  /** ISO time the executor was added. */
  addTime?: string;
  /** ISO time the executor was removed. */
  removeTime?: string;
  /** Why Spark removed it (`Command exited with code 137`, idle, decommissioned …). */
  removeReason?: string;
  /** Tasks it completed. */
  completedTasks: number;
  /** Tasks that failed on it. */
  failedTasks: number;
  /** Σ duration of its tasks, in milliseconds. */
  totalDurationMs: number;
  /** Σ JVM GC time of its tasks, in milliseconds. */
  totalGcTimeMs: number;
  /** Peak executor metrics by name (JVMHeapMemory, ProcessTreeJVMRSSMemory …). */
  peakMemoryMetrics?: Record<string, number>;
}

/**
 * A Kubernetes object behind an app: a SparkApplication, a SparkCluster or a Spark pod.
 *
 * @public
 */
export interface SparkKubernetesObject {
  /** Cluster the object is in. */
  cluster: string;
  /** Namespace of the object. */
  namespace: string;
  /** Kind; custom kinds carry their group (`SparkApplication.sparkoperator.k8s.io`). */
  kind: string;
  /** API version the object was read in. */
  apiVersion: string;
  /** Name of the object. */
  name: string;
  /** Kubernetes uid. */
  uid: string;
  /** Spark app id this object belongs to, when known. */
  appId?: string;
  /** Operator state or pod phase, as the object says it. */
  rawState?: string;
  /** What the object says of its app, in the portal's states. */
  state: SparkAppState;
  /** Kind-specific details: attempts, pods' containers, requests/limits, node, exit codes … */
  details: Record<string, unknown>;
  /** ISO time the portal last stored it. */
  updatedAt: string;
}

/**
 * One app with everything the portal knows of it.
 *
 * @public
 */
export interface SparkAppDetails {
  /** The app summary. */
  app: SparkAppSummary;
  /** Jobs, newest first. */
  jobs: SparkJobSummary[];
  /** Stage attempts, newest first. */
  stages: SparkStageSummary[];
  /** Executors with their lives and peaks. */
  executors: SparkExecutorSummary[];
  /** Failures grouped by scope and reason. */
  failures: SparkFailure[];
  /** Kubernetes objects of the app. */
  kubernetes: SparkKubernetesObject[];
}

/**
 * The health of one configured source, as the API shows it.
 *
 * @public
 */
export interface SparkSourceStatus {
  /** `eventlog:<name>`, `kubernetes:<cluster>`, `history-server:<name>`. */
  id: string;
  /** What the source reads. */
  kind: SparkSourceKind;
  /** `ok`, `warning` (some items failed), `error` (the run failed) or `pending` (not run yet). */
  status: 'ok' | 'warning' | 'error' | 'pending';
  /** What failed and where, when it did. */
  message?: string;
  /** Per-item problems, e.g. one corrupt event log, one missing CRD. */
  problems: Array<{ item: string; message: string; time: string }>;
  /** ISO time of the last run. */
  lastAttemptAt?: string;
  /** ISO time of the last run without error. */
  lastSuccessAt?: string;
}

/**
 * A page of a list answer; `nextCursor` is absent on the last page.
 *
 * @public
 */
export interface SparkPage<T> {
  /** The items of this page. */
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}
