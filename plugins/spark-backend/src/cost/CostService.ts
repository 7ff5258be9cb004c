import type { Entity } from '@backstage/catalog-model';
import type { SparkCostSummary } from '@spark-k8s/plugin-spark-common';
import type { CostScope, CostStore } from '../store/CostStore';
import type { SparkAppFilter } from '../store/SparkStore';
import { budgetOf } from './budgets';
import { budgetStatus, buildCostSummary, costAlerts, monthOf } from './summary';

const DAY_MS = 86_400_000;

/** The query of the cost summary, parsed. */
export interface CostSummaryQuery {
  teamRef?: string;
  entityRef?: string;
  namespace?: string;
  cluster?: string;
  from?: string;
  to?: string;
}

/** Answers cost questions from the stored, priced costs. */
export class CostService {
  constructor(
    private readonly options: {
      costs: CostStore;
      currency: string;
      budgets: Map<string, number>;
      groups: () => Entity[];
      growthThreshold: number;
      growthMinimum: number;
      now?: () => number;
    },
  ) {}

  async summary(
    query: CostSummaryQuery,
    filter?: SparkAppFilter,
  ): Promise<SparkCostSummary> {
    const { costs } = this.options;
    const now = this.options.now?.() ?? Date.now();
    const month = monthOf(now);
    const from = query.from ? Date.parse(query.from) : month.from;
    const to = query.to ? Date.parse(query.to) : month.to;
    const scope: CostScope = { ...query, from, to };
    const previous: CostScope = {
      ...scope,
      from: from - (to - from),
      to: from,
    };
    const [
      totals,
      previousTotals,
      daily,
      topApps,
      entities,
      namespaces,
      clusters,
      teams,
    ] = await Promise.all([
      costs.totals(scope, filter),
      costs.totals(previous, filter),
      costs.grouped('day', scope, filter),
      costs.topApps(scope, filter, 10),
      costs.grouped('entity', scope, filter, 20),
      costs.grouped('namespace', scope, filter, 20),
      costs.grouped('cluster', scope, filter, 20),
      costs.grouped('team', scope, filter, 20),
    ]);

    let topTeams: SparkCostSummary['topTeams'];
    if (!query.teamRef) {
      const before = new Map(
        (await costs.grouped('team', previous, filter)).map(r => [
          r.key,
          r.cost,
        ]),
      );
      topTeams = teams
        .filter(row => row.key)
        .slice(0, 10)
        .map(row => ({
          teamRef: row.key!,
          cost: row.cost,
          previousCost: before.get(row.key) ?? 0,
        }));
    }

    // Budgets and growth are about now: this month so far, the last 7 days and the 7 before.
    const end = Math.min(to, now);
    const teamScope = { ...query, from: end - 7 * DAY_MS, to: end };
    const [lastWeek, previousWeek] = await Promise.all([
      costs.totals(teamScope, filter),
      costs.totals(
        { ...teamScope, from: end - 14 * DAY_MS, to: end - 7 * DAY_MS },
        filter,
      ),
    ]);
    const found = query.teamRef
      ? budgetOf(query.teamRef, this.options.budgets, this.options.groups())
      : undefined;
    const budget = found
      ? budgetStatus({
          ...found,
          now,
          spent: (
            await costs.totals({ ...query, from: month.from, to: now }, filter)
          ).cost,
        })
      : undefined;

    return buildCostSummary({
      teamRef: query.teamRef,
      currency: this.options.currency,
      from,
      to,
      totals,
      previousTotal: previousTotals.cost,
      daily,
      topApps,
      breakdown: { entities, namespaces, clusters, teams },
      topTeams,
      budget,
      alerts: costAlerts({
        currency: this.options.currency,
        budget,
        lastWeek: lastWeek.cost,
        previousWeek: previousWeek.cost,
        growthThreshold: this.options.growthThreshold,
        growthMinimum: this.options.growthMinimum,
      }),
    });
  }
}
