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
  jobs: number;
  failedJobs: number;
  stages: number;
  failedStages: number;
  tasks: number;
  failedTasks: number;
  killedTasks: number;
  executors: number;
  /** Most executors alive at once. */
  maxConcurrentExecutors: number;
  /** Σ executor cores × time alive, in core-milliseconds (what was reserved). */
  executorCoreMs: number;
  /** Σ executor memory (heap + overhead when known) × time alive, in MiB-milliseconds. */
  executorMemoryMibMs: number;
  executorRunTimeMs: number;
  executorCpuTimeNs: number;
  jvmGcTimeMs: number;
  memoryBytesSpilled: number;
  diskBytesSpilled: number;
  inputBytes: number;
  outputBytes: number;
  shuffleReadBytes: number;
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
  scope: 'app' | 'job' | 'stage' | 'task' | 'executor' | 'pod' | 'operator';
  /** Job id, `stageId.attempt`, executor id, pod name … */
  id?: string;
  /** Short class of the failure: `ExecutorLostFailure`, `FetchFailed`, `OOMKilled`, exit code 52 … */
  reason: string;
  /** First line(s) of the message, redacted and capped. */
  message?: string;
  /** How many times this (scope, reason) happened. */
  count: number;
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
  stageId: number;
  attemptId: number;
  /** Quantiles these values are for, e.g. [0, 0.25, 0.5, 0.75, 0.95, 1]. */
  quantiles: number[];
  durationMs: number[];
  jvmGcTimeMs: number[];
  memoryBytesSpilled: number[];
  diskBytesSpilled: number[];
  shuffleReadBytes: number[];
  shuffleWriteBytes: number[];
  inputBytes: number[];
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
  name: string;
  state: SparkAppState;
  /** Attempt ids seen for the app ('' when Spark did not number attempts). */
  attempts: string[];
  sparkVersion?: string;
  user?: string;
  cluster?: string;
  namespace?: string;
  /** ISO times. */
  startTime?: string;
  endTime?: string;
  durationMs?: number;
  attribution: SparkAppAttribution;
  /** Sources that reported this app, e.g. `eventlog:demo`, `kubernetes:prod-eu`. */
  sources: string[];
  /** True once the app ended and its whole event log was read; false for partial data. */
  complete: boolean;
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
  jobId: number;
  name: string;
  status: string;
  submissionTime?: string;
  completionTime?: string;
  stageIds: number[];
  numTasks: number;
  numFailedTasks: number;
  failureReason?: string;
}

/**
 * A stage attempt of an app with its totals and task quantiles.
 *
 * @public
 */
export interface SparkStageSummary {
  stageId: number;
  attemptId: number;
  name: string;
  status: string;
  numTasks: number;
  numFailedTasks: number;
  submissionTime?: string;
  completionTime?: string;
  failureReason?: string;
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
  quantiles?: SparkStageTaskQuantiles;
}

/**
 * An executor of an app: its life, reasons and peaks.
 *
 * @public
 */
export interface SparkExecutorSummary {
  executorId: string;
  host?: string;
  cores: number;
  addTime?: string;
  removeTime?: string;
  removeReason?: string;
  completedTasks: number;
  failedTasks: number;
  totalDurationMs: number;
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
  cluster: string;
  namespace: string;
  kind: string;
  apiVersion: string;
  name: string;
  uid: string;
  /** Spark app id this object belongs to, when known. */
  appId?: string;
  /** Operator state or pod phase, as the object says it. */
  rawState?: string;
  state: SparkAppState;
  /** Kind-specific details: attempts, pods' containers, requests/limits, node, exit codes … */
  details: Record<string, unknown>;
  updatedAt: string;
}

/**
 * One app with everything the portal knows of it.
 *
 * @public
 */
export interface SparkAppDetails {
  app: SparkAppSummary;
  jobs: SparkJobSummary[];
  stages: SparkStageSummary[];
  executors: SparkExecutorSummary[];
  failures: SparkFailure[];
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
  kind: SparkSourceKind;
  status: 'ok' | 'warning' | 'error' | 'pending';
  /** What failed and where, when it did. */
  message?: string;
  /** Per-item problems, e.g. one corrupt event log, one missing CRD. */
  problems: Array<{ item: string; message: string; time: string }>;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
}

/**
 * A page of a list answer; `nextCursor` is absent on the last page.
 *
 * @public
 */
export interface SparkPage<T> {
  items: T[];
  nextCursor?: string;
}
