import type { SparkFailure } from '@spark-k8s/plugin-spark-common';
import type { SparkDiagnosisRule } from '@spark-k8s/plugin-spark-node';
import { matching } from './matching';

const message = (f: SparkFailure) => f.message ?? '';

/** What Kubernetes itself refused or could not do: scheduling, images, admission, RBAC, quotas. */
export const kubernetesRules: SparkDiagnosisRule<any>[] = [
  matching({
    scopeWhenOne: true,
    id: 'pods-unschedulable',
    title: 'Pods could not be scheduled',
    severity: 'warning',
    fix: 'Lower the pod requests or add capacity: the message says which resource, taint or node selector no node satisfies.',
    runbookId: 'pods-unschedulable',
    test: f =>
      f.reason === 'Unschedulable' || /FailedScheduling/.test(message(f)),
    summary: failures =>
      `${failures.length} pod(s) stayed Pending: the scheduler found no node for them.`,
  }),
  matching({
    scopeWhenOne: true,
    id: 'resource-quota-exceeded',
    title: 'The namespace quota refused pods',
    severity: 'warning',
    fix: 'Ask for a larger ResourceQuota or request less (fewer or smaller executors); Spark keeps retrying executor pods while the quota is full.',
    runbookId: 'resource-quota-exceeded',
    test: f => /exceeded quota/i.test(message(f)),
    summary: () =>
      'The API server rejected pods of this app because the namespace ResourceQuota was used up.',
  }),
  matching({
    scopeWhenOne: true,
    id: 'image-pull-error',
    title: 'The container image could not be pulled',
    severity: 'critical',
    fix: 'Check the image name and tag (spark.kubernetes.container.image) and the pull secret (spark.kubernetes.container.image.pullSecrets).',
    runbookId: 'image-pull-error',
    test: f =>
      [
        'ErrImagePull',
        'ImagePullBackOff',
        'InvalidImageName',
        'ErrImageNeverPull',
      ].includes(f.reason),
    summary: failures =>
      `${failures.length} pod(s) could not start because their image could not be pulled.`,
  }),
  matching({
    scopeWhenOne: true,
    id: 'bad-entrypoint',
    title: 'The container command could not run',
    severity: 'critical',
    fix: 'Use an image built for Spark on Kubernetes (its entrypoint.sh) and a mainApplicationFile/command that exists in the image.',
    runbookId: 'bad-entrypoint',
    test: f =>
      f.exitCode === 126 ||
      f.exitCode === 127 ||
      f.reason === 'ContainerCannotRun' ||
      f.reason === 'StartError',
    summary: () =>
      'A Spark container exited at once with 126/127 or could not start: its command or entrypoint is missing or not executable.',
  }),
  matching({
    scopeWhenOne: true,
    id: 'pod-security-rejected',
    title: 'Pod Security admission rejected the pods',
    severity: 'critical',
    fix: 'Run as non-root with allowPrivilegeEscalation=false, capabilities drop ALL and seccomp RuntimeDefault (driver and executor pod templates).',
    runbookId: 'pod-security-rejected',
    test: f => /violates PodSecurity/.test(message(f)),
    summary: () =>
      'The API server refused the pods: they violate the namespace Pod Security level (pod-security.kubernetes.io/enforce).',
  }),
  matching({
    scopeWhenOne: true,
    id: 'openshift-scc-rejected',
    title: 'OpenShift security context constraints rejected the pods',
    severity: 'critical',
    fix: 'Do not pin runAsUser (restricted-v2 assigns a UID from the namespace range) and make the image work for any UID in group 0.',
    runbookId: 'openshift-scc-rejected',
    test: f =>
      /unable to validate against any security context constraint/.test(
        message(f),
      ),
    summary: () =>
      'OpenShift refused the pods: no security context constraint available to the service account allows them.',
  }),
  matching({
    scopeWhenOne: true,
    id: 'rbac-forbidden',
    title: 'A service account lacks Kubernetes permissions',
    severity: 'critical',
    fix: 'Bind a Role that allows pods, services, configmaps and persistentvolumeclaims (create, get, list, watch, delete) to the driver service account (spark.kubernetes.authenticate.driver.serviceAccountName).',
    runbookId: 'rbac-forbidden',
    test: f =>
      /is forbidden: User "[^"]+" cannot \w+ resource/.test(message(f)) &&
      !/violates PodSecurity|exceeded quota/.test(message(f)),
    summary: () =>
      'The API server answered 403: the service account used to create Spark pods may not do so in this namespace.',
  }),
];
