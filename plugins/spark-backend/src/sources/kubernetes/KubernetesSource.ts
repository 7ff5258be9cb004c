import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { SparkKubernetesObject } from '@spark-k8s/plugin-spark-common';
import type {
  SparkAppSource,
  SparkIngestStore,
  SparkSourceProblem,
  SparkSourceRunContext,
} from '@spark-k8s/plugin-spark-node';
import {
  KubernetesClusterClient,
  KubernetesRequestError,
  kubeConfigFor,
} from './client';
import type { KubernetesClusterDescriptor } from './config';
import {
  objectKey,
  type SparkAppContribution,
  toAppContribution,
  toAppReport,
  toSparkKubernetesObject,
} from './mapping';
import { NodeLabelCache } from './nodes';
import { SPARK_RESOURCES, type SparkResource } from './resources';

/**
 * Options of the source of one cluster.
 *
 * @public
 */
export interface KubernetesSourceOptions {
  cluster: KubernetesClusterDescriptor;
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** How long one run watches after listing or resuming; default 20 s. */
  watchMs?: number;
  /** Objects per list page (`limit`); default 500. */
  pageSize?: number;
  /** Deadline of one list or discovery request, and of connecting a watch; default 10 s. */
  requestTimeoutMs?: number;
  /** Resources to ingest; default all of {@link SPARK_RESOURCES}. */
  resources?: readonly SparkResource[];
  /**
   * Labels of a pod's Node kept with the pod (cost prices node pools and spot capacity by
   * them); default the pool, capacity-type, instance-type and topology labels of Karpenter,
   * GKE, EKS and AKS. An empty list reads no Nodes.
   */
  nodeLabelKeys?: readonly string[];
}

/**
 * What one run did with one resource, for logs and tests.
 *
 * @public
 */
export interface KubernetesResourceRun {
  /** `list`: started from a full list; `resume`: watched from the stored resourceVersion. */
  mode: 'list' | 'resume';
  /** Full lists this run (a resumed watch whose version expired lists again). */
  lists: number;
  pages: number;
  listed: number;
  events: number;
  /** Stored objects removed because a list no longer had them. */
  reconciled: number;
  /** The resourceVersion stored at the end of the run. */
  resourceVersion?: string;
  warning?: string;
  error?: string;
}

/**
 * One run of a Kubernetes source.
 *
 * @public
 */
export interface KubernetesSourceRun {
  startedAt: string;
  finishedAt: string;
  resources: Record<string, KubernetesResourceRun>;
}

export const DEFAULT_KUBERNETES_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 30 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 5 },
  };

const RV_PREFIX = 'rv:';
const APP_PREFIX = 'app:';
const CHECKPOINT_EVERY_MS = 5_000;

interface ResourceVersionCheckpoint {
  resourceVersion: string;
}

/** The contributions of every object of one app, stored as the source's checkpoint for the app. */
interface AppCheckpoint {
  contributions: Record<string, SparkAppContribution>;
}

/** A problem of one resource that is not the cluster's fault: a missing CRD or API version. */
class ResourceMissing extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

function resourceVersionOf(
  object: Record<string, unknown>,
): string | undefined {
  const metadata = object.metadata as { resourceVersion?: unknown } | undefined;
  return typeof metadata?.resourceVersion === 'string'
    ? metadata.resourceVersion
    : undefined;
}

/**
 * Writes one run's objects and app reports. Calls are serialised: the reports of an app are
 * rebuilt from its stored contributions, which must not be read and written by two events at once.
 */
class ClusterIngest {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly apps = new Map<string, AppCheckpoint | null>();

