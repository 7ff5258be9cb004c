import path from 'node:path';
import { DirectoryEventLogStorage } from '../../sources/eventlog/storage';
import { EventLogAggregator } from './aggregator';
import { readEventLogLineSpans } from './lines';
import { EventLineConsumer, EventLineSyntaxError } from './parseEvent';
import { TaskEventScanner } from './taskEventScanner';
import {
  type TaskEndRecord,
  taskEndFromJson,
  type TaskStartRecord,
  taskStartFromJson,
} from './taskEvents';

/** Real logs of real Spark runs: zstd rolling logs, lz4, snappy and plain single files. */
const demoLogs = path.resolve(__dirname, '../../../../../demo-data/eventlogs');

interface DemoLog {
  key: string;
  codecs: string[];
  lines: string[];
}

async function readDemoLogs(): Promise<DemoLog[]> {
  const storage = new DirectoryEventLogStorage(demoLogs);
  const logs: DemoLog[] = [];
  for (const entry of await storage.listLogs()) {
    const lines: string[] = [];
    for (const file of entry.files) {
      for await (const { bytes, starts, ends } of readEventLogLineSpans({
        open: start => storage.open(file.name, start),
        codec: file.codec,
        inProgress: entry.inProgress,
        label: file.name,
      })) {
        starts.forEach((start, i) =>
          lines.push(bytes.toString('utf8', start, ends[i])),
        );
      }
    }
    logs.push({
      key: entry.key,
      codecs: entry.files.map(file => file.codec ?? 'none'),
      lines,
    });
  }
  return logs;
}

/** A record as plain data: typed arrays as arrays, only the entries in use. */
function plain(record: TaskStartRecord | TaskEndRecord): unknown {
  if (!('metrics' in record)) return { ...record };
  const peaks = record.executorMetrics;
  return {
    ...record,
    metrics: record.metrics && Array.from(record.metrics),
    executorMetrics: peaks && {
      isObject: peaks.isObject,
      count: peaks.count,
      keys: peaks.keys.slice(0, peaks.count),
      values: Array.from(peaks.values).slice(0, peaks.count),
    },
  };
}

/** What the scanner makes of a line: a record as plain data, or undefined (JSON.parse it). */
function scan(scanner: TaskEventScanner, line: string): unknown {
  // The line sits inside a larger chunk, as it does when read, with bytes after it.
  const bytes = Buffer.from(`${line}\n{"Event":"Next"}]}\n`);
  const end = Buffer.byteLength(line);
  switch (scanner.scan(bytes, 0, end)) {
    case 'taskStart':
      return plain(scanner.taskStart);
    case 'taskEnd':
      return plain(scanner.taskEnd);
    default:
      return undefined;
  }
}

/** What JSON.parse makes of a line, as the aggregator reads it. */
function fromJson(line: string): unknown {
  const event = JSON.parse(line);
  if (event.Event === 'SparkListenerTaskStart')
    return plain(taskStartFromJson(event));
  return plain(taskEndFromJson(event));
}

let logs: DemoLog[];
let taskEnd: string;
let taskStart: string;

beforeAll(async () => {
  logs = await readDemoLogs();
  const all = logs.flatMap(log => log.lines);
  // A task end that read and wrote shuffle data, and a task start.
  taskEnd = all.find(
    line =>
      line.startsWith('{"Event":"SparkListenerTaskEnd"') &&
      line.includes('"Reason":"Success"') &&
      /"Remote Bytes Read":[1-9]|"Local Bytes Read":[1-9]/.test(line) &&
      /"Shuffle Bytes Written":[1-9]/.test(line),
  )!;
  taskStart = all.find(line =>
    line.startsWith('{"Event":"SparkListenerTaskStart"'),
  )!;
});

