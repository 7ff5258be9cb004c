/**
 * The Spark frontend plugin: a Spark tab on Components, cost and SLO cards on Groups, a fleet
 * page and an app page, in English and Russian. This entry point is for the legacy frontend
 * system; `@spark-k8s/plugin-spark/alpha` is the plugin for the new one.
 *
 * @packageDocumentation
 */
export {
  sparkPlugin,
  SparkPage,
  EntitySparkContent,
  EntitySparkCostCard,
  EntitySparkSloCard,
  SparkRunbookValues,
} from './plugin';
export { sparkApiRef, SparkClient } from './api';
export type { SparkApi, SparkAppListRequest } from './api';
export { sparkTranslationRef } from './translation';
export { isSparkJob } from './isSparkJob';
export * from './costInsights';
