export {
  readKubernetesClusters,
  type KubernetesClusterDescriptor,
  type KubernetesClusterWarning,
} from './config';
export {
  createKubernetesSources,
  type KubernetesSourcesOptions,
} from './createKubernetesSources';
export {
  DEFAULT_KUBERNETES_SCHEDULE,
  KubernetesSource,
  UnusableKubernetesSource,
  type KubernetesResourceRun,
  type KubernetesSourceOptions,
  type KubernetesSourceRun,
} from './KubernetesSource';
export {
  apacheSparkAppId,
  describeExit,
  toAppContribution,
  toAppReport,
  toAppReports,
  toSparkKubernetesObject,
  type SparkAppContribution,
} from './mapping';
export { SPARK_RESOURCES, type SparkResource } from './resources';
