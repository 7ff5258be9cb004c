import {
  type DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  SPARK_APP_SORT_KEYS,
  type SparkAppAttribution,
  type SparkAppDetails,
  type SparkAppListQuery,
  type SparkAppSortKey,
  type SparkAppSummary,
  type SparkKubernetesObject,
  type SparkMoney,
  type SparkPage,
  type SparkSortOrder,
  type SparkSourceKind,
  type SparkSourceStatus,
} from '@spark-k8s/plugin-spark-common';
import type {
  SparkAppReport,
  SparkHistoryDocuments,
  SparkIngestStore,
  SparkSourceProblem,
} from '@spark-k8s/plugin-spark-node';
import type { Knex } from 'knex';
import { AttributionIndex } from '../attribution/attribution';
import {
  mergedLabels,
  mergeFailures,
  mergeReports,
  type StoredReport,
} from './merge';

const migrationsDir = resolvePackagePath(
  '@spark-k8s/plugin-spark-backend',
  'migrations',
);

/**
 * A store filter that permission conditions on Spark apps turn into.
 *
 * @public
 */
export type SparkAppFilter =
  | { allOf: SparkAppFilter[] }
  | { anyOf: SparkAppFilter[] }
  | { not: SparkAppFilter }
  | { teamRefs: string[] }
  | { unowned: true };

const PROBLEMS_KEPT = 100;

// Postgres returns bigint columns as strings.
const num = (value: unknown): number => Number(value);

/** The query of `listApps`; the sort defaults to the newest first. */
export type AppListQuery = Omit<SparkAppListQuery, 'sort' | 'order'> &
  Partial<Pick<SparkAppListQuery, 'sort' | 'order'>>;

/** Where a page of `listApps` ends: the sort, the last row's sort value and its id. */
interface AppCursor {
  sort: SparkAppSortKey;
  order: SparkSortOrder;
  /** The sort value of the last row; null when it had none (those rows come last). */
  key: number | null;
  appId: string;
}

/**
 * The column each sort reads, and the app id beside it in its index; cost comes from the
 * pricer's table, joined.
 */
const SORT_COLUMNS: Record<SparkAppSortKey, { column: string; id: string }> = {
  start: { column: 'spark_apps.sort_time', id: 'spark_apps.app_id' },
  duration: { column: 'spark_apps.duration_ms', id: 'spark_apps.app_id' },
  cost: { column: 'spark_app_costs.cost', id: 'spark_app_costs.app_id' },
};

// A cursor is base64url JSON: [sort, order, key, appId]. The first cursors were
// [sortTime, appId] of the only sort there was (start, desc); they still work for it.
function encodeCursor(cursor: AppCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.sort, cursor.order, cursor.key, cursor.appId]),
  ).toString('base64url');
}

function decodeCursor(cursor: string): AppCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // not JSON: the error below
  }
  if (Array.isArray(value)) {
    if (
      value.length === 2 &&
      Number.isFinite(value[0]) &&
      typeof value[1] === 'string'
    ) {
      return { sort: 'start', order: 'desc', key: value[0], appId: value[1] };
    }
    const [sort, order, key, appId] = value;
    if (
      value.length === 4 &&
      SPARK_APP_SORT_KEYS.includes(sort) &&
      (order === 'asc' || order === 'desc') &&
      (key === null || Number.isFinite(key)) &&
      typeof appId === 'string'
    ) {
      return { sort, order, key, appId };
    }
  }
  throw new InputError('cursor: not a cursor this API returned');
}

/**
 * The knex store of the Spark backend (SQLite in the embedded default, Postgres in production).
 * Sources write reports; each write re-merges the app so reads never merge.
 */