describe('TaskEventScanner on the demo logs', () => {
  it('covers every codec and both Spark lines', () => {
    const codecs = new Set(logs.flatMap(log => log.codecs));
    expect([...codecs].sort()).toEqual(['lz4', 'none', 'snappy', 'zstd']);
    const versions = new Set(
      logs.map(log => JSON.parse(log.lines[0])['Spark Version'].slice(0, 1)),
    );
    expect([...versions].sort()).toEqual(['3', '4']);
  });

  it('reads every task start and successful task end exactly as JSON.parse does, and leaves the rest to it', () => {
    const scanner = new TaskEventScanner();
    const seen = { taskStart: 0, taskEnd: 0, failedTaskEnd: 0, other: 0 };
    for (const line of logs.flatMap(log => log.lines)) {
      const event = JSON.parse(line);
      const succeeded = event['Task End Reason']?.Reason === 'Success';
      let expected: unknown;
      if (event.Event === 'SparkListenerTaskStart') {
        seen.taskStart += 1;
        expected = fromJson(line);
      } else if (event.Event === 'SparkListenerTaskEnd' && succeeded) {
        seen.taskEnd += 1;
        expected = fromJson(line);
      } else if (event.Event === 'SparkListenerTaskEnd') {
        seen.failedTaskEnd += 1;
      } else {
        seen.other += 1;
      }
      expect(scan(scanner, line)).toEqual(expected);
    }
    expect(seen.taskStart).toBeGreaterThan(100);
    expect(seen.taskEnd).toBeGreaterThan(100);
    expect(seen.failedTaskEnd).toBeGreaterThanOrEqual(2);
    expect(seen.other).toBeGreaterThan(100);
  });

  it('leaves an aggregator in the same state as JSON.parse of every line', () => {
    for (const log of logs) {
      const fast = new EventLogAggregator();
      const consumer = new EventLineConsumer(fast);
      const slow = new EventLogAggregator();
      for (const line of log.lines) {
        const bytes = Buffer.from(line);
        consumer.consume(bytes, 0, bytes.length);
        slow.consume(JSON.parse(line));
      }
      expect(fast.toState()).toEqual(slow.toState());
      expect(fast.report()).toEqual(slow.report());
    }
  });
});

