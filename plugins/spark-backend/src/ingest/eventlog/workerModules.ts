import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The worker module `name` beside the module `callerFile` (its `__filename`), with the same
 * extension: `.ts` in development, `.cjs.js` in the built package (whose modules keep their
 * own files; the caller imports the worker module, so it is always built), `.js` beside a
 * bundle that builds the worker as its own entry point.
 */
export function workerModuleBeside(callerFile: string, name: string): string {
  const suffix = path.basename(callerFile).replace(/^[^.]*/, '');
  // eslint-disable-next-line no-restricted-syntax -- a file beside the caller, loaded by path
  return path.join(path.dirname(callerFile), `${name}${suffix}`);
}

/** Starts a worker module; in development it is TypeScript, loaded as the tests load it. */
export function startWorkerModule(script: string, workerData: unknown): Worker {
  return new Worker(script, {
    workerData,
    execArgv: script.endsWith('.ts')
      ? [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ]
      : undefined,
  });
}
