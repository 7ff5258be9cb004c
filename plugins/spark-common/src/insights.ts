/**
 * Cost, SLO and diagnosis answers of the Spark backend. The engines that compute them arrive
 * later; these types are the contract the frontend and the engines meet on.
 */

import type { SparkDiagnosisEvidence } from './diagnosis';

/**
 * An amount of money in one currency.
 *
 * @public
 */
export interface SparkMoney {
  /** The amount in `currency`. */
  amount: number;
  /** ISO 4217 code, e.g. `USD`, `EUR`, `RUB`. */
  currency: string;
}

/**
 * A half-open time range `[from, to)`, ISO 8601 dates or times.
 *
 * @public
 */
export interface SparkPeriod {
  /** First instant inside the period. */
  from: string;
  /** First instant after the period. */
  to: string;
}

/**
 * The Spark cost of a team (or of the whole fleet) over a period and the period before it.
 * Answer of `GET /api/spark/cost/summary?teamRef=&from=&to=`.
 *
 * @public
 */
export interface SparkCostSummary {
  /** The team the numbers are for; absent for the whole fleet. */
  teamRef?: string;
  /** ISO 4217 code of every amount in the summary. */
  currency: string;
  /** The period the totals are for. */
  period: SparkPeriod;
  /** The period of the same length just before `period`. */
  previousPeriod: SparkPeriod;
  /** Cost of `period`. */
  total: number;
  /** Cost of `previousPeriod`. */
  previousTotal: number;
  /** One entry per day of `period`, oldest first; days without runs have cost 0. */
  daily: Array<{ date: string; cost: number }>;
  /** The most expensive apps of `period`, most expensive first. */
  topApps: Array<{
    appId: string;
    name: string;
    entityRef?: string;
    teamRef?: string;
    cost: number;
  }>;
  /** The most expensive teams of `period`, most expensive first (fleet answers only). */
  topTeams?: Array<{ teamRef: string; cost: number; previousCost: number }>;
  /** How many runs of `period` were priced from usage (Prometheus) and how many from requests. */
  basis?: { usage: number; request: number };
  /** Runs started in `period`. */
  runs?: number;
  /** Allocated but idle executor time: its cost and its share of the executor cost. */
  wasted?: { cost: number; share: number };
  /** Cost of `period` by Component, namespace, cluster and team, most expensive first. */
  breakdown?: {
    entities: SparkCostBreakdownItem[];
    namespaces: SparkCostBreakdownItem[];
    clusters: SparkCostBreakdownItem[];
    teams: SparkCostBreakdownItem[];
  };
  /** The team's budget and what of it is spent; absent without a budget. */
  budget?: SparkCostBudget;
  /** Over-budget and fast-growth alerts, for the UI to show. */
  alerts?: SparkCostAlert[];
}

/**
 * One line of a cost breakdown.
 *
 * @public
 */
export interface SparkCostBreakdownItem {
  /** Entity ref, namespace, cluster or team ref; `(none)` for runs without one. */
  key: string;
  /** Cost in the summary's currency. */
  cost: number;
  /** Runs behind the cost. */
  runs: number;
}

/**
 * A team's budget for a calendar month (from `spark.cost.budgets` or the Group annotation
 * `spark-k8s.io/monthly-budget`).
 *
 * @public
 */
export interface SparkCostBudget {
  /** Budget per calendar month. */
  monthly: number;
  /** Where the budget comes from. */
  source: 'config' | 'annotation';
  /** The month it is for, `YYYY-MM`. */
  month: string;
  /** Spent so far in that month. */
  spent: number;
  /** Spent so far extrapolated to the whole month. */
  forecast: number;
}

/**
 * Something about a team's cost worth a look.
 *
 * @public
 */
export interface SparkCostAlert {
  /** `over-budget`: spent more than the budget; `budget-forecast`: on track to; `fast-growth`: last 7 days vs the 7 before. */
  kind: 'over-budget' | 'budget-forecast' | 'fast-growth';
  /** `critical` when over budget, else `warning`. */
  severity: 'warning' | 'critical';
  /** One line for people. */
  message: string;
  /** The measured value: money spent/forecast, or the growth ratio (0.8 = +80 %). */
  value: number;
  /** The limit it crossed. */
  threshold: number;
  /** Runbook to open, e.g. `cost-spike`. */
  runbookId?: string;
}

