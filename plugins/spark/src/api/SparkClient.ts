import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  SparkAppDetails,
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
import type { SparkApi, SparkAppListRequest } from './SparkApi';

type Query = Record<string, string | number | string[] | undefined>;

/**
 * {@link SparkApi} over HTTP: the `spark` backend plugin's routes under `/api/spark`.
 *
 * @public
 */
export class SparkClient implements SparkApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc SparkApi.listApps} */
  listApps(request: SparkAppListRequest): Promise<SparkPage<SparkAppSummary>> {
    return this.get('/apps', { ...request, state: request.state?.join(',') });
  }

  /** {@inheritDoc SparkApi.getApp} */
  getApp(appId: string): Promise<SparkAppDetails> {
    return this.get(`/apps/${encodeURIComponent(appId)}`);
  }

  /** {@inheritDoc SparkApi.getEnvironment} */
  getEnvironment(appId: string): Promise<Record<string, unknown>> {
    return this.get(`/apps/${encodeURIComponent(appId)}/environment`);
  }

  /** {@inheritDoc SparkApi.listSources} */
  async listSources(): Promise<SparkSourceStatus[]> {
    return (await this.get<{ items: SparkSourceStatus[] }>('/sources')).items;
  }

  /** {@inheritDoc SparkApi.getCostSummary} */
  getCostSummary(query: SparkCostQuery): Promise<SparkCostSummary | undefined> {
    return this.getIfAvailable('/cost/summary', { ...query });
  }

  /** {@inheritDoc SparkApi.getAppCost} */
  getAppCost(appId: string): Promise<SparkAppCost | undefined> {
    return this.getIfAvailable(`/cost/apps/${encodeURIComponent(appId)}`);
  }

  /** {@inheritDoc SparkApi.getSloStatus} */
  async getSloStatus(
    query: SparkSloQuery,
  ): Promise<SparkSloStatus[] | undefined> {
    const page = await this.getIfAvailable<{ items: SparkSloStatus[] }>(
      '/slo/status',
      { ...query },
    );
    return page?.items;
  }

  /** {@inheritDoc SparkApi.listDiagnoses} */
  async listDiagnoses(appId: string): Promise<SparkDiagnosis[] | undefined> {
    const page = await this.getIfAvailable<{ items: SparkDiagnosis[] }>(
      `/apps/${encodeURIComponent(appId)}/diagnoses`,
    );
    return page?.items;
  }

  private async request(path: string, query?: Query): Promise<Response> {
    const base = await this.discoveryApi.getBaseUrl('spark');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return this.fetchApi.fetch(`${base}${path}${search ? `?${search}` : ''}`);
  }

  private async get<T>(path: string, query?: Query): Promise<T> {
    const response = await this.request(path, query);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  /** A route of an engine this backend may not run: 404 means "not available here". */
  private async getIfAvailable<T>(
    path: string,
    query?: Query,
  ): Promise<T | undefined> {
    const response = await this.request(path, query);
    if (response.status === 404) return undefined;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
