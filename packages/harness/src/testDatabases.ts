import { TestDatabases } from '@backstage/backend-test-utils';
import { findPostgres, type RunningPostgres, startPostgres } from './postgres';

/**
 * `TestDatabases` of `@backstage/backend-test-utils` for SQLite and a harness PostgreSQL
 * (there is no Docker here). Call at the top level of a test file, then
 * `describe.each(databases.eachSupportedId())`.
 *
 * TestDatabases.create() keeps a Postgres id only when its connection-string variable is set,
 * and it runs while Jest collects tests, before any beforeAll; the variable is read again in
 * init(), inside the tests. So a placeholder is set now and the real address in beforeAll.
 * The server stops in an afterAll declared after TestDatabases' own, which drops its databases.
 */
export function createTestDatabases(): TestDatabases {
  const { major } = findPostgres();
  const variable = `BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`;
  const previous = process.env[variable];
  process.env[variable] =
    'postgresql://placeholder-until-beforeAll@127.0.0.1:1/postgres';
  let pg: RunningPostgres | undefined;

  beforeAll(async () => {
    pg = await startPostgres();
    process.env[variable] = pg.connectionString;
  }, 90_000);

  const databases = TestDatabases.create({
    ids: ['SQLITE_3', `POSTGRES_${major}` as 'POSTGRES_15'],
  });

  afterAll(async () => {
    await pg?.stop();
    if (previous === undefined) delete process.env[variable];
    else process.env[variable] = previous;
  }, 30_000);

  return databases;
}
