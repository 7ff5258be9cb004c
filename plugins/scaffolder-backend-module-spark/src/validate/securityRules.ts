import type { SecurityProfile } from '@spark-k8s/plugin-spark-common';
import type { RenderedObject } from '../render/objects';
import { objectRef, type ValidationFinding } from './findings';
import { podSpecsOf } from './podSpecs';

/** Volume types Pod Security "restricted" allows. */
const RESTRICTED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

interface PodView {
  path: string;
  pod: Record<string, any>;
  /** Pod-level security context fields as the containers inherit them. */
  podContext: Record<string, any>;
  containers: Array<{ path: string; c: Record<string, any>; init: boolean }>;
}

function podViews(object: RenderedObject): PodView[] {
  const views: PodView[] = podSpecsOf(object).map(({ path, spec }) => ({
    path,
    pod: spec,
    podContext: spec.securityContext ?? {},
    containers: [
      ...(spec.initContainers ?? []).map((c: any, i: number) => ({
        path: `${path}.initContainers[${i}]`,
        c,
        init: true,
      })),
      ...(spec.containers ?? []).map((c: any, i: number) => ({
        path: `${path}.containers[${i}]`,
        c,
        init: false,
      })),
    ],
  }));
  // The spark-operator builds driver and executor pods from these fields of a SparkApplication.
  const sparkSpecs: Array<[string, any]> = [];
  const o = object as any;
  if (object.kind === 'SparkApplication') sparkSpecs.push(['spec', o.spec]);
  if (object.kind === 'ScheduledSparkApplication') {
    sparkSpecs.push(['spec.template', o.spec.template]);
  }
  for (const [base, spec] of sparkSpecs) {
    for (const role of ['driver', 'executor']) {
      const r = spec[role] ?? {};
      views.push({
        path: `${base}.${role}`,
        pod: { hostNetwork: r.hostNetwork, volumes: spec.volumes },
        podContext: r.podSecurityContext ?? {},
        containers: [
          {
            path: `${base}.${role}`,
            c: {
              securityContext: r.securityContext,
              volumeMounts: r.volumeMounts,
            },
            init: false,
          },
        ],
      });
    }
  }
  return views;
}

/** The container path where its security context lives (SparkApplications name it the same). */
function scPath(path: string): string {
  return `${path}.securityContext`;
}

/**
 * Pod Security "restricted" (as Pod Security admission enforces it) and, for the OpenShift
 * profile, what the restricted-v2 SCC adds: no pinned UID or fsGroup, group 0, no root init.
 */
