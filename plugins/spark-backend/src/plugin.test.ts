import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { SparkKubernetesObject } from '@spark-k8s/plugin-spark-common';
import {
  type SparkAppReport,
  sparkSourcesExtensionPoint,
} from '@spark-k8s/plugin-spark-node';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { sparkPlugin } from './plugin';
import { SparkTeamPermissionPolicy } from './policy';

// SLO spec files next to a catalog file, as a Component's annotation names them.
const catalogDir = mkdtempSync(join(tmpdir(), 'spark-catalog-'));
mkdirSync(join(catalogDir, 'slo'));
writeFileSync(
  join(catalogDir, 'slo', 'settlement-etl.yaml'),
  `apiVersion: openslo/v1
kind: SLO
metadata: { name: settlement-etl-success, displayName: Settlement ETL succeeds }
spec:
  timeWindow: [{ duration: 3650d }]
  objectives: [{ target: 0.99 }]
  indicator: { spec: { sparkRuns: { type: success-ratio } } }
`,
);
writeFileSync(
  join(catalogDir, 'slo', 'clickstream.yaml'),
  `apiVersion: openslo/v1
kind: SLO
metadata: { name: clickstream-fresh }
spec:
  timeWindow: [{ duration: 30d }]
  objectives: [{ target: 99 }]
  indicator: { spec: { sparkRuns: { type: freshness, maxAge: 2h } } }
`,
);
const location = `file:${join(catalogDir, 'catalog-info.yaml')}`;

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'data-platform' },
    spec: { type: 'org', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments-data' },
    spec: { type: 'team', parent: 'data-platform', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'growth-analytics' },
    spec: { type: 'team', parent: 'data-platform', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'spark-sre' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'settlement-etl',
      annotations: {
        'backstage.io/kubernetes-id': 'settlement-etl',
        'backstage.io/managed-by-location': location,
        'spark-k8s.io/slo': './slo/settlement-etl.yaml',
      },
    },
    spec: {
      type: 'spark-job',
      lifecycle: 'production',
      owner: 'payments-data',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'clickstream-sessionizer',
      annotations: {
        'backstage.io/kubernetes-id': 'clickstream-sessionizer',
        'backstage.io/managed-by-location': location,
        'spark-k8s.io/slo': './slo/clickstream.yaml',
      },
    },
    spec: {
      type: 'spark-job',
      lifecycle: 'production',
      owner: 'growth-analytics',
    },
  },
];

/** Who belongs to which groups: what the catalog's user resolution would say. */
const memberships: Record<string, string[]> = {
  'user:default/alice': ['group:default/payments-data'],
  'user:default/lead': ['group:default/data-platform'],
  'user:default/sre': ['group:default/spark-sre'],
  'user:default/nobody': [],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef as string;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
      };
    },
  }),
});

const history = (appId: string) => ({
  attempt: {
    startTime: '2026-11-20T10:00:00.000GMT',
    completed: true,
    startTimeEpoch: 1,
    endTimeEpoch: 2,
  },
  jobs: [
    { jobId: 0, status: 'SUCCEEDED' },
    { jobId: 1, status: 'FAILED' },
  ],
  stages: [{ stageId: 0, attemptId: 0, status: 'COMPLETE' }],
  allexecutors: [
    { id: 'driver', isActive: true },
    { id: '1', isActive: false, removeReason: 'lost' },
  ],
  environment: { sparkProperties: [['spark.app.name', appId]] },
});

const reports: SparkAppReport[] = [
  {
    appId: 'spark-pay-1',
    attemptId: '',
    name: 'settlement-etl',
    state: 'SUCCEEDED',
    cluster: 'prod-eu',
    complete: true,
    startTime: Date.parse('2026-11-20T10:00:00Z'),
    labels: { 'backstage.io/kubernetes-id': 'settlement-etl' },
    environment: { sparkProperties: [['spark.app.name', 'settlement-etl']] },
    history: history('spark-pay-1'),
  },
  {
    appId: 'spark-growth-1',
    attemptId: '',
    name: 'clickstream-sessionizer',
    state: 'FAILED',
    cluster: 'prod-eu',
    complete: true,
    startTime: Date.parse('2026-11-21T10:00:00Z'),
    labels: { 'backstage.io/kubernetes-id': 'clickstream-sessionizer' },
    history: history('spark-growth-1'),
  },
  {
    appId: 'spark-orphan-1',
    attemptId: '',
    name: 'adhoc',
    state: 'RUNNING',
    complete: false,
    startTime: Date.parse('2026-11-22T10:00:00Z'),
  },
];

