import {
  ApisApi,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  setHeaderMiddleware,
  Watch,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import type { KubernetesClusterDescriptor } from './config';
import { collectionPath, type SparkResource } from './resources';

const USER_AGENT = 'backstage-plugin-spark-backend';

/** Where a pod finds its own service account token when the backend runs in a cluster. */
const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** A failed request to a cluster: the HTTP status when there was an answer, else the network cause. */
export class KubernetesRequestError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'KubernetesRequestError';
  }
}

/** The client config of one cluster; throws when its token or CA cannot be read. */
export function kubeConfigFor(
  cluster: KubernetesClusterDescriptor,
): KubeConfig {
  let token = cluster.serviceAccountToken;
  if (!token) {
    if (!fs.existsSync(IN_CLUSTER_TOKEN)) {
      throw new Error(
        `cluster "${cluster.name}" has no serviceAccountToken and the backend has no in-cluster token at ${IN_CLUSTER_TOKEN}`,
      );
    }
    token = fs.readFileSync(IN_CLUSTER_TOKEN, 'utf8').trim();
  }
  if (cluster.caFile && !fs.existsSync(cluster.caFile)) {
    throw new Error(
      `cluster "${cluster.name}": caFile ${cluster.caFile} does not exist`,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [{ name: 'spark-source', token }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: 'spark-source' },
    ],
    currentContext: cluster.name,
  });
  return kc;
}

function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 300) || undefined;
    }
  }
  if (value && typeof value === 'object' && 'message' in value) {
    const message = (value as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Turns what the client threw into one sentence that says what the cluster answered. */
export function toRequestError(
  error: unknown,
  timeoutMs: number,
): KubernetesRequestError {
  if (error instanceof KubernetesRequestError) return error;
  const e = error as {
    code?: unknown;
    statusCode?: unknown;
    body?: unknown;
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string; name?: string };
  };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return new KubernetesRequestError(`no answer within ${timeoutMs} ms`);
  }
  if (e?.name === 'AbortError') {
    return new KubernetesRequestError('aborted');
  }
  // ApiException carries the HTTP status in `code`, the watch's error in `statusCode`.
  let status: number | undefined;
  if (typeof e?.code === 'number' && e.code >= 100) status = e.code;
  else if (typeof e?.statusCode === 'number') status = e.statusCode;
  if (status !== undefined) {
    const detail = statusMessage(e.body);
    const hint = status === 401 ? ' (the token was rejected)' : '';
    return new KubernetesRequestError(
      `HTTP ${status} ${STATUS_TEXT[status] ?? ''}${hint}${
        detail ? `: ${detail}` : ''
      }`
        .replace(/\s+:/, ':')
        .trim(),
      status,
    );
  }
  const cause = e?.cause;
  if (cause?.code || cause?.message) {
    return new KubernetesRequestError(
      [cause.code, cause.message?.replace(cause.code ?? '', '').trim()]
        .filter(Boolean)
        .join(': '),
    );
  }
  return new KubernetesRequestError(e?.message ?? String(error));
}

export interface ListPage {
  items: Array<Record<string, unknown>>;
  resourceVersion: string;
  continueToken?: string;
}

export type WatchEventType =
  | 'ADDED'
  | 'MODIFIED'
  | 'DELETED'
  | 'BOOKMARK'
  | 'ERROR';

export interface WatchResult {
  /** Why the watch stopped. */
  end: 'deadline' | 'closed' | 'expired';
}

/** Lists and watches the Spark resources of one cluster. */
export class KubernetesClusterClient {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly apis: ApisApi;

  constructor(
    private readonly kc: KubeConfig,
    private readonly requestTimeoutMs: number,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.apis = kc.makeApiClient(ApisApi);
  }

  /** Per-request options: a deadline for the request, and the run's abort. */
  private options(signal: AbortSignal) {
    const requestSignal = AbortSignal.any([
      signal,
      AbortSignal.timeout(this.requestTimeoutMs),
    ]);
    // The client's observable middleware type; the header one supplies the shape.
    const base = setHeaderMiddleware('User-Agent', USER_AGENT);
    return {
      middleware: [
        {
          pre: (context: Parameters<typeof base.pre>[0]) => {
            context.setSignal(requestSignal);
            return base.pre(context);
          },
          post: base.post,
        },
      ],
      middlewareMergeStrategy: 'append' as const,
    };
  }

