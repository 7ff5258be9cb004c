import type {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { SparkAppSource } from '@spark-k8s/plugin-spark-node';
import { readKubernetesClusters } from './config';
import {
  KubernetesSource,
  type KubernetesSourceOptions,
  UnusableKubernetesSource,
} from './KubernetesSource';

/**
 * Options shared by the sources of all clusters.
 *
 * @public
 */
export interface KubernetesSourcesOptions {
  logger?: LoggerService;
  schedule?: SchedulerServiceTaskScheduleDefinition;
  watchMs?: number;
  pageSize?: number;
  requestTimeoutMs?: number;
  /** Labels of a pod's Node to keep with it; see {@link KubernetesSourceOptions}. */
  nodeLabelKeys?: readonly string[];
}

/**
 * One source per cluster of the `kubernetes:` config. A cluster the source cannot read (an auth
 * provider other than serviceAccount) gets a source that reports why on every run, so the problem
 * shows next to the other sources; other warnings are logged.
 *
 * @public
 */
export function createKubernetesSources(
  config: Config,
  options: KubernetesSourcesOptions = {},
): SparkAppSource[] {
  const { clusters, warnings } = readKubernetesClusters(config);
  const sources: SparkAppSource[] = clusters.map(
    cluster =>
      new KubernetesSource({
        cluster,
        schedule: options.schedule,
        watchMs: options.watchMs,
        pageSize: options.pageSize,
        requestTimeoutMs: options.requestTimeoutMs,
        nodeLabelKeys: options.nodeLabelKeys,
      }),
  );
  const names = new Set(clusters.map(c => c.name));
  for (const warning of warnings) {
    options.logger?.warn(`Spark Kubernetes source: ${warning.message}`);
    if (warning.cluster && !names.has(warning.cluster)) {
      names.add(warning.cluster);
      sources.push(
        new UnusableKubernetesSource(
          warning.cluster,
          warning.message,
          options.schedule,
        ),
      );
    }
  }
  return sources;
}
