import {
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';

/**
 * The resource type of a Spark application (one run of a Spark job) in permission rules.
 *
 * @public
 */
export const SPARK_APP_RESOURCE_TYPE = 'spark-app';

/**
 * See a Spark app's summary, jobs, stages, executors and failures.
 *
 * @public
 */
export const sparkAppReadPermission = createPermission({
  name: 'spark.app.read',
  attributes: { action: 'read' },
  resourceType: SPARK_APP_RESOURCE_TYPE,
});

/**
 * See a Spark app's sensitive details: its environment (Spark conf) and logs.
 *
 * @public
 */
export const sparkAppSensitiveReadPermission = createPermission({
  name: 'spark.app.sensitive.read',
  attributes: { action: 'read' },
  resourceType: SPARK_APP_RESOURCE_TYPE,
});

/**
 * See the health of the Spark sources (event-log directories, clusters, History Servers) and
 * their errors.
 *
 * @public
 */
export const sparkSourceReadPermission = createPermission({
  name: 'spark.source.read',
  attributes: { action: 'read' },
});

/**
 * Provision a Spark environment from a preset: apply its objects (namespace, RBAC, workloads,
 * SparkApplications) to a cluster, for real or as a server-side dry-run.
 *
 * @public
 */
export const sparkPresetProvisionPermission = createPermission({
  name: 'spark.preset.provision',
  attributes: { action: 'create' },
});

/**
 * See what Spark apps cost (per app, Component, team, namespace, cluster). A resource permission
 * on apps, so a policy can grant it for some teams' apps only, or to fewer people than app reads.
 *
 * @public
 */
export const sparkCostReadPermission = createPermission({
  name: 'spark.cost.read',
  attributes: { action: 'read' },
  resourceType: SPARK_APP_RESOURCE_TYPE,
});

/**
 * Every permission of the Spark plugins, for registration with the permission framework.
 *
 * @public
 */
// Typed, not inferred: an inferred union prints in a build-dependent order in the API report.
export const sparkPermissions: Permission[] = [
  sparkAppReadPermission,
  sparkAppSensitiveReadPermission,
  sparkSourceReadPermission,
  sparkPresetProvisionPermission,
  sparkCostReadPermission,
];
