import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PresetLibrary } from '../presets/PresetLibrary';
import { toYaml } from '../render/render';
import { sparkDefaultsConf } from '../render/spark';
import { presetInput } from './inputs';
import { examples } from './render.examples';

/** `spark:preset:render`: a preset and parameters into Kubernetes manifests. */
export function createRenderAction(library: PresetLibrary) {
  return createTemplateAction({
    id: 'spark:preset:render',
    description:
      'Renders a Spark preset with parameters into Kubernetes manifests (namespace, RBAC, quota, workloads, SparkApplications, spark-defaults.conf and pod templates)',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...presetInput,
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace folder to write manifests.yaml and spark-defaults.conf to (for the repo the template publishes)',
            ),
      },
      output: {
        manifests: z =>
          z.string().describe('The objects as multi-document YAML'),
        objects: z =>
          z.array(z.object({}).passthrough()).describe('The objects as JSON'),
        objectCount: z => z.number(),
        sparkDefaults: z =>
          z.string().describe('The rendered spark-defaults.conf'),
      },
    },
    async handler(ctx) {
      const rendered = library.render(ctx.input.preset, ctx.input.parameters);
      const manifests = toYaml(rendered.objects);
      const sparkDefaults = sparkDefaultsConf(rendered.spark.conf);
      if (ctx.input.targetPath !== undefined) {
        // resolveSafeChildPath refuses paths that leave the workspace (../, absolute).
        const dir = resolveSafeChildPath(
          ctx.workspacePath,
          ctx.input.targetPath,
        );
        await fs.mkdir(dir, { recursive: true });
        await fs.writeFile(path.join(dir, 'manifests.yaml'), manifests);
        await fs.writeFile(
          path.join(dir, 'spark-defaults.conf'),
          sparkDefaults,
        );
      }
      ctx.logger.info(
        `rendered preset ${rendered.preset.name} for ${rendered.parameters.namespace}: ${rendered.objects.length} objects`,
      );
      ctx.output('manifests', manifests);
      ctx.output('objects', JSON.parse(JSON.stringify(rendered.objects)));
      ctx.output('objectCount', rendered.objects.length);
      ctx.output('sparkDefaults', sparkDefaults);
    },
  });
}
