import type {
  SparkAppSummary,
  SparkStageSummary,
} from '@spark-k8s/plugin-spark-common';
import { displayStateOf } from './displayState';
import { stageIndicators } from './stageIndicators';

const app = (over: Partial<SparkAppSummary>): SparkAppSummary => ({
  id: 'spark-1',
  name: 'settlement-etl',
  state: 'FAILED',
  attempts: ['1'],
  attribution: { teamRefs: [], matchedBy: 'none' },
  sources: ['eventlog:demo'],
  complete: true,
  updatedAt: '2026-11-24T00:00:00Z',
  ...over,
});

describe('displayStateOf', () => {
  it('passes states other than FAILED through', () => {
    expect(displayStateOf(app({ state: 'RUNNING' }))).toBe('RUNNING');
  });

  it('tells a Spark failure from a submission failure', () => {
    expect(displayStateOf(app({ failureReason: 'Job aborted' }))).toBe(
      'FAILED',
    );
    expect(
      displayStateOf(
        app({
          sources: ['kubernetes:prod'],
          attempts: [],
          failureReason: 'failed to run spark-submit',
        }),
      ),
    ).toBe('SUBMISSION_FAILED');
    expect(
      displayStateOf(app({}), [
        {
          cluster: 'prod',
          namespace: 'payments-data',
          kind: 'SparkApplication',
          apiVersion: 'sparkoperator.k8s.io/v1beta2',
          name: 'settlement-etl',
          uid: 'u',
          rawState: 'SUBMISSION_FAILED',
          state: 'FAILED',
          details: {},
          updatedAt: '2026-11-24T00:00:00Z',
        },
      ]),
    ).toBe('SUBMISSION_FAILED');
  });
});

const stage = (over: Partial<SparkStageSummary>): SparkStageSummary => ({
  stageId: 3,
  attemptId: 0,
  name: 'join',
  status: 'COMPLETE',
  numTasks: 200,
  numFailedTasks: 0,
  metrics: {
    tasks: 200,
    failedTasks: 0,
    killedTasks: 0,
    executorRunTimeMs: 1_000_000,
    executorCpuTimeNs: 0,
    jvmGcTimeMs: 50_000,
    memoryBytesSpilled: 0,
    diskBytesSpilled: 0,
    inputBytes: 0,
    outputBytes: 0,
    shuffleReadBytes: 0,
    shuffleWriteBytes: 0,
    peakExecutionMemory: 0,
  },
  ...over,
});

const quantiles = (durationMs: number[]) => ({
  stageId: 3,
  attemptId: 0,
  quantiles: [0, 0.25, 0.5, 0.75, 0.95, 1],
  durationMs,
  jvmGcTimeMs: [],
  memoryBytesSpilled: [],
  diskBytesSpilled: [],
  shuffleReadBytes: [],
  shuffleWriteBytes: [],
  inputBytes: [],
  peakExecutionMemory: [],
});

describe('stageIndicators', () => {
  it('flags skew only when the slowest task is > 5x the median and > 2 min', () => {
    const skewed = stageIndicators(
      stage({
        quantiles: quantiles([1000, 2000, 20_000, 25_000, 30_000, 400_000]),
      }),
    );
    expect(skewed.skewed).toBe(true);
    expect(skewed.skewRatio).toBe(20);
    const shortTasks = stageIndicators(
      stage({ quantiles: quantiles([10, 20, 1000, 1000, 1000, 60_000]) }),
    );
    expect(shortTasks.skewRatio).toBe(60);
    expect(shortTasks.skewed).toBe(false);
    expect(stageIndicators(stage({})).skewRatio).toBeUndefined();
  });

  it('flags spill and GC above 10 % of run time', () => {
    const quiet = stageIndicators(stage({}));
    expect(quiet.spilled).toBe(false);
    expect(quiet.gcShare).toBe(0.05);
    expect(quiet.gcHeavy).toBe(false);
    const heavy = stageIndicators(
      stage({
        metrics: {
          ...stage({}).metrics,
          jvmGcTimeMs: 200_000,
          diskBytesSpilled: 1,
        },
      }),
    );
    expect(heavy.spilled).toBe(true);
    expect(heavy.gcHeavy).toBe(true);
  });
});
