import {
  TASK_METRIC,
  TASK_METRIC_COUNT,
  TASK_METRIC_PATHS,
  type TaskEndRecord,
  type TaskMetric,
  type TaskStartRecord,
} from './taskEvents';

/**
 * Reads task-start and task-end lines (nearly all of an event log) straight from their bytes:
 * no UTF-8 decoding of the line and no JSON.parse. It recognises the shape Spark writes and
 * validates every byte it relies on; on anything else (another event, a failed task, an
 * unknown or repeated key, whitespace, escapes in a key, a value of another type, a malformed
 * line) it answers undefined and the caller parses the line with JSON.parse, so the result
 * never depends on this path. The accumulator updates in `Task Info` (more than half of a
 * task-end line, unused by any summary) are stepped over, not decoded; see `skipAccumulables`.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DEPTH = 64;
/** Integers of up to 15 digits are exact as doubles; longer numbers go through Number(). */
const MAX_FAST_DIGITS = 15;

/** A key of an object the scanner reads: its bytes and what its value is. */
interface KeySpec {
  bytes: Uint8Array;
  /** The key's bytes with the closing quote and the colon: what follows its opening quote. */
  quoted: Literal;
  /** Where the key stands among its object's keys (Spark writes them in this order). */
  index: number;
  /** Bit of the key in its object's seen-mask: a repeated key is not our shape. */
  bit: number;
  /** A metric's index, a nested object of metrics, a field the record needs, or a value to skip. */
  slot?: number;
  children?: KeySpec[];
  field?: string;
}

function keys(
  names: Array<
    [string, Partial<Omit<KeySpec, 'bytes' | 'quoted' | 'bit' | 'index'>>]
  >,
): KeySpec[] {
  return names.map(([name, spec], index) => ({
    bytes: Buffer.from(name, 'latin1'),
    quoted: literalOf(Buffer.from(`${name}":`, 'latin1')),
    index,
    bit: 2 ** index,
    ...spec,
  }));
}

/** The key tree of `Task Metrics`, from the same paths that `taskEndFromJson` reads. */
function metricKeys(): KeySpec[] {
  interface Level {
    names: string[];
    slots: Map<string, number>;
    nested: Map<string, Level>;
  }
  const newLevel = (): Level => ({
    names: [],
    slots: new Map(),
    nested: new Map(),
  });
  const root = newLevel();
  for (const [name, path] of Object.entries(TASK_METRIC_PATHS)) {
    let level = root;
    path.forEach((key, depth) => {
      if (!level.names.includes(key)) level.names.push(key);
      if (depth === path.length - 1) {
        level.slots.set(key, TASK_METRIC[name as TaskMetric]);
      } else {
        if (!level.nested.has(key)) level.nested.set(key, newLevel());
        level = level.nested.get(key)!;
      }
    });
  }
  const build = (level: Level): KeySpec[] =>
    keys(
      level.names.map(key => {
        const nested = level.nested.get(key);
        return [
          key,
          nested ? { children: build(nested) } : { slot: level.slots.get(key) },
        ];
      }),
    );
  return build(root);
}

const TASK_METRICS_KEYS = metricKeys();

const TASK_INFO_KEYS = keys([
  ['Task ID', {}],
  ['Index', { field: 'index' }],
  ['Attempt', {}],
  ['Partition ID', {}],
  ['Launch Time', { field: 'launchTime' }],
  ['Executor ID', { field: 'executorId' }],
  ['Host', {}],
  ['Locality', {}],
  ['Speculative', {}],
  ['Getting Result Time', {}],
  ['Finish Time', { field: 'finishTime' }],
  ['Failed', {}],
  ['Killed', {}],
  ['Accumulables', { field: 'accumulables' }],
]);

const TASK_END_KEYS = keys([
  ['Event', { field: 'event' }],
  ['Stage ID', { field: 'stageId' }],
  ['Stage Attempt ID', { field: 'stageAttemptId' }],
  ['Task Type', { field: 'skip' }],
  ['Task End Reason', { field: 'reason' }],
  ['Task Info', { field: 'info' }],
  ['Task Executor Metrics', { field: 'executorMetrics' }],
  ['Task Metrics', { field: 'metrics' }],
]);

