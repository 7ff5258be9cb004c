import type { Entity } from '@backstage/catalog-model';

/**
 * Components whose Spark apps the portal can find: those with the annotations attribution
 * matches on (see the spark-backend docs).
 *
 * @public
 */
export function isSparkJob(entity: Entity): boolean {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'component') return false;
  const annotations = entity.metadata.annotations ?? {};
  return (
    entity.spec?.type === 'spark-job' ||
    'backstage.io/kubernetes-id' in annotations ||
    'backstage.io/kubernetes-label-selector' in annotations ||
    'spark-k8s.io/spark-app-name' in annotations
  );
}
