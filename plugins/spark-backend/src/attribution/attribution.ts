import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { SparkAppAttribution } from '@spark-k8s/plugin-spark-common';

/** The Backstage Kubernetes plugin's annotations, reused so one annotation serves both. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/** The suite's own annotation, for apps that carry no labels (event logs of non-Kubernetes runs): the `spark.app.name`. */
export const SPARK_APP_NAME_ANNOTATION = 'spark-k8s.io/spark-app-name';

const DRIVER_LABEL_PREFIX = 'spark.kubernetes.driver.label.';

interface ComponentMatcher {
  ref: string;
  owner?: string;
  kubernetesId?: string;
  namespace?: string;
  selector?: Array<[string, string]>;
  sparkAppName?: string;
}

/** Labels of an app, whether they came from a pod or from the driver-label keys of its Spark conf. */
export function normaliseLabels(
  labels: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = { ...labels };
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(DRIVER_LABEL_PREFIX)) {
      out[key.slice(DRIVER_LABEL_PREFIX.length)] ??= value;
    }
  }
  return out;
}

function parseSelector(selector: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const part of selector.split(',')) {
    const match = /^\s*([^=!\s]+)\s*==?\s*([^\s]*)\s*$/.exec(part);
    // Set-based selectors (in, notin, !=) are not equality matches: skip the component.
    if (!match) return undefined;
    pairs.push([match[1], match[2]]);
  }
  return pairs.length ? pairs : undefined;
}

/**
 * Matches Spark apps to catalog Components and their owning teams. Built from a catalog
 * snapshot; pure lookups afterwards.
 */
export class AttributionIndex {
  private readonly components: ComponentMatcher[];
  private readonly parents = new Map<string, string[]>();

  constructor(
    entities: Entity[],
    private readonly namespaceTeams: Record<string, string> = {},
  ) {
    this.components = [];
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      if (entity.kind.toLowerCase() === 'group') {
        const parent = (entity.spec as { parent?: unknown } | undefined)
          ?.parent;
        if (typeof parent === 'string' && parent) {
          this.parents.set(ref, [
            stringifyEntityRef(
              parseEntityRef(parent, {
                defaultKind: 'group',
                defaultNamespace: entity.metadata.namespace ?? 'default',
              }),
            ),
          ]);
        }
        continue;
      }
      if (entity.kind.toLowerCase() !== 'component') continue;
      const annotations = entity.metadata.annotations ?? {};
      const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
      const matcher: ComponentMatcher = {
        ref,
        owner:
          typeof owner === 'string' && owner
            ? stringifyEntityRef(
                parseEntityRef(owner, {
                  defaultKind: 'group',
                  defaultNamespace: entity.metadata.namespace ?? 'default',
                }),
              )
            : undefined,
        kubernetesId: annotations[KUBERNETES_ID_ANNOTATION],
        namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION],
        selector: annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]
          ? parseSelector(annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION])
          : undefined,
        sparkAppName: annotations[SPARK_APP_NAME_ANNOTATION],
      };
      if (matcher.kubernetesId || matcher.selector || matcher.sparkAppName) {
        this.components.push(matcher);
      }
    }
    this.components.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  /** The owning group and its parents, nearest first; cycles end the walk. */
  teamChain(teamRef: string): string[] {
    const chain = [teamRef];
    let current = teamRef;
    while (chain.length < 32) {
      const parent = this.parents.get(current)?.[0];
      if (!parent || chain.includes(parent)) break;
      chain.push(parent);
      current = parent;
    }
    return chain;
  }

  private withTeam(
    entityRef: string | undefined,
    teamRef: string | undefined,
    matchedBy: SparkAppAttribution['matchedBy'],
  ): SparkAppAttribution {
    return {
      entityRef,
      teamRef,
      teamRefs: teamRef ? this.teamChain(teamRef) : [],
      matchedBy,
    };
  }

  /** Attribution of an app from its labels and namespace. */
  attribute(
    rawLabels: Record<string, string>,
    namespace: string | undefined,
  ): SparkAppAttribution {
    const labels = normaliseLabels(rawLabels);
    const ns = namespace ?? labels['spark.kubernetes.namespace'];
    const inNamespace = (c: ComponentMatcher) =>
      !c.namespace || !ns || c.namespace === ns;

    const id = labels[KUBERNETES_ID_ANNOTATION];
    const byId = id
      ? this.components.find(c => c.kubernetesId === id && inNamespace(c))
      : undefined;
    if (byId) return this.withTeam(byId.ref, byId.owner, 'annotation');

    const bySelector = this.components.find(
      c =>
        c.selector &&
        inNamespace(c) &&
        c.selector.every(([key, value]) => labels[key] === value),
    );
    if (bySelector) {
      return this.withTeam(bySelector.ref, bySelector.owner, 'label-selector');
    }

    const appName = labels['spark.app.name'];
    const byName = appName
      ? this.components.find(c => c.sparkAppName === appName && inNamespace(c))
      : undefined;
    if (byName) return this.withTeam(byName.ref, byName.owner, 'annotation');

    const nsTeam = ns ? this.namespaceTeams[ns] : undefined;
    if (nsTeam) {
      return this.withTeam(
        undefined,
        stringifyEntityRef(parseEntityRef(nsTeam, { defaultKind: 'group' })),
        'namespace-mapping',
      );
    }
    return this.withTeam(undefined, undefined, 'none');
  }
}