export class SparkStore implements SparkIngestStore {
  static async create(options: {
    database: DatabaseService;
    attribution?: () => AttributionIndex;
  }): Promise<SparkStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new SparkStore(knex, options.attribution);
  }

  constructor(
    private readonly db: Knex,
    private readonly attribution: () => AttributionIndex = () =>
      new AttributionIndex([]),
  ) {}

  // ---- writes (SparkIngestStore) ----

  async reportApp(sourceId: string, report: SparkAppReport): Promise<void> {
    await this.db.transaction(async trx => {
      await this.writeReport(trx, sourceId, report);
    });
  }

  async reportAppWithCheckpoint(
    sourceId: string,
    report: SparkAppReport,
    checkpoint: { key: string; value: unknown },
  ): Promise<void> {
    await this.db.transaction(async trx => {
      await this.writeReport(trx, sourceId, report);
      await this.writeCheckpoint(
        trx,
        sourceId,
        checkpoint.key,
        checkpoint.value,
      );
    });
  }

  private async writeReport(
    trx: Knex.Transaction,
    sourceId: string,
    report: SparkAppReport,
  ): Promise<void> {
    const now = Date.now();
    const { history, ...rest } = report;
    await trx('spark_app_reports')
      .insert({
        source_id: sourceId,
        app_id: report.appId,
        attempt_id: report.attemptId,
        report: JSON.stringify(rest),
        updated_at: now,
      })
      .onConflict(['source_id', 'app_id', 'attempt_id'])
      .merge();
    if (history) {
      await trx('spark_history_documents')
        .insert({
          app_id: report.appId,
          attempt_id: report.attemptId,
          source_id: sourceId,
          documents: JSON.stringify(history),
          updated_at: now,
        })
        .onConflict(['app_id', 'attempt_id', 'source_id'])
        .merge();
    }
    await this.remerge(trx, report.appId);
  }

  private async loadReports(
    db: Knex | Knex.Transaction,
    appId: string,
  ): Promise<StoredReport[]> {
    const rows = await db('spark_app_reports')
      .where({ app_id: appId })
      .select('source_id', 'report', 'updated_at');
    return rows.map(row => ({
      sourceId: row.source_id,
      report: JSON.parse(row.report) as SparkAppReport,
      updatedAt: num(row.updated_at),
    }));
  }

  private attribute(reports: StoredReport[]): SparkAppAttribution {
    const labels = mergedLabels(reports);
    const namespace = reports.find(r => r.report.namespace)?.report.namespace;
    return this.attribution().attribute(labels, namespace);
  }

  private async remerge(trx: Knex.Transaction, appId: string): Promise<void> {
    const reports = await this.loadReports(trx, appId);
    if (reports.length === 0) {
      await trx('spark_apps').where({ app_id: appId }).delete();
      return;
    }
    await this.writeApp(
      trx,
      mergeReports(appId, reports, this.attribute(reports)),
    );
  }

  private async writeApp(
    trx: Knex.Transaction,
    app: SparkAppSummary,
  ): Promise<void> {
    const startTime = app.startTime ? Date.parse(app.startTime) : null;
    await trx('spark_apps')
      .insert({
        app_id: app.id,
        name: app.name.slice(0, 1024),
        state: app.state,
        cluster: app.cluster ?? null,
        namespace: app.namespace ?? null,
        entity_ref: app.attribution.entityRef?.toLowerCase() ?? null,
        team_ref: app.attribution.teamRef?.toLowerCase() ?? null,
        start_time: startTime,
        end_time: app.endTime ? Date.parse(app.endTime) : null,
        duration_ms:
          app.durationMs === undefined ? null : Math.round(app.durationMs),
        sort_time: startTime ?? Date.parse(app.updatedAt),
        complete: app.complete,
        summary: JSON.stringify(app),
        updated_at: Date.parse(app.updatedAt),
      })
      .onConflict('app_id')
      .merge();
    await trx('spark_app_teams').where({ app_id: app.id }).delete();
    if (app.attribution.teamRefs.length) {
      await trx('spark_app_teams').insert(
        app.attribution.teamRefs.map(teamRef => ({
          app_id: app.id,
          team_ref: teamRef.toLowerCase(),
        })),
      );
    }
  }

  /** Re-runs attribution over every app, after the catalog changed; returns how many changed. */
  async reattributeAll(): Promise<number> {
    let changed = 0;
    let after = '';
    for (;;) {
      const ids: string[] = (
        await this.db('spark_apps')
          .where('app_id', '>', after)
          .orderBy('app_id')
          .limit(200)
          .select('app_id')
      ).map(row => row.app_id);
      if (ids.length === 0) return changed;
      after = ids[ids.length - 1];
      for (const appId of ids) {
        if (await this.reattribute(appId)) changed += 1;
      }
    }
  }

  /** Recomputes one app's attribution; true when it changed and was written. */
  private async reattribute(appId: string): Promise<boolean> {
    return this.db.transaction(async trx => {
      const reports = await this.loadReports(trx, appId);
      const row = await trx('spark_apps')
        .where({ app_id: appId })
        .first('summary');
      const before = row
        ? (JSON.parse(row.summary) as SparkAppSummary).attribution
        : undefined;
      const attribution = this.attribute(reports);
      if (JSON.stringify(before) === JSON.stringify(attribution)) return false;
      await this.writeApp(trx, mergeReports(appId, reports, attribution));
      return true;
    });
  }

  private async writeCheckpoint(
    db: Knex | Knex.Transaction,
    sourceId: string,
    key: string,
    value: unknown,
  ): Promise<void> {
    await db('spark_checkpoints')
      .insert({
        source_id: sourceId,
        key,
        value: JSON.stringify(value),
        updated_at: Date.now(),
      })
      .onConflict(['source_id', 'key'])
      .merge();
  }

  async getCheckpoint<T>(
    sourceId: string,
    key: string,
  ): Promise<T | undefined> {
    const row = await this.db('spark_checkpoints')
      .where({ source_id: sourceId, key })
      .first('value');
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async putCheckpoint(
    sourceId: string,
    key: string,
    value: unknown,
  ): Promise<void> {
    await this.writeCheckpoint(this.db, sourceId, key, value);
  }

  async listCheckpointKeys(sourceId: string): Promise<string[]> {
    const rows = await this.db('spark_checkpoints')
      .where({ source_id: sourceId })
      .orderBy('key')
      .select('key');
    return rows.map(row => row.key);
  }

  async deleteCheckpoint(sourceId: string, key: string): Promise<void> {
    await this.db('spark_checkpoints')
      .where({ source_id: sourceId, key })
      .delete();
  }

  async upsertKubernetesObjects(
    objects: SparkKubernetesObject[],
  ): Promise<void> {
    if (objects.length === 0) return;
    await this.db.transaction(async trx => {
      for (const object of objects) {
        await trx('spark_kubernetes_objects')
          .insert({
            cluster: object.cluster,
            kind: object.kind,
            namespace: object.namespace,
            name: object.name,
            app_id: object.appId ?? null,
            object: JSON.stringify(object),
            updated_at: Date.parse(object.updatedAt) || Date.now(),
          })
          .onConflict(['cluster', 'kind', 'namespace', 'name'])
          .merge();
      }
    });
  }

  async deleteKubernetesObject(key: {
    cluster: string;
    kind: string;
    namespace: string;
    name: string;
  }): Promise<void> {
    await this.db('spark_kubernetes_objects').where(key).delete();
  }

  async listKubernetesObjectKeys(
    cluster: string,
    kind: string,
  ): Promise<Array<{ namespace: string; name: string }>> {
    return this.db('spark_kubernetes_objects')
      .where({ cluster, kind })
      .orderBy(['namespace', 'name'])
      .select('namespace', 'name');
  }

  async reportSourceRun(
    sourceId: string,
    run: {
      kind: SparkSourceKind;
      error?: string;
      problems?: SparkSourceProblem[];
      warnings?: SparkSourceProblem[];
    },
  ): Promise<void> {
    const now = new Date().toISOString();
    const previous = await this.getSourceStatus(sourceId);
    const problems = [...(run.problems ?? []), ...(run.warnings ?? [])]
      .slice(0, PROBLEMS_KEPT)
      .map(problem => ({ ...problem, time: now }));
    let status: SparkSourceStatus['status'] = 'ok';
    if (run.error || run.problems?.length) status = 'error';
    else if (run.warnings?.length) status = 'warning';
    const next: SparkSourceStatus = {
      id: sourceId,
      kind: run.kind,
      status,
      message: run.error,
      problems,
      lastAttemptAt: now,
      lastSuccessAt: run.error ? previous?.lastSuccessAt : now,
    };
    await this.db('spark_source_status')
      .insert({
        source_id: sourceId,
        kind: run.kind,
        status: JSON.stringify(next),
        updated_at: Date.now(),
      })
      .onConflict('source_id')
      .merge();
  }

  // ---- reads ----

  async getSourceStatus(
    sourceId: string,
  ): Promise<SparkSourceStatus | undefined> {
    const row = await this.db('spark_source_status')
      .where({ source_id: sourceId })
      .first('status');
    return row ? (JSON.parse(row.status) as SparkSourceStatus) : undefined;
  }

  async listSourceStatus(): Promise<SparkSourceStatus[]> {
    const rows = await this.db('spark_source_status')
      .orderBy('source_id')
      .select('status');
    return rows.map(row => JSON.parse(row.status) as SparkSourceStatus);
  }

  /** Narrows a query that selects from `spark_apps` to the apps a filter lets through. */
  applyFilter(query: Knex.QueryBuilder, filter: SparkAppFilter): void {
    if ('allOf' in filter) {
      query.where(inner => {
        for (const part of filter.allOf)
          inner.andWhere(q => this.applyFilter(q, part));
      });
    } else if ('anyOf' in filter) {
      query.where(inner => {
        for (const part of filter.anyOf)
          inner.orWhere(q => this.applyFilter(q, part));
      });
    } else if ('not' in filter) {
      query.whereNot(inner => this.applyFilter(inner, filter.not));
    } else if ('teamRefs' in filter) {
      query.whereIn(
        'spark_apps.app_id',
        this.db('spark_app_teams')
          .whereIn(
            'team_ref',
            filter.teamRefs.map(ref => ref.toLowerCase()),
          )
          .select('app_id'),
      );
    } else {
      query.whereNull('spark_apps.team_ref');
    }
  }

  /**
   * A page of apps, sorted by start time, duration or cost, then by app id (the same order),
   * with the apps that have no value of the sort column after all that have one, in both
   * orders. The cursor carries the sort and the last row, so pages never skip or repeat rows.
   */
  async listApps(
    query: AppListQuery,
    filter?: SparkAppFilter,
  ): Promise<SparkPage<SparkAppSummary>> {
    const sort = query.sort ?? 'start';
    const order = query.order ?? 'desc';
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (after && (after.sort !== sort || after.order !== order)) {
      throw new InputError('cursor: not a cursor for this sort');
    }
    const { column, id } = SORT_COLUMNS[sort];
    const op = order === 'desc' ? '<' : '>';
    const wanted = query.limit + 1;

    // Two index-ordered scans: the rows with a value, then (once those run out) the rows
    // without one, by app id.
    const rows: Array<{ summary: string; app_id: string; sort_key: unknown }> =
      [];
    if (!after || after.key !== null) {
      const withValue = this.appRows(query, filter, column, 'with')
        .orderBy([
          { column, order },
          { column: id, order },
        ])
        .limit(wanted);
      if (after) {
        const key = after.key;
        withValue.where(inner =>
          inner
            .where(column, op, key)
            .orWhere(same =>
              same.where(column, '=', key).andWhere(id, op, after.appId),
            ),
        );
      }
      rows.push(...(await withValue));
    }
    // The start time is never missing (the update time stands in for it).
    if (rows.length < wanted && sort !== 'start') {
      const withoutValue = this.appRows(query, filter, column, 'without')
        .orderBy('spark_apps.app_id', order)
        .limit(wanted - rows.length);
      if (after?.key === null) {
        withoutValue.where('spark_apps.app_id', op, after.appId);
      }
      rows.push(...(await withoutValue));
    }

    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const costs = await this.costsOf(page.map(row => row.app_id));
    return {
      items: page.map(row => this.withCost(row.summary, costs)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({
              sort,
              order,
              key: last.sort_key === null ? null : num(last.sort_key),
              appId: last.app_id,
            })
          : undefined,
    };
  }

  /** The filtered apps of a list query, with the sort column as `sort_key`. */
  private appRows(
    query: AppListQuery,
    filter: SparkAppFilter | undefined,
    column: string,
    value: 'with' | 'without',
  ): Knex.QueryBuilder {
    const builder = this.db('spark_apps').select(
      'spark_apps.summary',
      'spark_apps.app_id',
      `${column} as sort_key`,
    );
    if (column.startsWith('spark_app_costs.')) {
      // Priced apps are the cost index joined to their apps; unpriced ones have no cost row.
      if (value === 'with') {
        builder.join(
          'spark_app_costs',
          'spark_app_costs.app_id',
          'spark_apps.app_id',
        );
      } else {
        builder.leftJoin(
          'spark_app_costs',
          'spark_app_costs.app_id',
          'spark_apps.app_id',
        );
      }
    }
    builder[value === 'with' ? 'whereNotNull' : 'whereNull'](column);
    if (filter) this.applyFilter(builder, filter);
    if (query.entityRef)
      builder.where('spark_apps.entity_ref', query.entityRef.toLowerCase());
    if (query.teamRef) this.applyFilter(builder, { teamRefs: [query.teamRef] });
    if (query.cluster) builder.where('spark_apps.cluster', query.cluster);
    if (query.namespace) builder.where('spark_apps.namespace', query.namespace);
    if (query.state) builder.whereIn('spark_apps.state', query.state);
    if (query.from)
      builder.where('spark_apps.sort_time', '>=', Date.parse(query.from));
    if (query.to)
      builder.where('spark_apps.sort_time', '<', Date.parse(query.to));
    return builder;
  }

  /** One app's summary, or NotFoundError. */
  async getApp(appId: string): Promise<SparkAppSummary> {
    const row = await this.db('spark_apps')
      .where({ app_id: appId })
      .first('summary');
    if (!row) throw new NotFoundError(`Spark app ${appId} is not known`);
    return this.withCost(row.summary, await this.costsOf([appId]));
  }

  /** Priced costs of apps (spark_app_costs, written by the cost pricer). */
  private async costsOf(appIds: string[]): Promise<Map<string, SparkMoney>> {
    if (appIds.length === 0) return new Map();
    const rows = await this.db('spark_app_costs')
      .whereIn('app_id', appIds)
      .select('app_id', 'cost', 'currency');
    return new Map(
      rows.map(row => [
        row.app_id,
        { amount: num(row.cost), currency: row.currency },
      ]),
    );
  }

  private withCost(
    summary: string,
    costs: Map<string, SparkMoney>,
  ): SparkAppSummary {
    const app = JSON.parse(summary) as SparkAppSummary;
    const cost = costs.get(app.id);
    return cost ? { ...app, cost } : app;
  }

  async getAppDetails(appId: string): Promise<SparkAppDetails> {
    const app = await this.getApp(appId);
    const reports = await this.loadReports(this.db, appId);
    const withDetails = reports
      .filter(r => r.report.jobs || r.report.stages || r.report.executors)
      .sort((a, b) => Number(b.report.complete) - Number(a.report.complete));
    const best = withDetails[0]?.report;
    const objects = await this.db('spark_kubernetes_objects')
      .where({ app_id: appId })
      .orderBy(['cluster', 'kind', 'namespace', 'name'])
      .select('object');
    return {
      app,
      jobs: best?.jobs ?? [],
      stages: best?.stages ?? [],
      executors: best?.executors ?? [],
      failures: mergeFailures(reports),
      kubernetes: objects.map(
        row => JSON.parse(row.object) as SparkKubernetesObject,
      ),
    };
  }

  /** The redacted environment (Spark conf) of an app, from the most complete report. */
  async getEnvironment(appId: string): Promise<Record<string, unknown>> {
    await this.getApp(appId);
    const reports = await this.loadReports(this.db, appId);
    const found = reports
      .filter(r => r.report.environment)
      .sort((a, b) => Number(b.report.complete) - Number(a.report.complete))[0];
    return found?.report.environment ?? {};
  }

  /** History Server documents of every attempt of an app (one source per attempt, complete first). */
  async getHistoryDocuments(
    appId: string,
  ): Promise<Array<{ attemptId: string; documents: SparkHistoryDocuments }>> {
    const rows = await this.db('spark_history_documents')
      .where({ app_id: appId })
      .orderBy(['attempt_id', 'source_id'])
      .select('attempt_id', 'source_id', 'documents');
    const byAttempt = new Map<string, SparkHistoryDocuments>();
    for (const row of rows) {
      const documents = JSON.parse(row.documents) as SparkHistoryDocuments;
      const current = byAttempt.get(row.attempt_id);
      if (
        !current ||
        (!current.attempt.completed && documents.attempt.completed)
      ) {
        byAttempt.set(row.attempt_id, documents);
      }
    }
    return [...byAttempt.entries()].map(([attemptId, documents]) => ({
      attemptId,
      documents,
    }));
  }

  /** Apps (newest first) that have History Server documents, filtered like listApps. */
  async listHistoryAppIds(
    filter: SparkAppFilter | undefined,
    limit: number,
  ): Promise<string[]> {
    const builder = this.db('spark_apps')
      .whereIn(
        'spark_apps.app_id',
        this.db('spark_history_documents').select('app_id'),
      )
      .orderBy([
        { column: 'sort_time', order: 'desc' },
        { column: 'app_id', order: 'desc' },
      ])
      .limit(limit)
      .select('spark_apps.app_id');
    if (filter) this.applyFilter(builder, filter);
    return (await builder).map(row => row.app_id);
  }

  /** True when the app passes the filter (for permission checks on one app). */
  async appMatches(appId: string, filter: SparkAppFilter): Promise<boolean> {
    const builder = this.db('spark_apps').where('spark_apps.app_id', appId);
    this.applyFilter(builder, filter);
    return Boolean(await builder.first('spark_apps.app_id'));
  }
}
