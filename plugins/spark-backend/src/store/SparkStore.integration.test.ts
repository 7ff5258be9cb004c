import type { Entity } from '@backstage/catalog-model';
import { createTestDatabases } from '@spark-k8s/harness';
import type { SparkAppReport } from '@spark-k8s/plugin-spark-node';
import { join } from 'node:path';
import { AttributionIndex } from '../attribution/attribution';
import { CostStore } from './CostStore';
import { SparkStore } from './SparkStore';

const databases = createTestDatabases();

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
});
const component = (
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'spark-job', lifecycle: 'production', owner },
});

const catalog = [
  group('data-platform'),
  group('payments-data', 'data-platform'),
  group('growth-analytics', 'data-platform'),
  component('settlement-etl', 'payments-data', {
    'backstage.io/kubernetes-id': 'settlement-etl',
    'backstage.io/kubernetes-namespace': 'payments',
  }),
  component('clickstream-sessionizer', 'group:default/growth-analytics', {
    'backstage.io/kubernetes-label-selector': 'app=sessionizer',
  }),
];

function report(
  appId: string,
  extra: Partial<SparkAppReport> = {},
): SparkAppReport {
  return { appId, attemptId: '', complete: false, ...extra };
}

async function makeStore(
  databaseId: Parameters<typeof databases.init>[0],
  entities = catalog,
) {
  const knex = await databases.init(databaseId);
  let index = new AttributionIndex(entities, {
    analytics: 'group:default/growth-analytics',
  });
  const store = await SparkStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
    attribution: () => index,
  });
  return { store, knex, setIndex: (next: AttributionIndex) => (index = next) };
}