  constructor(
    private readonly store: SparkIngestStore,
    private readonly sourceId: string,
    private readonly cluster: string,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  upsert(objects: SparkKubernetesObject[]): Promise<void> {
    return this.serial(async () => {
      if (!objects.length) return;
      await this.store.upsertKubernetesObjects(objects);
      await this.contribute(
        objects.flatMap(object => {
          const c = toAppContribution(object);
          return c ? [{ appId: object.appId!, contribution: c }] : [];
        }),
      );
    });
  }

  remove(objects: SparkKubernetesObject[]): Promise<void> {
    return this.serial(async () => {
      for (const object of objects) {
        await this.store.deleteKubernetesObject({
          cluster: this.cluster,
          kind: object.kind,
          namespace: object.namespace,
          name: object.name,
        });
      }
      await this.contribute(
        objects.flatMap(object => {
          const c = toAppContribution(object);
          return c
            ? [{ appId: object.appId!, contribution: { ...c, deleted: true } }]
            : [];
        }),
      );
    });
  }

  /** Removes objects a list no longer has; their contributions are found by scanning app checkpoints. */
  removeKeys(
    resource: SparkResource,
    keys: Array<{ namespace: string; name: string }>,
  ): Promise<void> {
    return this.serial(async () => {
      const gone = new Set<string>();
      for (const key of keys) {
        await this.store.deleteKubernetesObject({
          cluster: this.cluster,
          kind: resource.storeKind,
          ...key,
        });
        gone.add(objectKey({ kind: resource.storeKind, ...key }));
      }
      const changes: Array<{
        appId: string;
        contribution: SparkAppContribution;
      }> = [];
      for (const checkpointKey of await this.store.listCheckpointKeys(
        this.sourceId,
      )) {
        if (!checkpointKey.startsWith(APP_PREFIX)) continue;
        const appId = checkpointKey.slice(APP_PREFIX.length);
        const app = await this.loadApp(appId);
        for (const contribution of Object.values(app?.contributions ?? {})) {
          if (gone.has(contribution.key) && !contribution.deleted) {
            changes.push({
              appId,
              contribution: { ...contribution, deleted: true },
            });
          }
        }
      }
      await this.contribute(changes);
    });
  }

  private async loadApp(appId: string): Promise<AppCheckpoint | null> {
    if (!this.apps.has(appId)) {
      this.apps.set(
        appId,
        (await this.store.getCheckpoint<AppCheckpoint>(
          this.sourceId,
          APP_PREFIX + appId,
        )) ?? null,
      );
    }
    return this.apps.get(appId) ?? null;
  }

  /** Merges contributions into their apps' checkpoints and writes each changed app's report once. */
  private async contribute(
    changes: Array<{ appId: string; contribution: SparkAppContribution }>,
  ): Promise<void> {
    const byApp = new Map<string, SparkAppContribution[]>();
    for (const { appId, contribution } of changes) {
      byApp.set(appId, [...(byApp.get(appId) ?? []), contribution]);
    }
    for (const [appId, contributions] of byApp) {
      const previous = await this.loadApp(appId);
      const app: AppCheckpoint = {
        contributions: { ...(previous?.contributions ?? {}) },
      };
      let changed = !previous;
      for (const c of contributions) {
        const before = app.contributions[c.key];
        // A clean executor that is gone adds nothing; dropping it keeps the checkpoint small.
        if (c.deleted && c.role === 'executor' && !c.failures?.length) {
          if (before) {
            delete app.contributions[c.key];
            changed = true;
          }
          continue;
        }
        if (JSON.stringify(before) !== JSON.stringify(c)) {
          app.contributions[c.key] = c;
          changed = true;
        }
      }
      if (!changed) continue;
      const all = Object.values(app.contributions);
      const key = APP_PREFIX + appId;
      if (!all.length) {
        await this.store.deleteCheckpoint(this.sourceId, key);
        this.apps.set(appId, null);
        continue;
      }
      const report = toAppReport(this.cluster, appId, all);
      if (all.every(c => c.deleted)) {
        // Nothing of the app is left in the cluster: its last report stays, the checkpoint goes.
        await this.store.reportApp(this.sourceId, report);
        await this.store.deleteCheckpoint(this.sourceId, key);
        this.apps.set(appId, null);
      } else {
        await this.store.reportAppWithCheckpoint(this.sourceId, report, {
          key,
          value: app,
        });
        this.apps.set(appId, app);
      }
    }
  }

  /** Resolves when every write queued so far is done. */
  idle(): Promise<void> {
    return this.serial(async () => undefined);
  }
}

/**
 * Ingests the Spark objects of one Kubernetes cluster: SparkApplications and
 * ScheduledSparkApplications of the kubeflow operator, SparkApplications and SparkClusters of the
 * Apache operator, and Spark driver/executor pods. Each run lists (paginated) or resumes from the
 * stored resourceVersion, then watches for a bounded time; a resourceVersion that expired (410)
 * leads to a new list that also removes objects that disappeared.
 *
 * @public
 */
export class KubernetesSource implements SparkAppSource {
  readonly id: string;
  readonly kind = 'kubernetes' as const;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  /** What the last run did, per resource. */
  lastRun?: KubernetesSourceRun;

