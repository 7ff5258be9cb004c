import { mockServices } from '@backstage/backend-test-utils';
import {
  freePort,
  makeTempDir,
  removeDir,
  runSparkJob,
  sparkVersions,
  startHistoryServer,
  type HistoryServer,
} from '@spark-k8s/harness';
import knexFactory, { type Knex } from 'knex';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SparkStore } from '../../store/SparkStore';
import { HistoryServerSource } from './HistoryServerSource';

const schedule = { frequency: { minutes: 2 }, timeout: { minutes: 1 } };
const logger = mockServices.logger.mock();

describe('HistoryServerSource', () => {
  let tmp: string;
  let server: HistoryServer;
  let appId: string;
  let knex: Knex;
  let store: SparkStore;

  beforeAll(async () => {
    tmp = makeTempDir('hs-source');
    const logDir = path.join(tmp, 'logs');
    const { eventLogs } = await runSparkJob({
      sparkVersion: sparkVersions.spark4,
      script: `
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("nightly-ledger").getOrCreate()
spark.range(0, 1000, 1, 4).selectExpr("id % 3 as k").groupBy("k").count().collect()
spark.stop()
`,
      eventLogDir: logDir,
      conf: {
        'spark.kubernetes.driver.label.backstage.io/kubernetes-id':
          'nightly-ledger',
        'spark.api.token': 'tok-123',
      },
    });
    appId = eventLogs[0].appId;
    server = await startHistoryServer({
      sparkVersion: sparkVersions.spark4,
      logDir,
    });
    await server.waitForApplication(appId);
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    store = await SparkStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await knex?.destroy();
    if (tmp) removeDir(tmp);
  });

  it('stores what the History Server knows, served back unchanged, and skips attempts it has seen', async () => {
    const source = new HistoryServerSource({
      name: 'legacy',
      url: server.url,
      schedule,
    });
    await source.run({ store, logger, signal: new AbortController().signal });
    const app = await store.getAppDetails(appId);
    expect(app.app).toMatchObject({
      name: 'nightly-ledger',
      state: 'SUCCEEDED',
      complete: true,
      sources: ['history-server:legacy'],
    });
    expect(app.app.metrics?.tasks).toBeGreaterThan(0);
    expect(app.stages.length).toBeGreaterThan(0);

    const [{ documents }] = await store.getHistoryDocuments(appId);
    const jobs = await (
      await fetch(`${server.url}/api/v1/applications/${appId}/jobs`)
    ).json();
    expect(documents.jobs).toEqual(jobs);
    expect(JSON.stringify(await store.getEnvironment(appId))).not.toContain(
      'tok-123',
    );
    expect((await store.getSourceStatus('history-server:legacy'))?.status).toBe(
      'ok',
    );

    const before = (await knex('spark_app_reports').first('updated_at'))
      .updated_at;
    await source.run({ store, logger, signal: new AbortController().signal });
    expect(
      (await knex('spark_app_reports').first('updated_at')).updated_at,
    ).toBe(before);
  });

  it('records a History Server that is down, refuses (401/403) or does not answer, and keeps what it has', async () => {
    const hanging: http.ServerResponse[] = [];
    const fake = http.createServer((req, res) => {
      if (req.url?.startsWith('/slow')) {
        hanging.push(res);
        return;
      }
      res.writeHead(req.url?.startsWith('/denied') ? 403 : 401).end('no');
    });
    await new Promise<void>(resolve => fake.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    try {
      const cases: Array<[string, string, RegExp]> = [
        [
          'down',
          `http://127.0.0.1:${await freePort()}`,
          /failed: ECONNREFUSED/,
        ],
        ['unauthorized', `${base}/unauthorized`, /answered 401 .*token/],
        ['denied', `${base}/denied`, /answered 403/],
        ['slow', `${base}/slow`, /no answer within 500 ms/],
      ];
      for (const [name, url, message] of cases) {
        const source = new HistoryServerSource({
          name,
          url,
          schedule,
          timeoutMs: 500,
        });
        await source.run({
          store,
          logger,
          signal: new AbortController().signal,
        });
        const status = await store.getSourceStatus(`history-server:${name}`);
        expect({ name, status: status?.status }).toEqual({
          name,
          status: 'error',
        });
        expect(status?.message).toMatch(message);
      }
      expect((await store.getApp(appId)).state).toBe('SUCCEEDED');
    } finally {
      for (const res of hanging) res.destroy();
      fake.close();
    }
  });
});
