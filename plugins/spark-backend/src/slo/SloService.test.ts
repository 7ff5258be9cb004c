import {
  type SparkAppSummary,
  validateSloDocuments,
} from '@spark-k8s/plugin-spark-common';
import { filterAdmits, SloService } from './SloService';
import type { SloCatalog } from './SloCatalog';

const doc = (name: string, sparkRuns: Record<string, string>) => ({
  apiVersion: 'openslo/v1',
  kind: 'SLO',
  metadata: { name },
  spec: {
    timeWindow: [{ duration: '30d' }],
    objectives: [{ target: 0.95 }],
    indicator: { spec: { sparkRuns } },
  },
});
const { specs } = validateSloDocuments(
  [
    doc('ok', { type: 'success-ratio' }),
    doc('fast', { type: 'duration-p95', target: '30m' }),
    doc('fresh', { type: 'freshness', maxAge: '1d' }),
  ],
  'test.yaml',
);
const catalog = {
  get: (ref: string) =>
    ref === 'component:default/etl'
      ? { entityRef: ref, specs, errors: [], selector: {}, source: 'test.yaml' }
      : undefined,
} as unknown as SloCatalog;
const service = new SloService({
  catalog,
  runs: {} as any,
  teamChain: ref => [ref],
  appBaseUrl: 'http://portal',
});

const app = (
  state: SparkAppSummary['state'],
  minutes?: number,
): SparkAppSummary => ({
  id: 'spark-1',
  name: 'etl',
  state,
  attempts: [''],
  startTime: '2026-11-20T10:00:00.000Z',
  endTime:
    minutes === undefined
      ? undefined
      : new Date(
          Date.parse('2026-11-20T10:00:00Z') + minutes * 60_000,
        ).toISOString(),
  attribution: {
    entityRef: 'component:default/etl',
    teamRefs: [],
    matchedBy: 'annotation',
  },
  sources: [],
  complete: true,
  updatedAt: '2026-11-20T12:00:00.000Z',
});

describe('a run against its Component’s SLOs', () => {
  it('meets success and duration when it succeeded in time', () => {
    expect(service.judgeRun(app('SUCCEEDED', 20)).slo).toEqual({
      state: 'met',
      sloIds: ['ok', 'fast'],
    });
  });

  it('misses duration when it took too long, and success when it failed', () => {
    expect(service.judgeRun(app('SUCCEEDED', 45)).slo).toEqual({
      state: 'missed',
      sloIds: ['fast'],
    });
    expect(service.judgeRun(app('FAILED', 5)).slo).toEqual({
      state: 'missed',
      sloIds: ['ok'],
    });
  });

  it('judges nothing while the run goes on, or without SLOs', () => {
    expect(service.judgeRun(app('RUNNING')).slo).toBeUndefined();
    const other = app('SUCCEEDED', 5);
    other.attribution = { teamRefs: [], matchedBy: 'none' };
    expect(service.judgeRun(other).slo).toBeUndefined();
  });
});

describe('permission filters on SLOs', () => {
  it('admit a Component by its owner and parents', () => {
    const chain = [
      'group:default/payments-data',
      'group:default/data-platform',
    ];
    expect(
      filterAdmits({ teamRefs: ['group:default/data-platform'] }, chain),
    ).toBe(true);
    expect(filterAdmits({ teamRefs: ['group:default/growth'] }, chain)).toBe(
      false,
    );
    expect(filterAdmits({ unowned: true }, [])).toBe(true);
    expect(
      filterAdmits(
        {
          anyOf: [
            { unowned: true },
            { not: { teamRefs: ['group:default/growth'] } },
          ],
        },
        chain,
      ),
    ).toBe(true);
  });
});
