import {
  type Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { SparkCostSummary } from '@spark-k8s/plugin-spark-common';
import type { SparkApi } from '../api';
import { parseIntervals } from './intervals';
import type {
  SparkCostInsightsAlert,
  SparkCostInsightsChangeStatistic,
  SparkCostInsightsCost,
  SparkCostInsightsEntity,
  SparkCostInsightsGroup,
  SparkCostInsightsMetricData,
  SparkCostInsightsProductOptions,
  SparkCostInsightsProject,
} from './types';

const day = (date: Date) => date.toISOString().slice(0, 10);

function change(
  last: number,
  previous: number,
): SparkCostInsightsChangeStatistic {
  return {
    amount: last - previous,
    ratio: previous > 0 ? (last - previous) / previous : undefined,
  };
}

/**
 * A `CostInsightsApi` (community Cost Insights plugin) backed by the Spark backend's cost API,
 * so a portal's Cost Insights page shows what Spark jobs cost: groups are teams, projects are
 * Spark job Components, the one product is `spark`. Register it for `costInsightsApiRef`.
 *
 * @public
 */
export class SparkCostInsightsClient {
  constructor(
    private readonly options: {
      sparkApi: SparkApi;
      /** The catalog (`catalogApiRef`), for the user's groups. */
      catalogApi: { getEntityByRef(ref: string): Promise<Entity | undefined> };
      /** Today; the last complete billing date is the day before. */
      now?: () => Date;
    },
  ) {}

  private async summary(
    query: { teamRef?: string; entityRef?: string },
    intervals: string,
  ) {
    const { from, to, lastFrom } = parseIntervals(intervals);
    const summary = await this.options.sparkApi.getCostSummary({
      ...query,
      from: from.toISOString(),
      to: to.toISOString(),
    });
    return { summary, lastFrom: day(lastFrom) };
  }

  private cost(
    id: string,
    summary: SparkCostSummary | undefined,
    lastFrom: string,
  ): SparkCostInsightsCost {
    const aggregation = (summary?.daily ?? []).map(d => ({
      date: d.date,
      amount: d.cost,
    }));
    const last = aggregation
      .filter(d => d.date >= lastFrom)
      .reduce((t, d) => t + d.amount, 0);
    const previous = aggregation
      .filter(d => d.date < lastFrom)
      .reduce((t, d) => t + d.amount, 0);
    return { id, aggregation, change: change(last, previous) };
  }

  /** Yesterday: runs of today are still being priced. */
  async getLastCompleteBillingDate(): Promise<string> {
    const today = this.options.now?.() ?? new Date();
    return day(new Date(today.getTime() - 86_400_000));
  }

  /** The Groups the user is a member of, from the catalog. */
  async getUserGroups(userId: string): Promise<SparkCostInsightsGroup[]> {
    const ref = stringifyEntityRef(
      parseEntityRef(userId, { defaultKind: 'user' }),
    );
    const user = await this.options.catalogApi.getEntityByRef(ref);
    return (user?.relations ?? [])
      .filter(r => r.type === RELATION_MEMBER_OF)
      .map(r => ({ id: r.targetRef, name: parseEntityRef(r.targetRef).name }));
  }

  /** The team's Spark job Components that cost something this month. */
  async getGroupProjects(group: string): Promise<SparkCostInsightsProject[]> {
    const summary = await this.options.sparkApi.getCostSummary({
      teamRef: group,
    });
    return (summary?.breakdown?.entities ?? [])
      .filter(e => e.key !== '(none)')
      .map(e => ({ id: e.key, name: parseEntityRef(e.key).name }));
  }

  /** Daily Spark cost of a team (with its child teams) over the intervals. */
  async getGroupDailyCost(
    group: string,
    intervals: string,
  ): Promise<SparkCostInsightsCost> {
    const { summary, lastFrom } = await this.summary(
      { teamRef: group },
      intervals,
    );
    return this.cost(group, summary, lastFrom);
  }

  /** Daily Spark cost of one Component over the intervals. */
  async getProjectDailyCost(
    project: string,
    intervals: string,
  ): Promise<SparkCostInsightsCost> {
    const { summary, lastFrom } = await this.summary(
      { entityRef: project },
      intervals,
    );
    return this.cost(project, summary, lastFrom);
  }

  /** Daily Spark cost of a catalog entity (a Component) over the intervals. */
  async getCatalogEntityDailyCost(
    entityRef: string,
    intervals: string,
  ): Promise<SparkCostInsightsCost> {
    return this.getProjectDailyCost(entityRef, intervals);
  }

  /** Spark offers no business metrics. */
  async getDailyMetricData(
    metric: string,
  ): Promise<SparkCostInsightsMetricData> {
    return {
      id: metric,
      format: 'number',
      aggregation: [],
      change: { amount: 0 },
    };
  }

  /** The `spark` product: the last period against the one before, by Component. */
  async getProductInsights(
    options: SparkCostInsightsProductOptions,
  ): Promise<SparkCostInsightsEntity> {
    const { lastFrom, to } = parseIntervals(options.intervals);
    const summary = await this.options.sparkApi.getCostSummary({
      ...(options.project
        ? { entityRef: options.project }
        : { teamRef: options.group }),
      from: lastFrom.toISOString(),
      to: to.toISOString(),
    });
    const total = summary?.total ?? 0;
    const previous = summary?.previousTotal ?? 0;
    return {
      id: options.product,
      aggregation: [previous, total],
      change: change(total, previous),
      entities: {
        component: (summary?.breakdown?.entities ?? []).map(e => ({
          id: e.key,
          aggregation: [0, e.cost],
          change: { amount: e.cost },
          entities: {},
        })),
      },
    };
  }

  /** Over-budget and fast-growth alerts of the team. */
  async getAlerts(group: string): Promise<SparkCostInsightsAlert[]> {
    const summary = await this.options.sparkApi.getCostSummary({
      teamRef: group,
    });
    const titles = {
      'fast-growth': 'Spark cost is growing fast',
      'over-budget': 'Spark is over budget',
      'budget-forecast': 'Spark is on track to exceed its budget',
    };
    return (summary?.alerts ?? []).map(alert => ({
      title: titles[alert.kind],
      subtitle: alert.message,
    }));
  }
}
