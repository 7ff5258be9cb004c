export { TeamCostCard, SparkCostView } from './TeamCostCard';