  private async request<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toRequestError(error, this.requestTimeoutMs);
    }
  }

  /** One page of a list across all namespaces, as plain JSON. */
  async list(
    resource: SparkResource,
    page: { limit: number; continueToken?: string },
    signal: AbortSignal,
  ): Promise<ListPage> {
    const options = this.options(signal);
    if (!resource.group) {
      const list = await this.request(() =>
        this.core.listPodForAllNamespaces(
          {
            labelSelector: resource.labelSelector,
            limit: page.limit,
            _continue: page.continueToken,
          },
          options,
        ),
      );
      return {
        // Typed models hold Dates; their JSON is the API's JSON again.
        items: JSON.parse(JSON.stringify(list.items ?? [])),
        resourceVersion: list.metadata?.resourceVersion ?? '',
        continueToken: list.metadata?._continue || undefined,
      };
    }
    const list = await this.request(() =>
      this.custom.listClusterCustomObject(
        {
          group: resource.group,
          version: resource.version,
          plural: resource.plural,
          labelSelector: resource.labelSelector,
          limit: page.limit,
          _continue: page.continueToken,
        },
        options,
      ),
    );
    const metadata = (list?.metadata ?? {}) as {
      resourceVersion?: string;
      continue?: string;
    };
    return {
      items: Array.isArray(list?.items) ? list.items : [],
      resourceVersion: metadata.resourceVersion ?? '',
      continueToken: metadata.continue || undefined,
    };
  }

  /** The labels of one Node. */
  async nodeLabels(
    name: string,
    signal: AbortSignal,
  ): Promise<Record<string, string>> {
    const node = await this.request(() =>
      this.core.readNode({ name }, this.options(signal)),
    );
    return { ...(node.metadata?.labels ?? {}) };
  }

  /** Versions the cluster serves of an API group; undefined when it serves none. */
  async servedVersions(
    group: string,
    signal: AbortSignal,
  ): Promise<string[] | undefined> {
    const groups = await this.request(() =>
      this.apis.getAPIVersions(undefined, this.options(signal)),
    );
    const found = groups.groups?.find(g => g.name === group);
    return found?.versions?.map(v => v.version);
  }

  /**
   * Watches a resource from a resourceVersion until the deadline, the run's abort, the server
   * closing the stream, or the version expiring (410). Events are handed over in order.
   */
  watch(
    resource: SparkResource,
    resourceVersion: string,
    deadline: number,
    signal: AbortSignal,
    onEvent: (type: WatchEventType, object: Record<string, unknown>) => void,
  ): Promise<WatchResult> {
    const remaining = Math.max(1, deadline - Date.now());
    const watch = new Watch(this.kc);
    return new Promise<WatchResult>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      let expired = false;
      const timer = setTimeout(() => stop(), remaining);
      function finish(outcome: WatchResult | Error) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', stop);
        controller?.abort();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      }
      function stop() {
        finish({ end: 'deadline' });
      }
      signal.addEventListener('abort', stop);

      watch
        .watch(
          collectionPath(resource),
          {
            allowWatchBookmarks: true,
            resourceVersion,
            timeoutSeconds: Math.max(1, Math.ceil(remaining / 1000)),
            labelSelector: resource.labelSelector,
          },
          (type: string, object: Record<string, unknown>) => {
            if (settled) return;
            if (type === 'ERROR') {
              const code = (object as { code?: number }).code;
              if (code === 410) {
                expired = true;
                finish({ end: 'expired' });
              } else {
                finish(
                  toRequestError({ code, body: object }, this.requestTimeoutMs),
                );
              }
              return;
            }
            onEvent(type as WatchEventType, object);
          },
          (error: unknown) => {
            if (settled) return;
            if (!error) {
              finish({ end: expired ? 'expired' : 'closed' });
              return;
            }
            // The client's own inactivity timeout on a quiet watch: connect again.
            if ((error as { name?: string }).name === 'TimeoutError') {
              finish({ end: 'closed' });
              return;
            }
            const failure = toRequestError(error, this.requestTimeoutMs);
            if (failure.status === 410) finish({ end: 'expired' });
            else finish(failure);
          },
        )
        .then(
          c => {
            controller = c;
            if (settled) c.abort();
          },
          error => finish(toRequestError(error, this.requestTimeoutMs)),
        );
    });
  }
}