/**
 * Whether a cost is priced from requests (what Kubernetes reserved) or from usage
 * (Prometheus), whichever is larger per resource: OpenCost's max(request, usage).
 *
 * @public
 */
export type SparkCostBasis = 'request' | 'usage';

/**
 * The priced lifetime of one pod of an app.
 *
 * @public
 */
export interface SparkPodCost {
  /** Pod name. */
  name: string;
  /** Its Spark role. */
  role: 'driver' | 'executor' | 'other';
  /** The node it ran on. */
  node?: string;
  /** The node pool, from the node's labels. */
  nodePool?: string;
  /** Priced as spot/preemptible capacity. */
  spot: boolean;
  /** Hours the pod ran. */
  hours: number;
  /** vCPU priced: max(request, usage). */
  cpu: number;
  /** GiB of memory priced: max(request, usage). */
  memoryGiB: number;
  /** GPUs priced (requested). */
  gpu: number;
  /** `usage` when usage exceeded the request for CPU or memory, else `request`. */
  basis: SparkCostBasis;
  /** Whether usage was known at all (Prometheus configured and answering). */
  usageKnown: boolean;
  /** Hourly prices after cluster and node-pool overrides, before the spot discount. */
  prices: { vcpuHour: number; gibHour: number; gpuHour: number };
  /** Share taken off (spot), 0..1. */
  discount: number;
  /** What the pod cost. */
  cost: number;
}

/**
 * What one Spark app cost and how the figure was reached.
 * Answer of `GET /api/spark/cost/apps/{appId}`.
 *
 * @public
 */
export interface SparkAppCost {
  /** Spark app id. */
  appId: string;
  /** ISO 4217 code of every amount. */
  currency: string;
  /** What the app cost. */
  total: number;
  /** Priced from `pods` (Kubernetes), from the event log's executors, or by an external model (OpenCost). */
  from: 'pods' | 'event-log' | 'external';
  /** The model that priced it, e.g. `price-model`, `opencost`. */
  model: string;
  /** `usage` if any pod was priced from usage, `request` otherwise. */
  basis: SparkCostBasis;
  /** Whether Prometheus usage was known for the pods. */
  usageKnown: boolean;
  /** Each pod's priced lifetime. */
  pods: SparkPodCost[];
  /** Executor time allocated but running no task, from the event log. */
  wasted?: {
    /** Idle executor core-hours / allocated executor core-hours. */
    share: number;
    /** `share` of the executors' cost (of the whole app when executors had no pods of their own). */
    cost: number;
    /** Executor cores × lifetime, in hours. */
    executorCoreHours: number;
    /** Task time, in core-hours. */
    taskCoreHours: number;
  };
}

/**
 * The query of `GET /api/spark/cost/summary`; without `from`/`to` the backend takes the
 * current calendar month.
 *
 * @public
 */
export interface SparkCostQuery {
  /** A team (with its child teams); absent for the whole fleet. */
  teamRef?: string;
  /** Only the runs of this Component. */
  entityRef?: string;
  /** Only the runs in this namespace. */
  namespace?: string;
  /** Only the runs in this cluster. */
  cluster?: string;
  /** Start of the period, ISO 8601. */
  from?: string;
  /** End of the period (exclusive), ISO 8601. */
  to?: string;
}

/**
 * What an SLO measures: run success ratio, freshness of the data, finishing by a deadline, the
 * 95th percentile of the run duration, or (operators) the share of submissions that started.
 *
 * @public
 */
export type SparkSloIndicator =
  | 'success-ratio'
  | 'freshness'
  | 'deadline'
  | 'duration-p95'
  | 'submission-success';

/**
 * Multi-window burn-rate state of an SLO: `page` (fast burn), `ticket` (slow burn), `ok`, or
 * `no-data` when there were no runs in the windows.
 *
 * @public
 */
export type SparkBurnRateState = 'ok' | 'ticket' | 'page' | 'no-data';