const TASK_START_KEYS = keys([
  ['Event', { field: 'event' }],
  ['Stage ID', { field: 'stageId' }],
  ['Stage Attempt ID', { field: 'stageAttemptId' }],
  ['Task Info', { field: 'info' }],
]);

const EVENT_PREFIX = literalOf(
  Buffer.from('{"Event":"SparkListenerTask', 'latin1'),
);
const TASK_END_REST = literalOf(Buffer.from('End",', 'latin1'));
const TASK_START_REST = literalOf(Buffer.from('Start",', 'latin1'));
/** The only task-end reason read here; any other goes through JSON.parse. */
const SUCCESS_REASON = literalOf(Buffer.from('{"Reason":"Success"}', 'latin1'));
const TRUE = literalOf(Buffer.from('true', 'latin1'));
const FALSE = literalOf(Buffer.from('false', 'latin1'));
const NULL = literalOf(Buffer.from('null', 'latin1'));

/**
 * An object as Spark wrote it on an earlier line, cut around its numbers: a line whose object
 * has exactly these bytes between its numbers has the same keys in the same places, so only
 * the numbers need reading. Any other byte sends the object through the key-by-key reader.
 */
interface NumberLayout {
  /** The bytes before each number, and after the last one. */
  literals: Literal[];
  /** Where each number goes. */
  slots: number[];
  /** For executor metrics: the keys, and the array the numbers go to. */
  keys: string[];
  values: number[];
}

/** How many layouts of each object are kept (a log has a few kinds of task). */
const MAX_LAYOUTS = 4;

function remember(layouts: NumberLayout[], layout: NumberLayout): void {
  layouts.unshift(layout);
  if (layouts.length > MAX_LAYOUTS) layouts.pop();
}

/** Which record {@link TaskEventScanner.scan} filled. */
export type ScannedTaskEvent = 'taskStart' | 'taskEnd';

export class TaskEventScanner {
  /** Filled by `scan` when it answers 'taskStart'; overwritten by the next scan. */
  readonly taskStart: TaskStartRecord = {
    stageId: 0,
    stageAttemptId: 0,
    executorId: '',
    launchTime: 0,
  };
  /** Filled by `scan` when it answers 'taskEnd'; overwritten by the next scan. */
  readonly taskEnd: TaskEndRecord;

  private b: Buffer = Buffer.alloc(0);
  /** The same bytes as `b`, read four at a time by `literal`. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private p = 0;
  private e = 0;
  private readonly metrics = new Float64Array(TASK_METRIC_COUNT);
  private readonly peaks = {
    isObject: true,
    count: 0,
    keys: [] as string[],
    values: [] as number[],
  };
  /** Byte forms of the last executor-metric keys: the same keys line after line are not decoded again. */
  /** Layouts of the last few `Task Metrics` and `Task Executor Metrics` objects read. */
  private readonly metricLayouts: NumberLayout[] = [];
  private readonly peakLayouts: NumberLayout[] = [];
  /** While `Task Metrics` is read key by key: where its numbers start and end, and their slots. */
  private cuts: number[] | undefined;
  private slots: number[] | undefined;
  private lastExecutor: Uint8Array = new Uint8Array(0);
  private lastExecutorId = '';
  private readonly successReason = { Reason: 'Success' };

  constructor() {
    this.taskEnd = {
      stageId: 0,
      stageAttemptId: 0,
      reason: this.successReason,
      executorId: '',
      index: 0,
      launchTime: 0,
      finishTime: 0,
      executorMetrics: undefined,
      metrics: undefined,
    };
  }

  /** Reads the line `bytes[start, end)` (without its newline) if it is a task event of Spark's shape. */
  scan(
    bytes: Buffer,
    start: number,
    end: number,
  ): ScannedTaskEvent | undefined {
    if (bytes !== this.b) {
      this.b = bytes;
      this.view = new DataView(
        bytes.buffer,
        bytes.byteOffset,
        bytes.byteLength,
      );
    }
    this.e = end;
    this.p = start;
    if (!this.literal(EVENT_PREFIX)) return undefined;
    const b = bytes;
    if (b[this.p] === 0x45 /* E */) {
      if (!this.literal(TASK_END_REST)) return undefined;
      return this.taskEndBody() ? 'taskEnd' : undefined;
    }
    if (b[this.p] === 0x53 /* S */) {
      if (!this.literal(TASK_START_REST)) return undefined;
      return this.taskStartBody() ? 'taskStart' : undefined;
    }
    return undefined;
  }

