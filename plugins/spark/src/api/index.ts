export { sparkApiRef } from './SparkApi';
export type { SparkApi, SparkAppListRequest } from './SparkApi';
export { SparkClient } from './SparkClient';
