import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { estimateCost, type PriceModel } from '../cost/estimate';
import type { PresetLibrary } from '../presets/PresetLibrary';
import { presetInput } from './inputs';
import { examples } from './cost.examples';

/** `spark:cost:estimate`: the monthly cost of an environment's requests under the price model. */
export function createCostAction(library: PresetLibrary, prices: PriceModel) {
  return createTemplateAction({
    id: 'spark:cost:estimate',
    description:
      'Estimates the monthly cost of a Spark preset from its resource requests and the spark.cost price model',
    examples,
    supportsDryRun: true,
    schema: {
      input: presetInput,
      output: {
        currency: z => z.string(),
        monthly: z => z.number().describe('Estimated cost per month'),
        lines: z =>
          z
            .array(z.object({}).passthrough())
            .describe('One line per workload or Spark role'),
        assumptions: z => z.array(z.string()),
        summary: z => z.string(),
      },
    },
    async handler(ctx) {
      const rendered = library.render(ctx.input.preset, ctx.input.parameters);
      const estimate = estimateCost(rendered, prices);
      const summary = `about ${estimate.monthly.toFixed(2)} ${
        estimate.currency
      } a month (${estimate.lines.length} lines; ${estimate.assumptions[0]})`;
      ctx.output('currency', estimate.currency);
      ctx.output('monthly', estimate.monthly);
      ctx.output('lines', estimate.lines as never);
      ctx.output('assumptions', estimate.assumptions);
      ctx.output('summary', summary);
      ctx.logger.info(summary);
    },
  });
}