  private taskStartBody(): boolean {
    const record = this.taskStart;
    let seen = 1; // Event
    let hint = 1;
    let stageId = NaN;
    let stageAttemptId = NaN;
    let info = false;
    for (;;) {
      const spec = this.key(TASK_START_KEYS, hint);
      if (!spec || seen & spec.bit) return false;
      seen |= spec.bit;
      hint = spec.index + 1;
      switch (spec.field) {
        case 'stageId':
          stageId = this.number();
          if (Number.isNaN(stageId)) return false;
          break;
        case 'stageAttemptId':
          stageAttemptId = this.number();
          if (Number.isNaN(stageAttemptId)) return false;
          break;
        case 'info':
          if (!this.taskInfo(false)) return false;
          info = true;
          break;
        default:
          return false;
      }
      if (!this.afterValue()) break;
    }
    if (!this.endOfLine() || !info) return false;
    record.stageId = Number.isFinite(stageId) ? stageId : 0;
    record.stageAttemptId = Number.isFinite(stageAttemptId)
      ? stageAttemptId
      : 0;
    record.executorId = this.infoExecutorId;
    record.launchTime = this.infoLaunchTime;
    return true;
  }

  private taskEndBody(): boolean {
    const record = this.taskEnd;
    let seen = 1; // Event
    let hint = 1;
    let stageId = NaN;
    let stageAttemptId = NaN;
    let info = false;
    let reason = false;
    record.metrics = undefined;
    record.executorMetrics = undefined;
    for (;;) {
      const spec = this.key(TASK_END_KEYS, hint);
      if (!spec || seen & spec.bit) return false;
      seen |= spec.bit;
      hint = spec.index + 1;
      switch (spec.field) {
        case 'stageId':
          stageId = this.number();
          if (Number.isNaN(stageId)) return false;
          break;
        case 'stageAttemptId':
          stageAttemptId = this.number();
          if (Number.isNaN(stageAttemptId)) return false;
          break;
        case 'skip':
          if (!this.skipValue(0)) return false;
          break;
        case 'reason':
          if (!this.literal(SUCCESS_REASON)) return false;
          reason = true;
          break;
        case 'info':
          if (!this.taskInfo(true)) return false;
          info = true;
          break;
        case 'executorMetrics':
          if (!this.executorMetrics()) return false;
          record.executorMetrics = this.peaks;
          break;
        case 'metrics':
          if (!this.taskMetrics()) return false;
          record.metrics = this.metrics;
          break;
        default:
          return false;
      }
      if (!this.afterValue()) break;
    }
    if (!this.endOfLine() || !info || !reason) return false;
    record.stageId = Number.isFinite(stageId) ? stageId : 0;
    record.stageAttemptId = Number.isFinite(stageAttemptId)
      ? stageAttemptId
      : 0;
    record.reason = this.successReason;
    record.executorId = this.infoExecutorId;
    record.index = this.infoIndex;
    record.launchTime = this.infoLaunchTime;
    record.finishTime = this.infoFinishTime;
    return true;
  }

  private infoExecutorId = '';
  private infoIndex = 0;
  private infoLaunchTime = 0;
  private infoFinishTime = 0;