  private readonly watchMs: number;
  private readonly pageSize: number;
  private readonly requestTimeoutMs: number;
  private readonly resources: readonly SparkResource[];
  private readonly nodes?: NodeLabelCache;

  constructor(private readonly options: KubernetesSourceOptions) {
    this.id = `kubernetes:${options.cluster.name}`;
    this.schedule = options.schedule ?? DEFAULT_KUBERNETES_SCHEDULE;
    this.watchMs = options.watchMs ?? 20_000;
    this.pageSize = options.pageSize ?? 500;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.resources = options.resources ?? SPARK_RESOURCES;
    if (options.nodeLabelKeys?.length !== 0) {
      this.nodes = new NodeLabelCache(this.id, options.nodeLabelKeys);
    }
  }

  get cluster(): KubernetesClusterDescriptor {
    return this.options.cluster;
  }

  async run({ store, logger, signal }: SparkSourceRunContext): Promise<void> {
    const startedAt = new Date().toISOString();
    const cluster = this.options.cluster;
    const where = `cluster "${cluster.name}" (${cluster.url})`;
    let client: KubernetesClusterClient;
    try {
      client = new KubernetesClusterClient(
        kubeConfigFor(cluster),
        this.requestTimeoutMs,
      );
    } catch (error) {
      const message = (error as Error).message;
      logger.warn(`${this.id}: ${message}`);
      await store.reportSourceRun(this.id, {
        kind: 'kubernetes',
        error: message,
      });
      return;
    }

    const ingest = new ClusterIngest(store, this.id, cluster.name);
    await this.nodes?.begin(store);
    const deadline = Date.now() + this.watchMs;
    const resources: Record<string, KubernetesResourceRun> = {};
    const failures: Array<{ resource: string; verb: string; message: string }> =
      [];
    const warnings: SparkSourceProblem[] = [];

    await Promise.all(
      this.resources.map(async resource => {
        const stats: KubernetesResourceRun = {
          mode: 'list',
          lists: 0,
          pages: 0,
          listed: 0,
          events: 0,
          reconciled: 0,
        };
        resources[resource.key] = stats;
        try {
          await this.sync(
            resource,
            client,
            ingest,
            store,
            deadline,
            signal,
            stats,
          );
        } catch (error) {
          if (error instanceof ResourceMissing) {
            stats.warning = error.message;
            warnings.push({ item: resource.key, message: error.message });
            logger.warn(`${this.id}: ${resource.key}: ${error.message}`);
            return;
          }
          if (signal.aborted) return;
          const { verb, cause } = error as { verb?: string; cause?: unknown };
          const message =
            cause instanceof Error ? cause.message : (error as Error).message;
          stats.error = message;
          failures.push({
            resource: resource.key,
            verb: verb ?? 'ingest',
            message,
          });
        }
      }),
    );
    await ingest.idle();
    if (this.nodes) {
      warnings.push(...this.nodes.warnings());
      for (const w of this.nodes.warnings()) {
        logger.warn(`${this.id}: ${w.item}: ${w.message}`);
      }
      await this.nodes.save(store);
    }

    this.lastRun = {
      startedAt,
      finishedAt: new Date().toISOString(),
      resources,
    };
    // One sentence per distinct cause, naming the cluster and every resource it hit.
    const byCause = new Map<string, string[]>();
    const order = (key: string) => this.resources.findIndex(r => r.key === key);
    failures.sort((a, b) => order(a.resource) - order(b.resource));
    for (const f of failures) {
      const key = `${f.verb}\u0000${f.message}`;
      byCause.set(key, [...(byCause.get(key) ?? []), f.resource]);
    }
    const error = byCause.size
      ? `${where}: ${[...byCause.entries()]
          .map(([key, keys]) => {
            const [verb, message] = key.split('\u0000');
            return `cannot ${verb} ${keys.join(', ')}: ${message}`;
          })
          .join('; ')}`
      : undefined;
    if (error) logger.error(`${this.id}: ${error}`);
    const summary = Object.entries(resources)
      .map(
        ([key, r]) =>
          `${key} ${r.mode}${
            r.lists ? ` lists=${r.lists} listed=${r.listed}` : ''
          } events=${r.events}`,
      )
      .join(', ');
    logger.debug(`${this.id}: ${summary}`);
    await store.reportSourceRun(this.id, {
      kind: 'kubernetes',
      error,
      warnings,
    });
  }

