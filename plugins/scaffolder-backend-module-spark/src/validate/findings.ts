import type { RenderedObject } from '../render/objects';

/**
 * One validation result: the rule, the object and the exact field path in it.
 *
 * @public
 */
export interface ValidationFinding {
  /** `error` blocks provisioning; `warning` is shown in the preview. */
  severity: 'error' | 'warning';
  /** e.g. `pss.restricted.allowPrivilegeEscalation`, `openshift.arbitrary-uid`, `quota.fit`. */
  rule: string;
  /** `Deployment team-a/team-a-connect`. */
  object: string;
  /** The field in the object, e.g. `spec.template.spec.containers[0].securityContext`. */
  path: string;
  /** What is wrong, in a sentence. */
  message: string;
}

export function objectRef(o: RenderedObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
    o.metadata.name
  }`;
}
