import type {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { sparkPresetProvisionPermission } from '@spark-k8s/plugin-spark-common';
import { applyObjects } from '../kubernetes/apply';
import { pickCluster, type ProvisioningCluster } from '../kubernetes/clusters';
import type { PresetLibrary } from '../presets/PresetLibrary';
import { validateRendered } from '../validate/validate';
import { presetInput } from './inputs';
import { examples } from './apply.examples';

export interface ApplyActionOptions {
  library: PresetLibrary;
  clusters: ProvisioningCluster[];
  defaultCluster?: string;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/**
 * `spark:kubernetes:apply`: renders, validates and server-side applies a preset. A dry-run of
 * the task is the API server's dry-run; the caller needs `spark.preset.provision` either way.
 */
export function createApplyAction(options: ApplyActionOptions) {
  const { library, clusters, defaultCluster, permissions, auditor } = options;
  return createTemplateAction({
    id: 'spark:kubernetes:apply',
    description:
      "Server-side applies a rendered Spark preset to a cluster of the kubernetes config (a dry-run is the API server's dry-run); refuses presets with validation errors",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...presetInput,
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              'Cluster name of the kubernetes config; default spark.presets.defaultCluster or the first',
            ),
      },
      output: {
        cluster: z => z.string(),
        namespace: z => z.string(),
        dryRun: z => z.boolean(),
        results: z =>
          z
            .array(
              z.object({
                object: z.string(),
                outcome: z.string(),
                message: z.string().optional(),
                status: z.number().optional(),
                warnings: z.array(z.string()),
              }),
            )
            .describe('What happened to each object'),
        summary: z => z.string(),
      },
    },
    async handler(ctx) {
      const rendered = library.render(ctx.input.preset, ctx.input.parameters);
      const cluster = pickCluster(clusters, ctx.input.cluster, defaultCluster);
      const dryRun = ctx.isDryRun === true;
      const meta = {
        preset: rendered.preset.name,
        namespace: rendered.parameters.namespace,
        name: rendered.parameters.name,
        cluster: cluster.name,
        dryRun,
        templateRef: ctx.templateInfo?.entityRef ?? null,
        taskId: ctx.task.id,
      };
      const event = await auditor.createEvent({
        eventId: 'spark-preset-provision',
        severityLevel: dryRun ? 'low' : 'medium',
        meta,
      });
      try {
        const credentials = await ctx.getInitiatorCredentials();
        const [decision] = await permissions.authorize(
          [{ permission: sparkPresetProvisionPermission }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `not allowed to provision Spark presets (permission ${sparkPresetProvisionPermission.name})`,
          );
        }
        const errors = validateRendered(rendered).filter(
          f => f.severity === 'error',
        );
        if (errors.length > 0) {
          throw new Error(
            `preset ${
              rendered.preset.name
            } does not validate; nothing was applied:\n${errors
              .map(f => `${f.rule} ${f.object}: ${f.path} ${f.message}`)
              .join('\n')}`,
          );
        }
        const results = await applyObjects(
          cluster.kubeConfig,
          rendered.objects,
          { dryRun },
        );
        const lines = results.map(
          r =>
            `${r.outcome.padEnd(17)} ${r.object}${
              r.message ? ` — ${r.message}` : ''
            }${
              r.warnings.length > 0
                ? ` (warnings: ${r.warnings.join('; ')})`
                : ''
            }`,
        );
        const summary = `${dryRun ? 'dry-run ' : ''}apply to ${
          cluster.name
        }:\n${lines.join('\n')}`;
        ctx.logger.info(summary);
        ctx.output('cluster', cluster.name);
        ctx.output('namespace', rendered.parameters.namespace);
        ctx.output('dryRun', dryRun);
        ctx.output('results', results as never);
        ctx.output('summary', summary);
        const failed = results.filter(r => r.outcome === 'failed');
        if (failed.length > 0) {
          throw new Error(
            `${failed.length} of ${results.length} objects were refused by ${
              cluster.name
            }:\n${failed.map(r => `${r.object}: ${r.message}`).join('\n')}`,
          );
        }
        await event.success({
          meta: {
            outcomes: Object.fromEntries(
              ['created', 'configured', 'unchanged', 'pending-namespace'].map(
                o => [o, results.filter(r => r.outcome === o).length],
              ),
            ),
          },
        });
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },
  });
}
