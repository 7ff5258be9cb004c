import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { PresetLibrary } from '../presets/PresetLibrary';
import { validateRendered } from '../validate/validate';
import { presetInput } from './inputs';
import { examples } from './validate.examples';

/** `spark:preset:validate`: Pod Security, OpenShift and quota findings with field paths. */
export function createValidateAction(library: PresetLibrary) {
  return createTemplateAction({
    id: 'spark:preset:validate',
    description:
      'Validates a rendered Spark preset: parameter schema, Pod Security "restricted", OpenShift restricted-v2 (for OpenShift presets) and quota fit; findings name the object and field',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...presetInput,
        failOnError: z =>
          z
            .boolean()
            .optional()
            .describe('Fail the step on an error finding (default true)'),
      },
      output: {
        valid: z => z.boolean(),
        findings: z =>
          z
            .array(
              z.object({
                severity: z.enum(['error', 'warning']),
                rule: z.string(),
                object: z.string(),
                path: z.string(),
                message: z.string(),
              }),
            )
            .describe(
              'Every finding, with the object and the exact field path',
            ),
        summary: z => z.string(),
      },
    },
    async handler(ctx) {
      const rendered = library.render(ctx.input.preset, ctx.input.parameters);
      const findings = validateRendered(rendered);
      const errors = findings.filter(f => f.severity === 'error');
      const summary =
        findings.length === 0
          ? `no findings: ${rendered.objects.length} objects comply with ${rendered.preset.security} and fit the quota`
          : findings
              .map(
                f =>
                  `${f.severity} ${f.rule} ${f.object}: ${f.path} ${f.message}`,
              )
              .join('\n');
      ctx.output('valid', errors.length === 0);
      ctx.output('findings', findings);
      ctx.output('summary', summary);
      if (errors.length > 0 && ctx.input.failOnError !== false) {
        throw new Error(
          `preset ${rendered.preset.name} does not validate:\n${summary}`,
        );
      }
      ctx.logger.info(summary);
    },
  });
}
