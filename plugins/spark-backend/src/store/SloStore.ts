import type { SparkAppState } from '@spark-k8s/plugin-spark-common';
import type { Knex } from 'knex';
import type { SloRun } from '../slo/engine';

const LOOKBACK_MS = 86_400_000;

const num = (value: unknown) =>
  value === null || value === undefined ? undefined : Number(value);

/** Run history of Components for the SLO engine: narrow rows from `spark_apps`, never summaries. */
export class SloStore {
  constructor(private readonly db: Knex) {}

  /**
   * Runs of a Component that started or ended in `[from, to)`, plus the last successful run
   * before `from` (freshness needs to know how old the data was when the window opened).
   */
  async runsOf(entityRef: string, from: number, to: number): Promise<SloRun[]> {
    const ref = entityRef.toLowerCase();
    const columns = ['app_id', 'state', 'start_time', 'end_time', 'sort_time'];
    // Both queries walk the (entity_ref, sort_time) index; a run that started up to a day
    // before the window can still end inside it.
    const [inWindow, before] = await Promise.all([
      this.db('spark_apps')
        .where('entity_ref', ref)
        .andWhere('sort_time', '>=', from - LOOKBACK_MS)
        .andWhere('sort_time', '<', to)
        .select(columns),
      this.db('spark_apps')
        .where('entity_ref', ref)
        .andWhere('sort_time', '<', from - LOOKBACK_MS)
        .andWhere('state', 'SUCCEEDED')
        .orderBy('sort_time', 'desc')
        .limit(1)
        .select(columns),
    ]);
    return [...before, ...inWindow].map(row => ({
      startTime: num(row.start_time) ?? Number(row.sort_time),
      endTime: num(row.end_time),
      state: row.state as SparkAppState,
      // The Kubernetes source keys apps the operator never submitted by their object (k8s:…).
      submissionFailed:
        row.state === 'FAILED' && String(row.app_id).startsWith('k8s:'),
    }));
  }
}
