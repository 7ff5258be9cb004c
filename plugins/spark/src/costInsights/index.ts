export { SparkCostInsightsClient } from './SparkCostInsightsClient';
export type {
  SparkCostInsightsAlert,
  SparkCostInsightsChangeStatistic,
  SparkCostInsightsCost,
  SparkCostInsightsDateAggregation,
  SparkCostInsightsEntity,
  SparkCostInsightsGroup,
  SparkCostInsightsMetricData,
  SparkCostInsightsProductOptions,
  SparkCostInsightsProject,
} from './types';
