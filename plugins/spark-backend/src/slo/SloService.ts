import {
  parseSloDuration,
  type SparkAppSummary,
  type SparkSloQuery,
  type SparkSloStatus,
} from '@spark-k8s/plugin-spark-common';
import type { SparkAppFilter } from '../store/SparkStore';
import type { SloStore } from '../store/SloStore';
import { evaluateSlo, sloEvents } from './engine';
import { prometheusRules, type PrometheusRuleFile } from './rules';
import type { ComponentSlos, SloCatalog } from './SloCatalog';

/** Whether an app owned by `teamRefs` (owner first, then parents) passes a permission filter. */
export function filterAdmits(
  filter: SparkAppFilter,
  teamRefs: string[],
): boolean {
  if ('allOf' in filter)
    return filter.allOf.every(f => filterAdmits(f, teamRefs));
  if ('anyOf' in filter)
    return filter.anyOf.some(f => filterAdmits(f, teamRefs));
  if ('not' in filter) return !filterAdmits(filter.not, teamRefs);
  if ('teamRefs' in filter) {
    const allowed = new Set(filter.teamRefs.map(ref => ref.toLowerCase()));
    return teamRefs.some(ref => allowed.has(ref.toLowerCase()));
  }
  return teamRefs.length === 0;
}

/** SLO status and rules of Components, from their spec files and stored run history. */
export class SloService {
  constructor(
    private readonly options: {
      catalog: SloCatalog;
      runs: SloStore;
      /** A team and its parents, nearest first. */
      teamChain: (teamRef: string) => string[];
      appBaseUrl: string;
      /** How often Prometheus scrapes the operator; the step of the duration rules. */
      scrapeInterval?: string;
      now?: () => number;
    },
  ) {}

  private components(
    query: SparkSloQuery,
    filter?: SparkAppFilter,
  ): ComponentSlos[] {
    const { catalog, teamChain } = this.options;
    const chain = (c: ComponentSlos) => (c.teamRef ? teamChain(c.teamRef) : []);
    let found = query.entityRef
      ? [catalog.get(query.entityRef)].filter((c): c is ComponentSlos =>
          Boolean(c),
        )
      : catalog.all();
    if (query.teamRef) {
      const team = query.teamRef.toLowerCase();
      found = found.filter(c =>
        chain(c).some(ref => ref.toLowerCase() === team),
      );
    }
    return filter ? found.filter(c => filterAdmits(filter, chain(c))) : found;
  }

  async status(
    query: SparkSloQuery,
    filter?: SparkAppFilter,
  ): Promise<{
    items: SparkSloStatus[];
    problems: Array<{ entityRef: string; message: string }>;
  }> {
    const now = this.options.now?.() ?? Date.now();
    const items: SparkSloStatus[] = [];
    const problems: Array<{ entityRef: string; message: string }> = [];
    for (const component of this.components(query, filter)) {
      problems.push(
        ...component.errors.map(message => ({
          entityRef: component.entityRef,
          message,
        })),
      );
      if (component.specs.length === 0) continue;
      const longest = Math.max(
        ...component.specs.map(
          s => parseSloDuration(s.spec.timeWindow[0].duration)!,
        ),
      );
      const [runs, since] = await Promise.all([
        this.options.runs.runsOf(component.entityRef, now - longest, now + 1),
        this.options.runs.firstRunAt(component.entityRef),
      ]);
      for (const spec of component.specs) {
        items.push(
          evaluateSlo(spec, runs, now, {
            entityRef: component.entityRef,
            teamRef: component.teamRef,
            since,
          }),
        );
      }
    }
    return { items, problems };
  }

  /**
   * Whether one finished run met its Component's per-run SLOs (success, duration, submission);
   * freshness and deadlines are about days, not runs, and are left out.
   */
  judgeRun(app: SparkAppSummary): SparkAppSummary {
    const component = app.attribution.entityRef
      ? this.options.catalog.get(app.attribution.entityRef)
      : undefined;
    if (!component || !app.startTime) return app;
    const startTime = Date.parse(app.startTime);
    const endTime = app.endTime ? Date.parse(app.endTime) : undefined;
    const run = {
      startTime,
      endTime,
      state: app.state,
      submissionFailed: app.state === 'FAILED' && app.id.startsWith('k8s:'),
    };
    const judged = component.specs.flatMap(spec => {
      const indicator = spec.spec.indicator.spec.sparkRuns;
      if (indicator.type === 'freshness' || indicator.type === 'deadline') {
        return [];
      }
      // The run's own occurrence, if the SLI counts it (durations count successful runs only).
      const [event] = sloEvents(indicator, [run], 0, Number.MAX_SAFE_INTEGER);
      return event ? [{ id: spec.metadata.name, good: event.good }] : [];
    });
    if (judged.length === 0) return app;
    const missed = judged.filter(j => !j.good).map(j => j.id);
    return {
      ...app,
      slo: missed.length
        ? { state: 'missed', sloIds: missed }
        : { state: 'met', sloIds: judged.map(j => j.id) },
    };
  }

  rules(query: SparkSloQuery, filter?: SparkAppFilter): PrometheusRuleFile {
    return prometheusRules(
      this.components(query, filter).flatMap(component =>
        component.specs.map(spec => ({
          spec,
          entityRef: component.entityRef,
          selector: component.selector,
        })),
      ),
      {
        appBaseUrl: this.options.appBaseUrl,
        scrapeInterval: this.options.scrapeInterval,
      },
    );
  }
}
