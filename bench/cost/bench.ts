/**
 * Cost and SLO benchmark. Stores RUNS runs of one team (20 Spark job Components under a child
 * team, a year of history, 1 in 10 failed) plus half as many of another team, priced; then
 * times, ROUNDS times each:
 * - the team's cost summary (`GET /cost/summary` without HTTP) vs the raw indexed query it
 *   stands on (the team's summed cost of the month);
 * - the team's SLO status (`GET /slo/status`, 40 SLOs over 30 days) vs the raw indexed run
 *   history query of the same Components.
 * Prints p50/p95 and the ratios; writes test-results/bench/cost.json. Never a test.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { makeTempDir, removeDir, startPostgres } from '@spark-k8s/harness';
import knexFactory, { type Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { AttributionIndex } from '../../plugins/spark-backend/src/attribution/attribution';
import { CostService } from '../../plugins/spark-backend/src/cost/CostService';
import { SloCatalog } from '../../plugins/spark-backend/src/slo/SloCatalog';
import { SloService } from '../../plugins/spark-backend/src/slo/SloService';
import { CostStore } from '../../plugins/spark-backend/src/store/CostStore';
import { SloStore } from '../../plugins/spark-backend/src/store/SloStore';
import { SparkStore } from '../../plugins/spark-backend/src/store/SparkStore';

const repoRoot = path.resolve(__dirname, '../..');
const quiet: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => quiet,
};
const RUNS = Number(process.env.RUNS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const COMPONENTS = 20;
const NOW = Date.parse('2026-12-01T00:00:00Z');
const YEAR = 365 * 86_400_000;
const TEAM = 'group:default/payments-data';
const PARENT = 'group:default/data-platform';

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function time(rounds: number, fn: () => Promise<unknown>) {
  await fn(); // warm caches and the query planner
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

/** Inserts runs straight into the store's tables (what reports + pricing would have written). */
async function seed(knex: Knex, team: string, prefix: string, runs: number) {
  const rows: Record<string, unknown[]> = { apps: [], teams: [], costs: [] };
  const flush = async () => {
    await knex.batchInsert('spark_apps', rows.apps as any[], 500);
    await knex.batchInsert('spark_app_teams', rows.teams as any[], 500);
    await knex.batchInsert('spark_app_costs', rows.costs as any[], 500);
    rows.apps = [];
    rows.teams = [];
    rows.costs = [];
  };
  for (let i = 0; i < runs; i++) {
    const appId = `${prefix}-${String(i).padStart(7, '0')}`;
    const start = NOW - YEAR + Math.floor((i / runs) * YEAR);
    const end = start + 600_000 + (i % 17) * 60_000;
    const entityRef = `component:default/${prefix}-job-${i % COMPONENTS}`;
    const state = i % 10 === 0 ? 'FAILED' : 'SUCCEEDED';
    const cost = 0.05 + (i % 13) * 0.01;
    rows.apps.push({
      app_id: appId,
      name: `${prefix}-job-${i % COMPONENTS}`,
      state,
      cluster: i % 2 ? 'prod-eu' : 'prod-us',
      namespace: prefix,
      entity_ref: entityRef,
      team_ref: team,
      start_time: start,
      end_time: end,
      sort_time: start,
      complete: true,
      summary: JSON.stringify({ id: appId, name: appId, state }),
      updated_at: end,
    });
    rows.teams.push(
      { app_id: appId, team_ref: team },
      { app_id: appId, team_ref: PARENT },
    );
    rows.costs.push({
      app_id: appId,
      day: new Date(start).toISOString().slice(0, 10),
      start_time: start,
      cost,
      executor_cost: cost * 0.8,
      wasted_cost: cost * 0.2,
      basis: 'request',
      currency: 'USD',
      model: 'price-model',
      model_version: 'bench',
      inputs_at: end,
      priced_at: end,
      detail: '{}',
    });
    if (rows.apps.length >= 5000) await flush();
  }
  await flush();
}

