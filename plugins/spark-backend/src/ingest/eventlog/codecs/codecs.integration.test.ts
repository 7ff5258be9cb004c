/**
 * Real event logs from real Spark runs, one run per codec, across both Spark versions and both
 * layouts (single file, rolling directory). Each decoded log is checked against Spark's own
 * reader (the History Server's EventLogFileReader.openEventLog, in SparkCodecTool.java) and,
 * for zstd, against the zstd CLI. lz4's CLI reads the LZ4 frame format only, not lz4-java's
 * LZ4Block, so Spark is the independent decoder there.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  makeTempDir,
  removeDir,
  runSparkJob,
  sparkInstall,
  sparkVersions,
  type EventLog,
} from '@spark-k8s/harness';
import {
  type EventLogCodec,
  parseEventLogName,
} from '@spark-k8s/plugin-spark-common';
import { type EventLogLine, openFile, readEventLogLines } from '../lines';
import { ZstdFrameWalker } from './zstdFrames';

const run = promisify(execFile);

const SCRIPT = `
import os, time
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("codec-check").getOrCreate()
sc = spark.sparkContext
pause = float(os.environ.get("PAUSE_SECONDS", "0"))
for _ in range(3):
    sc.parallelize(range(20000), 4).map(lambda x: (x % 7, x)).reduceByKey(lambda a, b: a + b).collect()
    time.sleep(pause)
spark.range(0, 50000, numPartitions=4).selectExpr("id % 13 as k").groupBy("k").count().collect()
spark.stop()
`;

interface Case {
  name: string;
  sparkVersion: string;
  codec?: EventLogCodec;
  rolling: boolean;
}

const CASES: Case[] = [
  {
    name: 'zstd',
    sparkVersion: sparkVersions.spark4,
    codec: 'zstd',
    rolling: true,
  },
  {
    name: 'snappy',
    sparkVersion: sparkVersions.spark4,
    codec: 'snappy',
    rolling: true,
  },
  { name: 'uncompressed', sparkVersion: sparkVersions.spark4, rolling: false },
  {
    name: 'lz4',
    sparkVersion: sparkVersions.spark35,
    codec: 'lz4',
    rolling: false,
  },
  {
    name: 'lzf',
    sparkVersion: sparkVersions.spark35,
    codec: 'lzf',
    rolling: true,
  },
];

interface Snapshot {
  lines: EventLogLine[];
}

interface Ran {
  log: EventLog;
  /** Each event file of the log with what we read from it and what Spark's reader gives. */
  files: Array<{ file: string; lines: EventLogLine[]; spark: Buffer }>;
}

async function readAll(
  file: string,
  codec: EventLogCodec | undefined,
  options: { inProgress?: boolean; fromOffset?: number } = {},
): Promise<EventLogLine[]> {
  const lines: EventLogLine[] = [];
  for await (const line of readEventLogLines({
    open: openFile(file),
    codec,
    inProgress: options.inProgress ?? false,
    fromOffset: options.fromOffset,
    label: file,
  })) {
    lines.push(line);
  }
  return lines;
}

function codecOf(file: string): EventLogCodec | undefined {
  const name = parseEventLogName(path.basename(file));
  if (!name || (name.kind !== 'single' && name.kind !== 'rolling-part')) {
    throw new Error(`${file} is not an event-log file name`);
  }
  return name.codec;
}

function joined(lines: EventLogLine[]): Buffer {
  return Buffer.from(lines.map(line => `${line.text}\n`).join(''));
}

/** Decodes files with Spark's own reader, in one JVM per Spark version. */
async function decodeWithSpark(
  sparkVersion: string,
  files: string[],
  outDir: string,
): Promise<Map<string, Buffer>> {
  const install = sparkInstall(sparkVersion);
  const args = [
    '-cp',
    path.join(install.sparkHome, 'jars', '*'),
    `-Djava.io.tmpdir=${outDir}`,
    path.join(__dirname, '__fixtures__', 'SparkCodecTool.java'),
  ];
  const outputs = files.map((_file, i) =>
    path.join(outDir, `spark-decoded-${sparkVersion}-${i}`),
  );
  files.forEach((file, i) => args.push('decode', file, outputs[i]));
  await run(path.join(install.javaHome, 'bin', 'java'), args, {
    env: { ...process.env, SPARK_LOCAL_IP: '127.0.0.1' },
    maxBuffer: 16 << 20,
  });
  return new Map(files.map((file, i) => [file, fs.readFileSync(outputs[i])]));
}

