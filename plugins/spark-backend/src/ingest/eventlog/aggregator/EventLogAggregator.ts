import {
  redactSparkConf,
  type SparkAppMetrics,
  type SparkExecutorSummary,
  type SparkFailure,
  type SparkJobSummary,
  type SparkStageSummary,
} from '@spark-k8s/plugin-spark-common';
import type { SparkAppReport } from '@spark-k8s/plugin-spark-node';
import {
  TASK_METRIC,
  taskEndFromJson,
  type TaskEndRecord,
  type TaskExecutorMetrics,
  taskStartFromJson,
  type TaskStartRecord,
} from '../taskEvents';
import { compact, hsDate } from './historyFormat';
import {
  addToSketch,
  newSketch,
  type QuantileSketch,
  sketchQuantiles,
} from './sketch';

type Json = Record<string, any>;

/** Per-task metrics summed per stage, in the History Server's StageData field names. */
const STAGE_SUMS = [
  'executorDeserializeTime',
  'executorDeserializeCpuTime',
  'executorRunTime',
  'executorCpuTime',
  'resultSize',
  'jvmGcTime',
  'resultSerializationTime',
  'memoryBytesSpilled',
  'diskBytesSpilled',
  'inputBytes',
  'inputRecords',
  'outputBytes',
  'outputRecords',
  'shuffleRemoteBlocksFetched',
  'shuffleLocalBlocksFetched',
  'shuffleFetchWaitTime',
  'shuffleRemoteBytesRead',
  'shuffleRemoteBytesReadToDisk',
  'shuffleLocalBytesRead',
  'shuffleReadRecords',
  'shuffleCorruptMergedBlockChunks',
  'shuffleMergedFetchFallbackCount',
  'shuffleMergedRemoteBlocksFetched',
  'shuffleMergedLocalBlocksFetched',
  'shuffleMergedRemoteChunksFetched',
  'shuffleMergedLocalChunksFetched',
  'shuffleMergedRemoteBytesRead',
  'shuffleMergedLocalBytesRead',
  'shuffleRemoteReqsDuration',
  'shuffleMergedRemoteReqsDuration',
  'shuffleWriteBytes',
  'shuffleWriteTime',
  'shuffleWriteRecords',
] as const;
type StageSum = (typeof STAGE_SUMS)[number];

const QUANTILES = [0, 0.25, 0.5, 0.75, 0.95, 1];
const SKETCHED = [
  'durationMs',
  'jvmGcTimeMs',
  'memoryBytesSpilled',
  'diskBytesSpilled',
  'shuffleReadBytes',
  'shuffleWriteBytes',
  'inputBytes',
  'peakExecutionMemory',
] as const;
type Sketched = (typeof SKETCHED)[number];

const MAX_FAILURE_GROUPS = 200;
const MAX_MESSAGE = 2000;

interface StageState {
  stageId: number;
  attemptId: number;
  name: string;
  details: string;
  numTasks: number;
  status: 'PENDING' | 'ACTIVE' | 'COMPLETE' | 'FAILED' | 'SKIPPED';
  submissionTime?: number;
  firstTaskLaunchedTime?: number;
  completionTime?: number;
  failureReason?: string;
  description?: string;
  schedulingPool: string;
  rddIds: number[];
  resourceProfileId: number;
  accumulatorUpdates: Json[];
  active: number;
  complete: number;
  failed: number;
  killed: number;
  killedSummary: Record<string, number>;
  /** Indices that succeeded (base64 bitmap in checkpoints), so re-run tasks count once. */
  doneIndices: string;
  completedIndices: number;
  peakExecutionMemory: number;
  /** The History Server sums the tasks' peaks per stage. */
  sumPeakExecutionMemory: number;
  peakExecutorMetrics?: Record<string, number>;
  sums: Record<StageSum, number>;
  sketches: Record<Sketched, QuantileSketch>;
  jobIds: number[];
}

interface JobState {
  jobId: number;
  name: string;
  description?: string;
  jobGroup?: string;
  jobTags: string[];
  submissionTime?: number;
  completionTime?: number;
  stageIds: number[];
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';
  numTasks: number;
  active: number;
  completed: number;
  failed: number;
  killed: number;
  skippedTasks: number;
  completedIndices: number;
  activeStages: number;
  completedStages: number;
  skippedStages: number;
  failedStages: number;
  killedSummary: Record<string, number>;
  failureReason?: string;
  /** The task counts the History Server shows for an ended job (see publishedCounts). */
  published?: JobTaskCounts;
}

/** A job's task counts as the History Server last wrote them. */
type JobTaskCounts = Pick<
  JobState,
  | 'active'
  | 'completed'
  | 'failed'
  | 'killed'
  | 'completedIndices'
  | 'killedSummary'
>;

function taskCounts(job: JobState): JobTaskCounts {
  return {
    active: job.active,
    completed: job.completed,
    failed: job.failed,
    killed: job.killed,
    completedIndices: job.completedIndices,
    killedSummary: { ...job.killedSummary },
  };
}

interface ExecutorState {
  id: string;
  host: string;
  port?: number;
  cores: number;
  addTime?: number;
  removeTime?: number;
  removeReason?: string;
  logs: Record<string, string>;
  attributes: Record<string, string>;
  resources: Json;
  resourceProfileId: number;
  maxMemory: number;
  onHeap?: number;
  offHeap?: number;
  active: number;
  completed: number;
  failed: number;
  killed: number;
  duration: number;
  gc: number;
  input: number;
  shuffleRead: number;
  shuffleWrite: number;
  peak?: Record<string, number>;
}

/** Everything the aggregator knows: plain JSON, for checkpoints. */
export interface AggregatorState {
  version: 1;
  appId?: string;
  attemptId?: string;
  name?: string;
  user?: string;
  sparkVersion?: string;
  startTime?: number;
  endTime?: number;
  exitCode?: number;
  events: number;
  unknownEvents: number;
  lastEventTime?: number;
  environment?: Json;
  resourceProfiles: Json[];
  labels: Record<string, string>;
  jobs: Record<string, JobState>;
  stages: Record<string, StageState>;
  /** stageId → attempt key of its latest attempt */
  latestAttempt: Record<string, string>;
  executors: Record<string, ExecutorState>;
  activeExecutors: number;
  maxActiveExecutors: number;
  failures: Record<string, SparkFailure>;
  droppedFailureGroups: number;
  sql: { started: number; ended: number; failed: number };
}

