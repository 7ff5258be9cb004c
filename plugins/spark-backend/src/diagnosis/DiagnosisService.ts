import type {
  SparkDiagnosis,
  SparkSizingRecommendation,
} from '@spark-k8s/plugin-spark-common';
import { sparkAppListQuerySchema } from '@spark-k8s/plugin-spark-common';
import type { SparkDiagnosisInput } from '@spark-k8s/plugin-spark-node';
import type { SparkAppFilter, SparkStore } from '../store/SparkStore';
import type { DiagnosisEngine } from './DiagnosisEngine';
import { recommendSizing } from './sizing';

/** Prices the sizing recommendation is costed with (`spark.cost.prices`). */
export interface SizingPrices {
  vcpuHour: number;
  gibHour: number;
  currency: string;
}

/** Loads what the rules need for one app and runs them; the caller has checked access. */
export class DiagnosisService {
  constructor(
    private readonly store: SparkStore,
    private readonly engine: DiagnosisEngine,
    private readonly prices: SizingPrices,
  ) {}

  async input(
    appId: string,
    filter: SparkAppFilter | undefined,
    now = Date.now(),
  ): Promise<SparkDiagnosisInput> {
    const details = await this.store.getAppDetails(appId);
    const environment = (await this.store.getEnvironment(appId)) as {
      sparkProperties?: Array<[string, string]>;
    };
    const entityRef = details.app.attribution.entityRef;
    const previousRuns = entityRef
      ? (
          await this.store.listApps(
            sparkAppListQuerySchema.parse({ entityRef, limit: 21 }),
            filter,
          )
        ).items.filter(run => run.id !== appId)
      : [];
    return {
      details,
      sparkConf: Object.fromEntries(environment?.sparkProperties ?? []),
      previousRuns: previousRuns.slice(0, 20),
      now,
    };
  }

  async diagnose(
    appId: string,
    filter: SparkAppFilter | undefined,
  ): Promise<SparkDiagnosis[]> {
    return this.engine.diagnose(await this.input(appId, filter));
  }

  async recommend(
    appId: string,
    filter: SparkAppFilter | undefined,
  ): Promise<SparkSizingRecommendation> {
    const recommendation = recommendSizing(await this.input(appId, filter));
    const { current, recommended } = recommendation.usage;
    const cost = (u: { coreHours: number; memoryGibHours: number }) =>
      u.coreHours * this.prices.vcpuHour +
      u.memoryGibHours * this.prices.gibHour;
    return {
      ...recommendation,
      costDifference: {
        amount: Math.round((cost(recommended) - cost(current)) * 1e6) / 1e6,
        currency: this.prices.currency,
      },
    };
  }
}