  /** `Task Info`: the fields the records need; everything else is validated and skipped. */
  private taskInfo(taskEnd: boolean): boolean {
    const b = this.b;
    if (b[this.p] !== OPEN_BRACE) return false;
    this.p++;
    let seen = 0;
    let hint = 0;
    // Absent fields count as the JSON path counts them: 0, and '' for the executor.
    this.infoExecutorId = '';
    this.infoIndex = 0;
    this.infoLaunchTime = 0;
    this.infoFinishTime = 0;
    if (b[this.p] === CLOSE_BRACE) {
      this.p++;
      return true;
    }
    for (;;) {
      const spec = this.key(TASK_INFO_KEYS, hint);
      if (spec === undefined) return false;
      if (spec === null) {
        if (!this.skipValue(1)) return false;
      } else {
        if (seen & spec.bit) return false;
        seen |= spec.bit;
        hint = spec.index + 1;
        switch (spec.field) {
          case 'executorId':
            if (!this.executorId()) return false;
            break;
          case 'index': {
            const value = this.number();
            if (Number.isNaN(value)) return false;
            this.infoIndex = Number.isFinite(value) ? value : 0;
            break;
          }
          case 'launchTime': {
            const value = this.number();
            if (Number.isNaN(value)) return false;
            this.infoLaunchTime = Number.isFinite(value) ? value : 0;
            break;
          }
          case 'finishTime': {
            const value = this.number();
            if (Number.isNaN(value)) return false;
            this.infoFinishTime = Number.isFinite(value) ? value : 0;
            break;
          }
          case 'accumulables':
            if (!this.skipAccumulables(taskEnd)) return false;
            break;
          default:
            if (!this.skipValue(1)) return false;
        }
      }
      const c = b[this.p];
      if (c === COMMA) {
        this.p++;
        continue;
      }
      if (c === CLOSE_BRACE) {
        this.p++;
        return true;
      }
      return false;
    }
  }

  /**
   * Steps over the accumulator updates. When the first `]` after the array opens is followed by
   * `}` and then either `,"` and a letter (a task end: the next key of the event) or the end of
   * the event and line (a task start), that `]` closes the array: in JSON it cannot stand in a
   * string there (the string would end at that quote and a letter cannot follow a string), and
   * with no `]` before it nothing inside can have closed the array. The values inside are not
   * decoded; the aggregator never reads them. Any other layout is validated value by value.
   */
  private skipAccumulables(taskEnd: boolean): boolean {
    const b = this.b;
    const open = this.p;
    if (b[open] !== OPEN_BRACKET) return this.skipValue(2);
    const close = indexOfByte(b, CLOSE_BRACKET, open + 1, this.e);
    // NUL bytes are how a torn or zero-filled write shows; JSON.parse tells what to make of them.
    if (
      close !== -1 &&
      b[close + 1] === CLOSE_BRACE &&
      b.subarray(open, close).indexOf(0) === -1
    ) {
      if (taskEnd) {
        const letter = b[close + 4] | 0x20;
        if (
          b[close + 2] === COMMA &&
          b[close + 3] === QUOTE &&
          letter >= 0x61 &&
          letter <= 0x7a &&
          close + 4 < this.e
        ) {
          this.p = close + 1;
          return true;
        }
      } else if (b[close + 2] === CLOSE_BRACE && close + 3 === this.e) {
        this.p = close + 1;
        return true;
      }
    }
    return this.skipValue(2);
  }