const num = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;

function stageKey(stageId: number, attemptId: number): string {
  return `${stageId}.${attemptId}`;
}

/**
 * The line of a message that says what failed: the first, or for a Python traceback (PySpark
 * UDFs, whose first line is only "An exception was thrown from the Python worker") the
 * exception at its end, after the first line's error class.
 */
function firstLine(text: unknown): string | undefined {
  if (typeof text !== 'string' || !text) return undefined;
  const lines = text.split('\n');
  const first = lines[0];
  if (lines.length > 1 && /Traceback \(most recent call last\)/.test(text)) {
    const raised = lines
      .map(line => line.trim())
      .filter(line =>
        /^(?!(org|java|scala|com)\.)[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(
          line,
        ),
      )
      .pop();
    if (raised) {
      const errorClass = /^\[[A-Z_]+\]/.exec(first)?.[0];
      return `${errorClass ? `${errorClass} ` : ''}${raised}`.slice(
        0,
        MAX_MESSAGE,
      );
    }
  }
  return first.slice(0, MAX_MESSAGE);
}

/** Sets a bit; true when it was not set. Grows the bitmap as needed. */
function setBit(
  bitmaps: Map<string, Uint8Array>,
  key: string,
  index: number,
): boolean {
  let bitmap = bitmaps.get(key);
  const byte = index >> 3;
  if (!bitmap || bitmap.length <= byte) {
    const grown = new Uint8Array(
      Math.max(byte + 1, (bitmap?.length ?? 0) * 2, 64),
    );
    if (bitmap) grown.set(bitmap);
    bitmap = grown;
    bitmaps.set(key, bitmap);
  }
  const bit = 1 << (index & 7);
  if (bitmap[byte] & bit) return false;
  bitmap[byte] |= bit;
  return true;
}

/** Java's String order (UTF-16 code units), which the History Server sorts properties by. */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function sortedPairs(record: unknown): Array<[string, string]> {
  if (!record || typeof record !== 'object') return [];
  return Object.entries(record as Record<string, unknown>)
    .map(([key, value]) => [key, String(value)] as [string, string])
    .sort((a, b) => compareCodeUnits(a[0], b[0]));
}

/**
 * Folds the events of one Spark event log (one app attempt) into summaries, in one pass and
 * bounded memory: per-stage sums and quantile sketches instead of tasks, grouped failures.
 * The state is plain JSON (`toState`/`fromState`), so ingestion can checkpoint anywhere and a
 * resumed run ends exactly where an uninterrupted one would.
 */
export class EventLogAggregator {
  private readonly s: AggregatorState;
  /** Live copies of the stages' `doneIndices`, kept out of the JSON state while running. */
  private readonly bitmaps = new Map<string, Uint8Array>();

  constructor(
    private readonly options: { redactionRegex?: string } = {},
    state?: AggregatorState,
  ) {
    if (state) {
      for (const [key, stage] of Object.entries(state.stages)) {
        if (stage.doneIndices) {
          this.bitmaps.set(
            key,
            new Uint8Array(Buffer.from(stage.doneIndices, 'base64')),
          );
        }
      }
    }
    this.s = state ?? {
      version: 1,
      events: 0,
      unknownEvents: 0,
      resourceProfiles: [],
      labels: {},
      jobs: {},
      stages: {},
      latestAttempt: {},
      executors: {},
      activeExecutors: 0,
      maxActiveExecutors: 0,
      failures: {},
      droppedFailureGroups: 0,
      sql: { started: 0, ended: 0, failed: 0 },
    };
  }

  static fromState(
    state: AggregatorState,
    options: { redactionRegex?: string } = {},
  ): EventLogAggregator {
    return new EventLogAggregator(options, structuredClone(state));
  }

  toState(): AggregatorState {
    const state = structuredClone(this.s);
    for (const [key, bitmap] of this.bitmaps) {
      const stage = state.stages[key];
      if (stage) stage.doneIndices = Buffer.from(bitmap).toString('base64');
    }
    return state;
  }

  get appId(): string | undefined {
    return this.s.appId;
  }

  /** A task-start event as the byte scanner reads it: the same as `consume` of its JSON. */
  consumeTaskStart(task: TaskStartRecord): void {
    this.s.events += 1;
    this.onTaskStart(task);
  }

  /** A task-end event as the byte scanner reads it: the same as `consume` of its JSON. */
  consumeTaskEnd(task: TaskEndRecord): void {
    this.s.events += 1;
    this.onTaskEnd(task);
  }

  consume(event: Json): void {
    const s = this.s;
    s.events += 1;
    const time = num(event.Timestamp ?? event.time);
    if (time) s.lastEventTime = time;
    switch (event.Event) {
      case 'SparkListenerLogStart':
        s.sparkVersion = event['Spark Version'];
        return;
      case 'SparkListenerApplicationStart':
        s.appId = event['App ID'] ?? s.appId;
        s.attemptId = event['App Attempt ID'] ?? s.attemptId;
        s.name = event['App Name'];
        s.user = event.User;
        s.startTime = num(event.Timestamp);
        return;
      case 'SparkListenerApplicationEnd':
        s.endTime = num(event.Timestamp);
        if (typeof event.ExitCode === 'number') s.exitCode = event.ExitCode;
        return;
      case 'SparkListenerResourceProfileAdded':
        this.onResourceProfile(event);
        return;
      case 'SparkListenerEnvironmentUpdate':
        this.onEnvironment(event);
        return;
      case 'SparkListenerExecutorAdded':
        this.onExecutorAdded(event);
        return;
      case 'SparkListenerExecutorRemoved':
        this.onExecutorRemoved(event);
        return;
      case 'SparkListenerBlockManagerAdded':
        this.onBlockManagerAdded(event);
        return;
      case 'SparkListenerJobStart':
        this.onJobStart(event);
        return;
      case 'SparkListenerJobEnd':
        this.onJobEnd(event);
        return;
      case 'SparkListenerStageSubmitted':
        this.onStageSubmitted(event);
        return;
      case 'SparkListenerStageCompleted':
        this.onStageCompleted(event);
        return;
      case 'SparkListenerTaskStart':
        this.onTaskStart(taskStartFromJson(event));
        return;
      case 'SparkListenerTaskEnd':
        this.onTaskEnd(taskEndFromJson(event));
        return;
      case 'SparkListenerStageExecutorMetrics':
        this.onExecutorPeaks(
          String(event['Executor ID']),
          event['Executor Metrics'],
        );
        return;
      case 'SparkListenerExecutorMetricsUpdate':
        for (const update of event['Executor Metrics Updated'] ?? []) {
          this.onExecutorPeaks(
            String(event['Executor ID']),
            update['Executor Metrics'],
          );
        }
        return;
      case 'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart':
        s.sql.started += 1;
        return;
      case 'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd':
        s.sql.ended += 1;
        if (event.errorMessage) s.sql.failed += 1;
        return;
      default:
        if (
          typeof event.Event !== 'string' ||
          !event.Event.startsWith('SparkListener')
        ) {
          s.unknownEvents += 1;
        }
    }
  }

  private onEnvironment(event: Json): void {
    const spark = sortedPairs(
      Object.fromEntries(
        (event['Spark Properties'] && !Array.isArray(event['Spark Properties'])
          ? Object.entries(event['Spark Properties'])
          : event['Spark Properties'] ?? []) as Array<[string, string]>,
      ),
    );
    const extra = this.options.redactionRegex
      ? [this.options.redactionRegex]
      : [];
    const appPattern = spark.find(
      ([key]) => key === 'spark.redaction.regex',
    )?.[1];
    const others = appPattern ? [...extra, appPattern] : extra;
    const jvm = event['JVM Information'] ?? {};
    this.s.environment = {
      runtime: {
        javaVersion: jvm['Java Version'],
        javaHome: jvm['Java Home'],
        scalaVersion: jvm['Scala Version'],
      },
      sparkProperties: redactSparkConf(spark, extra),
      hadoopProperties: redactSparkConf(
        sortedPairs(event['Hadoop Properties']),
        others,
      ),
      systemProperties: redactSparkConf(
        sortedPairs(event['System Properties']),
        others,
      ),
      metricsProperties: redactSparkConf(
        sortedPairs(event['Metrics Properties']),
        others,
      ),
      classpathEntries: sortedPairs(event['Classpath Entries']),
      resourceProfiles: [],
    };
    for (const [key, value] of spark) {
      if (
        key === 'spark.app.name' ||
        key === 'spark.kubernetes.namespace' ||
        key.startsWith('spark.kubernetes.driver.label.')
      ) {
        this.s.labels[key] = value;
      }
    }
  }

  private onResourceProfile(event: Json): void {
    const requests = (value: unknown, task: boolean) =>
      Object.fromEntries(
        Object.entries((value ?? {}) as Record<string, Json>).map(
          ([name, r]) => [
            name,
            task
              ? {
                  resourceName: r['Resource Name'] ?? name,
                  amount: num(r.Amount),
                }
              : {
                  resourceName: r['Resource Name'] ?? name,
                  amount: num(r.Amount),
                  discoveryScript: r['Discovery Script'] ?? '',
                  vendor: r.Vendor ?? '',
                },
          ],
        ),
      );
    this.s.resourceProfiles.push({
      id: num(event['Resource Profile Id']),
      executorResources: requests(event['Executor Resource Requests'], false),
      taskResources: requests(event['Task Resource Requests'], true),
    });
  }

  private executor(id: string): ExecutorState {
    let executor = this.s.executors[id];
    if (!executor) {
      executor = {
        id,
        host: '',
        cores: 0,
        logs: {},
        attributes: {},
        resources: {},
        resourceProfileId: 0,
        maxMemory: 0,
        active: 0,
        completed: 0,
        failed: 0,
        killed: 0,
        duration: 0,
        gc: 0,
        input: 0,
        shuffleRead: 0,
        shuffleWrite: 0,
      };
      this.s.executors[id] = executor;
    }
    return executor;
  }

  private onExecutorAdded(event: Json): void {
    const info = event['Executor Info'] ?? {};
    const executor = this.executor(String(event['Executor ID']));
    executor.host = info.Host ?? executor.host;
    executor.cores = num(info['Total Cores']);
    executor.addTime = num(event.Timestamp);
    executor.logs = info['Log Urls'] ?? {};
    executor.attributes = info.Attributes ?? {};
    executor.resources = info.Resources ?? {};
    executor.resourceProfileId = num(info['Resource Profile Id']);
    this.s.activeExecutors += 1;
    this.s.maxActiveExecutors = Math.max(
      this.s.maxActiveExecutors,
      this.s.activeExecutors,
    );
  }

  private onExecutorRemoved(event: Json): void {
    const executor = this.executor(String(event['Executor ID']));
    executor.removeTime = num(event.Timestamp);
    executor.removeReason = event['Removed Reason'];
    this.s.activeExecutors = Math.max(0, this.s.activeExecutors - 1);
    const reason = String(event['Removed Reason'] ?? '');
    if (
      reason &&
      !/^(Executor killed by driver|Idle executor|Application finished)/i.test(
        reason,
      )
    ) {
      this.addFailure({
        scope: 'executor',
        id: executor.id,
        reason: /exit code (\d+)/i.test(reason)
          ? `exit code ${/exit code (\d+)/i.exec(reason)![1]}`
          : 'ExecutorLost',
        message: firstLine(reason),
        exitCode: /exit code (\d+)/i.test(reason)
          ? Number(/exit code (\d+)/i.exec(reason)![1])
          : undefined,
        time: hsIso(executor.removeTime),
      });
    }
  }

  private onBlockManagerAdded(event: Json): void {
    const id = String(event['Block Manager ID']?.['Executor ID'] ?? '');
    if (!id) return;
    const executor = this.executor(id);
    executor.host = event['Block Manager ID']?.Host ?? executor.host;
    executor.port = num(event['Block Manager ID']?.Port);
    executor.maxMemory = num(event['Maximum Memory']);
    executor.onHeap = event['Maximum Onheap Memory'];
    executor.offHeap = event['Maximum Offheap Memory'];
    if (id === 'driver' && executor.addTime === undefined)
      executor.addTime = num(event.Timestamp);
  }

  private onExecutorPeaks(id: string, metrics: Json | undefined): void {
    if (!metrics || typeof metrics !== 'object') return;
    const executor = this.executor(id);
    executor.peak ??= {};
    for (const [key, value] of Object.entries(metrics)) {
      if (
        typeof value === 'number' &&
        value > (executor.peak[key] ?? -Infinity)
      ) {
        executor.peak[key] = value;
      }
    }
  }

  private addFailure(failure: Omit<SparkFailure, 'count'>): void {
    const key = `${failure.scope}\u0000${failure.reason}`;
    const existing = this.s.failures[key];
    if (existing) {
      existing.count += 1;
      return;
    }
    if (Object.keys(this.s.failures).length >= MAX_FAILURE_GROUPS) {
      this.s.droppedFailureGroups += 1;
      return;
    }
    this.s.failures[key] = compact({ ...failure, count: 1 });
  }

  private onJobStart(event: Json): void {
    const stageInfos: Json[] = event['Stage Infos'] ?? [];
    const props = event.Properties ?? {};
    const last = [...stageInfos]
      .sort((a, b) => num(a['Stage ID']) - num(b['Stage ID']))
      .pop();
    const jobId = num(event['Job ID']);
    this.s.jobs[String(jobId)] = {
      jobId,
      name: last?.['Stage Name'] ?? '',
      description: props['spark.job.description'],
      jobGroup: props['spark.jobGroup.id'],
      jobTags: String(props['spark.job.tags'] ?? '')
        .split(',')
        .filter(Boolean)
        .sort(),
      submissionTime:
        event['Submission Time'] === undefined
          ? undefined
          : num(event['Submission Time']),
      stageIds: (event['Stage IDs'] ?? stageInfos.map(i => i['Stage ID'])).map(
        num,
      ),
      status: 'RUNNING',
      numTasks: stageInfos.reduce(
        (total, info) =>
          total +
          (info['Completion Time'] === undefined
            ? num(info['Number of Tasks'])
            : 0),
        0,
      ),
      active: 0,
      completed: 0,
      failed: 0,
      killed: 0,
      skippedTasks: 0,
      completedIndices: 0,
      activeStages: 0,
      completedStages: 0,
      skippedStages: 0,
      failedStages: 0,
      killedSummary: {},
    };
    for (const info of stageInfos) {
      const stage = this.stage(info);
      stage.jobIds = [...new Set([...stage.jobIds, jobId])].sort(
        (a, b) => a - b,
      );
      if (props['spark.job.description'] && !stage.description) {
        stage.description = props['spark.job.description'];
      }
    }
  }

  private onJobEnd(event: Json): void {
    const job = this.s.jobs[String(num(event['Job ID']))];
    if (!job) return;
    job.completionTime = num(event['Completion Time']);
    const result = event['Job Result'] ?? {};
    job.status = result.Result === 'JobSucceeded' ? 'SUCCEEDED' : 'FAILED';
    job.published = taskCounts(job);
    if (job.status === 'FAILED') {
      job.failureReason = firstLine(result.Exception?.Message);
      this.addFailure({
        scope: 'job',
        id: String(job.jobId),
        reason: 'JobFailed',
        message: job.failureReason,
        time: hsIso(job.completionTime),
      });
    }
    // Stages of the job that never ran were skipped (their output was reused).
    for (const stageId of job.stageIds) {
      const attempt = this.s.latestAttempt[String(stageId)];
      const stage = attempt ? this.s.stages[attempt] : undefined;
      if (!stage || stage.status === 'PENDING') {
        job.skippedStages += 1;
        job.skippedTasks += stage?.numTasks ?? 0;
        if (stage) stage.status = 'SKIPPED';
      }
    }
  }

  private stage(info: Json): StageState {
    const stageId = num(info['Stage ID']);
    const attemptId = num(info['Stage Attempt ID']);
    const key = stageKey(stageId, attemptId);
    let stage = this.s.stages[key];
    if (!stage) {
      stage = {
        stageId,
        attemptId,
        name: info['Stage Name'] ?? '',
        details: info.Details ?? '',
        numTasks: num(info['Number of Tasks']),
        status: 'PENDING',
        schedulingPool: 'default',
        rddIds: (info['RDD Info'] ?? [])
          .map((rdd: Json) => num(rdd['RDD ID']))
          .sort((a: number, b: number) => b - a),
        resourceProfileId: num(info['Resource Profile Id']),
        accumulatorUpdates: [],
        active: 0,
        complete: 0,
        failed: 0,
        killed: 0,
        killedSummary: {},
        doneIndices: '',
        completedIndices: 0,
        peakExecutionMemory: 0,
        sumPeakExecutionMemory: 0,
        sums: Object.fromEntries(STAGE_SUMS.map(k => [k, 0])) as Record<
          StageSum,
          number
        >,
        sketches: Object.fromEntries(
          SKETCHED.map(k => [k, newSketch()]),
        ) as Record<Sketched, QuantileSketch>,
        jobIds: [],
      };
      this.s.stages[key] = stage;
      const latest = this.s.latestAttempt[String(stageId)];
      if (!latest || this.s.stages[latest].attemptId <= attemptId) {
        this.s.latestAttempt[String(stageId)] = key;
      }
    }
    return stage;
  }

  private jobsOf(stage: StageState): JobState[] {
    return stage.jobIds.map(id => this.s.jobs[id]).filter(Boolean);
  }

  private onStageSubmitted(event: Json): void {
    const info = event['Stage Info'] ?? {};
    const stage = this.stage(info);
    stage.status = 'ACTIVE';
    stage.submissionTime =
      info['Submission Time'] === undefined
        ? undefined
        : num(info['Submission Time']);
    stage.schedulingPool =
      event.Properties?.['spark.scheduler.pool'] ?? 'default';
    if (event.Properties?.['spark.job.description'])
      stage.description = event.Properties['spark.job.description'];
    for (const job of this.jobsOf(stage)) job.activeStages += 1;
  }

  private onStageCompleted(event: Json): void {
    const info = event['Stage Info'] ?? {};
    const stage = this.stage(info);
    stage.completionTime =
      info['Completion Time'] === undefined
        ? undefined
        : num(info['Completion Time']);
    stage.submissionTime ??=
      info['Submission Time'] === undefined
        ? undefined
        : num(info['Submission Time']);
    stage.failureReason = info['Failure Reason'];
    stage.status = info['Failure Reason'] ? 'FAILED' : 'COMPLETE';
    stage.accumulatorUpdates = (info.Accumulables ?? [])
      .filter(
        (a: Json) =>
          a.Name &&
          !String(a.Name).startsWith('internal.') &&
          a.Value !== undefined,
      )
      .map((a: Json) => ({
        id: num(a.ID),
        name: a.Name,
        value: String(a.Value),
      }));
    this.bitmaps.delete(stageKey(stage.stageId, stage.attemptId));
    stage.doneIndices = '';
    for (const job of this.jobsOf(stage)) {
      job.activeStages = Math.max(0, job.activeStages - 1);
      if (stage.status === 'FAILED') job.failedStages += 1;
      else job.completedStages += 1;
    }
    if (stage.status === 'FAILED') {
      this.addFailure({
        scope: 'stage',
        id: stageKey(stage.stageId, stage.attemptId),
        reason: /FetchFailed/i.test(stage.failureReason ?? '')
          ? 'FetchFailed'
          : 'StageFailed',
        message: firstLine(stage.failureReason),
        time: hsIso(stage.completionTime),
      });
    }
  }

  /**
   * The key of a task's stage. Tasks come stage by stage, so the last key is kept rather than
   * built again for each of them.
   */
  private taskStageKey(stageId: number, attemptId: number): string {
    const last = this.lastTaskStage;
    if (last.stageId !== stageId || last.attemptId !== attemptId) {
      last.stageId = stageId;
      last.attemptId = attemptId;
      last.key = stageKey(stageId, attemptId);
    }
    return last.key;
  }

  private readonly lastTaskStage = { stageId: NaN, attemptId: NaN, key: '' };

  private onTaskStart(task: TaskStartRecord): void {
    const stage =
      this.s.stages[this.taskStageKey(task.stageId, task.stageAttemptId)];
    if (stage) {
      stage.active += 1;
      const launch = task.launchTime;
      if (
        stage.firstTaskLaunchedTime === undefined ||
        launch < stage.firstTaskLaunchedTime
      ) {
        stage.firstTaskLaunchedTime = launch;
      }
      const jobs = this.s.jobs;
      for (const id of stage.jobIds) {
        const job = jobs[id];
        if (job) job.active += 1;
      }
    }
    this.executor(task.executorId).active += 1;
  }

  private onTaskEnd(task: TaskEndRecord): void {
    const key = this.taskStageKey(task.stageId, task.stageAttemptId);
    const stage = this.s.stages[key];
    const metrics = task.metrics;
    const reason = task.reason;
    const success = reason.Reason === 'Success';
    const killed = reason.Reason === 'TaskKilled';
    const executor = this.executor(task.executorId);
    const duration = task.finishTime - task.launchTime;
    executor.active = Math.max(0, executor.active - 1);
    if (success) executor.completed += 1;
    else if (killed) executor.killed += 1;
    else executor.failed += 1;
    const peaks = task.executorMetrics;
    if (peaks?.isObject) executor.peak = foldPeaks(executor.peak, peaks);
    executor.duration += Math.max(0, duration);

    if (!success) this.onTaskFailure(task);
    if (!stage) return;
    stage.active = Math.max(0, stage.active - 1);
    const jobs = this.s.jobs;
    let newIndex = false;
    if (success) {
      stage.complete += 1;
      newIndex = setBit(this.bitmaps, key, task.index);
      if (newIndex) stage.completedIndices += 1;
    } else if (killed) {
      stage.killed += 1;
      const why = String(reason['Kill Reason'] ?? 'killed');
      stage.killedSummary[why] = (stage.killedSummary[why] ?? 0) + 1;
    } else {
      stage.failed += 1;
    }
    for (const id of stage.jobIds) {
      const job = jobs[id];
      if (!job) continue;
      job.active = Math.max(0, job.active - 1);
      if (success) {
        job.completed += 1;
        if (newIndex) job.completedIndices += 1;
      } else if (killed) {
        job.killed += 1;
        const why = String(reason['Kill Reason'] ?? 'killed');
        job.killedSummary[why] = (job.killedSummary[why] ?? 0) + 1;
      } else job.failed += 1;
    }
    // The History Server writes an ended job once at its JobEnd, and again when a finished
    // stage of it loses its last running task (tasks a failed job left running end later).
    if (
      stage.active === 0 &&
      (stage.status === 'COMPLETE' || stage.status === 'FAILED')
    ) {
      for (const id of stage.jobIds) {
        const job = jobs[id];
        if (job?.published) job.published = taskCounts(job);
      }
    }
    if (peaks) {
      stage.peakExecutorMetrics = foldPeaks(stage.peakExecutorMetrics, peaks);
    }
    if (!metrics) return;
    const m = TASK_METRIC;
    const sums = stage.sums;
    const gc = metrics[m.jvmGcTime];
    const remoteRead = metrics[m.shuffleRemoteBytesRead];
    const localRead = metrics[m.shuffleLocalBytesRead];
    const written = metrics[m.shuffleWriteBytes];
    const inputBytes = metrics[m.inputBytes];
    sums.executorDeserializeTime += metrics[m.executorDeserializeTime];
    sums.executorDeserializeCpuTime += metrics[m.executorDeserializeCpuTime];
    sums.executorRunTime += metrics[m.executorRunTime];
    sums.executorCpuTime += metrics[m.executorCpuTime];
    sums.resultSize += metrics[m.resultSize];
    sums.jvmGcTime += metrics[m.jvmGcTime];
    sums.resultSerializationTime += metrics[m.resultSerializationTime];
    sums.memoryBytesSpilled += metrics[m.memoryBytesSpilled];
    sums.diskBytesSpilled += metrics[m.diskBytesSpilled];
    sums.inputBytes += metrics[m.inputBytes];
    sums.inputRecords += metrics[m.inputRecords];
    sums.outputBytes += metrics[m.outputBytes];
    sums.outputRecords += metrics[m.outputRecords];
    sums.shuffleRemoteBlocksFetched += metrics[m.shuffleRemoteBlocksFetched];
    sums.shuffleLocalBlocksFetched += metrics[m.shuffleLocalBlocksFetched];
    sums.shuffleFetchWaitTime += metrics[m.shuffleFetchWaitTime];
    sums.shuffleRemoteBytesRead += metrics[m.shuffleRemoteBytesRead];
    sums.shuffleRemoteBytesReadToDisk +=
      metrics[m.shuffleRemoteBytesReadToDisk];
    sums.shuffleLocalBytesRead += metrics[m.shuffleLocalBytesRead];
    sums.shuffleReadRecords += metrics[m.shuffleReadRecords];
    sums.shuffleCorruptMergedBlockChunks +=
      metrics[m.shuffleCorruptMergedBlockChunks];
    sums.shuffleMergedFetchFallbackCount +=
      metrics[m.shuffleMergedFetchFallbackCount];
    sums.shuffleMergedRemoteBlocksFetched +=
      metrics[m.shuffleMergedRemoteBlocksFetched];
    sums.shuffleMergedLocalBlocksFetched +=
      metrics[m.shuffleMergedLocalBlocksFetched];
    sums.shuffleMergedRemoteChunksFetched +=
      metrics[m.shuffleMergedRemoteChunksFetched];
    sums.shuffleMergedLocalChunksFetched +=
      metrics[m.shuffleMergedLocalChunksFetched];
    sums.shuffleMergedRemoteBytesRead +=
      metrics[m.shuffleMergedRemoteBytesRead];
    sums.shuffleMergedLocalBytesRead += metrics[m.shuffleMergedLocalBytesRead];
    sums.shuffleRemoteReqsDuration += metrics[m.shuffleRemoteReqsDuration];
    sums.shuffleMergedRemoteReqsDuration +=
      metrics[m.shuffleMergedRemoteReqsDuration];
    sums.shuffleWriteBytes += metrics[m.shuffleWriteBytes];
    sums.shuffleWriteTime += metrics[m.shuffleWriteTime];
    sums.shuffleWriteRecords += metrics[m.shuffleWriteRecords];
    const peak = metrics[m.peakExecutionMemory];
    if (peak > stage.peakExecutionMemory) stage.peakExecutionMemory = peak;
    stage.sumPeakExecutionMemory += peak;
    executor.gc += gc;
    executor.input += inputBytes;
    executor.shuffleRead += remoteRead + localRead;
    executor.shuffleWrite += written;
    if (success) {
      const sk = stage.sketches;
      addToSketch(sk.durationMs, duration);
      addToSketch(sk.jvmGcTimeMs, gc);
      addToSketch(sk.memoryBytesSpilled, metrics[m.memoryBytesSpilled]);
      addToSketch(sk.diskBytesSpilled, metrics[m.diskBytesSpilled]);
      addToSketch(sk.shuffleReadBytes, remoteRead + localRead);
      addToSketch(sk.shuffleWriteBytes, written);
      addToSketch(sk.inputBytes, inputBytes);
      addToSketch(sk.peakExecutionMemory, peak);
    }
  }

  private onTaskFailure(task: TaskEndRecord): void {
    const reason = task.reason;
    const kind = String(reason.Reason ?? 'Unknown');
    if (kind === 'TaskKilled' || kind === 'Resubmitted') return;
    let label = kind;
    let message: string | undefined;
    let exitCode: number | undefined;
    if (kind === 'ExceptionFailure') {
      label = String(reason['Class Name'] ?? 'ExceptionFailure');
      message = firstLine(reason.Description);
    } else if (kind === 'FetchFailed') {
      message = firstLine(reason.Message);
    } else if (kind === 'ExecutorLostFailure') {
      message = firstLine(reason['Loss Reason']);
      const code = /exit code (\d+)/i.exec(String(reason['Loss Reason'] ?? ''));
      if (code) exitCode = Number(code[1]);
    }
    this.addFailure({
      scope: 'task',
      id: stageKey(task.stageId, task.stageAttemptId),
      reason: label,
      message,
      exitCode,
      time: hsIso(task.finishTime || undefined),
    });
  }

  private state(): SparkAppReport['state'] {
    const s = this.s;
    if (s.endTime === undefined) return 'RUNNING';
    if (s.exitCode !== undefined && s.exitCode !== 0) return 'FAILED';
    // Spark 4 records exit code 0 when a shutdown hook stops the context of a driver that died
    // of a failed job (an uncaught PySpark exception), so an app whose last job failed failed.
    const jobs = Object.values(s.jobs).sort((a, b) => a.jobId - b.jobId);
    return jobs.length && jobs[jobs.length - 1].status === 'FAILED'
      ? 'FAILED'
      : 'SUCCEEDED';
  }

  /** What the log says of the app so far. `complete` means the app ended in the log. */
  report(): SparkAppReport {
    const s = this.s;
    const state = this.state();
    const stages = Object.values(s.stages).sort(
      (a, b) => b.stageId - a.stageId || b.attemptId - a.attemptId,
    );
    const jobs = Object.values(s.jobs).sort((a, b) => b.jobId - a.jobId);
    const executors = Object.values(s.executors).filter(e => e.id !== '');
    const end = s.endTime ?? s.lastEventTime;
    const lastFailedJob = jobs.find(j => j.status === 'FAILED');
    const metrics: SparkAppMetrics = {
      jobs: jobs.length,
      failedJobs: jobs.filter(j => j.status === 'FAILED').length,
      stages: stages.length,
      failedStages: stages.filter(st => st.status === 'FAILED').length,
      tasks: stages.reduce(
        (t, st) => t + st.complete + st.failed + st.killed,
        0,
      ),
      failedTasks: stages.reduce((t, st) => t + st.failed, 0),
      killedTasks: stages.reduce((t, st) => t + st.killed, 0),
      executors: executors.filter(e => e.id !== 'driver').length,
      maxConcurrentExecutors: s.maxActiveExecutors,
      executorCoreMs: executors
        .filter(e => e.id !== 'driver')
        .reduce(
          (t, e) =>
            t +
            e.cores *
              Math.max(0, (e.removeTime ?? end ?? 0) - (e.addTime ?? end ?? 0)),
          0,
        ),
      executorMemoryMibMs: executors
        .filter(e => e.id !== 'driver')
        .reduce(
          (t, e) =>
            t +
            (e.maxMemory / 2 ** 20) *
              Math.max(0, (e.removeTime ?? end ?? 0) - (e.addTime ?? end ?? 0)),
          0,
        ),
      executorRunTimeMs: stages.reduce(
        (t, st) => t + st.sums.executorRunTime,
        0,
      ),
      executorCpuTimeNs: stages.reduce(
        (t, st) => t + st.sums.executorCpuTime,
        0,
      ),
      jvmGcTimeMs: stages.reduce((t, st) => t + st.sums.jvmGcTime, 0),
      memoryBytesSpilled: stages.reduce(
        (t, st) => t + st.sums.memoryBytesSpilled,
        0,
      ),
      diskBytesSpilled: stages.reduce(
        (t, st) => t + st.sums.diskBytesSpilled,
        0,
      ),
      inputBytes: stages.reduce((t, st) => t + st.sums.inputBytes, 0),
      outputBytes: stages.reduce((t, st) => t + st.sums.outputBytes, 0),
      shuffleReadBytes: stages.reduce(
        (t, st) =>
          t + st.sums.shuffleRemoteBytesRead + st.sums.shuffleLocalBytesRead,
        0,
      ),
      shuffleWriteBytes: stages.reduce(
        (t, st) => t + st.sums.shuffleWriteBytes,
        0,
      ),
      peakExecutionMemory: stages.reduce(
        (t, st) => Math.max(t, st.peakExecutionMemory),
        0,
      ),
    };
    const failures = Object.values(s.failures);
    if (s.droppedFailureGroups) {
      failures.push({
        scope: 'app',
        reason: 'MoreFailures',
        count: s.droppedFailureGroups,
      });
    }
    return compact({
      appId: s.appId ?? '',
      attemptId: s.attemptId ?? '',
      name: s.name,
      state,
      sparkVersion: s.sparkVersion,
      user: s.user,
      namespace: s.labels['spark.kubernetes.namespace'],
      startTime: s.startTime,
      endTime: s.endTime,
      complete: s.endTime !== undefined,
      failureReason:
        state === 'FAILED'
          ? lastFailedJob?.failureReason ??
            stages
              .find(st => st.status === 'FAILED')
              ?.failureReason?.split('\n')[0] ??
            (s.exitCode !== undefined ? `exit code ${s.exitCode}` : undefined)
          : undefined,
      metrics,
      labels: { ...s.labels },
      jobs: jobs.map(j => this.jobSummary(j)),
      stages: stages.map(st => this.stageSummary(st)),
      executors: executors.map(e => this.executorSummary(e)),
      failures,
      environment: s.environment,
      history: this.history(jobs, stages, executors),
    }) as SparkAppReport;
  }

  private jobSummary(job: JobState): SparkJobSummary {
    return compact({
      jobId: job.jobId,
      name: job.name,
      status: job.status,
      submissionTime: hsIso(job.submissionTime),
      completionTime: hsIso(job.completionTime),
      stageIds: job.stageIds,
      numTasks: job.numTasks,
      numFailedTasks: (job.published ?? job).failed,
      failureReason: job.failureReason,
    });
  }

  private stageSummary(stage: StageState): SparkStageSummary {
    const sk = stage.sketches;
    return compact({
      stageId: stage.stageId,
      attemptId: stage.attemptId,
      name: stage.name,
      status: stage.status,
      numTasks: stage.numTasks,
      numFailedTasks: stage.failed,
      submissionTime: hsIso(stage.submissionTime),
      completionTime: hsIso(stage.completionTime),
      failureReason: firstLine(stage.failureReason),
      metrics: {
        tasks: stage.complete + stage.failed + stage.killed,
        failedTasks: stage.failed,
        killedTasks: stage.killed,
        executorRunTimeMs: stage.sums.executorRunTime,
        executorCpuTimeNs: stage.sums.executorCpuTime,
        jvmGcTimeMs: stage.sums.jvmGcTime,
        memoryBytesSpilled: stage.sums.memoryBytesSpilled,
        diskBytesSpilled: stage.sums.diskBytesSpilled,
        inputBytes: stage.sums.inputBytes,
        outputBytes: stage.sums.outputBytes,
        shuffleReadBytes:
          stage.sums.shuffleRemoteBytesRead + stage.sums.shuffleLocalBytesRead,
        shuffleWriteBytes: stage.sums.shuffleWriteBytes,
        peakExecutionMemory: stage.peakExecutionMemory,
      },
      quantiles: {
        stageId: stage.stageId,
        attemptId: stage.attemptId,
        quantiles: QUANTILES,
        durationMs: sketchQuantiles(sk.durationMs, QUANTILES),
        jvmGcTimeMs: sketchQuantiles(sk.jvmGcTimeMs, QUANTILES),
        memoryBytesSpilled: sketchQuantiles(sk.memoryBytesSpilled, QUANTILES),
        diskBytesSpilled: sketchQuantiles(sk.diskBytesSpilled, QUANTILES),
        shuffleReadBytes: sketchQuantiles(sk.shuffleReadBytes, QUANTILES),
        shuffleWriteBytes: sketchQuantiles(sk.shuffleWriteBytes, QUANTILES),
        inputBytes: sketchQuantiles(sk.inputBytes, QUANTILES),
        peakExecutionMemory: sketchQuantiles(sk.peakExecutionMemory, QUANTILES),
      },
    });
  }

  private executorSummary(executor: ExecutorState): SparkExecutorSummary {
    return compact({
      executorId: executor.id,
      host: executor.host || undefined,
      cores: executor.cores,
      addTime: hsIso(executor.addTime),
      removeTime: hsIso(executor.removeTime),
      removeReason: executor.removeReason,
      completedTasks: executor.completed,
      failedTasks: executor.failed,
      totalDurationMs: executor.duration,
      totalGcTimeMs: executor.gc,
      peakMemoryMetrics: executor.peak,
    });
  }

  /** The History Server's JSON for this attempt (see docs/history-api-compatibility.md). */
  private history(
    jobs: JobState[],
    stages: StageState[],
    executors: ExecutorState[],
  ): SparkAppReport['history'] {
    const s = this.s;
    if (!s.appId) return undefined;
    const completed = s.endTime !== undefined;
    const lastUpdated = s.lastEventTime ?? s.startTime ?? 0;
    const endTime = completed ? s.endTime! : -1;
    const attempt = compact({
      attemptId: s.attemptId,
      startTime: hsDate(s.startTime ?? 0),
      endTime: hsDate(endTime),
      lastUpdated: hsDate(lastUpdated),
      duration: completed ? endTime - (s.startTime ?? 0) : 0,
      sparkUser: s.user ?? '',
      completed,
      appSparkVersion: s.sparkVersion ?? '',
      startTimeEpoch: s.startTime ?? 0,
      endTimeEpoch: endTime,
      lastUpdatedEpoch: lastUpdated,
      exitCode: s.exitCode,
    });
    return {
      attempt,
      jobs: jobs.map(job =>
        compact({
          jobId: job.jobId,
          name: job.name,
          description: job.description,
          submissionTime: hsDate(job.submissionTime),
          completionTime: hsDate(job.completionTime),
          stageIds: job.stageIds,
          jobGroup: job.jobGroup,
          jobTags: job.jobTags,
          status: job.status,
          numTasks: job.numTasks,
          numActiveTasks: (job.published ?? job).active,
          numCompletedTasks: (job.published ?? job).completed,
          numSkippedTasks: job.skippedTasks,
          numFailedTasks: (job.published ?? job).failed,
          numKilledTasks: (job.published ?? job).killed,
          numCompletedIndices: (job.published ?? job).completedIndices,
          numActiveStages: job.activeStages,
          numCompletedStages: job.completedStages,
          numSkippedStages: job.skippedStages,
          numFailedStages: job.failedStages,
          killedTasksSummary: (job.published ?? job).killedSummary,
        }),
      ),
      stages: stages
        .filter(stage => stage.status !== 'SKIPPED' || true)
        .map(stage =>
          compact({
            status: stage.status,
            stageId: stage.stageId,
            attemptId: stage.attemptId,
            numTasks: stage.numTasks,
            numActiveTasks: stage.active,
            numCompleteTasks: stage.complete,
            numFailedTasks: stage.failed,
            numKilledTasks: stage.killed,
            numCompletedIndices: stage.completedIndices,
            submissionTime: hsDate(stage.submissionTime),
            firstTaskLaunchedTime: hsDate(stage.firstTaskLaunchedTime),
            completionTime: hsDate(stage.completionTime),
            failureReason: stage.failureReason,
            ...stage.sums,
            shuffleReadBytes:
              stage.sums.shuffleRemoteBytesRead +
              stage.sums.shuffleLocalBytesRead,
            peakExecutionMemory: stage.sumPeakExecutionMemory,
            name: stage.name,
            description: stage.description,
            details: stage.details,
            schedulingPool: stage.schedulingPool,
            rddIds: stage.rddIds,
            accumulatorUpdates: [],
            killedTasksSummary: stage.killedSummary,
            resourceProfileId: stage.resourceProfileId,
            peakExecutorMetrics: stage.peakExecutorMetrics,
            isShufflePushEnabled: false,
            shuffleMergersCount: 0,
          }),
        ),
      allexecutors: executors.map(e =>
        compact({
          id: e.id,
          hostPort: e.port ? `${e.host}:${e.port}` : e.host,
          isActive: e.removeTime === undefined,
          rddBlocks: 0,
          memoryUsed: 0,
          diskUsed: 0,
          totalCores: e.cores,
          maxTasks: e.cores,
          activeTasks: e.active,
          failedTasks: e.failed,
          completedTasks: e.completed,
          totalTasks: e.active + e.failed + e.completed + e.killed,
          totalDuration: e.duration,
          totalGCTime: e.gc,
          totalInputBytes: e.input,
          totalShuffleRead: e.shuffleRead,
          totalShuffleWrite: e.shuffleWrite,
          isBlacklisted: false,
          maxMemory: e.maxMemory,
          addTime: hsDate(e.addTime),
          removeTime: hsDate(e.removeTime),
          removeReason: e.removeReason,
          executorLogs: e.logs,
          memoryMetrics:
            e.onHeap !== undefined
              ? {
                  usedOnHeapStorageMemory: 0,
                  usedOffHeapStorageMemory: 0,
                  totalOnHeapStorageMemory: e.onHeap,
                  totalOffHeapStorageMemory: e.offHeap ?? 0,
                }
              : undefined,
          blacklistedInStages: [],
          peakMemoryMetrics: e.peak,
          attributes: e.attributes,
          resources: e.resources,
          resourceProfileId: e.resourceProfileId,
          isExcluded: false,
          excludedInStages: [],
        }),
      ),
      environment: s.environment
        ? { ...s.environment, resourceProfiles: s.resourceProfiles }
        : {},
    };
  }
}

/** Raises the peaks in `target` (created when absent) to a task's executor metrics. */
function foldPeaks(
  target: Record<string, number> | undefined,
  metrics: TaskExecutorMetrics,
): Record<string, number> {
  const peaks = target ?? {};
  const { keys, values } = metrics;
  for (let i = 0; i < metrics.count; i++) {
    const value = values[i];
    if (value > (peaks[keys[i]] ?? -Infinity)) peaks[keys[i]] = value;
  }
  return peaks;
}

function hsIso(ms: number | undefined): string | undefined {
  return ms === undefined || !Number.isFinite(ms)
    ? undefined
    : new Date(ms).toISOString();
}
