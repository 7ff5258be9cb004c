/**
 * Cost, SLO and diagnosis answers of the Spark backend. The engines that compute them arrive
 * later; these types are the contract the frontend and the engines meet on.
 */

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
  /** Start of the period, ISO 8601. */
  from?: string;
  /** End of the period (exclusive), ISO 8601. */
  to?: string;
}

/**
 * What an SLO measures: run success ratio, freshness of the data, finishing by a deadline, or
 * the 95th percentile of the run duration.
 *
 * @public
 */
export type SparkSloIndicator =
  | 'success-ratio'
  | 'freshness'
  | 'deadline'
  | 'duration-p95';

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
  evidence: Array<{ label: string; value: string }>;
  /** Runbook page id in the runbooks TechDocs site, e.g. `executor-oom`. */
  runbookId?: string;
  /** Stage or executor the finding is about, e.g. `stage 3.0`. */
  scope?: string;
}
