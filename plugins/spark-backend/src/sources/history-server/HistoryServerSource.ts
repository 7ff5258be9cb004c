import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import {
  redactSparkConf,
  type SparkAppMetrics,
  type SparkExecutorSummary,
  type SparkFailure,
  type SparkJobSummary,
  type SparkStageSummary,
} from '@spark-k8s/plugin-spark-common';
import type {
  SparkAppReport,
  SparkAppSource,
  SparkHistoryDocuments,
  SparkSourceProblem,
  SparkSourceRunContext,
} from '@spark-k8s/plugin-spark-node';

type Json = Record<string, any>;

export interface HistoryServerSourceOptions {
  name: string;
  /** Base URL of the History Server UI, e.g. `http://spark-history:18080`. */
  url: string;
  /** Sent as `Authorization: Bearer …` when set (a History Server behind an auth proxy). */
  token?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Per request. */
  timeoutMs?: number;
  /** Newest applications looked at per run. */
  maxApps?: number;
  redactionRegex?: string;
}

class HistoryServerError extends Error {}

const num = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;

/** Totals of an app from its History Server stages and executors. */
export function metricsFromHistory(
  docs: SparkHistoryDocuments,
): SparkAppMetrics {
  const stages = docs.stages as Json[];
  const executors = (docs.allexecutors as Json[]).filter(
    e => e.id !== 'driver',
  );
  const sum = (key: string) =>
    stages.reduce((total, s) => total + num(s[key]), 0);
  return {
    jobs: docs.jobs.length,
    failedJobs: (docs.jobs as Json[]).filter(j => j.status === 'FAILED').length,
    stages: stages.length,
    failedStages: stages.filter(s => s.status === 'FAILED').length,
    tasks:
      sum('numCompleteTasks') + sum('numFailedTasks') + sum('numKilledTasks'),
    failedTasks: sum('numFailedTasks'),
    killedTasks: sum('numKilledTasks'),
    executors: executors.length,
    maxConcurrentExecutors: executors.length,
    executorCoreMs: executors.reduce((total, e) => {
      const added = Date.parse(String(e.addTime ?? '').replace('GMT', 'Z'));
      const removed = e.removeTime
        ? Date.parse(String(e.removeTime).replace('GMT', 'Z'))
        : Date.parse(String(docs.attempt.endTime ?? '').replace('GMT', 'Z'));
      return Number.isFinite(added) && Number.isFinite(removed)
        ? total + num(e.totalCores) * Math.max(0, removed - added)
        : total;
    }, 0),
    executorMemoryMibMs: 0,
    executorRunTimeMs: sum('executorRunTime'),
    executorCpuTimeNs: sum('executorCpuTime'),
    jvmGcTimeMs: sum('jvmGcTime'),
    memoryBytesSpilled: sum('memoryBytesSpilled'),
    diskBytesSpilled: sum('diskBytesSpilled'),
    inputBytes: sum('inputBytes'),
    outputBytes: sum('outputBytes'),
    shuffleReadBytes: sum('shuffleReadBytes'),
    shuffleWriteBytes: sum('shuffleWriteBytes'),
    peakExecutionMemory: stages.reduce(
      (peak, s) => Math.max(peak, num(s.peakExecutionMemory)),
      0,
    ),
  };
}

