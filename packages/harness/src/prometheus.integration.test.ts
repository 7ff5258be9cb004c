import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, removeDir, waitFor } from './common';
import { RunningPrometheus, runPromtool, startPrometheus } from './prometheus';

const rules = `
groups:
  - name: spark
    rules:
      - alert: SparkTasksFailing
        expr: increase(spark_driver_failed_tasks_total[2m]) > 0
        for: 1m
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.app }} is failing tasks"
`;

const rulesTest = `
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'spark_driver_failed_tasks_total{app="etl"}'
        values: '0 0 5 10 15 20'
      - series: 'spark_driver_failed_tasks_total{app="pi"}'
        values: '0 0 0 0 0 0'
    alert_rule_test:
      # firing: etl's failures have been rising for longer than 1m
      - eval_time: 5m
        alertname: SparkTasksFailing
        exp_alerts:
          - exp_labels: { severity: warning, app: etl }
            exp_annotations: { summary: etl is failing tasks }
      # not firing: nothing has failed yet
      - eval_time: 1m
        alertname: SparkTasksFailing
        exp_alerts: []
`;

let dir: string;

beforeAll(() => {
  dir = makeTempDir('prometheus-test');
  fs.writeFileSync(path.join(dir, 'rules.yml'), rules);
  fs.writeFileSync(path.join(dir, 'rules.test.yml'), rulesTest);
});

afterAll(() => removeDir(dir));

describe('promtool', () => {
  it('checks the rule file', async () => {
    const result = await runPromtool(['check', 'rules', 'rules.yml'], dir);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/SUCCESS: 1 rules found/);
  });

  it('rejects a broken rule file', async () => {
    fs.writeFileSync(
      path.join(dir, 'broken.yml'),
      rules.replace('> 0', '> > 0'),
    );
    const result = await runPromtool(['check', 'rules', 'broken.yml'], dir);
    expect(result.code).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/FAILED/);
  });

  it('unit-tests the alert: firing for etl, not firing before failures', async () => {
    const result = await runPromtool(['test', 'rules', 'rules.test.yml'], dir);
    expect({
      ...result,
      output: `${result.stdout}${result.stderr}`,
    }).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/SUCCESS/);
  });

  it('fails a rule test whose expectation is wrong', async () => {
    fs.writeFileSync(
      path.join(dir, 'wrong.test.yml'),
      rulesTest.replace('app: etl }', 'app: pi }'),
    );
    const result = await runPromtool(['test', 'rules', 'wrong.test.yml'], dir);
    expect(result.code).not.toBe(0);
  });
});

describe('startPrometheus', () => {
  let prometheus: RunningPrometheus | undefined;

  afterAll(async () => {
    await prometheus?.stop();
  }, 30_000);

  it('scrapes itself until up{job="prometheus"} is 1, with the rule file loaded', async () => {
    prometheus = await startPrometheus({
      rules: [path.join(dir, 'rules.yml')],
    });
    expect(prometheus.url).toBe(`http://127.0.0.1:${prometheus.port}`);
    const { url } = prometheus;

    const up = await waitFor(
      'prometheus-test',
      'up{job="prometheus"} == 1',
      async () => {
        const response = await fetch(
          `${url}/api/v1/query?query=${encodeURIComponent(
            'up{job="prometheus"}',
          )}`,
        );
        const body = (await response.json()) as {
          status: string;
          data: {
            result: {
              metric: Record<string, string>;
              value: [number, string];
            }[];
          };
        };
        const sample = body.data.result[0];
        return sample?.value[1] === '1' ? sample : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(up.metric).toMatchObject({
      job: 'prometheus',
      instance: `127.0.0.1:${prometheus.port}`,
    });

    const rulesResponse = await fetch(`${url}/api/v1/rules`);
    const loaded = (await rulesResponse.json()) as {
      data: { groups: { name: string; rules: { name: string }[] }[] };
    };
    expect(
      loaded.data.groups.map(g => [g.name, g.rules.map(r => r.name)]),
    ).toEqual([['spark', ['SparkTasksFailing']]]);
  }, 60_000);
});
