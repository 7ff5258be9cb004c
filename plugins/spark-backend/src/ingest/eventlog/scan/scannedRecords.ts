import {
  TASK_METRIC_COUNT,
  type TaskEndRecord,
  type TaskExecutorMetrics,
  type TaskStartRecord,
} from '../taskEvents';

/**
 * How a scan worker hands back what it made of a batch of lines: one run of numbers for all
 * lines, in order, plus the few strings they refer to. Per line, the first number says what
 * follows:
 *
 * - `LINE_JSON`: nothing; the line's text is the next of `texts` (it goes through JSON.parse);
 * - `LINE_TASK_START`: stage, stage attempt, executor (index into `executorIds`), launch time;
 * - `LINE_TASK_END`: stage, stage attempt, executor, task index, launch time, finish time, then
 *   1 and the task metrics (by `TASK_METRIC` index) or 0, then the executor metrics' keys (index
 *   into `keyLists`, -1 without them), their count and values.
 *
 * Strings are numbered per batch, so nothing grows across batches. A task end read this way
 * always succeeded (the scanner reads no other reason).
 */
export const LINE_JSON = 0;
export const LINE_TASK_START = 1;
export const LINE_TASK_END = 2;

/** One scanned batch, as it crosses from the worker to the aggregator's thread. */
export interface ScannedRecords {
  /** The numbers (see above); `records.length` may exceed `length`. */
  records: Float64Array;
  length: number;
  texts: string[];
  executorIds: string[];
  keyLists: string[][];
}

/** Writes records for one batch (in the scan worker). */
export class ScannedRecordWriter {
  private records: Float64Array;
  private length = 0;
  private readonly texts: string[] = [];
  private readonly executorIds: string[] = [];
  private readonly keyLists: string[][] = [];
  private readonly executorIdIndex = new Map<string, number>();
  private readonly keyListIndex = new Map<string[], number>();

  /** Writes into `reuse` (a batch's records given back) when it is large enough. */
  constructor(capacity: number, reuse?: ArrayBuffer) {
    this.records =
      reuse && reuse.byteLength >= capacity * 8
        ? new Float64Array(reuse)
        : new Float64Array(Math.max(capacity, 64));
  }

  json(text: string): void {
    this.reserve(1);
    this.records[this.length++] = LINE_JSON;
    this.texts.push(text);
  }

  taskStart(task: TaskStartRecord): void {
    this.reserve(5);
    const r = this.records;
    let n = this.length;
    r[n++] = LINE_TASK_START;
    r[n++] = task.stageId;
    r[n++] = task.stageAttemptId;
    r[n++] = this.executorRef(task.executorId);
    r[n++] = task.launchTime;
    this.length = n;
  }

  taskEnd(task: TaskEndRecord): void {
    const peaks = task.executorMetrics;
    this.reserve(10 + TASK_METRIC_COUNT + (peaks ? peaks.count : 0));
    const r = this.records;
    let n = this.length;
    r[n++] = LINE_TASK_END;
    r[n++] = task.stageId;
    r[n++] = task.stageAttemptId;
    r[n++] = this.executorRef(task.executorId);
    r[n++] = task.index;
    r[n++] = task.launchTime;
    r[n++] = task.finishTime;
    if (task.metrics) {
      r[n++] = 1;
      r.set(task.metrics, n);
      n += TASK_METRIC_COUNT;
    } else {
      r[n++] = 0;
    }
    if (peaks) {
      r[n++] = this.keyListRef(peaks.keys);
      r[n++] = peaks.count;
      const values = peaks.values;
      for (let i = 0; i < peaks.count; i++) r[n++] = values[i];
    } else {
      r[n++] = -1;
    }
    this.length = n;
  }

  /** The batch; the writer is not used after this. */
  finish(): ScannedRecords {
    return {
      records: this.records,
      length: this.length,
      texts: this.texts,
      executorIds: this.executorIds,
      keyLists: this.keyLists,
    };
  }

  private reserve(count: number): void {
    if (this.length + count <= this.records.length) return;
    const grown = new Float64Array(
      Math.max(this.records.length * 2, this.length + count),
    );
    grown.set(this.records.subarray(0, this.length));
    this.records = grown;
  }

  private executorRef(id: string): number {
    let ref = this.executorIdIndex.get(id);
    if (ref === undefined) {
      ref = this.executorIds.push(id) - 1;
      this.executorIdIndex.set(id, ref);
    }
    return ref;
  }

  /** The scanner reuses one key array per layout of the executor metrics: one entry each. */
  private keyListRef(keys: string[]): number {
    let ref = this.keyListIndex.get(keys);
    if (ref === undefined) {
      ref = this.keyLists.push(keys.slice()) - 1;
      this.keyListIndex.set(keys, ref);
    }
    return ref;
  }
}

/** What {@link ScannedRecordReader.next} read. */
export type ScannedLineKind =
  | typeof LINE_JSON
  | typeof LINE_TASK_START
  | typeof LINE_TASK_END;

/** Reads one batch's records back, line by line, into reused records (on the aggregator's thread). */
export class ScannedRecordReader {
  /** Filled when `next()` answers LINE_TASK_START; overwritten by the next line. */
  readonly taskStart: TaskStartRecord = {
    stageId: 0,
    stageAttemptId: 0,
    executorId: '',
    launchTime: 0,
  };
  /** Filled when `next()` answers LINE_TASK_END; overwritten by the next line. */
  readonly taskEnd: TaskEndRecord = {
    stageId: 0,
    stageAttemptId: 0,
    reason: { Reason: 'Success' },
    executorId: '',
    index: 0,
    launchTime: 0,
    finishTime: 0,
    executorMetrics: undefined,
    metrics: undefined,
  };
  /** The line's text when `next()` answers LINE_JSON. */
  text = '';
  private readonly peaks: TaskExecutorMetrics = {
    isObject: true,
    count: 0,
    keys: [],
    values: [],
  };
  private p = 0;
  private textIndex = 0;

  constructor(private readonly batch: ScannedRecords) {}

  next(): ScannedLineKind {
    const { records: r, executorIds } = this.batch;
    let p = this.p;
    const kind = r[p++];
    if (kind === LINE_TASK_END) {
      const task = this.taskEnd;
      task.stageId = r[p++];
      task.stageAttemptId = r[p++];
      task.executorId = executorIds[r[p++]];
      task.index = r[p++];
      task.launchTime = r[p++];
      task.finishTime = r[p++];
      if (r[p++] === 1) {
        task.metrics = r.subarray(p, p + TASK_METRIC_COUNT);
        p += TASK_METRIC_COUNT;
      } else {
        task.metrics = undefined;
      }
      const keys = r[p++];
      if (keys >= 0) {
        const peaks = this.peaks;
        peaks.keys = this.batch.keyLists[keys];
        peaks.count = r[p++];
        peaks.values = r.subarray(p, p + peaks.count);
        p += peaks.count;
        task.executorMetrics = peaks;
      } else {
        task.executorMetrics = undefined;
      }
    } else if (kind === LINE_TASK_START) {
      const task = this.taskStart;
      task.stageId = r[p++];
      task.stageAttemptId = r[p++];
      task.executorId = executorIds[r[p++]];
      task.launchTime = r[p++];
    } else {
      this.text = this.batch.texts[this.textIndex++];
    }
    this.p = p;
    return kind as ScannedLineKind;
  }
}
