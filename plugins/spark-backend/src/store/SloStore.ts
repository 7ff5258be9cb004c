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

  /** When the first run of a Component that the store knows of started (its history's start). */
  async firstRunAt(entityRef: string): Promise<number | undefined> {
    // The (entity_ref, sort_time) index yields the first row at once.
    const [row] = await this.db('spark_apps')
      .where('entity_ref', entityRef.toLowerCase())
      .orderBy('sort_time', 'asc')
      .limit(1)
      .select(['start_time', 'sort_time']);
    return row ? num(row.start_time) ?? Number(row.sort_time) : undefined;
  }
}