  private executorId(): boolean {
    const b = this.b;
    if (b[this.p] !== QUOTE) return false;
    const start = this.p + 1;
    let i = start;
    const last = this.lastExecutor;
    let same = true;
    for (;;) {
      if (i >= this.e) return false;
      const c = b[i];
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 0x20 || c >= 0x80) return false;
      if (same && (i - start >= last.length || last[i - start] !== c))
        same = false;
      i++;
    }
    if (!same || i - start !== last.length) {
      this.lastExecutor = copyOf(b, start, i);
      this.lastExecutorId = latin1(b, start, i);
    }
    this.infoExecutorId = this.lastExecutorId;
    this.p = i + 1;
    return true;
  }

  /** `Task Executor Metrics`: an object of numbers, keys kept as they are. */
  private executorMetrics(): boolean {
    for (const layout of this.peakLayouts) {
      if (this.matchLayout(layout, layout.values, false)) {
        this.peaks.keys = layout.keys;
        this.peaks.values = layout.values;
        this.peaks.count = layout.keys.length;
        return true;
      }
    }
    const b = this.b;
    const objectStart = this.p;
    if (b[this.p] !== OPEN_BRACE) return false;
    this.p++;
    const names: string[] = [];
    const values: number[] = [];
    const cuts: number[] = [];
    if (b[this.p] === CLOSE_BRACE) {
      this.p++;
    } else {
      for (;;) {
        if (b[this.p] !== QUOTE) return false;
        const start = this.p + 1;
        const end = this.keyEnd(start);
        if (end < 0) return false;
        const first = b[start];
        // Index-like keys enumerate first in JavaScript objects, and __proto__ is special.
        if ((first >= ZERO && first <= NINE) || first === 0x5f /* _ */)
          return false;
        names.push(latin1(b, start, end));
        this.p = end + 1;
        if (b[this.p] !== COLON) return false;
        this.p++;
        cuts.push(this.p);
        const value = this.number();
        if (Number.isNaN(value)) return false;
        cuts.push(this.p);
        values.push(value);
        const c = b[this.p];
        if (c === COMMA) {
          this.p++;
          continue;
        }
        if (c === CLOSE_BRACE) {
          this.p++;
          break;
        }
        return false;
      }
    }
    if (new Set(names).size !== names.length) return false;
    const layout: NumberLayout = {
      ...this.layoutOf(
        objectStart,
        cuts,
        names.map((_, i) => i),
      ),
      keys: names,
      values,
    };
    remember(this.peakLayouts, layout);
    this.peaks.keys = names;
    this.peaks.values = values;
    this.peaks.count = names.length;
    return true;
  }

  /** `Task Metrics`: a layout seen before, else read key by key (and its layout learnt). */
  private taskMetrics(): boolean {
    const metrics = this.metrics;
    metrics.fill(0);
    for (const layout of this.metricLayouts) {
      if (this.matchLayout(layout, metrics, true)) return true;
    }
    metrics.fill(0);
    const objectStart = this.p;
    const cuts: number[] = [];
    const slots: number[] = [];
    this.cuts = cuts;
    this.slots = slots;
    const read = this.metricObject(TASK_METRICS_KEYS, 0);
    this.cuts = undefined;
    this.slots = undefined;
    if (!read) return false;
    remember(this.metricLayouts, this.layoutOf(objectStart, cuts, slots));
    return true;
  }

  /** The bytes from `start` to here, cut around the numbers at `cuts` (start and end of each). */
  private layoutOf(
    start: number,
    cuts: number[],
    slots: number[],
  ): NumberLayout {
    const literals: Literal[] = [];
    let from = start;
    for (let k = 0; k < cuts.length; k += 2) {
      literals.push(literalOf(copyOf(this.b, from, cuts[k])));
      from = cuts[k + 1];
    }
    literals.push(literalOf(copyOf(this.b, from, this.p)));
    return { literals, slots, keys: [], values: [] };
  }

  /**
   * Reads an object byte for byte like one read before, numbers aside; puts the numbers into
   * `into` at the layout's slots. False (and nothing consumed) when any other byte differs.
   */
  private matchLayout(
    layout: NumberLayout,
    into: Float64Array | number[],
    finiteOnly: boolean,
  ): boolean {
    const start = this.p;
    const { literals, slots } = layout;
    for (let k = 0; k < slots.length; k++) {
      const value = this.literal(literals[k]) ? this.number() : NaN;
      if (Number.isNaN(value)) {
        this.p = start;
        return false;
      }
      into[slots[k]] = !finiteOnly || Number.isFinite(value) ? value : 0;
    }
    if (this.literal(literals[slots.length])) return true;
    this.p = start;
    return false;
  }

  /** An object of `Task Metrics` (or a nested one): numbers into their slots, the rest skipped. */
  private metricObject(specs: KeySpec[], depth: number): boolean {
    const b = this.b;
    if (b[this.p] !== OPEN_BRACE) return false;
    this.p++;
    if (b[this.p] === CLOSE_BRACE) {
      this.p++;
      return true;
    }
    let seen = 0;
    let hint = 0;
    for (;;) {
      const spec = this.key(specs, hint);
      if (spec === undefined) return false;
      if (spec === null) {
        if (!this.skipValue(depth + 2)) return false;
      } else {
        if (seen & spec.bit) return false;
        seen |= spec.bit;
        hint = spec.index + 1;
        if (spec.children) {
          if (!this.metricObject(spec.children, depth + 1)) return false;
        } else {
          this.cuts?.push(this.p);
          const value = this.number();
          if (Number.isNaN(value)) return false;
          this.metrics[spec.slot!] = Number.isFinite(value) ? value : 0;
          this.cuts?.push(this.p);
          this.slots?.push(spec.slot!);
        }
      }
      const c = b[this.p];
      if (c === COMMA) {
        this.p++;
        continue;
      }
      if (c === CLOSE_BRACE) {
        this.p++;
        return true;
      }
      return false;
    }
  }

  /**
   * Reads `"key":` and answers its spec, null for a key not in `specs` (its value is then the
   * caller's to skip), undefined when the bytes are not a plain key (escapes, bad bytes).
   * `hint` is the index of the key Spark writes next there, tried first.
   */
  private key(specs: KeySpec[], hint: number): KeySpec | null | undefined {
    const b = this.b;
    if (b[this.p] !== QUOTE) return undefined;
    const start = this.p + 1;
    if (hint < specs.length) {
      this.p = start;
      if (this.literal(specs[hint].quoted)) return specs[hint];
    }
    const end = this.keyEnd(start);
    if (end < 0 || b[end + 1] !== COLON) return undefined;
    this.p = end + 2;
    const length = end - start;
    for (let k = 0; k < specs.length; k++) {
      const spec = specs[k];
      if (spec.bytes.length === length && sameBytes(b, start, end, spec.bytes))
        return spec;
    }
    return null;
  }

  /** Where the key starting at `start` ends (its closing quote); -1 for escapes or control bytes. */
  private keyEnd(start: number): number {
    const b = this.b;
    const e = this.e;
    for (let i = start; i < e; i++) {
      const c = b[i];
      if (c === QUOTE) return i;
      if (c === BACKSLASH || c < 0x20) return -1;
    }
    return -1;
  }

  /** After a value: true after a comma (another key follows), false at the closing brace. */
  private afterValue(): boolean {
    const c = this.b[this.p];
    if (c === COMMA) {
      this.p++;
      return true;
    }
    return false;
  }

  private endOfLine(): boolean {
    return this.b[this.p] === CLOSE_BRACE && this.p + 1 === this.e;
  }

  /** Steps over `literal` when the bytes here are exactly its bytes. */
  private literal(literal: Literal): boolean {
    const p = this.p;
    const { bytes, words } = literal;
    const length = bytes.length;
    if (p + length > this.e) return false;
    // Four bytes at a time: the literals between the numbers of a metric object are most
    // of what a task-end line is compared against.
    const view = this.view;
    let i = 0;
    for (let w = 0; w < words.length; w++, i += 4) {
      if (view.getInt32(p + i, true) !== words[w]) return false;
    }
    const b = this.b;
    for (; i < length; i++) {
      if (b[p + i] !== bytes[i]) return false;
    }
    this.p = p + length;
    return true;
  }

  /**
   * A JSON number as JSON.parse reads it; NaN when the bytes are not one (JSON has no NaN).
   * Short integers are summed up digit by digit; anything else goes through Number().
   */
  private number(): number {
    const b = this.b;
    const e = this.e;
    const start = this.p;
    let i = start;
    let negative = false;
    if (b[i] === MINUS) {
      negative = true;
      i++;
    }
    const digitsStart = i;
    let value = 0;
    let c = b[i];
    if (c === ZERO) {
      i++;
    } else if (c > ZERO && c <= NINE) {
      for (; i < e; i++) {
        const digit = b[i] - ZERO;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
    } else {
      return NaN;
    }
    let exact = i - digitsStart <= MAX_FAST_DIGITS;
    c = i < e ? b[i] : 0;
    if (c === DOT) {
      const from = i + 1;
      i = this.digitsEnd(from);
      if (i === from) return NaN;
      exact = false;
      c = i < e ? b[i] : 0;
    }
    if (c === 0x65 /* e */ || c === 0x45 /* E */) {
      i++;
      c = b[i];
      if (c === 0x2b /* + */ || c === MINUS) i++;
      const from = i;
      i = this.digitsEnd(from);
      if (i === from) return NaN;
      exact = false;
    }
    this.p = i;
    if (!exact) return Number(latin1(b, start, i));
    return negative ? -value : value;
  }

  private digitsEnd(from: number): number {
    const b = this.b;
    let i = from;
    while (i < this.e && b[i] >= ZERO && b[i] <= NINE) i++;
    return i;
  }

  /** Validates and steps over any JSON value. */
  private skipValue(depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    const b = this.b;
    const c = b[this.p];
    if (c === QUOTE) return this.skipString();
    if (c === OPEN_BRACE) {
      this.p++;
      if (b[this.p] === CLOSE_BRACE) {
        this.p++;
        return true;
      }
      for (;;) {
        if (b[this.p] !== QUOTE || !this.skipString()) return false;
        if (b[this.p] !== COLON) return false;
        this.p++;
        if (!this.skipValue(depth + 1)) return false;
        const next = b[this.p];
        this.p++;
        if (next === COMMA) continue;
        return next === CLOSE_BRACE;
      }
    }
    if (c === OPEN_BRACKET) {
      this.p++;
      if (b[this.p] === CLOSE_BRACKET) {
        this.p++;
        return true;
      }
      for (;;) {
        if (!this.skipValue(depth + 1)) return false;
        const next = b[this.p];
        this.p++;
        if (next === COMMA) continue;
        return next === CLOSE_BRACKET;
      }
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const value = this.number();
      return !Number.isNaN(value);
    }
    if (c === 0x74 /* t */) return this.literal(TRUE);
    if (c === 0x66 /* f */) return this.literal(FALSE);
    if (c === 0x6e /* n */) return this.literal(NULL);
    return false;
  }

  /** Validates and steps over a string: escapes as JSON allows them, no raw control bytes. */
  private skipString(): boolean {
    const b = this.b;
    const e = this.e;
    let i = this.p + 1;
    for (;;) {
      if (i >= e) return false;
      const c = b[i];
      if (c === QUOTE) {
        this.p = i + 1;
        return true;
      }
      if (c < 0x20) return false;
      if (c === BACKSLASH) {
        const escaped = b[i + 1];
        if (escaped === 0x75 /* u */) {
          for (let k = i + 2; k < i + 6; k++) {
            const h = b[k] | 0x20;
            if (!((h >= ZERO && h <= NINE) || (h >= 0x61 && h <= 0x66)))
              return false;
          }
          i += 6;
          continue;
        }
        if (
          escaped !== QUOTE &&
          escaped !== BACKSLASH &&
          escaped !== 0x2f /* / */ &&
          escaped !== 0x62 /* b */ &&
          escaped !== 0x66 /* f */ &&
          escaped !== 0x6e /* n */ &&
          escaped !== 0x72 /* r */ &&
          escaped !== 0x74 /* t */
        )
          return false;
        i += 2;
        continue;
      }
      i++;
    }
  }
}

/** Bytes to match exactly, with their whole 32-bit words (little-endian) beside them. */
interface Literal {
  bytes: Uint8Array;
  words: Int32Array;
}

function literalOf(bytes: Uint8Array): Literal {
  const words = new Int32Array(bytes.length >> 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let w = 0; w < words.length; w++) words[w] = view.getInt32(4 * w, true);
  return { bytes, words };
}

function sameBytes(
  b: Uint8Array,
  start: number,
  end: number,
  bytes: Uint8Array,
): boolean {
  if (end - start !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) {
    if (b[start + i] !== bytes[i]) return false;
  }
  return true;
}

function indexOfByte(
  b: Buffer,
  byte: number,
  from: number,
  end: number,
): number {
  const at = b.indexOf(byte, from);
  return at === -1 || at >= end ? -1 : at;
}

function latin1(b: Buffer, start: number, end: number): string {
  return b.toString('latin1', start, end);
}

/** A copy of some bytes of a chunk (a view would keep the whole chunk alive). */
function copyOf(b: Buffer, start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(b, start, end);
}