const GIB = 2 ** 30;
const pod = (
  appId: string,
  name: string,
  details: Record<string, unknown>,
): SparkKubernetesObject => ({
  cluster: 'prod-eu',
  namespace: 'payments',
  kind: 'Pod',
  apiVersion: 'v1',
  name,
  uid: name,
  appId,
  rawState: 'Succeeded',
  state: 'SUCCEEDED',
  details,
  updatedAt: '2026-11-20T12:00:00.000Z',
});

/** Pods of two runs: the figures the cost tests expect are worked out next to them. */
const pods: SparkKubernetesObject[] = [
  // (1 vCPU × 0.0252 + 2 GiB × 0.014) × 2 h = 0.1064
  pod('spark-pay-1', 'pay-1-driver', {
    role: 'driver',
    startTime: '2026-11-20T10:00:00.000Z',
    endTime: '2026-11-20T12:00:00.000Z',
    requests: { cpu: 1, memoryBytes: 2 * GIB },
  }),
  // (4 × 0.0252 + 8 × 0.014) × 1.5 h = 0.3192, on spot 70 % off = 0.09576
  pod('spark-pay-1', 'pay-1-exec-1', {
    role: 'executor',
    startTime: '2026-11-20T10:00:00.000Z',
    endTime: '2026-11-20T11:30:00.000Z',
    requests: { cpu: 4, memoryBytes: 8 * GIB },
    nodeSelector: { 'karpenter.sh/capacity-type': 'spot' },
  }),
  // (2 × 0.0252 + 4 × 0.014) × 1 h = 0.1064
  pod('spark-growth-1', 'growth-1-driver', {
    role: 'driver',
    startTime: '2026-11-21T10:00:00.000Z',
    endTime: '2026-11-21T11:00:00.000Z',
    requests: { cpu: 2, memoryBytes: 4 * GIB },
  }),
];

/** A source that reports fixed apps, added through the extension point like any module would. */
const fixedSource = createBackendModule({
  pluginId: 'spark',
  moduleId: 'fixed-source',
  register(env) {
    env.registerInit({
      deps: { sources: sparkSourcesExtensionPoint },
      async init({ sources }) {
        sources.addSource({
          id: 'fixed:test',
          kind: 'history-server',
          schedule: { frequency: { minutes: 10 }, timeout: { minutes: 1 } },
          async run({ store }) {
            await store.upsertKubernetesObjects(pods);
            for (const report of reports)
              await store.reportApp('fixed:test', report);
            await store.reportSourceRun('fixed:test', {
              kind: 'history-server',
            });
          },
        });
      },
    });
  },
});

/**
 * The permissions service, deciding with the real SparkTeamPermissionPolicy in-process. (The
 * permission backend refuses resource checks from the test backend's mock tokens, which carry
 * no actor; in a real backend the plugin's on-behalf-of token does.)
 */
const teamPolicyPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: { userInfo: coreServices.userInfo },
  factory: ({ userInfo }) => {
    const policy = new SparkTeamPermissionPolicy({
      userInfo,
      adminGroupRefs: ['group:default/spark-sre'],
    });
    const decide = (requests: any[], options: any) =>
      Promise.all(
        requests.map(({ permission }) =>
          policy.handle(
            { permission },
            { credentials: options.credentials, info: undefined as any },
          ),
        ),
      );
    return {
      authorizeConditional: decide,
      authorize: async (requests: any[], options: any) =>
        (await decide(requests, options)).map(decision =>
          decision.result === AuthorizeResult.CONDITIONAL
            ? { result: AuthorizeResult.DENY }
            : decision,
        ),
    } as any;
  },
});

