/**
 * The bundled demo data (demo-data/, written by demo-data/generate.sh from real Spark runs):
 * its files are what the generator wrote, and the portal's own sources read every run the way
 * the runs went. Uses SQLite files only, no servers.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import {
  demoAppId,
  demoDataDir,
  filesUnder,
  loadDemoStore,
  readDemoManifest,
} from './__testUtils__/demoStore';
import type { SparkStore } from './store/SparkStore';

const demo = demoDataDir();
const manifest = readDemoManifest();

const appIdOf = (entry: string) =>
  demoAppId(manifest.runs.find(run => run.entry === entry)!);

describe('demo data', () => {
  it('is exactly what the generator wrote', () => {
    const onDisk = [
      ...filesUnder(path.join(demo, 'eventlogs')),
      ...filesUnder(path.join(demo, 'kubernetes')),
    ]
      .map(file => path.relative(demo, file))
      .sort();
    expect(onDisk).toEqual(Object.keys(manifest.files).sort());
    for (const [file, sha] of Object.entries(manifest.files)) {
      const actual = createHash('sha256')
        .update(fs.readFileSync(path.join(demo, file)))
        .digest('hex');
      expect({ file, sha: actual }).toEqual({ file, sha });
    }
  });

  describe('read by the portal', () => {
    let knex: Knex;
    let store: SparkStore;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ knex, store, close } = await loadDemoStore());
    }, 120_000);

    afterAll(() => close?.());

    it('reads every log and every manifest without a problem', async () => {
      const sources = await store.listSourceStatus();
      expect(
        sources.map(s => ({
          id: s.id,
          status: s.status,
          problems: s.problems,
        })),
      ).toEqual(
        expect.arrayContaining([
          { id: 'eventlog:local', status: 'ok', problems: [] },
          { id: 'kubernetes-snapshot:demo', status: 'ok', problems: [] },
        ]),
      );
    });

    it.each(manifest.runs.map(run => [run.id, run] as const))(
      '%s ends as the run did',
      async (_id, run) => {
        const { app, stages, kubernetes } = await store.getAppDetails(
          appIdOf(run.entry),
        );
        const expected = {
          success: { state: 'SUCCEEDED', complete: true },
          failure: { state: 'FAILED', complete: true },
          'in-progress': { state: 'RUNNING', complete: false },
        }[run.expect];
        expect({ state: app.state, complete: app.complete }).toEqual(expected);
        expect(app.namespace).toBe(run.namespace);
        expect(app.cluster).toBe('demo');
        expect(stages.length).toBeGreaterThan(0);
        // Its SparkApplication and driver pod, from the snapshot.
        expect(kubernetes.map(o => o.kind).sort()).toEqual(
          expect.arrayContaining([
            'Pod',
            'SparkApplication.sparkoperator.k8s.io',
          ]),
        );
        // A failed run says why; the others have nothing to say.
        expect(Boolean(app.failureReason)).toBe(run.expect === 'failure');
      },
    );

    it('shows the runs as they went: skew, spill, a lost executor', async () => {
      const byRun = new Map(manifest.runs.map(r => [r.id, appIdOf(r.entry)]));
      const skewed = await store.getAppDetails(
        byRun.get('fraud-features-skewed-join')!,
      );
      const joinStage = skewed.stages.reduce((a, b) =>
        (b.quantiles?.durationMs?.[5] ?? 0) >
        (a.quantiles?.durationMs?.[5] ?? 0)
          ? b
          : a,
      );
      const [, , median, , , max] = joinStage.quantiles!.durationMs!;
      expect(max).toBeGreaterThan(3 * Math.max(median, 1));

      const spill = await store.getAppDetails(
        byRun.get('marketing-attribution-spill')!,
      );
      expect(spill.app.metrics?.diskBytesSpilled).toBeGreaterThan(0);

      const lost = await store.getAppDetails(
        byRun.get('feature-backfill-executor-lost')!,
      );
      expect(lost.executors.some(e => e.removeReason)).toBe(true);
      expect(lost.failures.map(f => f.reason)).toContain('ExecutorLostFailure');
    });

    it('never stores the credential in the jobs conf', async () => {
      const dump = JSON.stringify(
        await knex('spark_app_reports').select('report'),
      );
      expect(dump).not.toContain('demo-credential-redacted-everywhere');
    });
  });
});
