import { NotFoundError } from '@backstage/errors';
import type { SparkAppCost } from '@spark-k8s/plugin-spark-common';
import type { Knex } from 'knex';
import type { SparkAppFilter, SparkStore } from './SparkStore';

// Postgres returns bigint and aggregate columns as strings.
const num = (value: unknown): number => Number(value ?? 0);

/** Which apps a cost query covers. */
export interface CostScope {
  teamRef?: string;
  entityRef?: string;
  namespace?: string;
  cluster?: string;
  /** Epoch milliseconds, half-open on the app's start time. */
  from: number;
  to: number;
}

/** A line of an aggregated cost: by day, app, Component, namespace, cluster or team. */
export interface CostRow {
  key: string | null;
  cost: number;
  runs: number;
}

/** Totals of a scope. */
export interface CostTotals {
  cost: number;
  wastedCost: number;
  executorCost: number;
  runs: number;
  usageRuns: number;
}

export type CostGroup = 'day' | 'entity' | 'namespace' | 'cluster' | 'team';

const GROUP_COLUMNS: Record<CostGroup, string> = {
  day: 'spark_app_costs.day',
  entity: 'spark_apps.entity_ref',
  namespace: 'spark_apps.namespace',
  cluster: 'spark_apps.cluster',
  team: 'spark_apps.team_ref',
};

/**
 * The priced costs of apps (`spark_app_costs`): written by the cost pricer, aggregated in SQL
 * for the cost views so a team with many runs is summed by the database.
 */
export class CostStore {
  constructor(private readonly db: Knex, private readonly store: SparkStore) {}

  /**
   * Apps after `after` (by id) whose cost is missing, priced by another model version, older
   * than the app or its pods, or still growing (the app runs).
   */
  async appsToPrice(
    modelVersion: string,
    after: string,
    limit: number,
  ): Promise<{
    due: Array<{ appId: string; inputsAt: number }>;
    /** The last app id looked at; absent when there are no more. */
    next?: string;
  }> {
    const podsAt = this.db('spark_kubernetes_objects')
      .whereRaw('spark_kubernetes_objects.app_id = spark_apps.app_id')
      .max('updated_at');
    const rows = await this.db('spark_apps')
      .leftJoin(
        'spark_app_costs',
        'spark_app_costs.app_id',
        'spark_apps.app_id',
      )
      .where('spark_apps.app_id', '>', after)
      .select(
        'spark_apps.app_id',
        'spark_apps.updated_at',
        'spark_apps.state',
        'spark_app_costs.inputs_at',
        'spark_app_costs.model_version',
        podsAt.as('pods_at'),
      )
      .orderBy('spark_apps.app_id')
      .limit(limit);
    const due = rows
      .map(row => ({
        appId: row.app_id as string,
        inputsAt: Math.max(num(row.updated_at), num(row.pods_at)),
        priced: row.inputs_at === null ? undefined : num(row.inputs_at),
        stale:
          row.model_version !== modelVersion ||
          ['RUNNING', 'PENDING', 'SUBMITTED'].includes(row.state),
      }))
      .filter(
        row =>
          row.priced === undefined || row.stale || row.inputsAt > row.priced,
      )
      .map(({ appId, inputsAt }) => ({ appId, inputsAt }));
    return {
      due,
      next: rows.length === limit ? rows[rows.length - 1].app_id : undefined,
    };
  }

  async writeCost(
    cost: SparkAppCost,
    meta: { startTime: number; modelVersion: string; inputsAt: number },
  ): Promise<void> {
    const idleBase = cost.pods.some(pod => pod.role === 'executor')
      ? cost.pods
          .filter(pod => pod.role === 'executor')
          .reduce((sum, pod) => sum + pod.cost, 0)
      : cost.total;
    await this.db('spark_app_costs')
      .insert({
        app_id: cost.appId,
        day: new Date(meta.startTime).toISOString().slice(0, 10),
        start_time: meta.startTime,
        cost: cost.total,
        executor_cost: cost.wasted ? idleBase : 0,
        wasted_cost: cost.wasted?.cost ?? 0,
        basis: cost.basis,
        currency: cost.currency,
        model: cost.model,
        model_version: meta.modelVersion,
        inputs_at: meta.inputsAt,
        priced_at: Date.now(),
        detail: JSON.stringify(cost),
      })
      .onConflict('app_id')
      .merge();
  }

