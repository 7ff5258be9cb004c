import type { RenderedPreset } from '../render/render';
import type { ValidationFinding } from './findings';
import { quotaFindings } from './quotaRules';
import { securityFindings } from './securityRules';

/**
 * Every finding of a rendered preset: Pod Security "restricted", the OpenShift restricted-v2
 * rules when the preset targets it, the quota fit, and object-name limits.
 *
 * @public
 */
export function validateRendered(
  rendered: RenderedPreset,
): ValidationFinding[] {
  const findings = [
    ...securityFindings(rendered.objects, rendered.preset.security),
    ...quotaFindings(rendered),
  ];
  for (const o of rendered.objects) {
    // A CronJob's Jobs add an 11-character suffix to its name.
    const max = o.kind === 'CronJob' ? 52 : 63;
    if (o.metadata.name.length > max) {
      findings.push({
        severity: 'error',
        rule: 'names.length',
        object: `${o.kind} ${o.metadata.name}`,
        path: 'metadata.name',
        message: `must be at most ${max} characters; shorten parameters.name`,
      });
    }
  }
  return findings;
}
