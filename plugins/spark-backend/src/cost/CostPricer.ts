import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  SparkCostInput,
  SparkCostModel,
} from '@spark-k8s/plugin-spark-node';
import { createHash } from 'node:crypto';
import type { CostStore } from '../store/CostStore';
import type { SparkStore } from '../store/SparkStore';
import { priceApp } from './appCost';
import { costInputOf } from './inputs';
import type { PriceModel } from './priceModel';
import type { PrometheusUsage } from './PrometheusUsage';

/** The default cost model: pods priced with the `spark.cost` price model. */
export function priceModelCostModel(model: PriceModel): SparkCostModel {
  return {
    id: 'price-model',
    currency: model.currency,
    version: `price-model:${createHash('sha256')
      .update(JSON.stringify(model))
      .digest('hex')
      .slice(0, 16)}`,
    costOfApp: async (input: SparkCostInput) => priceApp(model, input),
  };
}

/**
 * Prices apps whose cost is missing or out of date and stores the figures, so cost views
 * aggregate stored numbers. Runs as a scheduled task.
 */
export class CostPricer {
  constructor(
    private readonly options: {
      store: SparkStore;
      costs: CostStore;
      model: SparkCostModel;
      usage?: PrometheusUsage;
      logger: LoggerService;
      batchSize?: number;
    },
  ) {}

  /** One pass over every app; returns how many were priced. */
  async run(signal?: AbortSignal): Promise<number> {
    const { store, costs, model, usage, logger } = this.options;
    const batch = this.options.batchSize ?? 200;
    let priced = 0;
    let after = '';
    for (;;) {
      if (signal?.aborted) return priced;
      const { due, next } = await costs.appsToPrice(
        model.version,
        after,
        batch,
      );
      for (const { appId, inputsAt } of due) {
        try {
          const details = await store.getAppDetails(appId);
          const now = Date.now();
          const input = costInputOf(details, now);
          if (usage) {
            for (const pod of input.pods) {
              pod.usage = await usage.usageOf(pod);
            }
          }
          const cost = await model.costOfApp(input);
          await costs.writeCost(cost, {
            startTime:
              input.startTime ??
              input.pods.map(p => p.startTime).sort()[0] ??
              Date.parse(details.app.updatedAt),
            modelVersion: model.version,
            inputsAt,
          });
          priced += 1;
        } catch (error) {
          logger.warn(`Spark cost of ${appId} failed: ${error}`);
        }
      }
      if (!next) return priced;
      after = next;
    }
  }
}
