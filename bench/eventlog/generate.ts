/**
 * Generates the benchmark's event log with real Spark (once; cached under
 * .cache/bench/eventlog-<spark>-<tasks>/): a plain single-file log and the same log as zstd,
 * named the way Spark names them so the History Server and the portal both read them.
 */
import { cacheDir, runSparkJob, sparkVersions } from '@spark-k8s/harness';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface BenchLogs {
  appId: string;
  plainDir: string;
  zstdDir: string;
  plainFile: string;
  zstdFile: string;
  bytes: number;
  tasks: number;
}

export async function generateBenchLogs(tasks: number): Promise<BenchLogs> {
  const sparkVersion = sparkVersions.spark4;
  const root = path.join(
    cacheDir,
    'bench',
    `eventlog-${sparkVersion}-${tasks}`,
  );
  const plainDir = path.join(root, 'plain');
  const zstdDir = path.join(root, 'zstd');
  const done = path.join(root, 'done.json');
  if (fs.existsSync(done)) return JSON.parse(fs.readFileSync(done, 'utf8'));

  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(zstdDir, { recursive: true });
  const started = Date.now();
  console.log(
    `generating a ${tasks}-task event log with Spark ${sparkVersion} …`,
  );
  const { eventLogs } = await runSparkJob({
    sparkVersion,
    script: path.join(__dirname, 'large_job.py'),
    eventLogDir: plainDir,
    env: { TASKS: String(tasks) },
    timeoutMs: 4 * 3600_000,
    conf: {
      'spark.eventLog.compress': 'false',
      'spark.eventLog.rolling.enabled': 'false',
      'spark.sql.adaptive.enabled': 'false',
      'spark.sql.shuffle.partitions': '200',
      'spark.driver.memory': '3g',
      'spark.ui.retainedTasks': '1000',
      'spark.sql.ui.retainedExecutions': '10',
    },
  });
  const log = eventLogs[0];
  const plainFile = log.files[0];
  const zstdFile = path.join(zstdDir, `${log.appId}.zstd`);
  execFileSync('zstd', ['-q', '-3', '-T2', '-f', plainFile, '-o', zstdFile]);
  const result: BenchLogs = {
    appId: log.appId,
    plainDir,
    zstdDir,
    plainFile,
    zstdFile,
    bytes: fs.statSync(plainFile).size,
    tasks,
  };
  fs.writeFileSync(done, JSON.stringify(result, null, 2));
  console.log(
    `generated ${(result.bytes / 2 ** 20).toFixed(0)} MiB in ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s`,
  );
  return result;
}

if (require.main === module) {
  generateBenchLogs(Number(process.env.TASKS ?? 240000)).catch(error => {
    console.error(error);
    process.exit(1);
  });
}
