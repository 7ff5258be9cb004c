/**
 * The Spark backend plugin: ingests Spark apps from event logs, Kubernetes and History Servers
 * into one store and serves them by team under `/api/spark`.
 *
 * @packageDocumentation
 */
export { sparkPlugin as default } from './plugin';
export {
  sparkAppPermissionResourceRef,
  sparkAppPermissionRules,
  sparkAppConditions,
  createSparkAppConditionalDecision,
} from './permissions';
export {
  SparkTeamPermissionPolicy,
  type SparkTeamPermissionPolicyOptions,
} from './policy';
export type { SparkAppFilter } from './store/SparkStore';
