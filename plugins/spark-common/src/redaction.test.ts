import {
  javaRegex,
  REDACTED,
  redactSparkConf,
  SPARK_DEFAULT_REDACTION_REGEX,
} from './redaction';

describe('redactSparkConf', () => {
  it("redacts what Spark's default spark.redaction.regex redacts, by key or by value", () => {
    const redacted = new Map(
      redactSparkConf([
        ['spark.hadoop.fs.s3a.secret.key', 'wJalrXUtnFEMI'],
        ['spark.hadoop.fs.s3a.access.key', 'AKIAEXAMPLE'],
        ['spark.hadoop.fs.s3a.accesskey', 'AKIAEXAMPLE'],
        ['spark.kubernetes.authenticate.oauthToken', 'eyJhbGci'],
        ['spark.ssl.keyStorePassword', 'changeit'],
        ['spark.executorEnv.DB_PASSWORD', 'hunter2'],
        // The value gives it away although the key does not (as in sun.java.command).
        [
          'sun.java.command',
          'SparkSubmit --conf spark.executorEnv.CREDSTORE_PASSWORD=x',
        ],
        ['spark.app.name', 'settlement-etl'],
        ['spark.executor.memory', '4g'],
      ]),
    );
    for (const key of [
      'spark.hadoop.fs.s3a.secret.key',
      'spark.hadoop.fs.s3a.access.key',
      'spark.hadoop.fs.s3a.accesskey',
      'spark.kubernetes.authenticate.oauthToken',
      'spark.ssl.keyStorePassword',
      'spark.executorEnv.DB_PASSWORD',
      'sun.java.command',
    ]) {
      expect(redacted.get(key)).toBe(REDACTED);
    }
    expect(redacted.get('spark.app.name')).toBe('settlement-etl');
    expect(redacted.get('spark.executor.memory')).toBe('4g');
  });

  it("adds the app's own spark.redaction.regex to the default, never replaces it", () => {
    const redacted = new Map(
      redactSparkConf([
        ['spark.redaction.regex', '(?i)jdbc-url'],
        ['spark.metastore.jdbc-url', 'jdbc:postgresql://user:pw@db/metastore'],
        ['spark.hadoop.fs.s3a.secret.key', 'still-secret'],
        ['spark.app.name', 'fraud-features'],
      ]),
    );
    expect(redacted.get('spark.metastore.jdbc-url')).toBe(REDACTED);
    expect(redacted.get('spark.hadoop.fs.s3a.secret.key')).toBe(REDACTED);
    expect(redacted.get('spark.app.name')).toBe('fraud-features');
    expect(redacted.get('spark.redaction.regex')).toBe('(?i)jdbc-url');
  });

  it('redacts every value when the app regex cannot be compiled (fail closed)', () => {
    const redacted = redactSparkConf([
      ['spark.redaction.regex', '(?<unclosed'],
      ['spark.app.name', 'feature-backfill'],
    ]);
    expect(redacted).toEqual([
      ['spark.redaction.regex', '(?<unclosed'],
      ['spark.app.name', REDACTED],
    ]);
  });
});

describe('javaRegex', () => {
  it('turns leading inline flags into JavaScript flags', () => {
    const re = javaRegex(SPARK_DEFAULT_REDACTION_REGEX)!;
    expect(re.flags).toBe('i');
    expect(re.test('SPARK.SSL.PASSWORD')).toBe(true);
    expect(javaRegex('token')!.test('TOKEN')).toBe(false);
  });
});
