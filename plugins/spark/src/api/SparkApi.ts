import { createApiRef } from '@backstage/core-plugin-api';
import type {
  SparkAppDetails,
  SparkAppListQuery,
  SparkAppSummary,
  SparkAppCost,
  SparkCostQuery,
  SparkCostSummary,
  SparkDiagnosis,
  SparkPage,
  SparkSloQuery,
  SparkSloStatus,
  SparkSourceStatus,
} from '@spark-k8s/plugin-spark-common';

/**
 * The query of {@link SparkApi.listApps}: the filters, sort and page of `GET /api/spark/apps`,
 * all optional.
 *
 * @public
 */
export type SparkAppListRequest = Partial<SparkAppListQuery>;

/**
 * The Spark backend as the frontend sees it. Methods of engines that a backend may not run
 * (cost, SLO, diagnoses) resolve to `undefined` when their route does not exist (404), so the
 * UI can say "not available" instead of failing.
 *
 * @public
 */
export interface SparkApi {
  /** Apps matching the filters, sorted by the server (newest first by default), a page at a time. */
  listApps(request: SparkAppListRequest): Promise<SparkPage<SparkAppSummary>>;
  /** One app with its jobs, stages, executors, failures and Kubernetes objects. */
  getApp(appId: string): Promise<SparkAppDetails>;
  /** The app's redacted environment (needs `spark.app.sensitive.read`). */
  getEnvironment(appId: string): Promise<Record<string, unknown>>;
  /** Health of the configured sources. */
  listSources(): Promise<SparkSourceStatus[]>;
  /** Cost of a team (or the fleet) this period and the one before; undefined: no cost engine. */
  getCostSummary(query: SparkCostQuery): Promise<SparkCostSummary | undefined>;
  /** How one app was priced, pod by pod; undefined: no cost engine, or not priced yet. */
  getAppCost(appId: string): Promise<SparkAppCost | undefined>;
  /** SLOs of a Component or a team; undefined: no SLO engine. */
  getSloStatus(query: SparkSloQuery): Promise<SparkSloStatus[] | undefined>;
  /** Diagnoses of one app; undefined: no diagnosis engine. */
  listDiagnoses(appId: string): Promise<SparkDiagnosis[] | undefined>;
}

/**
 * The {@link SparkApi} of the app.
 *
 * @public
 */
export const sparkApiRef = createApiRef<SparkApi>({
  id: 'plugin.spark.service',
});