const hsTime = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.replace(/GMT$/, 'Z'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

/** A report of one app attempt from the History Server's JSON. */
function attemptState(
  completed: boolean,
  hasFailedJob: boolean,
): SparkAppReport['state'] {
  if (!completed) return 'RUNNING';
  return hasFailedJob ? 'FAILED' : 'SUCCEEDED';
}

export function reportFromHistory(
  app: Json,
  docs: SparkHistoryDocuments,
): SparkAppReport {
  const attempt = docs.attempt as Json;
  const jobs = docs.jobs as Json[];
  const stages = docs.stages as Json[];
  const failedJob = jobs.find(j => j.status === 'FAILED');
  const failedStage = stages.find(s => s.status === 'FAILED');
  const failures: SparkFailure[] = [
    ...stages
      .filter(s => s.status === 'FAILED')
      .map(s => ({
        scope: 'stage' as const,
        id: `${s.stageId}.${s.attemptId}`,
        reason: 'StageFailed',
        message: String(s.failureReason ?? '').slice(0, 2000) || undefined,
        count: 1,
        time: hsTime(s.completionTime),
      })),
    ...(docs.allexecutors as Json[])
      .filter(e => e.removeReason)
      .map(e => ({
        scope: 'executor' as const,
        id: String(e.id),
        reason: 'ExecutorRemoved',
        message: String(e.removeReason).slice(0, 2000),
        count: 1,
        time: hsTime(e.removeTime),
      })),
  ];
  const spark = (docs.environment as Json).sparkProperties as
    | Array<[string, string]>
    | undefined;
  const conf = Object.fromEntries(spark ?? []);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(conf)) {
    if (
      key === 'spark.app.name' ||
      key === 'spark.kubernetes.namespace' ||
      key.startsWith('spark.kubernetes.driver.label.')
    ) {
      labels[key] = String(value);
    }
  }
  const jobSummaries: SparkJobSummary[] = jobs.map(j => ({
    jobId: num(j.jobId),
    name: String(j.name ?? ''),
    status: String(j.status ?? ''),
    submissionTime: hsTime(j.submissionTime),
    completionTime: hsTime(j.completionTime),
    stageIds: Array.isArray(j.stageIds) ? j.stageIds : [],
    numTasks: num(j.numTasks),
    numFailedTasks: num(j.numFailedTasks),
  }));
  const stageSummaries: SparkStageSummary[] = stages.map(s => ({
    stageId: num(s.stageId),
    attemptId: num(s.attemptId),
    name: String(s.name ?? ''),
    status: String(s.status ?? ''),
    numTasks: num(s.numTasks),
    numFailedTasks: num(s.numFailedTasks),
    submissionTime: hsTime(s.submissionTime),
    completionTime: hsTime(s.completionTime),
    failureReason: s.failureReason
      ? String(s.failureReason).slice(0, 2000)
      : undefined,
    metrics: {
      tasks:
        num(s.numCompleteTasks) + num(s.numFailedTasks) + num(s.numKilledTasks),
      failedTasks: num(s.numFailedTasks),
      killedTasks: num(s.numKilledTasks),
      executorRunTimeMs: num(s.executorRunTime),
      executorCpuTimeNs: num(s.executorCpuTime),
      jvmGcTimeMs: num(s.jvmGcTime),
      memoryBytesSpilled: num(s.memoryBytesSpilled),
      diskBytesSpilled: num(s.diskBytesSpilled),
      inputBytes: num(s.inputBytes),
      outputBytes: num(s.outputBytes),
      shuffleReadBytes: num(s.shuffleReadBytes),
      shuffleWriteBytes: num(s.shuffleWriteBytes),
      peakExecutionMemory: num(s.peakExecutionMemory),
    },
  }));
  const executorSummaries: SparkExecutorSummary[] = (
    docs.allexecutors as Json[]
  ).map(e => ({
    executorId: String(e.id),
    host: typeof e.hostPort === 'string' ? e.hostPort.split(':')[0] : undefined,
    cores: num(e.totalCores),
    addTime: hsTime(e.addTime),
    removeTime: hsTime(e.removeTime),
    removeReason: e.removeReason ? String(e.removeReason) : undefined,
    completedTasks: num(e.completedTasks),
    failedTasks: num(e.failedTasks),
    totalDurationMs: num(e.totalDuration),
    totalGcTimeMs: num(e.totalGCTime),
    peakMemoryMetrics: e.peakMemoryMetrics,
  }));
  const completed = Boolean(attempt.completed);
  return {
    appId: String(app.id),
    attemptId: attempt.attemptId ? String(attempt.attemptId) : '',
    name: String(app.name ?? app.id),
    state: attemptState(completed, Boolean(failedJob)),
    sparkVersion: attempt.appSparkVersion,
    user: attempt.sparkUser,
    namespace: labels['spark.kubernetes.namespace'],
    startTime: num(attempt.startTimeEpoch) || undefined,
    endTime: completed ? num(attempt.endTimeEpoch) || undefined : undefined,
    complete: completed,
    failureReason: failedJob
      ? String(
          failedStage?.failureReason ?? `job ${failedJob.jobId} failed`,
        ).split('\n')[0]
      : undefined,
    metrics: metricsFromHistory(docs),
    labels,
    jobs: jobSummaries,
    stages: stageSummaries,
    executors: executorSummaries,
    failures,
    environment: docs.environment,
    history: docs,
  };
}

