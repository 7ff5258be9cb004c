export { EventLogAggregator, type AggregatorState } from './EventLogAggregator';