const config = {
  permission: { enabled: true },
  spark: {
    attribution: {
      schedule: { frequency: { minutes: 10 }, timeout: { minutes: 1 } },
    },
    cost: {
      schedule: {
        frequency: { minutes: 10 },
        timeout: { minutes: 1 },
        initialDelay: { seconds: 1 },
      },
    },
  },
};

async function startBackend(features: any[]) {
  const backend = await startTestBackend({
    features: [
      sparkPlugin,
      fixedSource,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({ data: config }),
      userInfoFactory,
      ...features,
    ],
  });
  const app = backend.server;
  // Sources and attribution run on start-up in the test scheduler; wait until the apps are there.
  for (let i = 0; i < 100; i++) {
    const res = await request(app)
      .get('/api/spark/apps?teamRef=group:default/payments-data')
      .set('authorization', mockCredentials.user.header('user:default/sre'));
    if (res.status !== 200 || res.body.items?.length) break;
    await new Promise(r => setTimeout(r, 100));
  }
  // The cost task prices the apps once they are there.
  for (let i = 0; i < 100; i++) {
    const res = await request(app)
      .get('/api/spark/cost/apps/spark-growth-1')
      .set('authorization', mockCredentials.user.header('user:default/sre'));
    if (res.status !== 404) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return backend;
}

const routes = [
  '/api/spark/apps',
  '/api/spark/apps/spark-pay-1',
  '/api/spark/apps/spark-pay-1/environment',
  '/api/spark/apps/spark-pay-1/diagnoses',
  '/api/spark/apps/spark-pay-1/recommendations',
  '/api/spark/sources',
  '/api/spark/history/api/v1/applications',
  '/api/spark/history/api/v1/applications/spark-pay-1',
  '/api/spark/history/api/v1/applications/spark-pay-1/jobs',
  '/api/spark/history/api/v1/applications/spark-pay-1/stages',
  '/api/spark/history/api/v1/applications/spark-pay-1/executors',
  '/api/spark/history/api/v1/applications/spark-pay-1/allexecutors',
  '/api/spark/history/api/v1/applications/spark-pay-1/environment',
  '/api/spark/cost/summary',
  '/api/spark/cost/apps/spark-pay-1',
  '/api/spark/slo/status',
  '/api/spark/slo/rules',
  '/api/spark/slo/dashboard',
];

describe('spark backend API with the team policy', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    backend = await startBackend([teamPolicyPermissions]);
  });
  afterAll(() => backend?.stop());

  const get = (path: string, user: string) =>
    request(backend.server)
      .get(path)
      .set('authorization', mockCredentials.user.header(user));

  it('shows admins every app, newest first', async () => {
    const res = await get('/api/spark/apps', 'user:default/sre');
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: any) => a.id)).toEqual([
      'spark-orphan-1',
      'spark-growth-1',
      'spark-pay-1',
    ]);
  });

  it('shows a team member only the apps of their team', async () => {
    const res = await get('/api/spark/apps', 'user:default/alice');
    expect(res.body.items.map((a: any) => a.id)).toEqual(['spark-pay-1']);
    expect(
      (await get('/api/spark/apps/spark-pay-1', 'user:default/alice')).body.app
        .attribution,
    ).toEqual({
      entityRef: 'component:default/settlement-etl',
      teamRef: 'group:default/payments-data',
      teamRefs: ['group:default/payments-data', 'group:default/data-platform'],
      matchedBy: 'annotation',
    });
    expect(
      (await get('/api/spark/apps/spark-growth-1', 'user:default/alice'))
        .status,
    ).toBe(404);
    expect(
      (
        await get(
          '/api/spark/apps/spark-growth-1/environment',
          'user:default/alice',
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await get(
          '/api/spark/history/api/v1/applications/spark-growth-1/jobs',
          'user:default/alice',
        )
      ).status,
    ).toBe(404);
    const hs = await get(
      '/api/spark/history/api/v1/applications',
      'user:default/alice',
    );
    expect(hs.body.map((a: any) => a.id)).toEqual(['spark-pay-1']);
    expect(
      (
        await get(
          '/api/spark/apps/spark-pay-1/environment',
          'user:default/alice',
        )
      ).body,
    ).toEqual({
      sparkProperties: [['spark.app.name', 'settlement-etl']],
    });
  });

  it('sorts on the server by cost, duration or start, and pages in that order', async () => {
    const ids = async (path: string, user = 'user:default/sre') =>
      (await get(path, user)).body.items.map((a: any) => a.id);
    expect(await ids('/api/spark/apps?sort=cost&order=desc')).toEqual([
      'spark-pay-1',
      'spark-growth-1',
      'spark-orphan-1',
    ]);
    // The orphan run has no pods: priced at nothing, not unpriced.
    expect(await ids('/api/spark/apps?sort=cost&order=asc')).toEqual([
      'spark-orphan-1',
      'spark-growth-1',
      'spark-pay-1',
    ]);
    // No run has ended, so none has a duration: all tie, by app id.
    expect(await ids('/api/spark/apps?sort=duration&order=desc')).toEqual([
      'spark-pay-1',
      'spark-orphan-1',
      'spark-growth-1',
    ]);
    // The permission filter still applies.
    expect(
      await ids('/api/spark/apps?sort=cost&order=asc', 'user:default/alice'),
    ).toEqual(['spark-pay-1']);
    const first = await get(
      '/api/spark/apps?sort=start&order=asc&limit=2',
      'user:default/sre',
    );
    expect(first.body.items.map((a: any) => a.id)).toEqual([
      'spark-pay-1',
      'spark-growth-1',
    ]);
    const rest = await get(
      `/api/spark/apps?sort=start&order=asc&limit=2&cursor=${first.body.nextCursor}`,
      'user:default/sre',
    );
    expect(rest.body.items.map((a: any) => a.id)).toEqual(['spark-orphan-1']);
    expect(rest.body.nextCursor).toBeUndefined();
    const other = await get(
      `/api/spark/apps?sort=cost&order=asc&limit=2&cursor=${first.body.nextCursor}`,
      'user:default/sre',
    );
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({
      name: 'InputError',
      message: 'cursor: not a cursor for this sort',
    });
  });

  it('rolls child teams up to the parent group', async () => {
    const res = await get('/api/spark/apps', 'user:default/lead');
    expect(res.body.items.map((a: any) => a.id)).toEqual([
      'spark-growth-1',
      'spark-pay-1',
    ]);
  });

  it("diagnoses a team's own app and hides other teams' apps", async () => {
    const own = await get(
      '/api/spark/apps/spark-growth-1/diagnoses',
      'user:default/lead',
    );
    expect(own.status).toBe(200);
    expect(Array.isArray(own.body.items)).toBe(true);
    const sizing = await get(
      '/api/spark/apps/spark-pay-1/recommendations',
      'user:default/alice',
    );
    expect(sizing.status).toBe(200);
    expect(sizing.body.recommended.memoryMib).toBeGreaterThan(0);
    expect(
      (
        await get(
          '/api/spark/apps/spark-growth-1/diagnoses',
          'user:default/alice',
        )
      ).status,
    ).toBe(404);
    expect(
      (await get('/api/spark/apps/no%20such/diagnoses', 'user:default/sre'))
        .status,
    ).toBe(400);
  });

  it('shows a user of no team nothing', async () => {
    expect(
      (await get('/api/spark/apps', 'user:default/nobody')).body.items,
    ).toEqual([]);
    expect(
      (await get('/api/spark/apps/spark-orphan-1', 'user:default/nobody'))
        .status,
    ).toBe(404);
  });

  it('serves the History Server API paths and answers 404 like it', async () => {
    const jobs = await get(
      '/api/spark/history/api/v1/applications/spark-pay-1/jobs?status=failed',
      'user:default/alice',
    );
    expect(jobs.body).toEqual([{ jobId: 1, status: 'FAILED' }]);
    const executors = await get(
      '/api/spark/history/api/v1/applications/spark-pay-1/executors',
      'user:default/alice',
    );
    expect(executors.body.map((e: any) => e.id)).toEqual(['driver']);
    const all = await get(
      '/api/spark/history/api/v1/applications/spark-pay-1/allexecutors',
      'user:default/alice',
    );
    expect(all.body.map((e: any) => e.id)).toEqual(['driver', '1']);
    expect(
      (
        await get(
          '/api/spark/history/api/v1/applications/spark-pay-1/7/jobs',
          'user:default/alice',
        )
      ).status,
    ).toBe(404);
  });

  const november = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';

  it('prices every run from its pods: requests × prices × lifetime, spot discounted', async () => {
    const pay = await get(
      '/api/spark/cost/apps/spark-pay-1',
      'user:default/alice',
    );
    expect(pay.status).toBe(200);
    expect(pay.body).toMatchObject({
      appId: 'spark-pay-1',
      currency: 'USD',
      from: 'pods',
      basis: 'request',
      usageKnown: false,
      total: 0.20216,
    });
    expect(pay.body.pods.map((p: any) => [p.name, p.spot, p.cost])).toEqual([
      ['pay-1-driver', false, 0.1064],
      ['pay-1-exec-1', true, 0.09576],
    ]);
    const app = await get('/api/spark/apps/spark-pay-1', 'user:default/alice');
    expect(app.body.app.cost).toEqual({ amount: 0.20216, currency: 'USD' });
  });

  it('sums a team’s cost by day, app, Component, namespace and cluster', async () => {
    const res = await get(
      `/api/spark/cost/summary?teamRef=group:default/data-platform&${november}`,
      'user:default/sre',
    );
    expect(res.status).toBe(200);
    // 0.20216 (spark-pay-1) + 0.1064 (spark-growth-1)
    expect(res.body.total).toBe(0.30856);
    expect(res.body.runs).toBe(2);
    expect(res.body.basis).toEqual({ usage: 0, request: 2 });
    expect(res.body.daily).toHaveLength(30);
    expect(res.body.daily.filter((d: any) => d.cost > 0)).toEqual([
      { date: '2026-11-20', cost: 0.20216 },
      { date: '2026-11-21', cost: 0.1064 },
    ]);
    expect(res.body.topApps.map((a: any) => [a.appId, a.cost])).toEqual([
      ['spark-pay-1', 0.20216],
      ['spark-growth-1', 0.1064],
    ]);
    expect(res.body.breakdown.entities).toEqual([
      { key: 'component:default/settlement-etl', cost: 0.20216, runs: 1 },
      {
        key: 'component:default/clickstream-sessionizer',
        cost: 0.1064,
        runs: 1,
      },
    ]);
    expect(res.body.breakdown.clusters).toEqual([
      { key: 'prod-eu', cost: 0.30856, runs: 2 },
    ]);
    const entity = await get(
      `/api/spark/cost/summary?entityRef=component:default/clickstream-sessionizer&${november}`,
      'user:default/sre',
    );
    expect(entity.body.total).toBe(0.1064);
  });

  it('shows a team member only the cost of their team', async () => {
    const fleet = await get(
      `/api/spark/cost/summary?${november}`,
      'user:default/alice',
    );
    expect(fleet.body.total).toBe(0.20216);
    expect(fleet.body.topTeams).toEqual([
      {
        teamRef: 'group:default/payments-data',
        cost: 0.20216,
        previousCost: 0,
      },
    ]);
    const other = await get(
      `/api/spark/cost/summary?teamRef=group:default/growth-analytics&${november}`,
      'user:default/alice',
    );
    expect(other.body.total).toBe(0);
    expect(
      (await get('/api/spark/cost/apps/spark-growth-1', 'user:default/alice'))
        .status,
    ).toBe(404);
  });

  it('judges a Component’s SLOs from its run history and names bad spec files', async () => {
    const res = await get(
      '/api/spark/slo/status?entityRef=component:default/settlement-etl',
      'user:default/alice',
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      id: 'settlement-etl-success',
      name: 'Settlement ETL succeeds',
      entityRef: 'component:default/settlement-etl',
      teamRef: 'group:default/payments-data',
      indicator: 'success-ratio',
      objective: 0.99,
      attainment: 1,
      errorBudgetRemaining: 1,
      runs: { total: 1, good: 1 },
      burnRate: { state: 'ok' },
    });
    // The run itself says whether it met the Component's per-run SLOs.
    const apps = await get(
      '/api/spark/apps?entityRef=component:default/settlement-etl',
      'user:default/alice',
    );
    expect(apps.body.items.map((a: any) => [a.id, a.slo])).toEqual([
      ['spark-pay-1', { state: 'met', sloIds: ['settlement-etl-success'] }],
    ]);
    const team = await get(
      '/api/spark/slo/status?teamRef=group:default/data-platform',
      'user:default/sre',
    );
    expect(team.body.items.map((s: any) => s.id)).toEqual([
      'settlement-etl-success',
    ]);
    expect(team.body.problems).toEqual([
      {
        entityRef: 'component:default/clickstream-sessionizer',
        message:
          './slo/clickstream.yaml document 1: spec.objectives.0.target: must be below 1 (0.99 = 99 %)',
      },
    ]);
    // Alice does not see the growth team's Component, nor its problems.
    const mine = await get('/api/spark/slo/status', 'user:default/alice');
    expect(mine.body.problems).toEqual([]);
    expect(mine.body.items.map((s: any) => s.entityRef)).toEqual([
      'component:default/settlement-etl',
    ]);
  });

  it('serves Prometheus rules of the SLOs as a file, and a Grafana dashboard', async () => {
    const res = await get(
      '/api/spark/slo/rules?download',
      'user:default/alice',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/yaml/);
    expect(res.headers['content-disposition']).toMatch(/spark-slo\.rules\.yml/);
    expect(res.text).toContain('name: spark-slo-settlement-etl-success');
    expect(res.text).toMatch(/backstage_io_kubernetes_id=\\?"settlement-etl/);
    expect(res.text).toMatch(
      /runbook_url: http:\/\/localhost:3000\/docs\/default\/component\/spark-runbooks\/en\/slo-burn-rate-page\//,
    );
    const dashboard = await get(
      '/api/spark/slo/dashboard',
      'user:default/alice',
    );
    expect(dashboard.body.uid).toBe('spark-k8s');
  });

  it('rejects bad input with a 400 that names the field', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/spark/apps?limit=0', /limit/],
      ['/api/spark/apps?state=DONE', /state/],
      ['/api/spark/apps?teamRef=payments', /teamRef/],
      ['/api/spark/apps?from=yesterday', /from/],
      ['/api/spark/apps?color=red', /color/],
      ['/api/spark/apps?cursor=abc', /cursor/],
      ['/api/spark/apps?sort=size', /invalid query sort/],
      ['/api/spark/apps?sort=', /invalid query sort/],
      ['/api/spark/apps?order=up', /invalid query order/],
      ['/api/spark/apps?sort=cost&sort=duration', /invalid query sort/],
      ['/api/spark/apps/bad%20id', /appId/],
      ['/api/spark/history/api/v1/applications?minDate=soon', /minDate/],
      [
        '/api/spark/cost/summary?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
        /to: must be after from/,
      ],
      ['/api/spark/cost/summary?teamRef=payments', /teamRef/],
      ['/api/spark/cost/summary?by=app', /by/],
      ['/api/spark/slo/status?entityRef=settlement-etl', /entityRef/],
    ];
    for (const [path, field] of cases) {
      const res = await get(path, 'user:default/sre');
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(field);
    }
  });

  it('requires authentication on every route', async () => {
    for (const path of routes) {
      const res = await request(backend.server)
        .get(path)
        .set('authorization', mockCredentials.none.header());
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
  });
});

describe('spark backend API when the policy denies', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    backend = await startBackend([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
  });
  afterAll(() => backend?.stop());

  it.each(routes)('answers 403 on %s', async path => {
    const res = await request(backend.server)
      .get(path)
      .set('authorization', mockCredentials.user.header('user:default/sre'));
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });
});
