import type {
  KubernetesObject,
  V1Container,
  V1PodSecurityContext,
  V1PodSpec,
  V1SecurityContext,
} from '@kubernetes/client-node';
import type {
  Preset,
  PresetParameters,
  SecurityProfile,
} from '@spark-k8s/plugin-spark-common';

/**
 * A rendered Kubernetes object: always named, namespaced unless cluster-scoped.
 *
 * @public
 */
export type RenderedObject = KubernetesObject & {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
};

/** Who the image runs as under the "restricted" profile; OpenShift assigns its own. */
export interface ImageUser {
  uid: number;
  gid: number;
}

/** Apache's Spark images run as `spark` (185); the others as their documented users. */
export const IMAGE_USERS = {
  spark: { uid: 185, gid: 185 },
  jupyter: { uid: 1000, gid: 100 },
  airflow: { uid: 50000, gid: 0 },
  postgres: { uid: 999, gid: 999 },
  hive: { uid: 1000, gid: 1000 },
  celeborn: { uid: 10006, gid: 10006 },
  awsCli: { uid: 1000, gid: 1000 },
  icebergRest: { uid: 1000, gid: 1000 },
} satisfies Record<string, ImageUser>;

/** What every component renders from. */
export interface RenderContext {
  preset: Preset;
  parameters: PresetParameters;
  /** The namespace everything goes in. */
  namespace: string;
  security: SecurityProfile;
  /** The Spark image of drivers, executors and Spark daemons. */
  sparkImage: string;
  /** `<environment name>-<suffix>`, the name of one object. */
  name(suffix?: string): string;
  /** The labels of one component's objects. */
  labels(component: string): Record<string, string>;
  /** The Spark driver's (and connect server's) service account. */
  sparkServiceAccount: string;
}

/** The labels every object of an environment carries, and those that select one component. */
export function environmentLabels(
  parameters: PresetParameters,
  preset: Preset,
  component: string,
): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/instance': parameters.name,
    'app.kubernetes.io/part-of': parameters.name,
    'app.kubernetes.io/managed-by': 'backstage-spark-presets',
    'spark-k8s.io/preset': preset.name,
    // The Backstage Kubernetes plugin and the Spark data plane attribute objects by this id.
    'backstage.io/kubernetes-id': parameters.name,
  };
}

/** The pod-level security context of a profile: OpenShift picks UID and groups itself. */
export function podSecurityContext(
  security: SecurityProfile,
  user: ImageUser,
): V1PodSecurityContext {
  const base: V1PodSecurityContext = {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  if (security === 'openshift-restricted-v2') return base;
  return {
    ...base,
    runAsUser: user.uid,
    runAsGroup: user.gid,
    fsGroup: user.gid,
  };
}

/** The container-level security context that Pod Security "restricted" asks for. */
export function containerSecurityContext(): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Writable scratch space: images' own directories may not be writable by an arbitrary UID. */
export const TMP_VOLUME = { name: 'tmp', emptyDir: {} };
export const TMP_MOUNT = { name: 'tmp', mountPath: '/tmp' };

/** A container with the restricted security context and /tmp mounted. */
export function container(
  spec: V1Container & { name: string; image: string },
): V1Container {
  return {
    imagePullPolicy: 'IfNotPresent',
    ...spec,
    securityContext: containerSecurityContext(),
    volumeMounts: [TMP_MOUNT, ...(spec.volumeMounts ?? [])],
  };
}

/** A pod spec with the profile's security context and the /tmp volume. */
export function podSpec(
  ctx: RenderContext,
  user: ImageUser,
  spec: V1PodSpec,
): V1PodSpec {
  return {
    automountServiceAccountToken: false,
    ...spec,
    securityContext: podSecurityContext(ctx.security, user),
    volumes: [TMP_VOLUME, ...(spec.volumes ?? [])],
  };
}

/** Requests = limits for memory (no overcommit, no OOM surprise); CPU limit = request too. */
export function resources(cores: number, memoryMiB: number, gpus = 0) {
  const gpu: Record<string, string> =
    gpus > 0 ? { 'nvidia.com/gpu': `${gpus}` } : {};
  return {
    requests: { cpu: `${cores}`, memory: `${memoryMiB}Mi`, ...gpu },
    limits: { cpu: `${cores}`, memory: `${memoryMiB}Mi`, ...gpu },
  };
}

/** Spark's memory overhead on Kubernetes: max(384 MiB, factor × memory). */
export function withOverheadMiB(memoryGiB: number, factor = 0.1): number {
  const memoryMiB = memoryGiB * 1024;
  return memoryMiB + Math.max(384, Math.ceil(memoryMiB * factor));
}

/** An env var from a key of a Secret that may not exist yet (the team creates it). */
export function optionalSecretEnv(name: string, secret: string, key: string) {
  return {
    name,
    valueFrom: { secretKeyRef: { name: secret, key, optional: true } },
  };
}

/** The S3 credentials env of every pod that reads or writes object storage. */
export function s3CredentialsEnv(parameters: PresetParameters) {
  const secret = parameters.storage.credentialsSecret;
  return [
    optionalSecretEnv('AWS_ACCESS_KEY_ID', secret, 'AWS_ACCESS_KEY_ID'),
    optionalSecretEnv('AWS_SECRET_ACCESS_KEY', secret, 'AWS_SECRET_ACCESS_KEY'),
  ];
}

/** A namespaced object of the environment. */
export function namespaced(
  ctx: RenderContext,
  apiVersion: string,
  kind: string,
  name: string,
  component: string,
  body: Record<string, unknown>,
): RenderedObject {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: ctx.namespace, labels: ctx.labels(component) },
    ...body,
  };
}

/** A Deployment of one pod template, selected by its component label. */
export function deployment(
  ctx: RenderContext,
  name: string,
  component: string,
  replicas: number,
  spec: V1PodSpec,
): RenderedObject {
  const labels = ctx.labels(component);
  return namespaced(ctx, 'apps/v1', 'Deployment', name, component, {
    spec: {
      replicas,
      selector: { matchLabels: selectorOf(labels) },
      template: { metadata: { labels }, spec },
    },
  });
}

/** A StatefulSet with a (headless) governing Service of the same name. */
export function statefulSet(
  ctx: RenderContext,
  name: string,
  component: string,
  replicas: number,
  spec: V1PodSpec,
  extra: Record<string, unknown> = {},
): RenderedObject {
  const labels = ctx.labels(component);
  return namespaced(ctx, 'apps/v1', 'StatefulSet', name, component, {
    spec: {
      serviceName: name,
      replicas,
      selector: { matchLabels: selectorOf(labels) },
      template: { metadata: { labels }, spec },
      ...extra,
    },
  });
}

/** A ClusterIP Service (headless when asked) in front of one component. */
export function service(
  ctx: RenderContext,
  name: string,
  component: string,
  ports: Array<{ name: string; port: number }>,
  headless = false,
): RenderedObject {
  return namespaced(ctx, 'v1', 'Service', name, component, {
    spec: {
      ...(headless ? { clusterIP: 'None' } : {}),
      selector: selectorOf(ctx.labels(component)),
      ports: ports.map(p => ({ ...p, targetPort: p.port, protocol: 'TCP' })),
    },
  });
}

/** The labels that select one component's pods (stable across preset changes). */
export function selectorOf(labels: Record<string, string>) {
  return {
    'app.kubernetes.io/name': labels['app.kubernetes.io/name'],
    'app.kubernetes.io/instance': labels['app.kubernetes.io/instance'],
  };
}
