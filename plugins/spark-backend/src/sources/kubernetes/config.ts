import type { Config } from '@backstage/config';

/**
 * A cluster of the Backstage Kubernetes plugin's config that the Spark source can read.
 *
 * @public
 */
export interface KubernetesClusterDescriptor {
  name: string;
  /** The API server, e.g. `https://10.0.0.1:6443`. */
  url: string;
  /** Always `serviceAccount`: the only auth provider the Spark source supports. */
  authProvider: 'serviceAccount';
  /** Bearer token; absent to use the backend's in-cluster service account token. */
  serviceAccountToken?: string;
  /** Base64 PEM of the CA that signed the API server's certificate. */
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

/**
 * Why a configured cluster (or locator method) is not read.
 *
 * @public
 */
export interface KubernetesClusterWarning {
  /** The cluster's name, when the warning is about one cluster. */
  cluster?: string;
  message: string;
}

const SUPPORTED_AUTH = 'serviceAccount';

/**
 * Reads the clusters of `kubernetes.clusterLocatorMethods[]` of type `config`, the same entries
 * the Backstage Kubernetes plugin reads, so one config serves both. Clusters whose auth provider
 * the Spark source cannot use, and locator methods it does not read, come back as warnings.
 *
 * @public
 */
export function readKubernetesClusters(config: Config): {
  clusters: KubernetesClusterDescriptor[];
  warnings: KubernetesClusterWarning[];
} {
  const clusters: KubernetesClusterDescriptor[] = [];
  const warnings: KubernetesClusterWarning[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  methods.forEach((method, index) => {
    const type = method.getString('type');
    if (type !== 'config') {
      warnings.push({
        message: `kubernetes.clusterLocatorMethods[${index}] has type "${type}", which the Spark source does not read; list the clusters whose Spark apps you want under a locator of type "config"`,
      });
      return;
    }
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      const url = cluster.getString('url');
      // Newer Backstage configs may carry the provider and token in authMetadata.
      const authMetadata =
        (cluster.getOptional('authMetadata') as
          | Record<string, unknown>
          | undefined) ?? {};
      const metadataString = (key: string) =>
        typeof authMetadata[key] === 'string'
          ? (authMetadata[key] as string)
          : undefined;
      const authProvider =
        cluster.getOptionalString('authProvider') ??
        metadataString('kubernetes.io/auth-provider');
      if (clusters.some(c => c.name === name)) {
        warnings.push({
          cluster: name,
          message: `cluster "${name}" is configured twice; the Spark source reads the first entry only`,
        });
        continue;
      }
      if (authProvider !== SUPPORTED_AUTH) {
        warnings.push({
          cluster: name,
          message: authProvider
            ? `cluster "${name}" uses authProvider "${authProvider}", which the Spark source does not support (only "${SUPPORTED_AUTH}" with a serviceAccountToken); its Spark apps are not ingested`
            : `cluster "${name}" has no authProvider; set authProvider "${SUPPORTED_AUTH}" and a serviceAccountToken to ingest its Spark apps`,
        });
        continue;
      }
      clusters.push({
        name,
        url,
        authProvider: SUPPORTED_AUTH,
        serviceAccountToken:
          cluster.getOptionalString('serviceAccountToken') ??
          metadataString('serviceAccountToken'),
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  });
  return { clusters, warnings };
}
