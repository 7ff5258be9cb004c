/**
 * Builds ingest-child.ts and what it imports into one JavaScript file, before anything is
 * timed: a deployed backend runs built code, not TypeScript compiled at start-up (as the
 * History Server runs its jars, not Scala). Native modules and drivers stay in node_modules.
 */
import { build } from 'esbuild';
import path from 'node:path';

const NATIVE_OR_OPTIONAL =
  /^(better-sqlite3|lz4-napi|snappy|pg|pg-query-stream|mysql|mysql2|mariadb|oracledb|tedious|sqlite3|@aws-sdk|@backstage\/cli)(\/|$)/;

export async function buildIngestChild(outDir: string): Promise<string> {
  await build({
    entryPoints: {
      'ingest-child': path.join(__dirname, 'ingest-child.ts'),
      // The event-log worker threads load these beside the bundle, as a built backend does.
      scanWorker: path.join(
        __dirname,
        '../../plugins/spark-backend/src/ingest/eventlog/scan/scanWorker.ts',
      ),
      // And the zstd decoding thread.
      zstdWorker: path.join(
        __dirname,
        '../../plugins/spark-backend/src/ingest/eventlog/codecs/zstdWorker.ts',
      ),
    },
    bundle: true,
    platform: 'node',
    target: 'node24',
    outdir: outDir,
    logLevel: 'warning',
    plugins: [
      {
        name: 'native-modules-external',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, args =>
            NATIVE_OR_OPTIONAL.test(args.path)
              ? { path: args.path, external: true }
              : undefined,
          );
        },
      },
    ],
  });
  return path.join(outDir, 'ingest-child.js');
}
