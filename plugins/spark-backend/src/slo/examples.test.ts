import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SloCatalog } from './SloCatalog';

const examples = resolve(
  resolvePackagePath('@spark-k8s/plugin-spark-backend'),
  '../../examples',
);

describe('the SLO specs of the demo catalog', () => {
  it('are read from the files the Components name, and are valid', async () => {
    const file = resolve(examples, 'components.yaml');
    const entities = parseAllDocuments(readFileSync(file, 'utf8')).map(d => {
      const entity = d.toJS() as Entity;
      // What the catalog adds to every entity it read from a file.
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        'backstage.io/managed-by-location': `file:${file}`,
      };
      return entity;
    });
    const catalog = new SloCatalog({
      logger: mockServices.logger.mock(),
      entityLabel: 'backstage_io_kubernetes_id',
    });
    await catalog.refresh(entities);
    expect(
      catalog
        .all()
        .map(c => [c.entityRef, c.specs.map(s => s.metadata.name), c.errors]),
    ).toEqual([
      [
        'component:default/settlement-etl',
        [
          'settlement-etl-success',
          'settlement-etl-duration',
          'settlement-etl-deadline',
        ],
        [],
      ],
      [
        'component:default/feature-backfill',
        ['feature-backfill-success', 'feature-backfill-fresh'],
        [],
      ],
    ]);
    expect(catalog.get('component:default/settlement-etl')!.selector).toEqual({
      backstage_io_kubernetes_id: 'settlement-etl',
      namespace: 'payments-data',
    });
  });

  it('says which file is missing', async () => {
    const catalog = new SloCatalog({
      logger: mockServices.logger.mock(),
      entityLabel: 'backstage_io_kubernetes_id',
    });
    await catalog.refresh([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'ghost',
          annotations: {
            'spark-k8s.io/slo': './slo/ghost.yaml',
            'backstage.io/managed-by-location': `file:${resolve(
              examples,
              'components.yaml',
            )}`,
          },
        },
      },
    ]);
    expect(catalog.get('component:default/ghost')!.errors).toEqual([
      expect.stringMatching(/^\.\/slo\/ghost\.yaml: ENOENT/),
    ]);
  });
});
