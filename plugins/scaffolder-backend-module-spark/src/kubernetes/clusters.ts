import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';

/** A cluster presets can be applied to. */
export interface ProvisioningCluster {
  name: string;
  kubeConfig: KubeConfig;
}

/**
 * The clusters of `kubernetes.clusterLocatorMethods[]` of type `config` (the ones the
 * Kubernetes plugin shows) that carry a service-account token: the backend applies as that
 * account, so its RBAC bounds what provisioning may do.
 */
export function readProvisioningClusters(
  config: Config,
): ProvisioningCluster[] {
  const clusters: ProvisioningCluster[] = [];
  for (const method of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    if (method.getString('type') !== 'config') continue;
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const token = cluster.getOptionalString('serviceAccountToken');
      if (!token) continue;
      const name = cluster.getString('name');
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [
          {
            name,
            server: cluster.getString('url'),
            caData: cluster.getOptionalString('caData'),
            caFile: cluster.getOptionalString('caFile'),
            skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
          },
        ],
        users: [{ name: 'backstage-spark-presets', token }],
        contexts: [{ name, cluster: name, user: 'backstage-spark-presets' }],
        currentContext: name,
      });
      clusters.push({ name, kubeConfig });
    }
  }
  return clusters;
}

/** The named cluster, or the default one; an unknown name is the template author's error. */
export function pickCluster(
  clusters: ProvisioningCluster[],
  name: string | undefined,
  defaultName: string | undefined,
): ProvisioningCluster {
  const wanted = name ?? defaultName;
  const found = wanted ? clusters.find(c => c.name === wanted) : clusters[0];
  if (!found) {
    throw new InputError(
      clusters.length === 0
        ? 'no cluster to provision into: configure kubernetes.clusterLocatorMethods[] of type "config" with a cluster that has a serviceAccountToken'
        : `cluster "${wanted}" is not configured; configured: ${clusters
            .map(c => c.name)
            .join(', ')}`,
    );
  }
  return found;
}