describe.each(databases.eachSupportedId())('SparkStore on %p', databaseId => {
  it('merges reports of several sources into one app, terminal state first', async () => {
    const { store } = await makeStore(databaseId);
    await store.reportApp(
      'eventlog:main',
      report('spark-a1', {
        name: 'settlement-etl',
        state: 'RUNNING',
        startTime: Date.parse('2026-11-20T10:00:00Z'),
        labels: {
          'spark.kubernetes.driver.label.backstage.io/kubernetes-id':
            'settlement-etl',
        },
        namespace: 'payments',
        failures: [{ scope: 'task', reason: 'ExecutorLostFailure', count: 3 }],
      }),
    );
    await store.reportApp(
      'kubernetes:prod',
      report('spark-a1', {
        state: 'FAILED',
        cluster: 'prod',
        namespace: 'payments',
        endTime: Date.parse('2026-11-20T10:05:00Z'),
        failureReason: 'driver container OOMKilled (exit code 137)',
        failures: [
          {
            scope: 'pod',
            id: 'etl-driver',
            reason: 'OOMKilled',
            count: 1,
            exitCode: 137,
          },
        ],
      }),
    );

    const details = await store.getAppDetails('spark-a1');
    expect(details.app).toMatchObject({
      id: 'spark-a1',
      name: 'settlement-etl',
      state: 'FAILED',
      cluster: 'prod',
      namespace: 'payments',
      startTime: '2026-11-20T10:00:00.000Z',
      endTime: '2026-11-20T10:05:00.000Z',
      durationMs: 300_000,
      complete: false,
      failureReason: 'driver container OOMKilled (exit code 137)',
      sources: ['eventlog:main', 'kubernetes:prod'],
      attribution: {
        entityRef: 'component:default/settlement-etl',
        teamRef: 'group:default/payments-data',
        teamRefs: [
          'group:default/payments-data',
          'group:default/data-platform',
        ],
        matchedBy: 'annotation',
      },
    });
    expect(details.failures.map(f => f.reason).sort()).toEqual([
      'ExecutorLostFailure',
      'OOMKilled',
    ]);
  });

  it('filters by team with parents rolling up, by entity, state and time, and pages by cursor', async () => {
    const { store } = await makeStore(databaseId);
    const start = Date.parse('2026-11-01T00:00:00Z');
    for (let i = 0; i < 7; i++) {
      await store.reportApp(
        'eventlog:main',
        report(`spark-p${i}`, {
          name: 'settlement-etl',
          state: i % 2 ? 'FAILED' : 'SUCCEEDED',
          startTime: start + i * 3_600_000,
          namespace: 'payments',
          labels: { 'backstage.io/kubernetes-id': 'settlement-etl' },
          complete: true,
        }),
      );
    }
    await store.reportApp(
      'kubernetes:prod',
      report('spark-g1', {
        state: 'RUNNING',
        startTime: start,
        namespace: 'web',
        labels: { app: 'sessionizer' },
      }),
    );
    await store.reportApp(
      'kubernetes:prod',
      report('spark-ns', { namespace: 'analytics', startTime: start }),
    );
    await store.reportApp(
      'kubernetes:prod',
      report('spark-orphan', { namespace: 'sandbox', startTime: start }),
    );

    const ids = async (query: Record<string, unknown>, filter?: any) =>
      (await store.listApps({ limit: 50, ...query } as any, filter)).items.map(
        a => a.id,
      );

    expect(await ids({ teamRef: 'group:default/payments-data' })).toHaveLength(
      7,
    );
    expect(
      (await ids({ teamRef: 'group:default/data-platform' })).sort(),
    ).toEqual(
      [
        ...Array.from({ length: 7 }, (_, i) => `spark-p${i}`),
        'spark-g1',
        'spark-ns',
      ].sort(),
    );
    expect(await ids({ teamRef: 'Group:default/Growth-Analytics' })).toEqual(
      expect.arrayContaining(['spark-g1', 'spark-ns']),
    );
    expect(
      await ids({ entityRef: 'component:default/clickstream-sessionizer' }),
    ).toEqual(['spark-g1']);
    expect(
      await ids({ state: ['FAILED'], teamRef: 'group:default/payments-data' }),
    ).toEqual(['spark-p5', 'spark-p3', 'spark-p1']);
    expect(
      await ids({ from: '2026-11-01T02:00:00Z', to: '2026-11-01T04:00:00Z' }),
    ).toEqual(['spark-p3', 'spark-p2']);
    expect(await ids({}, { unowned: true })).toEqual(['spark-orphan']);
    expect(
      await ids({}, { teamRefs: ['group:default/growth-analytics'] }),
    ).toEqual(expect.arrayContaining(['spark-g1', 'spark-ns']));
    expect(
      await ids({}, { not: { teamRefs: ['group:default/data-platform'] } }),
    ).toEqual(['spark-orphan']);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listApps({
        limit: 3,
        cursor,
        teamRef: 'group:default/payments-data',
      } as any);
      seen.push(...page.items.map(a => a.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      'spark-p6',
      'spark-p5',
      'spark-p4',
      'spark-p3',
      'spark-p2',
      'spark-p1',
      'spark-p0',
    ]);
    await expect(
      store.listApps({ limit: 3, cursor: 'garbage' } as any),
    ).rejects.toThrow('cursor: not a cursor this API returned');
  });

  it('re-attributes every app when the catalog changes', async () => {
    const { store, setIndex } = await makeStore(databaseId, []);
    await store.reportApp(
      'eventlog:main',
      report('spark-late', {
        labels: { 'backstage.io/kubernetes-id': 'settlement-etl' },
      }),
    );
    expect((await store.getApp('spark-late')).attribution.matchedBy).toBe(
      'none',
    );
    setIndex(new AttributionIndex(catalog));
    expect(await store.reattributeAll()).toBe(1);
    expect(await store.reattributeAll()).toBe(0);
    const app = await store.getApp('spark-late');
    expect(app.attribution.teamRef).toBe('group:default/payments-data');
    expect(
      (
        await store.listApps({
          limit: 5,
          teamRef: 'group:default/data-platform',
        } as any)
      ).items,
    ).toHaveLength(1);
  });

  it('keeps checkpoints, Kubernetes objects, History Server documents and source health', async () => {
    const { store } = await makeStore(databaseId);
    await store.putCheckpoint('eventlog:main', 'a', { offset: 10 });
    await store.reportAppWithCheckpoint(
      'eventlog:main',
      report('spark-h1', {
        complete: true,
        state: 'SUCCEEDED',
        history: {
          attempt: { completed: true, startTimeEpoch: 1 },
          jobs: [{ jobId: 0 }],
          stages: [],
          allexecutors: [],
          environment: { sparkProperties: [] },
        },
        environment: { sparkProperties: [['spark.app.name', 'x']] },
      }),
      { key: 'b', value: { offset: 20 } },
    );
    expect(await store.getCheckpoint('eventlog:main', 'a')).toEqual({
      offset: 10,
    });
    expect(await store.listCheckpointKeys('eventlog:main')).toEqual(['a', 'b']);
    await store.deleteCheckpoint('eventlog:main', 'a');
    expect(await store.getCheckpoint('eventlog:main', 'a')).toBeUndefined();

    const docs = await store.getHistoryDocuments('spark-h1');
    expect(docs).toEqual([
      expect.objectContaining({
        attemptId: '',
        documents: expect.objectContaining({ jobs: [{ jobId: 0 }] }),
      }),
    ]);
    expect(await store.listHistoryAppIds(undefined, 10)).toEqual(['spark-h1']);
    expect(await store.getEnvironment('spark-h1')).toEqual({
      sparkProperties: [['spark.app.name', 'x']],
    });

    const object = {
      cluster: 'prod',
      namespace: 'payments',
      kind: 'SparkApplication',
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      name: 'etl',
      uid: 'u1',
      appId: 'spark-h1',
      state: 'SUCCEEDED' as const,
      details: {},
      updatedAt: '2026-11-20T10:00:00.000Z',
    };
    await store.upsertKubernetesObjects([object]);
    await store.upsertKubernetesObjects([{ ...object, rawState: 'COMPLETED' }]);
    expect(
      await store.listKubernetesObjectKeys('prod', 'SparkApplication'),
    ).toEqual([{ namespace: 'payments', name: 'etl' }]);
    expect((await store.getAppDetails('spark-h1')).kubernetes).toEqual([
      { ...object, rawState: 'COMPLETED' },
    ]);
    await store.deleteKubernetesObject({
      cluster: 'prod',
      kind: 'SparkApplication',
      namespace: 'payments',
      name: 'etl',
    });
    expect(
      await store.listKubernetesObjectKeys('prod', 'SparkApplication'),
    ).toEqual([]);

    await store.reportSourceRun('kubernetes:prod', { kind: 'kubernetes' });
    await store.reportSourceRun('kubernetes:prod', {
      kind: 'kubernetes',
      error: 'GET https://prod/apis answered 403 Forbidden',
    });
    const status = await store.getSourceStatus('kubernetes:prod');
    expect(status).toMatchObject({
      status: 'error',
      message: 'GET https://prod/apis answered 403 Forbidden',
    });
    expect(status?.lastSuccessAt).toBeDefined();
    await store.reportSourceRun('eventlog:main', {
      kind: 'eventlog',
      warnings: [{ item: 'crd', message: 'missing' }],
    });
    expect((await store.listSourceStatus()).map(s => [s.id, s.status])).toEqual(
      [
        ['eventlog:main', 'warning'],
        ['kubernetes:prod', 'error'],
      ],
    );
    await expect(store.getApp('spark-none')).rejects.toThrow(
      'Spark app spark-none is not known',
    );
  });

  describe('sorting', () => {
    const start = Date.parse('2026-11-01T00:00:00Z');
    const hour = 3_600_000;
    const minute = 60_000;
    /** id, start (hours after `start`), duration (minutes; none: running), cost (none: unpriced). */
    const runs: Array<
      [string, number, number | undefined, number | undefined]
    > = [
      ['spark-s0', 0, 10, 1],
      ['spark-s1', 1, 10, 1],
      ['spark-s2', 1, 30, 2.5],
      ['spark-s3', 2, undefined, 0.5],
      ['spark-s4', 3, 10, undefined],
      ['spark-s5', 4, undefined, undefined],
      ['spark-s6', 5, 5, 2.5],
      ['spark-s7', 6, undefined, undefined],
      ['spark-s8', 6, 0, 0],
    ];
    const payments = { teamRefs: ['group:default/payments-data'] };

    async function seed(databaseIdOf: typeof databaseId) {
      const made = await makeStore(databaseIdOf);
      const costs = new CostStore(made.knex, made.store);
      const price = (appId: string, total: number, startTime: number) =>
        costs.writeCost(
          {
            appId,
            currency: 'USD',
            total,
            from: 'pods',
            model: 'price-model',
            basis: 'request',
            usageKnown: false,
            pods: [],
          },
          { startTime, modelVersion: 'test', inputsAt: startTime },
        );
      const run = (
        appId: string,
        startTime: number,
        durationMin: number | undefined,
        labels = { 'backstage.io/kubernetes-id': 'settlement-etl' },
      ) =>
        made.store.reportApp(
          'eventlog:main',
          report(appId, {
            name: appId,
            state: durationMin === undefined ? 'RUNNING' : 'SUCCEEDED',
            startTime,
            endTime:
              durationMin === undefined
                ? undefined
                : startTime + durationMin * minute,
            namespace: 'payments',
            labels,
          }),
        );
      for (const [appId, h, durationMin, cost] of runs) {
        await run(appId, start + h * hour, durationMin);
        if (cost !== undefined) await price(appId, cost, start + h * hour);
      }
      // Another team's run, the longest and dearest: the permission filter keeps it out.
      await run('spark-other', start + 2 * hour, 600, {
        app: 'sessionizer',
      } as any);
      await price('spark-other', 99, start + 2 * hour);
      return { ...made, run, price };
    }

    /** The order the API promises: by value, nulls last in both orders, then app id alike. */
    function expected(
      sort: 'start' | 'duration' | 'cost',
      order: 'asc' | 'desc',
      table = runs,
    ): string[] {
      const value = ([, h, d, c]: (typeof runs)[number]) =>
        ({ start: h, duration: d, cost: c }[sort]);
      const sign = order === 'desc' ? -1 : 1;
      return [...table]
        .sort((a, b) => {
          const [va, vb] = [value(a), value(b)];
          if (va === undefined || vb === undefined) {
            if (va !== vb) return va === undefined ? 1 : -1;
          } else if (va !== vb) return sign * (va - vb);
          return sign * (a[0] < b[0] ? -1 : 1);
        })
        .map(([id]) => id);
    }

    async function allPages(
      store: SparkStore,
      query: Record<string, unknown>,
      filter?: any,
    ): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listApps({ ...query, cursor } as any, filter);
        ids.push(...page.items.map(a => a.id));
        cursor = page.nextCursor;
        pages += 1;
        expect(pages).toBeLessThan(20);
      } while (cursor);
      return { ids, pages };
    }

    it('sorts by start, duration and cost both ways, without values last, and pages through ties and nulls', async () => {
      const { store } = await seed(databaseId);
      expect(
        (
          await store.listApps(
            { sort: 'duration', order: 'desc', limit: 50 } as any,
            payments,
          )
        ).items.map(a => a.id),
      ).toEqual([
        'spark-s2',
        'spark-s4',
        'spark-s1',
        'spark-s0',
        'spark-s6',
        'spark-s8',
        'spark-s7',
        'spark-s5',
        'spark-s3',
      ]);
      for (const sort of ['start', 'duration', 'cost'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const whole = (
            await store.listApps({ sort, order, limit: 50 } as any, payments)
          ).items.map(a => a.id);
          expect({ sort, order, ids: whole }).toEqual({
            sort,
            order,
            ids: expected(sort, order),
          });
          for (const limit of [2, 3]) {
            const { ids, pages } = await allPages(
              store,
              { sort, order, limit },
              payments,
            );
            expect({ sort, order, limit, ids }).toEqual({
              sort,
              order,
              limit,
              ids: whole,
            });
            expect(pages).toBe(Math.ceil(runs.length / limit));
          }
        }
      }
      // Without the permission filter the other team's run is there, first by cost.
      expect(
        (await store.listApps({ sort: 'cost', limit: 2 } as any)).items.map(
          a => a.id,
        ),
      ).toEqual(['spark-other', 'spark-s6']);
    });

    it('keeps the sort columns up to date when an app is merged again or priced again', async () => {
      const { store, run, price } = await seed(databaseId);
      const first = async (sort: string) =>
        (await store.listApps({ sort, limit: 1 } as any, payments)).items.map(
          a => a.id,
        );
      // spark-s5 ends after 2 hours; spark-s0 is priced again, higher.
      await run('spark-s5', start + 4 * hour, 120);
      await price('spark-s0', 40, start);
      expect(await first('duration')).toEqual(['spark-s5']);
      expect(await first('cost')).toEqual(['spark-s0']);
      const page = await store.listApps(
        { sort: 'cost', limit: 1 } as any,
        payments,
      );
      expect(page.items[0].cost).toEqual({ amount: 40, currency: 'USD' });
    });

    it('refuses a cursor of another sort or order, and still takes the cursors of before', async () => {
      const { store } = await seed(databaseId);
      const byDuration = await store.listApps(
        { sort: 'duration', order: 'desc', limit: 2 } as any,
        payments,
      );
      for (const other of [
        { sort: 'cost', order: 'desc' },
        { sort: 'duration', order: 'asc' },
        { sort: 'start', order: 'desc' },
      ]) {
        await expect(
          store.listApps(
            { ...other, limit: 2, cursor: byDuration.nextCursor } as any,
            payments,
          ),
        ).rejects.toThrow('cursor: not a cursor for this sort');
      }
      // A cursor as the first version wrote it: [sort time, app id] of start, newest first.
      const legacy = Buffer.from(
        JSON.stringify([start + 5 * hour, 'spark-s6']),
      ).toString('base64url');
      expect(
        (
          await store.listApps({ limit: 3, cursor: legacy } as any, payments)
        ).items.map(a => a.id),
      ).toEqual(['spark-s5', 'spark-s4', 'spark-s3']);
      await expect(
        store.listApps(
          { sort: 'cost', limit: 3, cursor: legacy } as any,
          payments,
        ),
      ).rejects.toThrow('cursor: not a cursor for this sort');
      for (const garbage of [
        Buffer.from('["duration","desc","ten","spark-s1"]').toString(
          'base64url',
        ),
        Buffer.from('["size","desc",1,"spark-s1"]').toString('base64url'),
        'not-json',
      ]) {
        await expect(
          store.listApps({ limit: 3, cursor: garbage } as any),
        ).rejects.toThrow('cursor: not a cursor this API returned');
      }
    });

    it('fills in the duration of apps stored before the sort columns existed', async () => {
      const { store, knex } = await seed(databaseId);
      const directory = join(__dirname, '../../migrations');
      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('spark_apps', 'duration_ms')).toBe(
        false,
      );
      await knex.migrate.latest({ directory });
      expect(
        (
          await store.listApps(
            { sort: 'duration', order: 'asc', limit: 50 } as any,
            payments,
          )
        ).items.map(a => a.id),
      ).toEqual(expected('duration', 'asc'));
    });
  });
});
