/**
 * Event-log ingestion benchmark, side by side on the same real Spark log:
 * - time until the real Spark History Server answers `/applications/<id>/jobs` vs time until
 *   the portal's ingestion does (both from a cold start);
 * - the portal's decompress-and-ingest rate on the zstd log vs `zstd -dc > /dev/null`;
 * - the portal's peak RSS.
 * Prints the numbers and the ratios; writes them to test-results/bench/eventlog.json.
 */
import {
  makeTempDir,
  removeDir,
  sparkVersions,
  startHistoryServer,
} from '@spark-k8s/harness';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultScanThreads } from '../../plugins/spark-backend/src/ingest/eventlog/scan/ScanWorkerPool';
import { buildIngestChild } from './buildIngestChild';
import { generateBenchLogs } from './generate';

const repoRoot = path.resolve(__dirname, '../..');

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function historyServerTimeToJobs(
  dir: string,
  appId: string,
): Promise<number> {
  const started = Date.now();
  const server = await startHistoryServer({
    sparkVersion: sparkVersions.spark4,
    logDir: dir,
    memory: '4g',
    startTimeoutMs: 600_000,
  });
  try {
    for (;;) {
      const res = await fetch(
        `${server.url}/api/v1/applications/${appId}/jobs`,
      ).catch(() => undefined);
      if (res?.ok) {
        const jobs = (await res.json()) as unknown[];
        if (jobs.length) return Date.now() - started;
      }
      if (Date.now() - started > 3 * 3600_000)
        throw new Error('History Server never answered');
      await new Promise(r => setTimeout(r, 200));
    }
  } finally {
    await server.stop();
  }
}

/** One ingestion in a fresh process; `scanThreads` 0 scans on the main thread, default as deployed. */
function ours(
  ingestChild: string,
  dir: string,
  appId: string,
  scanThreads?: number,
) {
  const tmp = makeTempDir('bench-ingest');
  try {
    const started = Date.now();
    const child = spawnSync(
      process.execPath,
      [
        ingestChild,
        dir,
        path.join(tmp, 'spark.sqlite'),
        appId,
        ...(scanThreads === undefined ? [] : [String(scanThreads)]),
      ],
      { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (child.status !== 0)
      throw new Error(`ingestion failed: ${child.stderr}`);
    const line = child.stdout.trim().split('\n').pop()!;
    return { wallMs: Date.now() - started, ...JSON.parse(line) } as {
      wallMs: number;
      ingestedMs: number;
      jobsMs: number;
      jobs: number;
      maxRssMiB: number;
      cpuMs: number;
      mainThreadCpuMs: number;
      scanThreadsCpuMs: number;
    };
  } finally {
    removeDir(tmp);
  }
}

function zstdDecompressMs(file: string): number {
  const started = process.hrtime.bigint();
  execFileSync('sh', ['-c', `zstd -dc '${file}' > /dev/null`]);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
  const tasks = Number(process.env.TASKS ?? 240000);
  const logs = await generateBenchLogs(tasks);
  const mib = logs.bytes / 2 ** 20;
  console.log(
    `log: ${logs.appId}, ${mib.toFixed(
      0,
    )} MiB uncompressed, ${tasks} tasks, zstd ${(
      fs.statSync(logs.zstdFile).size /
      2 ** 20
    ).toFixed(0)} MiB`,
  );

  // Built inside this checkout (not the shared cache), so it runs this checkout's modules.
  const ingestChild = await buildIngestChild(path.join(__dirname, 'dist'));

  console.log(
    `load average before: ${os
      .loadavg()
      .map(load => load.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const hsMs = await historyServerTimeToJobs(logs.plainDir, logs.appId);
  console.log(`History Server: /jobs after ${seconds(hsMs)}`);
  const describeRun = (run: ReturnType<typeof ours>) =>
    `${seconds(run.cpuMs)} of CPU: main thread ${seconds(
      run.mainThreadCpuMs,
    )}, scan threads ${seconds(
      run.scanThreadsCpuMs,
    )}), peak RSS ${run.maxRssMiB.toFixed(0)} MiB`;
  const threads = defaultScanThreads();
  const plain = ours(ingestChild, logs.plainDir, logs.appId);
  console.log(
    `portal (plain, ${threads} scan threads): /jobs after ${seconds(
      plain.wallMs,
    )} (ingest ${seconds(plain.ingestedMs)}, ${describeRun(plain)}`,
  );
  // The other choice beside the default: one scan thread on few cores, none on many.
  const otherThreads = threads === 0 ? 1 : 0;
  const other = ours(ingestChild, logs.plainDir, logs.appId, otherThreads);
  console.log(
    `portal (plain, ${otherThreads} scan threads): /jobs after ${seconds(
      other.wallMs,
    )} (ingest ${seconds(other.ingestedMs)}, ${describeRun(other)}`,
  );
  const zstd = ours(ingestChild, logs.zstdDir, logs.appId);
  const zstdMs = zstdDecompressMs(logs.zstdFile);
  const oursRate = mib / (zstd.ingestedMs / 1000);
  const zstdRate = mib / (zstdMs / 1000);
  console.log(
    `portal (zstd, ${threads} scan threads): ingest ${seconds(
      zstd.ingestedMs,
    )} = ${oursRate.toFixed(0)} MiB/s (${describeRun(zstd)}`,
  );
  console.log(`zstd -dc: ${seconds(zstdMs)} = ${zstdRate.toFixed(0)} MiB/s`);

  const result = {
    date: new Date().toISOString(),
    log: { appId: logs.appId, mib, tasks, sparkVersion: sparkVersions.spark4 },
    historyServerToJobsMs: hsMs,
    portalToJobsMs: plain.wallMs,
    portalCpuMs: { plain: plain.cpuMs, zstd: zstd.cpuMs },
    portalThreadCpuMs: {
      plain: { main: plain.mainThreadCpuMs, scan: plain.scanThreadsCpuMs },
      zstd: { main: zstd.mainThreadCpuMs, scan: zstd.scanThreadsCpuMs },
    },
    portalWithOtherScanThreads: {
      scanThreads: otherThreads,
      toJobsMs: other.wallMs,
      cpuMs: other.cpuMs,
      mainThreadCpuMs: other.mainThreadCpuMs,
      scanThreadsCpuMs: other.scanThreadsCpuMs,
      peakRssMiB: other.maxRssMiB,
    },
    scanThreads: threads,
    loadAverage: os.loadavg(),
    speedup: hsMs / plain.wallMs,
    portalZstdMiBps: oursRate,
    zstdMiBps: zstdRate,
    decompressionShare: oursRate / zstdRate,
    peakRssMiB: Math.max(plain.maxRssMiB, zstd.maxRssMiB),
  };
  console.log('');
  console.log(
    `speed-up vs History Server: ${result.speedup.toFixed(1)}x (target >= 20x)`,
  );
  console.log(
    `share of zstd -dc rate:     ${(result.decompressionShare * 100).toFixed(
      0,
    )}% (target >= 40%)`,
  );
  console.log(
    `peak RSS:                   ${result.peakRssMiB.toFixed(
      0,
    )} MiB (target <= 300 MiB)`,
  );
  const out = path.join(repoRoot, 'test-results', 'bench');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, 'eventlog.json'),
    JSON.stringify(result, null, 2),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
