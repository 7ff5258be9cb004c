import type {
  SparkAppDetails,
  SparkAppSummary,
  SparkCostSummary,
  SparkSloStatus,
} from '@spark-k8s/plugin-spark-common';

export const componentRef = 'component:default/settlement-etl';
export const teamRef = 'group:default/payments-data';

export function appSummary(
  over: Partial<SparkAppSummary> = {},
): SparkAppSummary {
  return {
    id: 'spark-0001',
    name: 'settlement-etl',
    state: 'SUCCEEDED',
    attempts: ['1'],
    sparkVersion: '4.0.1',
    cluster: 'prod-eu',
    namespace: 'payments-data',
    startTime: '2026-11-24T08:00:00Z',
    endTime: '2026-11-24T09:05:00Z',
    durationMs: 3_900_000,
    attribution: {
      entityRef: componentRef,
      teamRef,
      teamRefs: [teamRef, 'group:default/data-platform'],
      matchedBy: 'annotation',
    },
    sources: ['eventlog:demo'],
    complete: true,
    updatedAt: '2026-11-24T09:06:00Z',
    ...over,
  };
}

const stageMetrics = {
  tasks: 200,
  failedTasks: 0,
  killedTasks: 0,
  executorRunTimeMs: 1_000_000,
  executorCpuTimeNs: 0,
  jvmGcTimeMs: 250_000,
  memoryBytesSpilled: 3_000_000_000,
  diskBytesSpilled: 1_000_000_000,
  inputBytes: 0,
  outputBytes: 0,
  shuffleReadBytes: 0,
  shuffleWriteBytes: 0,
  peakExecutionMemory: 0,
};

export function appDetails(appId = 'spark-0001'): SparkAppDetails {
  const app = appSummary({
    id: appId,
    state: 'FAILED',
    failureReason: 'Job aborted due to stage failure',
    metrics: {
      jobs: 1,
      failedJobs: 1,
      stages: 2,
      failedStages: 1,
      tasks: 400,
      failedTasks: 4,
      killedTasks: 0,
      executors: 2,
      maxConcurrentExecutors: 2,
      executorCoreMs: 7_200_000,
      executorMemoryMibMs: 0,
      executorRunTimeMs: 2_000_000,
      executorCpuTimeNs: 0,
      jvmGcTimeMs: 300_000,
      memoryBytesSpilled: 3_000_000_000,
      diskBytesSpilled: 1_000_000_000,
      inputBytes: 5_000_000_000,
      outputBytes: 0,
      shuffleReadBytes: 2_000_000_000,
      shuffleWriteBytes: 2_000_000_000,
      peakExecutionMemory: 0,
    },
  });
  return {
    app,
    jobs: [
      {
        jobId: 0,
        name: 'save at Settlement.scala:42',
        status: 'FAILED',
        submissionTime: '2026-11-24T08:01:00Z',
        completionTime: '2026-11-24T09:04:00Z',
        stageIds: [0, 1],
        numTasks: 400,
        numFailedTasks: 4,
      },
    ],
    stages: [
      {
        stageId: 0,
        attemptId: 0,
        name: 'scan authorisations',
        status: 'COMPLETE',
        numTasks: 200,
        numFailedTasks: 0,
        submissionTime: '2026-11-24T08:01:00Z',
        completionTime: '2026-11-24T08:20:00Z',
        metrics: {
          ...stageMetrics,
          jvmGcTimeMs: 0,
          memoryBytesSpilled: 0,
          diskBytesSpilled: 0,
        },
      },
      {
        stageId: 1,
        attemptId: 0,
        name: 'join settlements',
        status: 'FAILED',
        numTasks: 200,
        numFailedTasks: 4,
        submissionTime: '2026-11-24T08:20:00Z',
        completionTime: '2026-11-24T09:04:00Z',
        failureReason: 'ExecutorLostFailure (executor 2 exited: OOMKilled)',
        metrics: stageMetrics,
        quantiles: {
          stageId: 1,
          attemptId: 0,
          quantiles: [0, 0.25, 0.5, 0.75, 0.95, 1],
          durationMs: [1000, 5000, 10_000, 12_000, 20_000, 900_000],
          jvmGcTimeMs: [],
          memoryBytesSpilled: [],
          diskBytesSpilled: [],
          shuffleReadBytes: [],
          shuffleWriteBytes: [],
          inputBytes: [],
          peakExecutionMemory: [],
        },
      },
    ],
    executors: [
      {
        executorId: '2',
        host: 'node-a',
        cores: 4,
        addTime: '2026-11-24T08:00:30Z',
        removeTime: '2026-11-24T09:00:00Z',
        removeReason: 'Container killed: OOMKilled',
        completedTasks: 180,
        failedTasks: 4,
        totalDurationMs: 1_000_000,
        totalGcTimeMs: 150_000,
        peakMemoryMetrics: {
          JVMHeapMemory: 7_500_000_000,
          ProcessTreeJVMRSSMemory: 9_800_000_000,
        },
      },
    ],
    failures: [
      {
        scope: 'executor',
        id: '2',
        reason: 'OOMKilled',
        message: 'Container killed by the kernel (exit code 137)',
        count: 1,
        exitCode: 137,
      },
    ],
    kubernetes: [
      {
        cluster: 'prod-eu',
        namespace: 'payments-data',
        kind: 'SparkApplication',
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        name: 'settlement-etl-20261124',
        uid: 'uid-1',
        appId: 'spark-0001',
        rawState: 'FAILED',
        state: 'FAILED',
        details: {},
        updatedAt: '2026-11-24T09:06:00Z',
      },
    ],
  };
}

export const costSummary: SparkCostSummary = {
  teamRef,
  currency: 'USD',
  period: { from: '2026-11-01', to: '2026-12-01' },
  previousPeriod: { from: '2026-10-01', to: '2026-11-01' },
  total: 1200,
  previousTotal: 1000,
  daily: [
    { date: '2026-11-01', cost: 30 },
    { date: '2026-11-02', cost: 50 },
  ],
  topApps: [
    { appId: 'spark-0001', name: 'settlement-etl', cost: 640 },
    { appId: 'spark-0002', name: 'fraud-features', cost: 410 },
  ],
};

export const sloStatus: SparkSloStatus = {
  id: 'settlement-etl-success',
  name: 'Settlement ETL succeeds',
  entityRef: componentRef,
  teamRef,
  indicator: 'success-ratio',
  objective: 0.99,
  window: '30d',
  attainment: 0.9667,
  errorBudgetRemaining: -2.3,
  burnRate: { state: 'page', highest: 14.4 },
  runs: { total: 30, good: 29 },
  runbookId: 'spark-job-failing',
};
