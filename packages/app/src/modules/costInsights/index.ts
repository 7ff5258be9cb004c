export {
  costInsightsApiRef,
  appModuleSparkCostInsights,
} from './costInsightsModule';