  async getAppCost(appId: string): Promise<SparkAppCost> {
    const row = await this.db('spark_app_costs')
      .where({ app_id: appId })
      .first('detail');
    if (!row) throw new NotFoundError(`Spark app ${appId} has no cost yet`);
    return JSON.parse(row.detail) as SparkAppCost;
  }

  private scoped(scope: CostScope, filter?: SparkAppFilter) {
    const query = this.db('spark_app_costs')
      .join('spark_apps', 'spark_apps.app_id', 'spark_app_costs.app_id')
      .where('spark_app_costs.start_time', '>=', scope.from)
      .andWhere('spark_app_costs.start_time', '<', scope.to);
    if (scope.teamRef) {
      // Correlated on the (app_id, team_ref) key: the time range drives the query, not the team's
      // whole history.
      const teamRef = scope.teamRef.toLowerCase();
      query.whereExists(
        this.db('spark_app_teams')
          .whereRaw('spark_app_teams.app_id = spark_app_costs.app_id')
          .andWhere('spark_app_teams.team_ref', teamRef)
          .select(this.db.raw('1')),
      );
    }
    if (scope.entityRef) {
      query.where('spark_apps.entity_ref', scope.entityRef.toLowerCase());
    }
    if (scope.namespace) query.where('spark_apps.namespace', scope.namespace);
    if (scope.cluster) query.where('spark_apps.cluster', scope.cluster);
    if (filter) this.store.applyFilter(query, filter);
    return query;
  }

  async totals(scope: CostScope, filter?: SparkAppFilter): Promise<CostTotals> {
    const row = await this.scoped(scope, filter)
      .select(
        this.db.raw('coalesce(sum(spark_app_costs.cost), 0) as cost'),
        this.db.raw('coalesce(sum(spark_app_costs.wasted_cost), 0) as wasted'),
        this.db.raw(
          'coalesce(sum(spark_app_costs.executor_cost), 0) as executor_cost',
        ),
        this.db.raw('count(*) as runs'),
        this.db.raw(
          "coalesce(sum(case when spark_app_costs.basis = 'usage' then 1 else 0 end), 0) as usage_runs",
        ),
      )
      .first();
    return {
      cost: num(row?.cost),
      wastedCost: num(row?.wasted),
      executorCost: num(row?.executor_cost),
      runs: num(row?.runs),
      usageRuns: num(row?.usage_runs),
    };
  }

  async grouped(
    group: CostGroup,
    scope: CostScope,
    filter?: SparkAppFilter,
    limit = 1000,
  ): Promise<CostRow[]> {
    const column = GROUP_COLUMNS[group];
    const rows = await this.scoped(scope, filter)
      .groupBy(column)
      .select(
        this.db.raw(`${column} as group_key`),
        this.db.raw('sum(spark_app_costs.cost) as cost'),
        this.db.raw('count(*) as runs'),
      )
      .orderBy(
        group === 'day' ? 'group_key' : 'cost',
        group === 'day' ? 'asc' : 'desc',
      )
      .limit(limit);
    return rows.map(row => ({
      key: row.group_key ?? null,
      cost: num(row.cost),
      runs: num(row.runs),
    }));
  }

  async topApps(
    scope: CostScope,
    filter: SparkAppFilter | undefined,
    limit: number,
  ): Promise<
    Array<{
      appId: string;
      name: string;
      entityRef?: string;
      teamRef?: string;
      cost: number;
    }>
  > {
    const rows = await this.scoped(scope, filter)
      .orderBy([
        { column: 'spark_app_costs.cost', order: 'desc' },
        { column: 'spark_apps.app_id', order: 'asc' },
      ])
      .limit(limit)
      .select(
        'spark_apps.app_id',
        'spark_apps.name',
        'spark_apps.entity_ref',
        'spark_apps.team_ref',
        'spark_app_costs.cost',
      );
    return rows.map(row => ({
      appId: row.app_id,
      name: row.name,
      entityRef: row.entity_ref ?? undefined,
      teamRef: row.team_ref ?? undefined,
      cost: num(row.cost),
    }));
  }
}
