import type {
  SparkCostAlert,
  SparkCostBreakdownItem,
  SparkCostBudget,
  SparkCostSummary,
} from '@spark-k8s/plugin-spark-common';
import type { CostRow, CostTotals } from '../store/CostStore';
import { roundMoney } from './appCost';

const DAY_MS = 86_400_000;

/** The runbook of every cost alert: what changed, and what to do about it. */
const COST_RUNBOOK = 'cost-spike';
const iso = (ms: number) => new Date(ms).toISOString();

/** The current calendar month (UTC) around `now`, half-open. */
export function monthOf(now: number): { from: number; to: number } {
  const date = new Date(now);
  const from = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const to = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return { from, to };
}

/** One entry per UTC day of `[from, to)`, days without runs at 0. */
export function dailySeries(
  from: number,
  to: number,
  rows: CostRow[],
): Array<{ date: string; cost: number }> {
  const byDay = new Map(rows.map(row => [row.key, row.cost]));
  const days: Array<{ date: string; cost: number }> = [];
  const first = Math.floor(from / DAY_MS) * DAY_MS;
  for (let day = first; day < to && days.length < 3700; day += DAY_MS) {
    const date = iso(day).slice(0, 10);
    days.push({ date, cost: roundMoney(byDay.get(date) ?? 0) });
  }
  return days;
}

/**
 * A team's budget for the month of `now`: spent so far and spent extrapolated linearly to
 * the whole month.
 */
export function budgetStatus(options: {
  monthly: number;
  source: SparkCostBudget['source'];
  now: number;
  spent: number;
}): SparkCostBudget {
  const { from, to } = monthOf(options.now);
  const elapsed = Math.min(1, Math.max(0, (options.now - from) / (to - from)));
  return {
    monthly: options.monthly,
    source: options.source,
    month: iso(from).slice(0, 7),
    spent: roundMoney(options.spent),
    forecast: roundMoney(elapsed > 0 ? options.spent / elapsed : 0),
  };
}

/**
 * Alerts on a team's cost: over budget (critical), forecast over budget (warning), and growth of
 * the last 7 days over the 7 before by more than `growthThreshold` (0.5 = +50 %), when the
 * earlier week cost at least `growthMinimum`.
 */
export function costAlerts(options: {
  currency: string;
  budget?: SparkCostBudget;
  lastWeek: number;
  previousWeek: number;
  growthThreshold: number;
  growthMinimum: number;
}): SparkCostAlert[] {
  const { budget, currency, lastWeek, previousWeek } = options;
  const alerts: SparkCostAlert[] = [];
  const money = (n: number) => `${n.toFixed(2)} ${currency}`;
  if (budget && budget.spent > budget.monthly) {
    alerts.push({
      kind: 'over-budget',
      severity: 'critical',
      message: `spent ${money(budget.spent)} of a ${money(
        budget.monthly,
      )} budget in ${budget.month}`,
      value: budget.spent,
      threshold: budget.monthly,
      runbookId: COST_RUNBOOK,
    });
  } else if (budget && budget.forecast > budget.monthly) {
    alerts.push({
      kind: 'budget-forecast',
      severity: 'warning',
      message: `on track to spend ${money(budget.forecast)} of a ${money(
        budget.monthly,
      )} budget in ${budget.month}`,
      value: budget.forecast,
      threshold: budget.monthly,
      runbookId: COST_RUNBOOK,
    });
  }
  if (previousWeek > 0 && previousWeek >= options.growthMinimum) {
    const growth = (lastWeek - previousWeek) / previousWeek;
    if (growth > options.growthThreshold) {
      alerts.push({
        kind: 'fast-growth',
        severity: 'warning',
        message: `the last 7 days cost ${money(lastWeek)}, ${Math.round(
          growth * 100,
        )} % more than the 7 days before (${money(previousWeek)})`,
        value: Math.round(growth * 10_000) / 10_000,
        threshold: options.growthThreshold,
        runbookId: COST_RUNBOOK,
      });
    }
  }
  return alerts;
}

const items = (rows: CostRow[]): SparkCostBreakdownItem[] =>
  rows.map(row => ({
    key: row.key ?? '(none)',
    cost: roundMoney(row.cost),
    runs: row.runs,
  }));

/** Composes the summary answer from the aggregates the store computed. */
export function buildCostSummary(parts: {
  teamRef?: string;
  currency: string;
  from: number;
  to: number;
  totals: CostTotals;
  previousTotal: number;
  daily: CostRow[];
  topApps: SparkCostSummary['topApps'];
  breakdown: Record<
    'entities' | 'namespaces' | 'clusters' | 'teams',
    CostRow[]
  >;
  topTeams?: SparkCostSummary['topTeams'];
  budget?: SparkCostBudget;
  alerts: SparkCostAlert[];
}): SparkCostSummary {
  const length = parts.to - parts.from;
  const { totals } = parts;
  return {
    teamRef: parts.teamRef,
    currency: parts.currency,
    period: { from: iso(parts.from), to: iso(parts.to) },
    previousPeriod: { from: iso(parts.from - length), to: iso(parts.from) },
    total: roundMoney(totals.cost),
    previousTotal: roundMoney(parts.previousTotal),
    daily: dailySeries(parts.from, parts.to, parts.daily),
    topApps: parts.topApps.map(app => ({ ...app, cost: roundMoney(app.cost) })),
    topTeams: parts.topTeams,
    basis: { usage: totals.usageRuns, request: totals.runs - totals.usageRuns },
    runs: totals.runs,
    wasted: {
      cost: roundMoney(totals.wastedCost),
      share:
        totals.executorCost > 0
          ? Math.round((totals.wastedCost / totals.executorCost) * 10_000) /
            10_000
          : 0,
    },
    breakdown: {
      entities: items(parts.breakdown.entities),
      namespaces: items(parts.breakdown.namespaces),
      clusters: items(parts.breakdown.clusters),
      teams: items(parts.breakdown.teams),
    },
    budget: parts.budget,
    alerts: parts.alerts,
  };
}