export function securityFindings(
  objects: RenderedObject[],
  profile: SecurityProfile,
): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  for (const object of objects) {
    const ref = objectRef(object);
    const error = (rule: string, path: string, message: string) =>
      findings.push({ severity: 'error', rule, object: ref, path, message });
    for (const view of podViews(object)) {
      const { pod, podContext } = view;
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (pod[field]) {
          error(
            `pss.restricted.${field}`,
            `${view.path}.${field}`,
            `must not be true (host namespaces are forbidden)`,
          );
        }
      }
      (pod.volumes ?? []).forEach(
        (volume: Record<string, unknown>, i: number) => {
          const type = Object.keys(volume).find(k => k !== 'name');
          if (type && !RESTRICTED_VOLUMES.includes(type)) {
            error(
              'pss.restricted.volumes',
              `${view.path}.volumes[${i}].${type}`,
              `volume type "${type}" is not allowed (allowed: ${RESTRICTED_VOLUMES.join(
                ', ',
              )})`,
            );
          }
        },
      );
      if (podContext.runAsUser === 0) {
        error(
          'pss.restricted.runAsUser',
          `${view.path}.securityContext.runAsUser`,
          'must not be 0 (root)',
        );
      }
      const podSeccomp = podContext.seccompProfile?.type;
      for (const { path, c, init } of view.containers) {
        const sc = c.securityContext ?? {};
        if (sc.privileged) {
          error(
            'pss.restricted.privileged',
            `${scPath(path)}.privileged`,
            'must not be true',
          );
        }
        if (sc.allowPrivilegeEscalation !== false) {
          error(
            'pss.restricted.allowPrivilegeEscalation',
            `${scPath(path)}.allowPrivilegeEscalation`,
            'must be false',
          );
        }
        if (!(sc.capabilities?.drop ?? []).includes('ALL')) {
          error(
            'pss.restricted.capabilities',
            `${scPath(path)}.capabilities.drop`,
            'must include "ALL"',
          );
        }
        (sc.capabilities?.add ?? []).forEach((cap: string, i: number) => {
          if (cap !== 'NET_BIND_SERVICE') {
            error(
              'pss.restricted.capabilities',
              `${scPath(path)}.capabilities.add[${i}]`,
              `must not add "${cap}" (only NET_BIND_SERVICE)`,
            );
          }
        });
        const runAsNonRoot = sc.runAsNonRoot ?? podContext.runAsNonRoot;
        if (runAsNonRoot !== true) {
          error(
            'pss.restricted.runAsNonRoot',
            `${scPath(path)}.runAsNonRoot`,
            'must be true (here or in the pod securityContext)',
          );
        }
        const runAsUser = sc.runAsUser ?? podContext.runAsUser;
        if (runAsUser === 0) {
          error(
            init ? 'openshift.root-init-container' : 'pss.restricted.runAsUser',
            `${scPath(path)}.runAsUser`,
            init
              ? 'an init container must not run as root'
              : 'must not be 0 (root)',
          );
        }
        const seccomp = sc.seccompProfile?.type ?? podSeccomp;
        if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
          error(
            'pss.restricted.seccompProfile',
            `${scPath(path)}.seccompProfile.type`,
            'must be RuntimeDefault or Localhost (here or in the pod securityContext)',
          );
        }
        (c.ports ?? []).forEach((port: Record<string, unknown>, i: number) => {
          if (port.hostPort) {
            error(
              'pss.baseline.hostPorts',
              `${path}.ports[${i}].hostPort`,
              'must not be set',
            );
          }
        });
        if (profile === 'openshift-restricted-v2') {
          if (sc.runAsUser !== undefined) {
            error(
              'openshift.arbitrary-uid',
              `${scPath(path)}.runAsUser`,
              'must not be set: restricted-v2 assigns a UID from the namespace range',
            );
          }
          if (sc.runAsGroup !== undefined && sc.runAsGroup !== 0) {
            error(
              'openshift.group-0',
              `${scPath(path)}.runAsGroup`,
              'must be unset or 0: files are group-0 writable under an arbitrary UID',
            );
          }
          const emptyDirs = new Set(
            (pod.volumes ?? [])
              .filter((v: Record<string, unknown>) => v.emptyDir)
              .map((v: Record<string, unknown>) => v.name),
          );
          if (
            !(c.volumeMounts ?? []).some(
              (m: { name: string; mountPath: string }) =>
                m.mountPath === '/tmp' && emptyDirs.has(m.name),
            )
          ) {
            error(
              'openshift.writable-tmp',
              `${path}.volumeMounts`,
              "must mount an emptyDir at /tmp: an arbitrary UID cannot write to the image's own directories unless they are group-0 writable",
            );
          }
        }
      }
      if (profile === 'openshift-restricted-v2') {
        const sc = `${view.path}.securityContext`;
        if (podContext.runAsUser !== undefined) {
          error(
            'openshift.arbitrary-uid',
            `${sc}.runAsUser`,
            'must not be set: restricted-v2 assigns a UID from the namespace range',
          );
        }
        if (podContext.fsGroup !== undefined) {
          error(
            'openshift.arbitrary-uid',
            `${sc}.fsGroup`,
            'must not be set: restricted-v2 assigns the fsGroup from the namespace range',
          );
        }
        if (
          podContext.runAsGroup !== undefined &&
          podContext.runAsGroup !== 0
        ) {
          error(
            'openshift.group-0',
            `${sc}.runAsGroup`,
            'must be unset or 0: files are group-0 writable under an arbitrary UID',
          );
        }
      }
    }
  }
  return findings;
}
