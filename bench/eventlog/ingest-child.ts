/**
 * One ingestion of an event-log directory into a fresh SQLite file, in its own process so its
 * peak RSS is its own. Prints one JSON line: time to ingest, time until `/jobs` could answer,
 * peak RSS and CPU time. Arguments: log directory, SQLite file, app id, and optionally the
 * number of scan threads (0: none).
 */
import { ingestDirectory } from '../../plugins/spark-backend/src/__testUtils__/ingestDirectory';

async function main() {
  const [dir, sqliteFile, appId, threads] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const { knex, store, scanThreadsCpuMs } = await ingestDirectory({
    dir,
    sqliteFile,
    // Default: as a backend would (one scan thread per core but one).
    scanThreads: threads === undefined ? undefined : Number(threads),
  });
  const ingestedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const [attempt] = await store.getHistoryDocuments(appId);
  const jobsMs = Number(process.hrtime.bigint() - started) / 1e6;
  await knex.destroy();
  console.log(
    JSON.stringify({
      ingestedMs,
      jobsMs,
      jobs: attempt?.documents.jobs.length ?? 0,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      // CPU time says what the work costs when other processes share the cores.
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      // Per thread: on free cores the ingestion takes about the larger of the two.
      mainThreadCpuMs:
        (process.threadCpuUsage().user + process.threadCpuUsage().system) /
        1000,
      scanThreadsCpuMs,
    }),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
