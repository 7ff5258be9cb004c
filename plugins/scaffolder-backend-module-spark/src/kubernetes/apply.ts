import {
  ApiException,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import type { RenderedObject } from '../render/objects';

/**
 * Outcome of one object in an apply run.
 *
 * @public
 */
export type ApplyOutcome =
  /** Created (or would be created, in a dry-run). */
  | 'created'
  /** Existed and changed (or would change). */
  | 'configured'
  /** Existed and applying it changed nothing. */
  | 'unchanged'
  /** Not sent: its namespace does not exist yet and only a dry-run was asked for. */
  | 'pending-namespace'
  /** The API server refused it. */
  | 'failed';

/**
 * What happened to one object.
 *
 * @public
 */
export interface ApplyResult {
  /** `Deployment team-a/team-a-connect`. */
  object: string;
  /** What the API server did with it. */
  outcome: ApplyOutcome;
  /** The API server's message when it failed, or why the object was not sent. */
  message?: string;
  /** HTTP status of a failure. */
  status?: number;
  /** Warnings the API server returned (Pod Security warnings of workloads, deprecations). */
  warnings: string[];
}

/** The field manager of every apply, so re-runs own (and may change) the same fields. */
export const FIELD_MANAGER = 'backstage-spark-presets';

function ref(o: RenderedObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
    o.metadata.name
  }`;
}

function failureMessage(error: unknown): { message: string; status?: number } {
  if (error instanceof ApiException) {
    let body: unknown = error.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // plain-text body
      }
    }
    const message =
      body && typeof body === 'object' && 'message' in body
        ? String((body as { message: unknown }).message)
        : String(error.body ?? error.message);
    return { message, status: error.code };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Whether a failure says the API server has no such kind (its CRD is not installed). */
function notServed(message: string): boolean {
  return /^Unrecognized API version and kind|could not find the requested resource|404 page not found/.test(
    message,
  );
}

/** A failure's message, explaining a kind the cluster does not serve. */
function explain(object: RenderedObject, message: string): string {
  if (!notServed(message)) return message;
  const operator = object.apiVersion.startsWith('sparkoperator.k8s.io/')
    ? ' (the kubeflow spark-operator)'
    : '';
  return `the cluster does not serve ${object.apiVersion} ${object.kind}; install its CRDs${operator}`;
}

/** The client's middleware chain takes anything with toPromise() (its own tiny Observable). */
const resolved = <T>(value: T) => ({ toPromise: () => Promise.resolve(value) });

/**
 * The object API with strict field validation on writes (an unknown or misspelt field is an
 * error, not silently pruned) and the API server's warnings collected per request.
 */
class StrictObjectApi {
  /** Warnings of the request in flight; requests are sent one at a time. */
  warnings: string[] = [];
  readonly api: KubernetesObjectApi;

  constructor(kc: KubeConfig) {
    this.api = KubernetesObjectApi.makeApiClient(kc);
    const configuration = (
      this.api as unknown as {
        configuration: { middleware: unknown[] };
      }
    ).configuration;
    configuration.middleware = [
      ...configuration.middleware,
      {
        pre: (request: RequestContext) => {
          if (request.getHttpMethod() === 'PATCH') {
            request.setQueryParam('fieldValidation', 'Strict');
          }
          return resolved(request);
        },
        post: (response: ResponseContext) => {
          const header = response.headers.warning;
          if (header) {
            // `299 - "message"`, comma-separated when there are several.
            for (const match of String(header).matchAll(
              /299 - "((?:[^"\\]|\\.)*)"/g,
            )) {
              this.warnings.push(match[1].replace(/\\"/g, '"'));
            }
          }
          return resolved(response);
        },
      },
    ];
  }
}

/**
 * Server-side applies objects in order (namespace first). A dry-run is the API server's own
 * (`dryRun=All`): admission, Pod Security and CRD schemas run, nothing is stored. Re-running is
 * idempotent: unchanged objects come back `unchanged`.
 *
 * @public
 */
export async function applyObjects(
  kc: KubeConfig,
  objects: RenderedObject[],
  options: { dryRun: boolean },
): Promise<ApplyResult[]> {
  const client = new StrictObjectApi(kc);
  const api = client.api;
  const results: ApplyResult[] = [];
  const missingNamespaces = new Set<string>();
  for (const object of objects) {
    const warnings: string[] = [];
    client.warnings = warnings;
    const namespace = object.metadata.namespace;
    if (options.dryRun && namespace && missingNamespaces.has(namespace)) {
      results.push({
        object: ref(object),
        outcome: 'pending-namespace',
        message: `namespace ${namespace} does not exist yet; it is created by the real run, and this object is checked then`,
        warnings,
      });
      continue;
    }
    let existing: { metadata?: { resourceVersion?: string } } | undefined;
    try {
      existing = await api.read({
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name: object.metadata.name, namespace },
      });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 404)) {
        const { message, status } = failureMessage(error);
        results.push({
          object: ref(object),
          outcome: 'failed',
          message: explain(object, message),
          status,
          warnings,
        });
        continue;
      }
    }
    try {
      const applied = await api.patch(
        object,
        undefined,
        options.dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      let outcome: ApplyOutcome = 'created';
      if (existing) {
        outcome =
          applied.metadata?.resourceVersion ===
          existing.metadata?.resourceVersion
            ? 'unchanged'
            : 'configured';
      }
      results.push({ object: ref(object), outcome, warnings });
    } catch (error) {
      const { message, status } = failureMessage(error);
      results.push({
        object: ref(object),
        outcome: 'failed',
        message: explain(object, message),
        status,
        warnings,
      });
    }
    if (options.dryRun && object.kind === 'Namespace' && !existing) {
      missingNamespaces.add(object.metadata.name);
    }
  }
  return results;
}