/** Redacts the property lists of an `ApplicationEnvironmentInfo` again, with our patterns. */
export function redactEnvironment(
  environment: Json,
  extraRegex?: string,
): Json {
  const sparkProperties = Array.isArray(environment.sparkProperties)
    ? (environment.sparkProperties as Array<[string, string]>)
    : [];
  const appPattern = sparkProperties.find(
    ([key]) => key === 'spark.redaction.regex',
  )?.[1];
  const extra = extraRegex ? [extraRegex] : [];
  const redactPairs = (pairs: unknown, patterns: string[]) =>
    Array.isArray(pairs)
      ? redactSparkConf(pairs as Array<[string, string]>, patterns)
      : pairs;
  const others = appPattern ? [...extra, appPattern] : extra;
  return {
    ...environment,
    sparkProperties: redactPairs(environment.sparkProperties, extra),
    hadoopProperties: redactPairs(environment.hadoopProperties, others),
    systemProperties: redactPairs(environment.systemProperties, others),
    metricsProperties: redactPairs(environment.metricsProperties, others),
  };
}

/**
 * Polls an existing Spark History Server's `/api/v1` for sites that already run one. Each run
 * looks at the newest applications and re-reads attempts whose `lastUpdated` changed.
 */
export class HistoryServerSource implements SparkAppSource {
  readonly id: string;
  readonly kind = 'history-server' as const;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  private readonly base: string;

  constructor(private readonly options: HistoryServerSourceOptions) {
    this.id = `history-server:${options.name}`;
    this.schedule = options.schedule;
    this.base = `${options.url.replace(/\/+$/, '')}/api/v1`;
  }

  private async get(path: string, signal: AbortSignal): Promise<any> {
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          accept: 'application/json',
          ...(this.options.token
            ? { authorization: `Bearer ${this.options.token}` }
            : {}),
        },
        signal: AbortSignal.any([
          signal,
          AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        ]),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } })
        .cause;
      const why =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs ?? 30_000} ms`
          : cause?.code ?? cause?.message ?? (error as Error).message;
      throw new HistoryServerError(`GET ${url} failed: ${why}`);
    }
    if (!response.ok) {
      const hint =
        response.status === 401 || response.status === 403
          ? " (check spark.historyServers[].token and the server's ACLs)"
          : '';
      throw new HistoryServerError(
        `GET ${url} answered ${response.status} ${response.statusText}${hint}`,
      );
    }
    try {
      return await response.json();
    } catch {
      throw new HistoryServerError(
        `GET ${url} answered with something that is not JSON`,
      );
    }
  }

  async run({ store, logger, signal }: SparkSourceRunContext): Promise<void> {
    let apps: Json[];
    try {
      apps = await this.get(
        `/applications?limit=${this.options.maxApps ?? 200}`,
        signal,
      );
      if (!Array.isArray(apps)) {
        throw new HistoryServerError(
          `${this.base}/applications did not answer a list`,
        );
      }
    } catch (error) {
      const message = (error as Error).message;
      logger.warn(`${this.id}: ${message}`);
      await store.reportSourceRun(this.id, {
        kind: 'history-server',
        error: message,
      });
      return;
    }
    const problems: SparkSourceProblem[] = [];
    for (const app of apps) {
      for (const attempt of (app.attempts ?? []) as Json[]) {
        if (signal.aborted) break;
        const attemptId = attempt.attemptId ? String(attempt.attemptId) : '';
        const key = `${app.id}/${attemptId}`;
        const seen = await store.getCheckpoint<number>(this.id, key);
        if (
          seen !== undefined &&
          seen === attempt.lastUpdatedEpoch &&
          attempt.completed
        ) {
          continue;
        }
        const path = `/applications/${encodeURIComponent(app.id)}${
          attemptId ? `/${encodeURIComponent(attemptId)}` : ''
        }`;
        try {
          const [jobs, stages, allexecutors, environment] = await Promise.all([
            this.get(`${path}/jobs`, signal),
            this.get(`${path}/stages`, signal),
            this.get(`${path}/allexecutors`, signal),
            this.get(`${path}/environment`, signal),
          ]);
          const docs: SparkHistoryDocuments = {
            attempt,
            jobs,
            stages,
            allexecutors,
            environment: redactEnvironment(
              environment,
              this.options.redactionRegex,
            ),
          };
          await store.reportAppWithCheckpoint(
            this.id,
            reportFromHistory(app, docs),
            {
              key,
              value: attempt.lastUpdatedEpoch ?? 0,
            },
          );
        } catch (error) {
          problems.push({
            item: `${this.base}${path}`,
            message: (error as Error).message,
          });
        }
      }
    }
    await store.reportSourceRun(this.id, { kind: 'history-server', problems });
  }
}