describe('TaskEventScanner on odd lines', () => {
  /** Edits a real line; the edit must change it, so no case silently tests the original. */
  const edit = (line: string, from: string | RegExp, to: string) => {
    const edited = line.replace(from, to);
    expect(edited).not.toBe(line);
    return edited;
  };

  const readByScanner: Array<[string, () => string]> = [
    ['the real task end', () => taskEnd],
    ['the real task start', () => taskStart],
    [
      'escapes and unicode in skipped strings',
      () =>
        edit(
          taskEnd,
          '"Host":"localhost"',
          '"Host":"h\\"o\\\\s\\/t\\u00e9\\n ]},\\"Task Metrics\\":{ узел 主机 🚀"',
        ),
    ],
    [
      'an accumulator name that looks like the end of the task info',
      () =>
        edit(
          taskEnd,
          /"Name":"[^"]*"/,
          '"Name":"x\\"]},\\"Task Metrics\\":{\\"Executor Run Time\\":1}}"',
        ),
    ],
    [
      'a bracket inside an accumulator value',
      () => edit(taskEnd, /"Value":"[^"]*"/, '"Value":"[1]},\\"x"'),
    ],
    [
      'an array value among the accumulators',
      () =>
        edit(taskEnd, /"Update":("[^"]*"|\d+)/, '"Update":[{"a":[1,[]]},"]"]'),
    ],
    [
      'no accumulators',
      () =>
        edit(
          taskEnd,
          /"Accumulables":\[.*?\]\},"Task/,
          '"Accumulables":[]},"Task',
        ),
    ],
    ['no task metrics', () => edit(taskEnd, /,"Task Metrics":\{.*\}\}$/, '}')],
    [
      'no executor metrics',
      () => edit(taskEnd, /,"Task Executor Metrics":\{[^}]*\}/, ''),
    ],
    [
      'metrics missing, unknown and reordered',
      () =>
        edit(
          edit(taskEnd, /"Executor Run Time":\d+,/, ''),
          '"Result Size":',
          '"Some Future Metric":{"a":[1,2,{"b":null}]},"Executor Run Time":7,"Result Size":',
        ),
    ],
    [
      'numbers JSON.parse reads differently from digits',
      () =>
        edit(
          edit(
            edit(
              taskEnd,
              /"Executor Run Time":\d+/,
              '"Executor Run Time":1.5e3',
            ),
            /"JVM GC Time":\d+/,
            '"JVM GC Time":-0',
          ),
          /"Result Size":\d+/,
          '"Result Size":12345678901234567890',
        ),
    ],
    [
      'a number too large for a double',
      () =>
        edit(taskEnd, /"Executor CPU Time":\d+/, '"Executor CPU Time":1e400'),
    ],
    [
      'unknown keys in the task info',
      () =>
        edit(
          taskEnd,
          '"Locality":',
          '"Future Field":{"x":[true,false,null]},"Locality":',
        ),
    ],
    [
      'task info without the fields read from it',
      () =>
        edit(
          taskEnd,
          /"Task Info":\{.*?"Accumulables":/,
          '"Task Info":{"Accumulables":',
        ),
    ],
  ];

  it.each(readByScanner)('reads %s as JSON.parse does', (_, line) => {
    const scanned = scan(new TaskEventScanner(), line());
    expect(scanned).toBeDefined();
    expect(scanned).toEqual(fromJson(line()));
  });

  const leftToJsonParse: Array<[string, () => string]> = [
    [
      'a failed task',
      () =>
        edit(
          taskEnd,
          '{"Reason":"Success"}',
          '{"Reason":"ExceptionFailure","Class Name":"java.lang.RuntimeException","Description":"boom","Stack Trace":[],"Accumulator Updates":[]}',
        ),
    ],
    [
      'a killed task',
      () =>
        edit(
          taskEnd,
          '{"Reason":"Success"}',
          '{"Reason":"TaskKilled","Kill Reason":"another attempt succeeded"}',
        ),
    ],
    [
      'a timestamp (the aggregator reads it)',
      () =>
        edit(taskEnd, '"Task Type":', '"Timestamp":1796154856393,"Task Type":'),
    ],
    [
      'a repeated key',
      () =>
        edit(
          taskEnd,
          '"Stage Attempt ID":0',
          '"Stage Attempt ID":0,"Stage ID":9',
        ),
    ],
    [
      'a repeated key hidden behind a closing bracket in the accumulators',
      () =>
        edit(
          taskEnd,
          /"Accumulables":\[/,
          '"Accumulables":[],"Index":987,"Other":[',
        ),
    ],
    [
      'a repeated metrics object',
      () =>
        edit(
          taskEnd,
          '"Shuffle Write Metrics":',
          '"Shuffle Read Metrics":{},"Shuffle Write Metrics":',
        ),
    ],
    ['whitespace', () => edit(taskEnd, '"Stage ID":', '"Stage ID": ')],
    [
      'an escaped key',
      () => edit(taskEnd, '"Launch Time":', '"Launch\\u0020Time":'),
    ],
    [
      'a non-ASCII executor id',
      () =>
        edit(taskEnd, /"Executor ID":"[^"]*"/, '"Executor ID":"исполнитель-1"'),
    ],
    [
      'an executor id that is a number',
      () => edit(taskEnd, /"Executor ID":"[^"]*"/, '"Executor ID":7'),
    ],
    [
      'a metric that is a string',
      () => edit(taskEnd, /"Executor Run Time":\d+/, '"Executor Run Time":"7"'),
    ],
    [
      'an index-like executor metric key',
      () => edit(taskEnd, '"JVMHeapMemory":', '"0":1,"JVMHeapMemory":'),
    ],
    [
      'a NUL byte among the accumulators',
      () => edit(taskEnd, /"Name":"/, '"Name":"\u0000'),
    ],
    ['a cut line', () => taskEnd.slice(0, taskEnd.length - 10)],
    ['a line with more after it', () => `${taskEnd}}`],
    [
      'another event',
      () => edit(taskEnd, 'SparkListenerTaskEnd', 'SparkListenerTaskEndX'),
    ],
    [
      'a leading zero',
      () => edit(taskEnd, /"Executor Run Time":\d+/, '"Executor Run Time":012'),
    ],
  ];

  it.each(leftToJsonParse)('leaves %s to JSON.parse', (_, line) => {
    expect(scan(new TaskEventScanner(), line())).toBeUndefined();
  });

  const notJson = [
    'a NUL byte among the accumulators',
    'a cut line',
    'a line with more after it',
    'a leading zero',
  ];
  const isJson = (line: string) => {
    try {
      JSON.parse(line);
      return true;
    } catch {
      return false;
    }
  };

  it.each(leftToJsonParse.filter(([name]) => !notJson.includes(name)))(
    'ingests %s as JSON.parse reads it',
    (_, line) => {
      const text = line();
      const bytes = Buffer.from(text);
      const fast = new EventLogAggregator();
      new EventLineConsumer(fast).consume(bytes, 0, bytes.length);
      const slow = new EventLogAggregator();
      slow.consume(JSON.parse(text));
      expect(fast.toState()).toEqual(slow.toState());
    },
  );

  it.each(leftToJsonParse.filter(([name]) => notJson.includes(name)))(
    'rejects %s as not JSON, as JSON.parse does',
    (_, line) => {
      const text = line();
      expect(isJson(text)).toBe(false);
      const bytes = Buffer.from(text);
      const consumer = new EventLineConsumer(new EventLogAggregator());
      expect(() => consumer.consume(bytes, 0, bytes.length)).toThrow(
        EventLineSyntaxError,
      );
    },
  );

  it('reads line after line with one scanner, whatever came before', () => {
    const scanner = new TaskEventScanner();
    const lines = [...readByScanner, ...leftToJsonParse].map(([, line]) =>
      line(),
    );
    const fresh = (line: string) => scan(new TaskEventScanner(), line);
    for (const line of [...lines, ...lines.reverse()]) {
      expect(scan(scanner, line)).toEqual(fresh(line));
    }
  });
});
