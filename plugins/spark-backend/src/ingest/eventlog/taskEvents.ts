/**
 * What the aggregator reads from task-start and task-end events, and nothing else. Task events
 * are nearly all of a log: the byte scanner (taskEventScanner.ts) fills these records straight
 * from the line's bytes, and `taskStartFromJson`/`taskEndFromJson` fill the same records from a
 * parsed event, so both paths feed the aggregator exactly the same values. A field the
 * aggregator starts to read from task events belongs here, in both.
 */

type Json = Record<string, any>;

/**
 * The task-end metrics the aggregator sums, in order, with their path under `Task Metrics`.
 * The first ones are named like the History Server's StageData fields they add up to.
 */
export const TASK_METRIC_PATHS = {
  executorDeserializeTime: ['Executor Deserialize Time'],
  executorDeserializeCpuTime: ['Executor Deserialize CPU Time'],
  executorRunTime: ['Executor Run Time'],
  executorCpuTime: ['Executor CPU Time'],
  resultSize: ['Result Size'],
  jvmGcTime: ['JVM GC Time'],
  resultSerializationTime: ['Result Serialization Time'],
  memoryBytesSpilled: ['Memory Bytes Spilled'],
  diskBytesSpilled: ['Disk Bytes Spilled'],
  inputBytes: ['Input Metrics', 'Bytes Read'],
  inputRecords: ['Input Metrics', 'Records Read'],
  outputBytes: ['Output Metrics', 'Bytes Written'],
  outputRecords: ['Output Metrics', 'Records Written'],
  shuffleRemoteBlocksFetched: ['Shuffle Read Metrics', 'Remote Blocks Fetched'],
  shuffleLocalBlocksFetched: ['Shuffle Read Metrics', 'Local Blocks Fetched'],
  shuffleFetchWaitTime: ['Shuffle Read Metrics', 'Fetch Wait Time'],
  shuffleRemoteBytesRead: ['Shuffle Read Metrics', 'Remote Bytes Read'],
  shuffleRemoteBytesReadToDisk: [
    'Shuffle Read Metrics',
    'Remote Bytes Read To Disk',
  ],
  shuffleLocalBytesRead: ['Shuffle Read Metrics', 'Local Bytes Read'],
  shuffleReadRecords: ['Shuffle Read Metrics', 'Total Records Read'],
  shuffleCorruptMergedBlockChunks: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Corrupt Merged Block Chunks',
  ],
  shuffleMergedFetchFallbackCount: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Fetch Fallback Count',
  ],
  shuffleMergedRemoteBlocksFetched: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Remote Blocks Fetched',
  ],
  shuffleMergedLocalBlocksFetched: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Local Blocks Fetched',
  ],
  shuffleMergedRemoteChunksFetched: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Remote Chunks Fetched',
  ],
  shuffleMergedLocalChunksFetched: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Local Chunks Fetched',
  ],
  shuffleMergedRemoteBytesRead: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Remote Bytes Read',
  ],
  shuffleMergedLocalBytesRead: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Local Bytes Read',
  ],
  shuffleRemoteReqsDuration: [
    'Shuffle Read Metrics',
    'Remote Requests Duration',
  ],
  shuffleMergedRemoteReqsDuration: [
    'Shuffle Read Metrics',
    'Push Based Shuffle',
    'Merged Remote Requests Duration',
  ],
  shuffleWriteBytes: ['Shuffle Write Metrics', 'Shuffle Bytes Written'],
  shuffleWriteTime: ['Shuffle Write Metrics', 'Shuffle Write Time'],
  shuffleWriteRecords: ['Shuffle Write Metrics', 'Shuffle Records Written'],
  peakExecutionMemory: ['Peak Execution Memory'],
} as const satisfies Record<string, readonly string[]>;

export type TaskMetric = keyof typeof TASK_METRIC_PATHS;

/** Metric name → its index in {@link TaskEndRecord.metrics}. */
export const TASK_METRIC = Object.fromEntries(
  Object.keys(TASK_METRIC_PATHS).map((name, index) => [name, index]),
) as Record<TaskMetric, number>;

export const TASK_METRIC_COUNT = Object.keys(TASK_METRIC_PATHS).length;

/** `Task Executor Metrics` as the aggregator folds it into peaks: its numeric entries, in order. */
export interface TaskExecutorMetrics {
  /** False for a value that is present but not an object (the executor's peaks ignore it). */
  isObject: boolean;
  count: number;
  keys: string[];
  /** `values[i]` is the value of `keys[i]`, for `i < count`. */
  values: ArrayLike<number>;
}

export interface TaskStartRecord {
  stageId: number;
  stageAttemptId: number;
  executorId: string;
  launchTime: number;
}

export interface TaskEndRecord {
  stageId: number;
  stageAttemptId: number;
  /** `Task End Reason`: `{ Reason: 'Success' }` for a task that succeeded. */
  reason: Json;
  executorId: string;
  index: number;
  launchTime: number;
  finishTime: number;
  executorMetrics: TaskExecutorMetrics | undefined;
  /** Values by {@link TASK_METRIC} index, 0 where absent; undefined without `Task Metrics`. */
  metrics: Float64Array | undefined;
}

/** A number from the log, 0 for anything else (as the aggregator counts). */
export const num = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;

export function taskStartFromJson(event: Json): TaskStartRecord {
  const info = event['Task Info'] ?? {};
  return {
    stageId: num(event['Stage ID']),
    stageAttemptId: num(event['Stage Attempt ID']),
    executorId: String(info['Executor ID'] ?? ''),
    launchTime: num(info['Launch Time']),
  };
}

function metricAt(metrics: Json, path: readonly string[]): unknown {
  let value: any = metrics;
  for (let i = 0; i < path.length - 1; i++) value = value[path[i]] ?? {};
  return value[path[path.length - 1]];
}

export function taskEndFromJson(event: Json): TaskEndRecord {
  const info = event['Task Info'] ?? {};
  const peaks = event['Task Executor Metrics'];
  const raw = event['Task Metrics'];
  let metrics: Float64Array | undefined;
  if (raw) {
    metrics = new Float64Array(TASK_METRIC_COUNT);
    Object.values(TASK_METRIC_PATHS).forEach((path, index) => {
      metrics![index] = num(metricAt(raw, path));
    });
  }
  let executorMetrics: TaskExecutorMetrics | undefined;
  if (peaks) {
    const entries = Object.entries(peaks).filter(
      ([, value]) => typeof value === 'number',
    ) as Array<[string, number]>;
    executorMetrics = {
      isObject: typeof peaks === 'object',
      count: entries.length,
      keys: entries.map(([key]) => key),
      values: entries.map(([, value]) => value),
    };
  }
  return {
    stageId: num(event['Stage ID']),
    stageAttemptId: num(event['Stage Attempt ID']),
    reason: event['Task End Reason'] ?? {},
    executorId: String(info['Executor ID'] ?? ''),
    index: num(info.Index),
    launchTime: num(info['Launch Time']),
    finishTime: num(info['Finish Time']),
    executorMetrics,
    metrics,
  };
}
