export { TeamSloCard, SparkSloView } from './TeamSloCard';
