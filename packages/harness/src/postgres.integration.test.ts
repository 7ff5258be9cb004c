import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Client } from 'pg';
import { findPostgres, RunningPostgres, startPostgres } from './postgres';

const { major } = findPostgres();
const postgresId = `POSTGRES_${major}` as TestDatabaseId;
const connectionStringVar = `BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`;
const previousConnectionString = process.env[connectionStringVar];

// TestDatabases.create() keeps a Postgres id only when its connection-string variable is set
// (without Docker), and it runs while Jest collects tests, before any beforeAll. The variable
// is only read again in init(), inside the tests, so a placeholder here is replaced by the
// harness server's address in beforeAll.
process.env[connectionStringVar] =
  'postgresql://placeholder-until-beforeAll@127.0.0.1:1/postgres';

let pg: RunningPostgres;

beforeAll(async () => {
  pg = await startPostgres();
  process.env[connectionStringVar] = pg.connectionString;
}, 90_000);

afterAll(async () => {
  await pg?.stop();
  if (previousConnectionString === undefined)
    delete process.env[connectionStringVar];
  else process.env[connectionStringVar] = previousConnectionString;
}, 30_000);

describe('startPostgres', () => {
  it('serves Debian PostgreSQL on 127.0.0.1 with password authentication', async () => {
    expect(pg.host).toBe('127.0.0.1');
    expect(pg.major).toBe(major);
    const client = new Client({ connectionString: pg.connectionString });
    await client.connect();
    try {
      const version = await client.query<{ version: string }>(
        'select version()',
      );
      expect(version.rows[0].version).toMatch(
        new RegExp(`^PostgreSQL ${major}\\.`),
      );

      await client.query(
        'create table sparks (id serial primary key, name text not null)',
      );
      await client.query(
        "insert into sparks (name) values ('driver'), ('executor')",
      );
      const rows = await client.query<{ name: string }>(
        'select name from sparks order by id',
      );
      expect(rows.rows.map(r => r.name)).toEqual(['driver', 'executor']);

      const listen = await client.query<{ value: string }>(
        "select setting as value from pg_settings where name = 'listen_addresses'",
      );
      expect(listen.rows[0].value).toBe('127.0.0.1');
    } finally {
      await client.end();
    }
  });

  it('rejects a wrong password', async () => {
    const client = new Client({
      host: pg.host,
      port: pg.port,
      user: pg.user,
      database: pg.database,
      password: 'wrong',
    });
    await expect(client.connect()).rejects.toThrow(
      /password authentication failed/,
    );
    await client.end().catch(() => undefined);
  });
});

describe("Backstage's TestDatabases on the harness server", () => {
  // Created in this nested block so its own afterAll (dropping the databases it made)
  // runs before the file-level afterAll stops the server.
  const databases = TestDatabases.create({ ids: [postgresId, 'SQLITE_3'] });

  it(`supports ${postgresId} without Docker`, () => {
    expect(databases.eachSupportedId()).toEqual([[postgresId], ['SQLITE_3']]);
  });

  it.each(databases.eachSupportedId())(
    '%p: creates a table, inserts and selects',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('applications', table => {
        table.string('id').primary();
        table.string('state').notNullable();
      });
      await knex('applications').insert([
        { id: 'spark-pi', state: 'COMPLETED' },
        { id: 'spark-etl', state: 'RUNNING' },
      ]);
      const rows = await knex('applications')
        .where({ state: 'RUNNING' })
        .select('id');
      expect(rows).toEqual([{ id: 'spark-etl' }]);
    },
    60_000,
  );

  it(`${postgresId} runs on the harness server`, async () => {
    const knex = await databases.init(postgresId);
    const result = await knex.raw('select inet_server_port() as port');
    expect(Number(result.rows[0].port)).toBe(pg.port);
  }, 60_000);
});