  /** Lists or resumes one resource, then watches it until the deadline. */
  private async sync(
    resource: SparkResource,
    client: KubernetesClusterClient,
    ingest: ClusterIngest,
    store: SparkIngestStore,
    deadline: number,
    signal: AbortSignal,
    stats: KubernetesResourceRun,
  ): Promise<void> {
    const checkpointKey = RV_PREFIX + resource.key;
    const stored = await store.getCheckpoint<ResourceVersionCheckpoint>(
      this.id,
      checkpointKey,
    );
    let resourceVersion = stored?.resourceVersion;
    stats.mode = resourceVersion ? 'resume' : 'list';
    let saved = resourceVersion;
    const save = async (version: string) => {
      if (version === saved) return;
      await store.putCheckpoint(this.id, checkpointKey, {
        resourceVersion: version,
      } satisfies ResourceVersionCheckpoint);
      saved = version;
      stats.resourceVersion = version;
    };
    stats.resourceVersion = resourceVersion;

    for (;;) {
      if (!resourceVersion) {
        try {
          resourceVersion = await this.relist(
            resource,
            client,
            ingest,
            store,
            signal,
            stats,
          );
        } catch (error) {
          if ((error as { status?: number }).status === 404) {
            await store.deleteCheckpoint(this.id, checkpointKey);
            throw new ResourceMissing(
              await this.explainMissing(resource, client, signal),
            );
          }
          throw Object.assign(new Error('list failed'), {
            verb: 'list',
            cause: error,
          });
        }
        await save(resourceVersion);
      }
      if (Date.now() >= deadline || signal.aborted) return;
      let outcome: 'done' | 'expired';
      try {
        outcome = await this.watch(
          resource,
          resourceVersion,
          client,
          ingest,
          deadline,
          signal,
          stats,
          save,
        );
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404) {
          await store.deleteCheckpoint(this.id, checkpointKey);
          throw new ResourceMissing(
            await this.explainMissing(resource, client, signal),
          );
        }
        let cause = error;
        if (status === 401 || status === 403) {
          // A refused watch comes without the server's reason; a list of one says why.
          const refusal = await client
            .list(resource, { limit: 1 }, signal)
            .then(
              () => undefined,
              (e: unknown) => e,
            );
          if ((refusal as { status?: number } | undefined)?.status === status)
            cause = refusal;
        }
        throw Object.assign(new Error('watch failed'), {
          verb: 'watch',
          cause,
        });
      }
      if (outcome === 'done') return;
      // The stored version is older than the server keeps: list again and reconcile.
      resourceVersion = undefined;
    }
  }

