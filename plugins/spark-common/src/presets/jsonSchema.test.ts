import { presetJsonSchema, presetParametersJsonSchema } from './jsonSchema';
import { presetSchema } from './preset';
import { resolvePresetParameters } from './parse';

describe('preset JSON Schemas', () => {
  it('carries the zod patterns, bounds and enums into the form schema', () => {
    const schema = presetParametersJsonSchema() as any;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'namespace', 'sparkVersion']);
    expect(new RegExp(schema.properties.name.pattern).test('team-a')).toBe(
      true,
    );
    expect(new RegExp(schema.properties.name.pattern).test('Team_A')).toBe(
      false,
    );
    expect(schema.properties.name.maxLength).toBe(30);
    expect(schema.properties.sparkVersion.enum).toEqual([
      '4.3.0',
      '4.1.3',
      '3.5.9',
    ]);
    expect(schema.properties.executor.properties.cores).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 32,
      default: 1,
    });
    expect(schema.properties.executor.additionalProperties).toBe(false);
  });

  it('carries the zod messages by keyword (ajv-errors) and titles into the form schema', () => {
    const schema = presetParametersJsonSchema() as any;
    expect(schema.properties.namespace.errorMessage).toEqual({
      maxLength: 'must be at most 63 characters (a DNS-1123 label)',
      pattern:
        'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
    });
    expect(schema.properties.executor.properties.memoryGiB).toMatchObject({
      title: 'Memory (GiB)',
      errorMessage: {
        minimum: 'must be at least 1 GiB',
        maximum: 'must be at most 256 GiB',
        multipleOf: 'must be a multiple of 0.5 GiB',
      },
    });
    expect(schema.properties.job.properties.arguments.errorMessage).toEqual({
      maxItems: 'must be at most 50 arguments',
    });
    // A check without a message of its own keeps the validator's wording.
    expect(schema.properties.image.errorMessage).not.toHaveProperty(
      'maxLength',
    );
  });

  it('describes preset files', () => {
    const schema = presetJsonSchema() as any;
    expect(schema.properties.backend.enum).toEqual([
      'kubernetes',
      'standalone',
      'operator',
    ]);
    expect(
      schema.properties.components.items.oneOf ??
        schema.properties.components.items.anyOf,
    ).toHaveLength(14);
  });
});

describe('resolvePresetParameters', () => {
  const preset = presetSchema.parse({
    apiVersion: 'presets.spark-k8s.io/v1',
    name: 'demo',
    title: 'Demo',
    description: 'A demo preset',
    backend: 'operator',
    sparkVersions: ['4.3.0'],
    components: [{ use: 'spark-application' }],
    overrides: { parameters: { executor: { instances: 4 } } },
  });

  it('puts the preset defaults under the user input and fills the rest', () => {
    const result = resolvePresetParameters(preset, {
      name: 'jobs',
      namespace: 'team-a',
      sparkVersion: '4.3.0',
      executor: { cores: 2 },
    });
    expect(result).toMatchObject({
      success: true,
      parameters: {
        executor: { cores: 2, instances: 4, memoryGiB: 2, maxInstances: 10 },
        driver: { cores: 1, memoryGiB: 2 },
      },
    });
  });

  it('names every rejected field', () => {
    expect(
      resolvePresetParameters(preset, {
        name: 'Jobs',
        namespace: 'team-a',
        sparkVersion: '4.3.0',
        driver: { cores: 0, gpu: 1 },
      }),
    ).toEqual({
      success: false,
      issues: [
        expect.objectContaining({ path: 'name' }),
        { path: 'driver.cores', message: 'must be at least 1 core' },
        { path: 'driver.gpu', message: 'is not a known field' },
      ],
    });
  });
});