async function main() {
  const tmp = makeTempDir('bench-cost');
  const postgres =
    process.env.DB === 'postgres' ? await startPostgres() : undefined;
  const knex = postgres
    ? knexFactory({ client: 'pg', connection: postgres.connectionString })
    : knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(tmp, 'bench.sqlite') },
        useNullAsDefault: true,
      });
  try {
    const store = await SparkStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    let started = performance.now();
    await seed(knex, TEAM, 'payments', RUNS);
    await seed(
      knex,
      'group:default/growth-analytics',
      'growth',
      Math.floor(RUNS / 2),
    );
    const seedMs = performance.now() - started;

    // Two SLOs per Component of the team, in spec files next to a catalog file.
    fs.mkdirSync(path.join(tmp, 'slo'));
    fs.writeFileSync(
      path.join(tmp, 'slo', 'job.yaml'),
      ['success-ratio', 'duration-p95']
        .map(
          (type, i) => `apiVersion: openslo/v1
kind: SLO
metadata: { name: slo-${i} }
spec:
  timeWindow: [{ duration: 30d }]
  objectives: [{ target: 0.95 }]
  indicator: { spec: { sparkRuns: { type: ${type}${
            type === 'duration-p95' ? ', target: 20m' : ''
          } } } }
`,
        )
        .join('---\n'),
    );
    const entities: Entity[] = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'data-platform' },
        spec: { type: 'org' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments-data' },
        spec: { type: 'team', parent: 'data-platform' },
      },
      ...Array.from({ length: COMPONENTS }, (_, i) => ({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: `payments-job-${i}`,
          annotations: {
            'spark-k8s.io/slo': './slo/job.yaml',
            'backstage.io/managed-by-location': `file:${path.join(
              tmp,
              'catalog.yaml',
            )}`,
          },
        },
        spec: { type: 'spark-job', owner: 'payments-data' },
      })),
    ];
    const index = new AttributionIndex(entities);
    const catalog = new SloCatalog({
      logger: quiet,
      entityLabel: 'backstage_io_kubernetes_id',
    });
    await catalog.refresh(entities);
    const slo = new SloService({
      catalog,
      runs: new SloStore(knex),
      teamChain: ref => index.teamChain(ref),
      appBaseUrl: 'http://portal',
      now: () => NOW,
    });
    const costService = new CostService({
      costs: new CostStore(knex, store),
      currency: 'USD',
      budgets: new Map([[TEAM, 1000]]),
      groups: () => entities,
      growthThreshold: 0.5,
      growthMinimum: 0,
      now: () => NOW - 1,
    });
    const month = { from: Date.parse('2026-11-01T00:00:00Z'), to: NOW };

    const summary = await costService.summary({ teamRef: TEAM });
    const status = await slo.status({ teamRef: TEAM });
    const costQuery = () =>
      knex('spark_app_costs')
        .join('spark_apps', 'spark_apps.app_id', 'spark_app_costs.app_id')
        .whereExists(
          knex('spark_app_teams')
            .whereRaw('spark_app_teams.app_id = spark_app_costs.app_id')
            .andWhere('team_ref', TEAM)
            .select(knex.raw('1')),
        )
        .where('spark_app_costs.start_time', '>=', month.from)
        .andWhere('spark_app_costs.start_time', '<', month.to)
        .sum({ cost: 'spark_app_costs.cost' });
    const runsQuery = () =>
      Promise.all(
        Array.from({ length: COMPONENTS }, (_, i) =>
          knex('spark_apps')
            .where('entity_ref', `component:default/payments-job-${i}`)
            .andWhere('sort_time', '>=', NOW - 30 * 86_400_000)
            .select('state', 'start_time', 'end_time'),
        ),
      );

    const results = {
      database: postgres ? 'postgres' : 'sqlite',
      runs: { team: RUNS, other: Math.floor(RUNS / 2) },
      seedMs: Math.round(seedMs),
      costSummary: await time(ROUNDS, () =>
        costService.summary({ teamRef: TEAM }),
      ),
      rawCostQuery: await time(ROUNDS, costQuery),
      sloStatus: await time(ROUNDS, () => slo.status({ teamRef: TEAM })),
      rawRunHistoryQuery: await time(ROUNDS, runsQuery),
      checks: {
        monthTotal: summary.total,
        monthRuns: summary.runs,
        slos: status.items.length,
        runsInWindow: status.items.reduce((t, s) => t + s.runs.total, 0) / 2,
      },
    };
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    const ratio = (a: { p50: number }, b: { p50: number }) =>
      (a.p50 / b.p50).toFixed(1);
    console.log(
      `cost/SLO benchmark on ${results.database}: ${RUNS} runs of ${TEAM} (+${
        results.runs.other
      } of another team), seeded in ${ms(seedMs)}`,
    );
    console.log(
      `  cost summary (month)   p50 ${ms(results.costSummary.p50)}  p95 ${ms(
        results.costSummary.p95,
      )}   ${results.checks.monthRuns} runs, ${results.checks.monthTotal} USD`,
    );
    console.log(
      `  raw indexed cost sum   p50 ${ms(results.rawCostQuery.p50)}  p95 ${ms(
        results.rawCostQuery.p95,
      )}   summary/raw ${ratio(results.costSummary, results.rawCostQuery)}×`,
    );
    console.log(
      `  SLO status (${results.checks.slos} SLOs)    p50 ${ms(
        results.sloStatus.p50,
      )}  p95 ${ms(results.sloStatus.p95)}   ${
        results.checks.runsInWindow
      } runs in 30 days`,
    );
    console.log(
      `  raw run-history query  p50 ${ms(
        results.rawRunHistoryQuery.p50,
      )}  p95 ${ms(results.rawRunHistoryQuery.p95)}   status/raw ${ratio(
        results.sloStatus,
        results.rawRunHistoryQuery,
      )}×`,
    );
    const out = path.join(repoRoot, 'test-results', 'bench');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(
      path.join(out, 'cost.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  } finally {
    await knex.destroy();
    await postgres?.stop();
    removeDir(tmp);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