  /** A full paginated list: upserts every object, removes stored objects the list no longer has. */
  private async relist(
    resource: SparkResource,
    client: KubernetesClusterClient,
    ingest: ClusterIngest,
    store: SparkIngestStore,
    signal: AbortSignal,
    stats: KubernetesResourceRun,
  ): Promise<string> {
    stats.lists += 1;
    for (let attempt = 0; ; attempt++) {
      const listed = new Set<string>();
      let continueToken: string | undefined;
      let resourceVersion = '';
      try {
        do {
          const page = await client.list(
            resource,
            { limit: this.pageSize, continueToken },
            signal,
          );
          stats.pages += 1;
          // Every page of a paginated list is of the first page's snapshot.
          resourceVersion ||= page.resourceVersion;
          const objects = page.items
            .map(item =>
              toSparkKubernetesObject(
                this.options.cluster.name,
                item,
                resource,
              ),
            )
            .filter((o): o is SparkKubernetesObject => o !== undefined);
          await this.withNodeLabels(objects, client, signal);
          for (const object of objects)
            listed.add(`${object.namespace}/${object.name}`);
          stats.listed += objects.length;
          await ingest.upsert(objects);
          continueToken = page.continueToken;
        } while (continueToken && !signal.aborted);
      } catch (error) {
        // A continue token expires after a few minutes: start the list over, once.
        if ((error as { status?: number }).status === 410 && attempt === 0)
          continue;
        throw error;
      }
      if (signal.aborted) throw new KubernetesRequestError('aborted');
      const gone = (
        await store.listKubernetesObjectKeys(
          this.options.cluster.name,
          resource.storeKind,
        )
      ).filter(key => !listed.has(`${key.namespace}/${key.name}`));
      if (gone.length) {
        await ingest.removeKeys(resource, gone);
        stats.reconciled += gone.length;
      }
      return resourceVersion;
    }
  }

  /**
   * Watches from a version until the deadline; 'expired' when the server no longer has it.
   * Events are applied in order, in batches; the version is stored once its events are.
   */
  private async watch(
    resource: SparkResource,
    from: string,
    client: KubernetesClusterClient,
    ingest: ClusterIngest,
    deadline: number,
    signal: AbortSignal,
    stats: KubernetesResourceRun,
    save: (version: string) => Promise<void>,
  ): Promise<'done' | 'expired'> {
    const cluster = this.options.cluster.name;
    let received = from;
    let pending: Array<{ type: string; object: Record<string, unknown> }> = [];
    let draining: Promise<void> | undefined;
    let failure: unknown;
    let lastSave = Date.now();

    const applyBatch = async (
      batch: Array<{ type: string; object: Record<string, unknown> }>,
    ) => {
      const upserts: SparkKubernetesObject[] = [];
      const deletes: SparkKubernetesObject[] = [];
      const flush = async () => {
        if (upserts.length) await ingest.upsert(upserts.splice(0));
        if (deletes.length) await ingest.remove(deletes.splice(0));
      };
      let version: string | undefined;
      for (const { type, object } of batch) {
        version = resourceVersionOf(object) ?? version;
        if (type === 'BOOKMARK') continue;
        const record = toSparkKubernetesObject(cluster, object, resource);
        if (!record) continue;
        await this.withNodeLabels([record], client, signal);
        stats.events += 1;
        // Keep order between an object's upsert and its deletion.
        if (type === 'DELETED') {
          if (upserts.length) await flush();
          deletes.push(record);
        } else {
          if (deletes.length) await flush();
          upserts.push(record);
        }
      }
      await flush();
      if (version && Date.now() - lastSave >= CHECKPOINT_EVERY_MS) {
        await save(version);
        lastSave = Date.now();
      }
      return version;
    };
    let applied = from;
    const drain = () => {
      if (draining) return;
      draining = (async () => {
        while (pending.length && failure === undefined) {
          const batch = pending;
          pending = [];
          try {
            applied = (await applyBatch(batch)) ?? applied;
          } catch (error) {
            failure = error;
          }
        }
        draining = undefined;
      })();
    };
    const settle = async () => {
      while (draining) await draining;
      if (failure !== undefined) throw failure;
      await save(applied);
    };

    const onEvent = (type: string, object: Record<string, unknown>) => {
      received = resourceVersionOf(object) ?? received;
      pending.push({ type, object });
      drain();
    };
    while (Date.now() < deadline && !signal.aborted) {
      let end: 'deadline' | 'closed' | 'expired';
      try {
        ({ end } = await client.watch(
          resource,
          received,
          deadline,
          signal,
          onEvent,
        ));
      } catch (error) {
        // The watch cache of a just-installed CRD answers 429 until it is ready; a 5xx may pass.
        const status = (error as { status?: number }).status ?? 0;
        if ((status === 429 || status >= 500) && Date.now() + 500 < deadline) {
          await sleep(500, signal);
          continue;
        }
        await settle().catch(() => undefined);
        throw error;
      }
      if (end === 'expired') {
        await settle();
        return 'expired';
      }
      if (end === 'closed') await sleep(200, signal);
    }
    await settle();
    return 'done';
  }

