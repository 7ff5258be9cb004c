import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import { AttributionIndex } from './attribution';

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.owner',
  'spec.parent',
];

/**
 * Keeps an {@link AttributionIndex} in step with the catalog: each refresh reads Components and
 * Groups, and when what attribution depends on changed, tells the listeners (the store
 * re-attributes every app).
 */
export class CatalogAttribution {
  current: AttributionIndex | undefined;
  /** The Components and Groups of the last refresh (annotations, owners, parents). */
  entities: Entity[] = [];
  private fingerprint = '';
  private readonly listeners: Array<() => Promise<unknown>> = [];

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      namespaces: Record<string, string>;
    },
  ) {}

  onChange(listener: () => Promise<unknown>): void {
    this.listeners.push(listener);
  }

  async refresh(): Promise<void> {
    const { catalog, auth, logger, namespaces } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      { filter: [{ kind: 'Component' }, { kind: 'Group' }], fields: FIELDS },
      { credentials },
    );
    const entities = items as Entity[];
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([namespaces, entities]))
      .digest('hex');
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.entities = entities;
    this.current = new AttributionIndex(entities, namespaces);
    for (const listener of this.listeners) {
      const changed = await listener();
      logger.info(
        `Spark attribution: catalog changed (${
          entities.length
        } components and groups), ${String(changed)} apps re-attributed`,
      );
    }
  }
}
