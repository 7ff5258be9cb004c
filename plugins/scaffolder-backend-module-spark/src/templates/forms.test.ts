import Ajv from 'ajv';
import ajvErrors from 'ajv-errors';
import { presets } from '../__testUtils__/presets';
import { environmentTemplate } from './environmentTemplate';
import { jobRepoTemplate } from './jobRepoTemplate';

/**
 * The Scaffolder's form validates each page with ajv and ajv-errors (what
 * `@backstage/plugin-scaffolder-react`'s Stepper sets up, with react-jsonschema-form's options),
 * so these are the messages a user sees under a field.
 */
function formMessages(page: Record<string, unknown>, values: unknown) {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  ajvErrors(ajv);
  const validate = ajv.compile(page);
  validate(values);
  return (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}

const batch = environmentTemplate(presets.get('batch-spark-operator')!) as any;
const [environment, resources, , job, repository] = batch.spec.parameters;
const valid = {
  name: 'etl',
  namespace: 'team-a',
  owner: 'group:default/team-a',
  sparkVersion: '4.3.0',
};

describe('template forms', () => {
  it('explain a rejected name or namespace in words, not with the pattern', () => {
    expect(
      formMessages(environment, {
        ...valid,
        name: 'Team_A',
        namespace: '$(rm -rf /)',
      }),
    ).toEqual([
      '/name must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
      '/namespace must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    ]);
    expect(
      formMessages(environment, { ...valid, name: 'a'.repeat(64) }),
    ).toEqual(['/name must be at most 30 characters']);
    expect(formMessages(environment, valid)).toEqual([]);
  });

  it('name the bound a resource breaks', () => {
    expect(
      formMessages(resources, {
        executor: { memoryGiB: -1, instances: 100000, cores: 1.5 },
        driver: { memoryGiB: 2.25 },
      }),
    ).toEqual([
      '/driver/memoryGiB must be a multiple of 0.5 GiB',
      '/executor/cores must be integer',
      '/executor/memoryGiB must be at least 1 GiB',
      '/executor/instances must be at most 200 executors',
    ]);
  });

  it('refuse job strings that could become YAML or shell', () => {
    expect(
      formMessages(job, {
        job: {
          arguments: ['$(rm -rf /)'],
          mainApplicationFile: 'local:///a.py\nkind: ClusterRole',
        },
      }),
    ).toEqual([
      '/job/mainApplicationFile must be a local:///, s3a:// or https:// path (letters, digits, ".", "_", "=", "-" and "/" only)',
      '/job/arguments/0 may contain only letters, digits and _ . , : = / @ % + - (no spaces, quotes or shell characters)',
    ]);
  });

  it('give every field a title', () => {
    const untitled: string[] = [];
    const walk = (schema: any, at: string) => {
      for (const [key, field] of Object.entries<any>(schema.properties ?? {})) {
        if (!field.title) untitled.push(`${at}${key}`);
        walk(field, `${at}${key}.`);
      }
    };
    for (const template of [
      ...[...presets.values()].map(environmentTemplate),
      jobRepoTemplate(presets.get('batch-spark-operator')!),
    ]) {
      for (const page of (template as any).spec.parameters) walk(page, '');
    }
    expect(untitled).toEqual([]);
  });

  it('name nested fields after their group on the review page', () => {
    expect(
      resources.properties.driver.properties.memoryGiB['ui:backstage'],
    ).toEqual({ review: { name: 'Driver: Memory (GiB)' } });
    expect(
      resources.properties.quota.properties.memoryGiB['ui:backstage'],
    ).toEqual({ review: { name: 'Namespace quota: Memory (GiB)' } });
  });

  it('ask for a repository only when one is to be created', () => {
    expect(formMessages(repository, {})).toEqual([]);
    expect(formMessages(repository, { createRepository: false })).toEqual([]);
    expect(formMessages(repository, { createRepository: true })).toEqual(
      expect.arrayContaining([" must have required property 'repoUrl'"]),
    );
    expect(
      formMessages(repository, {
        createRepository: true,
        repoUrl: 'github.com?owner=team-a&repo=etl',
      }),
    ).toEqual([]);
    const steps = batch.spec.steps.filter((s: any) => s.if);
    expect(steps.map((s: any) => [s.id, s.if])).toEqual([
      ['publish', '${{ parameters.createRepository }}'],
      ['register', '${{ parameters.createRepository }}'],
    ]);
  });
});