  /** Adds the kept labels of each pod's Node to its details (`nodeLabels`). */
  private async withNodeLabels(
    objects: SparkKubernetesObject[],
    client: KubernetesClusterClient,
    signal: AbortSignal,
  ): Promise<void> {
    if (!this.nodes) return;
    for (const object of objects) {
      const nodeName = object.details.nodeName;
      if (object.kind !== 'Pod' || typeof nodeName !== 'string' || !nodeName) {
        continue;
      }
      const labels = await this.nodes.labelsOf(nodeName, client, signal);
      if (labels && Object.keys(labels).length) {
        object.details = { ...object.details, nodeLabels: labels };
      }
    }
  }

  /** Why listing a resource answered 404: no such API group, another version, or no such CRD. */
  private async explainMissing(
    resource: SparkResource,
    client: KubernetesClusterClient,
    signal: AbortSignal,
  ): Promise<string> {
    const what = `${resource.kind} (${resource.group}/${resource.version})`;
    let versions: string[] | undefined;
    try {
      versions = await client.servedVersions(resource.group, signal);
    } catch {
      return `${what} is not served by the cluster (HTTP 404); is its CRD installed?`;
    }
    if (!versions?.length) {
      return `${what} is not served: the cluster has no API group ${resource.group} (the operator's CRDs are not installed)`;
    }
    if (!versions.includes(resource.version)) {
      return `${what} is not served: the cluster serves ${
        resource.group
      } only in version(s) ${versions.join(
        ', ',
      )}, which the Spark source does not read; ${
        resource.kind
      } objects are not ingested`;
    }
    return `${what} is not served: the cluster serves ${resource.group}/${resource.version} but has no ${resource.plural} (its CRD is not installed)`;
  }
}

/**
 * Stands for a configured cluster the source cannot read (unsupported auth): every run reports why.
 *
 * @public
 */
export class UnusableKubernetesSource implements SparkAppSource {
  readonly id: string;
  readonly kind = 'kubernetes' as const;

  constructor(
    cluster: string,
    private readonly reason: string,
    readonly schedule: SchedulerServiceTaskScheduleDefinition = DEFAULT_KUBERNETES_SCHEDULE,
  ) {
    this.id = `kubernetes:${cluster}`;
  }

  private warned = false;

  async run({ store, logger }: SparkSourceRunContext): Promise<void> {
    if (!this.warned) logger.warn(`${this.id}: ${this.reason}`);
    this.warned = true;
    await store.reportSourceRun(this.id, {
      kind: 'kubernetes',
      error: this.reason,
    });
  }
}