/**
 * One SLO of a Component with its state over its window.
 * Answer items of `GET /api/spark/slo/status?entityRef=|teamRef=`.
 *
 * @public
 */
export interface SparkSloStatus {
  /** Stable id of the SLO, e.g. `settlement-etl-success`. */
  id: string;
  /** Title for people, e.g. `Settlement ETL succeeds`. */
  name: string;
  /** The Component the SLO is defined on. */
  entityRef: string;
  /** The team owning the Component. */
  teamRef?: string;
  /** What the SLO measures. */
  indicator: SparkSloIndicator;
  /** Target share of good runs, e.g. 0.99. */
  objective: number;
  /** Rolling window, e.g. `30d`. */
  window: string;
  /** Share of good runs in the window; absent when there were no runs. */
  attainment?: number;
  /** Share of the error budget left (1 = untouched, below 0 = overspent); absent without runs. */
  errorBudgetRemaining?: number;
  /** Multi-window burn rate of the error budget. */
  burnRate: {
    /** Whether the budget burns fast enough to page or to open a ticket. */
    state: SparkBurnRateState;
    /** Highest burn rate over the alerting windows, e.g. 14.4. */
    highest?: number;
  };
  /** Run counts behind the ratio; low counts make ratios coarse. */
  runs: { total: number; good: number };
  /** Runbook to open when the SLO burns. */
  runbookId?: string;
  /** What was measured, for people: the p95 duration, the last success, the data's age. */
  observed?: {
    /** 95th percentile of the duration of the window's successful runs. */
    p95DurationMs?: number;
    /** When the last successful run ended, ISO 8601. */
    lastSuccessAt?: string;
    /** Time since then, in milliseconds. */
    ageMs?: number;
  };
  /** Each burn-rate window pair with its rates and run counts. */
  windows?: SparkBurnRateWindowStatus[];
}

/**
 * One multi-window burn-rate alert condition: both windows must burn faster than `threshold`.
 *
 * @public
 */
export interface SparkBurnRateWindowStatus {
  /** `page` for fast burns, `ticket` for slow ones. */
  severity: 'page' | 'ticket';
  /** Long window, e.g. `1h` for a 30-day SLO. */
  long: string;
  /** Short window, e.g. `5m` for a 30-day SLO. */
  short: string;
  /** Burn rate both windows must exceed, e.g. 14.4. */
  threshold: number;
  /** Burn rate (bad share / allowed bad share) over the long window; absent without runs. */
  longRate?: number;
  /** Burn rate over the short window; absent without runs. */
  shortRate?: number;
  /** Runs (or days, for deadlines) counted in the long window. */
  longRuns: number;
  /** Runs (or days) counted in the short window. */
  shortRuns: number;
  /** Both windows above the threshold. */
  firing: boolean;
}

/**
 * The query of `GET /api/spark/slo/status`: a Component or a team (with its child teams).
 *
 * @public
 */
export interface SparkSloQuery {
  /** SLOs of one Component. */
  entityRef?: string;
  /** SLOs of the Components of a team and its child teams. */
  teamRef?: string;
}

/**
 * How bad a diagnosis is.
 *
 * @public
 */
export type SparkDiagnosisSeverity = 'info' | 'warning' | 'critical';

/**
 * A finding of a diagnosis rule on one app: what, how sure, the evidence and where to read on.
 * Answer items of `GET /api/spark/apps/{appId}/diagnoses`.
 *
 * @public
 */
export interface SparkDiagnosis {
  /** Rule id, e.g. `executor-oom`, `data-skew`. */
  ruleId: string;
  /** How bad the finding is. */
  severity: SparkDiagnosisSeverity;
  /** One line for people, e.g. `Executors ran out of memory`. */
  title: string;
  /** One or two sentences for a person: what happened and what to change. */
  summary: string;
  /** Facts that triggered the rule, e.g. `{ label: 'stage 3 max/median task', value: '41×' }`. */
  evidence: SparkDiagnosisEvidence[];
  /** What to change, in one sentence. */
  fix?: string;
  /** Runbook page id in the runbooks TechDocs site, e.g. `executor-oom`. */
  runbookId?: string;
  /** Stage or executor the finding is about, e.g. `stage 3.0`. */
  scope?: string;
}
