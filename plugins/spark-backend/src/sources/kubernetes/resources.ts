/**
 * A kind of Kubernetes object the source lists and watches.
 */
export interface SparkResource {
  /** Stable id of the resource, used in checkpoint keys and run statistics. */
  key: string;
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  /** The object's `kind`. */
  kind: string;
  /**
   * The kind as stored in `SparkKubernetesObject.kind`: custom kinds carry their group
   * (`SparkApplication.sparkoperator.k8s.io`) because both operators name a kind SparkApplication
   * and the store keys objects by cluster, kind, namespace and name.
   */
  storeKind: string;
  labelSelector?: string;
}

function custom(
  group: string,
  version: string,
  plural: string,
  kind: string,
): SparkResource {
  return {
    key: `${plural}.${group}/${version}`,
    group,
    version,
    plural,
    kind,
    storeKind: `${kind}.${group}`,
  };
}

export const KUBEFLOW_GROUP = 'sparkoperator.k8s.io';
export const APACHE_GROUP = 'spark.apache.org';

export const kubeflowSparkApplications = custom(
  KUBEFLOW_GROUP,
  'v1beta2',
  'sparkapplications',
  'SparkApplication',
);
export const kubeflowScheduledSparkApplications = custom(
  KUBEFLOW_GROUP,
  'v1beta2',
  'scheduledsparkapplications',
  'ScheduledSparkApplication',
);
export const apacheSparkApplications = custom(
  APACHE_GROUP,
  'v1',
  'sparkapplications',
  'SparkApplication',
);
export const apacheSparkClusters = custom(
  APACHE_GROUP,
  'v1',
  'sparkclusters',
  'SparkCluster',
);
/** Driver and executor pods of spark-submit and of both operators (and the Apache operator's cluster pods). */
export const sparkPods: SparkResource = {
  key: 'pods/v1',
  group: '',
  version: 'v1',
  plural: 'pods',
  kind: 'Pod',
  storeKind: 'Pod',
  labelSelector: 'spark-role',
};

/** Everything the Kubernetes source ingests, in the order it reports them. */
export const SPARK_RESOURCES: readonly SparkResource[] = [
  kubeflowSparkApplications,
  kubeflowScheduledSparkApplications,
  apacheSparkApplications,
  apacheSparkClusters,
  sparkPods,
];

/** The resource an object belongs to, from its apiVersion and kind; undefined for other objects. */
export function resourceOf(
  apiVersion: string | undefined,
  kind: string | undefined,
): SparkResource | undefined {
  return SPARK_RESOURCES.find(
    r =>
      r.kind === kind &&
      (r.group ? `${r.group}/${r.version}` : r.version) === apiVersion,
  );
}

/** The resource behind a stored kind (`Pod`, `SparkApplication.spark.apache.org` …). */
export function resourceOfStoreKind(
  storeKind: string,
): SparkResource | undefined {
  return SPARK_RESOURCES.find(r => r.storeKind === storeKind);
}

export function apiVersionOf(resource: SparkResource): string {
  return resource.group
    ? `${resource.group}/${resource.version}`
    : resource.version;
}

/** The collection path of the resource across all namespaces. */
export function collectionPath(resource: SparkResource): string {
  return resource.group
    ? `/apis/${resource.group}/${resource.version}/${resource.plural}`
    : `/api/${resource.version}/${resource.plural}`;
}
