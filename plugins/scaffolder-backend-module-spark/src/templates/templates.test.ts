import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { presets } from '../__testUtils__/presets';
import { environmentTemplate } from './environmentTemplate';
import { jobRepoTemplate } from './jobRepoTemplate';

const TEMPLATES_DIR = path.resolve(__dirname, '../../../../templates');

/** Every generated template file and what it must contain. */
const expected: Array<[string, Record<string, unknown>]> = [
  ...[...presets.values()].map(
    preset =>
      [`${preset.name}/template.yaml`, environmentTemplate(preset)] as [
        string,
        Record<string, unknown>,
      ],
  ),
  [
    'spark-job-repo/template.yaml',
    jobRepoTemplate(presets.get('batch-spark-operator')!),
  ],
];

const location = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: {
    name: 'spark-golden-paths',
    description:
      'The Spark golden-path templates (generated from presets/ by the scaffolder module)',
  },
  spec: { targets: expected.map(([file]) => `./${file}`) },
};

describe('templates/', () => {
  // UPDATE_GENERATED=1 rewrites the templates from the presets and the parameter schema.
  if (process.env.UPDATE_GENERATED === '1') {
    for (const [file, template] of expected) {
      fs.mkdirSync(path.dirname(path.join(TEMPLATES_DIR, file)), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(TEMPLATES_DIR, file),
        `# Generated from presets/ and the parameter schema: UPDATE_GENERATED=1 yarn test templates.test.ts\n${stringify(
          template,
          { lineWidth: 0 },
        )}`,
      );
    }
    fs.writeFileSync(
      path.join(TEMPLATES_DIR, 'catalog-info.yaml'),
      stringify(location),
    );
  }

  it.each(expected)(
    '%s is generated from its preset and the schema',
    (file, template) => {
      expect(
        parse(fs.readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')),
      ).toEqual(template);
    },
  );

  it('registers every template through one Location', () => {
    expect(
      parse(
        fs.readFileSync(path.join(TEMPLATES_DIR, 'catalog-info.yaml'), 'utf8'),
      ),
    ).toEqual(location);
  });

  it('gives the forms the schema patterns and the preset versions', () => {
    const iceberg = environmentTemplate(presets.get('iceberg')!) as any;
    const [environment, , storage] = iceberg.spec.parameters;
    expect(environment.properties.sparkVersion.enum).toEqual([
      '4.1.3',
      '3.5.9',
    ]);
    expect(environment.properties.namespace.pattern).toBe(
      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    );
    expect(environment.properties.owner['ui:field']).toBe('OwnerPicker');
    expect(storage.properties.storage.required).toEqual(['warehouseDir']);
    const gpu = environmentTemplate(presets.get('gpu-rapids')!) as any;
    expect(
      gpu.spec.parameters[1].properties.executor.properties.gpus,
    ).toMatchObject({
      maximum: 8,
      default: 1,
    });
    const job = jobRepoTemplate(presets.get('batch-spark-operator')!) as any;
    expect(job.spec.parameters[0].properties.system['ui:field']).toBe(
      'EntityPicker',
    );
  });
});
