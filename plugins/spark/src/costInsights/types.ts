/**
 * The data shapes of the community Cost Insights plugin's `CostInsightsApi`
 * (`@backstage-community/plugin-cost-insights-common`), declared here so this package does not
 * depend on it: TypeScript's structural typing lets {@link SparkCostInsightsClient} be passed
 * wherever that plugin expects its API.
 */

/**
 * Cost of one day.
 *
 * @public
 */
export type SparkCostInsightsDateAggregation = {
  /** `YYYY-MM-DD`. */
  date: string;
  amount: number;
};

/**
 * Change between the last interval and the one before.
 *
 * @public
 */
export type SparkCostInsightsChangeStatistic = {
  /** (last − previous) / previous; absent when the previous interval cost nothing. */
  ratio?: number;
  /** last − previous. */
  amount: number;
};

/**
 * Daily costs of a group, project or entity over the requested intervals.
 *
 * @public
 */
export type SparkCostInsightsCost = {
  id: string;
  aggregation: SparkCostInsightsDateAggregation[];
  change?: SparkCostInsightsChangeStatistic;
};

/**
 * A group (team) a user can look at.
 *
 * @public
 */
export type SparkCostInsightsGroup = { id: string; name?: string };

/**
 * A billing entity of a group; here, a Spark job Component.
 *
 * @public
 */
export type SparkCostInsightsProject = { id: string; name?: string };

/**
 * A product's cost for two periods and its breakdown.
 *
 * @public
 */
export type SparkCostInsightsEntity = {
  id: string | null;
  /** Cost of the previous and of the last period. */
  aggregation: [number, number];
  change: SparkCostInsightsChangeStatistic;
  entities: Record<string, SparkCostInsightsEntity[]>;
};

/**
 * A business metric series (the Spark plugin has none to offer).
 *
 * @public
 */
export type SparkCostInsightsMetricData = {
  id: string;
  format: 'number' | 'currency';
  aggregation: SparkCostInsightsDateAggregation[];
  change: SparkCostInsightsChangeStatistic;
};

/**
 * An action item of a group.
 *
 * @public
 */
export type SparkCostInsightsAlert = {
  title: string;
  subtitle: string;
  url?: string;
  buttonText?: string;
};

/**
 * The options of `getProductInsights`.
 *
 * @public
 */
export type SparkCostInsightsProductOptions = {
  product: string;
  group: string;
  intervals: string;
  project: string | null;
};
