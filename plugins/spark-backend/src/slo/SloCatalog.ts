import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  SPARK_SLO_ANNOTATION,
  type SparkSloSpec,
  validateSloDocuments,
} from '@spark-k8s/plugin-spark-common';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '../attribution/attribution';

/** The SLOs of one Component, as its spec file says. */
export interface ComponentSlos {
  entityRef: string;
  /** The Component's owner Group. */
  teamRef?: string;
  /** Where the specs came from, for messages. */
  source: string;
  specs: SparkSloSpec[];
  /** Problems of the spec file: unreadable, not YAML, invalid documents. */
  errors: string[];
  /** Label matchers of the operator's metrics for this Component (the kubernetes-id label). */
  selector: Record<string, string>;
}

/** Where a spec file named relative to the entity's own location is. */
export function specLocation(entity: Entity, path: string): string {
  if (/^[a-z]+:\/\//i.test(path)) return path;
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '';
  const [, type, target] = /^([a-z]+):(.*)$/i.exec(location) ?? [];
  if (type === 'file') {
    const base = target.startsWith('file:') ? fileURLToPath(target) : target;
    return `file:${resolve(dirname(base), path)}`;
  }
  if (type === 'url') return new URL(path, target).toString();
  throw new Error(
    `cannot resolve ${path}: the entity has no ${ANNOTATION_LOCATION} annotation to resolve it against`,
  );
}

/**
 * Reads the SLO spec files of Components (annotation `spark-k8s.io/slo`), from the local
 * disk for `file:` locations and through the UrlReader otherwise; bad files are reported per
 * Component and never stop the others.
 */
export class SloCatalog {
  private components = new Map<string, ComponentSlos>();

  constructor(
    private readonly options: {
      reader?: UrlReaderService;
      logger: LoggerService;
      /** Label the operator copies `backstage.io/kubernetes-id` to (`--metrics-labels`). */
      entityLabel: string;
    },
  ) {}

  private async read(location: string): Promise<string> {
    if (location.startsWith('file:')) {
      return readFile(location.slice('file:'.length), 'utf8');
    }
    if (!this.options.reader) throw new Error(`no URL reader for ${location}`);
    const response = await this.options.reader.readUrl(location);
    return (await response.buffer()).toString('utf8');
  }

  async refresh(entities: Entity[]): Promise<void> {
    const next = new Map<string, ComponentSlos>();
    for (const entity of entities) {
      const path = entity.metadata.annotations?.[SPARK_SLO_ANNOTATION];
      if (entity.kind.toLowerCase() !== 'component' || !path) continue;
      const entityRef = stringifyEntityRef(entity);
      const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
      const annotations = entity.metadata.annotations ?? {};
      const entry: ComponentSlos = {
        entityRef,
        teamRef:
          typeof owner === 'string' && owner
            ? stringifyEntityRef(
                parseEntityRef(owner, {
                  defaultKind: 'group',
                  defaultNamespace: entity.metadata.namespace ?? 'default',
                }),
              )
            : undefined,
        source: path,
        specs: [],
        errors: [],
        selector: {
          [this.options.entityLabel]:
            annotations[KUBERNETES_ID_ANNOTATION] ?? entity.metadata.name,
          ...(annotations[KUBERNETES_NAMESPACE_ANNOTATION]
            ? { namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION] }
            : {}),
        },
      };
      try {
        const text = await this.read(specLocation(entity, path));
        const documents = parseAllDocuments(text);
        const broken = documents.flatMap(d => d.errors);
        if (broken.length) {
          entry.errors.push(`${path}: not YAML: ${broken[0].message}`);
        } else {
          const { specs, errors } = validateSloDocuments(
            documents.map(d => d.toJS()),
            path,
          );
          entry.specs = specs;
          entry.errors = errors;
        }
      } catch (error) {
        entry.errors.push(`${path}: ${(error as Error).message}`);
      }
      for (const message of entry.errors) {
        this.options.logger.warn(`SLO spec of ${entityRef}: ${message}`);
      }
      next.set(entityRef.toLowerCase(), entry);
    }
    this.components = next;
  }

  get(entityRef: string): ComponentSlos | undefined {
    return this.components.get(entityRef.toLowerCase());
  }

  all(): ComponentSlos[] {
    return [...this.components.values()];
  }
}