describe('event logs written by real Spark', () => {
  let tmp: string;
  const ran = new Map<string, Ran>();
  const snapshots: Snapshot[] = [];

  /** Reads the rolling zstd log while Spark writes it, as a tailing ingester would. */
  async function watchInProgress(logDir: string, done: () => boolean) {
    while (!done()) {
      await new Promise(resolve => setTimeout(resolve, 300));
      const dirs = fs.existsSync(logDir)
        ? fs.readdirSync(logDir).filter(name => name.startsWith('eventlog_v2_'))
        : [];
      for (const dir of dirs) {
        const children = fs.readdirSync(path.join(logDir, dir));
        const inProgress = children.some(
          name => name.startsWith('appstatus_') && name.endsWith('.inprogress'),
        );
        const part = children.find(name => name.startsWith('events_1_'));
        if (!inProgress || !part) continue;
        const lines = await readAll(path.join(logDir, dir, part), 'zstd', {
          inProgress: true,
        });
        snapshots.push({ lines });
      }
    }
  }

  beforeAll(async () => {
    tmp = makeTempDir('eventlog-codecs');
    for (const c of CASES) {
      const logDir = path.join(tmp, c.name);
      const conf: Record<string, string> = {
        'spark.eventLog.compress': c.codec ? 'true' : 'false',
        'spark.eventLog.rolling.enabled': String(c.rolling),
      };
      if (c.codec) conf['spark.eventLog.compression.codec'] = c.codec;
      let finished = false;
      const tailed = c.name === 'zstd';
      const watching = tailed
        ? watchInProgress(logDir, () => finished)
        : Promise.resolve();
      try {
        const { eventLogs } = await runSparkJob({
          sparkVersion: c.sparkVersion,
          script: SCRIPT,
          eventLogDir: logDir,
          conf,
          env: tailed ? { PAUSE_SECONDS: '1.5' } : undefined,
        });
        ran.set(c.name, { log: eventLogs[0], files: [] });
      } finally {
        finished = true;
        await watching;
      }
    }
    for (const version of new Set(CASES.map(c => c.sparkVersion))) {
      const files = CASES.filter(c => c.sparkVersion === version).flatMap(
        c => ran.get(c.name)!.log.files,
      );
      const spark = await decodeWithSpark(version, files, tmp);
      for (const c of CASES.filter(k => k.sparkVersion === version)) {
        const entry = ran.get(c.name)!;
        for (const file of entry.log.files) {
          entry.files.push({
            file,
            lines: await readAll(file, codecOf(file)),
            spark: spark.get(file)!,
          });
        }
      }
    }
  }, 900_000);

  afterAll(() => {
    if (tmp) removeDir(tmp);
  });

  describe.each(CASES)('$name (Spark $sparkVersion)', c => {
    it('was written in the layout and codec asked for', () => {
      const { log } = ran.get(c.name)!;
      expect(log.rolling).toBe(c.rolling);
      for (const file of log.files) expect(codecOf(file)).toBe(c.codec);
    });

    it('decodes to exactly what Spark reads', () => {
      for (const { file, lines, spark } of ran.get(c.name)!.files) {
        const ours = joined(lines);
        expect({ file, bytes: ours.length }).toEqual({
          file,
          bytes: spark.length,
        });
        expect(ours.equals(spark)).toBe(true);
      }
    });

    it('is JSON lines from SparkListenerLogStart to SparkListenerApplicationEnd', () => {
      const events = ran
        .get(c.name)!
        .files.flatMap(({ lines }) => lines)
        .map(line => JSON.parse(line.text).Event as string);
      expect(events.length).toBeGreaterThan(20);
      expect(events[0]).toBe('SparkListenerLogStart');
      expect(events[events.length - 1]).toBe('SparkListenerApplicationEnd');
      expect(events).toContain('SparkListenerTaskEnd');
    });

    it('resumes from the middle of the file at the same lines', async () => {
      const { file, lines } = ran.get(c.name)!.files[0];
      const middle = Math.floor(lines.length / 2);
      expect(
        await readAll(file, c.codec, { fromOffset: lines[middle - 1].end }),
      ).toEqual(lines.slice(middle));
    });
  });

  it('decodes zstd like the zstd CLI, over the many frames Spark writes', async () => {
    for (const { file, lines } of ran.get('zstd')!.files) {
      const { stdout } = await run('zstd', ['-dc', file], {
        encoding: 'buffer',
        maxBuffer: 256 << 20,
      });
      expect(joined(lines).equals(stdout)).toBe(true);
      const frames = new ZstdFrameWalker()
        .walk(fs.readFileSync(file))
        .filter(cut => cut.frameEnd);
      expect(frames.length).toBeGreaterThan(1);
    }
  });

  it('tails the zstd log while Spark writes it, each read a prefix of the final log', async () => {
    const final = ran.get('zstd')!.files[0];
    const partial = snapshots.filter(
      s => s.lines.length > 0 && s.lines.length < final.lines.length,
    );
    expect(partial.length).toBeGreaterThan(0);
    for (const snapshot of snapshots) {
      expect(snapshot.lines).toEqual(
        final.lines.slice(0, snapshot.lines.length),
      );
    }
    // Where a tail read stopped is where the next read of the grown file goes on.
    const { lines } = partial[0];
    expect(
      await readAll(final.file, 'zstd', {
        fromOffset: lines[lines.length - 1].end,
      }),
    ).toEqual(final.lines.slice(lines.length));
  });
});
