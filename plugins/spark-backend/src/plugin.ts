import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type LoggerService,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  parseSloDuration,
  sparkPermissions,
} from '@spark-k8s/plugin-spark-common';
import {
  type SparkAppSource,
  type SparkCostModel,
  sparkCostExtensionPoint,
  sparkSourcesExtensionPoint,
  sparkDiagnosisRulesExtensionPoint,
  type SparkDiagnosisRule,
} from '@spark-k8s/plugin-spark-node';
import { resolve } from 'node:path';
import { AttributionIndex } from './attribution/attribution';
import { CatalogAttribution } from './attribution/CatalogAttribution';
import {
  sparkAppPermissionResourceRef,
  sparkAppPermissionRules,
} from './permissions';
import { DiagnosisEngine } from './diagnosis/DiagnosisEngine';
import { DiagnosisService } from './diagnosis/DiagnosisService';
import { createRouter } from './service/router';
import { EventLogSource } from './sources/eventlog/EventLogSource';
import {
  DirectoryEventLogStorage,
  S3EventLogStorage,
} from './sources/eventlog/storage';
import { HistoryServerSource } from './sources/history-server/HistoryServerSource';
import { createKubernetesSources } from './sources/kubernetes/createKubernetesSources';
import { KubernetesSnapshotSource } from './sources/kubernetes/KubernetesSnapshotSource';
import { DEFAULT_NODE_LABEL_KEYS } from './sources/kubernetes/nodes';
import { CostStore } from './store/CostStore';
import { SparkStore } from './store/SparkStore';
import { readBudgets } from './cost/budgets';
import { CostPricer, priceModelCostModel } from './cost/CostPricer';
import { CostService } from './cost/CostService';
import { OpenCostModel } from './cost/OpenCostModel';
import { type PriceModel, readPriceModel } from './cost/priceModel';
import { PrometheusUsage } from './cost/PrometheusUsage';
import { SloCatalog } from './slo/SloCatalog';
import { SloService } from './slo/SloService';
import { SloStore } from './store/SloStore';

function scheduleFrom(
  config: Config,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  const schedule = config.getOptionalConfig('schedule');
  return schedule
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule)
    : fallback;
}

/** The Node labels the price model reads, and the usual pool, capacity and place labels. */
function nodeLabelKeysOf(model: PriceModel): string[] {
  return [
    ...new Set([
      ...DEFAULT_NODE_LABEL_KEYS,
      ...model.nodePoolLabels,
      ...model.spotLabels.map(([key]) => key),
    ]),
  ];
}

/** `spark.slo.prometheus.scrapeInterval`, checked: the duration rules step by it. */
function readScrapeInterval(config: Config): string | undefined {
  const key = 'spark.slo.prometheus.scrapeInterval';
  const value = config.getOptionalString(key);
  if (value !== undefined && !(parseSloDuration(value) ?? 0)) {
    throw new Error(
      `${key}: "${value}" is not a duration such as 30s, 15s or 1m`,
    );
  }
  return value;
}

/** `scanThreads` of an event-log location: a whole number from 0 to 16, when set. */
function scanThreadsOf(log: Config, name: string): number | undefined {
  const threads = log.getOptionalNumber('scanThreads');
  if (
    threads !== undefined &&
    !(Number.isInteger(threads) && threads >= 0 && threads <= 16)
  ) {
    throw new Error(
      `spark.eventLogs[${name}].scanThreads: a whole number from 0 to 16, not ${threads}`,
    );
  }
  return threads;
}

/**
 * Sources declared in `spark.eventLogs`, `spark.historyServers` and
 * `spark.kubernetesSnapshots`, and one per cluster of the `kubernetes:` block the Kubernetes
 * plugin reads.
 */
export function sourcesFromConfig(
  config: Config,
  logger?: LoggerService,
): SparkAppSource[] {
  const redactionRegex = config.getOptionalString('spark.redactionRegex');
  const sources: SparkAppSource[] = [];
  for (const log of config.getOptionalConfigArray('spark.eventLogs') ?? []) {
    const name = log.getString('name');
    const dir = log.getOptionalString('dir');
    const s3 = log.getOptionalConfig('s3');
    if (Boolean(dir) === Boolean(s3)) {
      throw new Error(
        `spark.eventLogs[${name}]: set exactly one of dir and s3`,
      );
    }
    sources.push(
      new EventLogSource({
        name,
        storage: dir
          ? new DirectoryEventLogStorage(resolve(dir))
          : new S3EventLogStorage({
              bucket: s3!.getString('bucket'),
              prefix: s3!.getOptionalString('prefix'),
              region: s3!.getOptionalString('region'),
              endpoint: s3!.getOptionalString('endpoint'),
              forcePathStyle: s3!.getOptionalBoolean('forcePathStyle'),
              accessKeyId: s3!.getOptionalString('accessKeyId'),
              secretAccessKey: s3!.getOptionalString('secretAccessKey'),
            }),
        schedule: scheduleFrom(log, {
          frequency: { seconds: 30 },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 3 },
        }),
        checkpointBytes:
          (log.getOptionalNumber('checkpointMiB') ?? 64) * 1024 * 1024,
        scanThreads: scanThreadsOf(log, name),
        redactionRegex,
      }),
    );
  }
  for (const server of config.getOptionalConfigArray('spark.historyServers') ??
    []) {
    sources.push(
      new HistoryServerSource({
        name: server.getString('name'),
        url: server.getString('url'),
        token: server.getOptionalString('token'),
        timeoutMs: server.getOptionalNumber('timeoutMs'),
        maxApps: server.getOptionalNumber('maxApps'),
        redactionRegex,
        schedule: scheduleFrom(server, {
          frequency: { minutes: 2 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
        }),
      }),
    );
  }
  for (const snapshot of config.getOptionalConfigArray(
    'spark.kubernetesSnapshots',
  ) ?? []) {
    sources.push(
      new KubernetesSnapshotSource({
        name: snapshot.getString('name'),
        dir: resolve(snapshot.getString('dir')),
        cluster: snapshot.getOptionalString('cluster'),
        schedule: scheduleFrom(snapshot, {
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 3 },
        }),
      }),
    );
  }
  // Node labels keep what prices pods: the pool and capacity labels the price model reads.
  sources.push(
    ...createKubernetesSources(config, {
      logger,
      nodeLabelKeys: nodeLabelKeysOf(readPriceModel(config)),
    }),
  );
  return sources;
}

/**
 * The Spark backend plugin: ingests Spark apps from event logs, Kubernetes clusters and History
 * Servers, attributes them to catalog owners, and serves them under `/api/spark`.
 *
 * @public
 */
export const sparkPlugin = createBackendPlugin({
  pluginId: 'spark',
  register(env) {
    const extraSources: SparkAppSource[] = [];
    env.registerExtensionPoint(sparkSourcesExtensionPoint, {
      addSource(...sources) {
        extraSources.push(...sources);
      },
    });
    const extraRules: SparkDiagnosisRule<any>[] = [];
    env.registerExtensionPoint(sparkDiagnosisRulesExtensionPoint, {
      addRule(...rules) {
        extraRules.push(...rules);
      },
    });
    let costModel: SparkCostModel | undefined;
    env.registerExtensionPoint(sparkCostExtensionPoint, {
      setCostModel(model) {
        if (costModel) {
          throw new Error(
            `the Spark cost model is already ${costModel.id}; it can be set once`,
          );
        }
        costModel = model;
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        urlReader: coreServices.urlReader,
      },
      async init({
        logger,
        config,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
        urlReader,
      }) {
        const attribution = new CatalogAttribution({
          catalog,
          auth,
          logger,
          namespaces:
            config
              .getOptionalConfig('spark.attribution.namespaces')
              ?.get<Record<string, string>>() ?? {},
        });
        const store = await SparkStore.create({
          database,
          attribution: () => attribution.current ?? new AttributionIndex([]),
        });
        attribution.onChange(() => store.reattributeAll());

        const sloCatalog = new SloCatalog({
          reader: urlReader,
          logger: logger.child({ task: 'spark-slo' }),
          entityLabel:
            config.getOptionalString('spark.slo.prometheus.entityLabel') ??
            'backstage_io_kubernetes_id',
        });
        permissionsRegistry.addResourceType({
          resourceRef: sparkAppPermissionResourceRef,
          permissions: sparkPermissions.filter(p => p.type === 'resource'),
          rules: Object.values(sparkAppPermissionRules),
          // Conditional decisions on one app (the frontend's usePermission) load it here.
          getResources: appIds =>
            Promise.all(
              appIds.map(id => store.getApp(id).catch(() => undefined)),
            ),
        });
        permissionsRegistry.addPermissions(sparkPermissions);

        await scheduler.scheduleTask({
          id: 'spark-attribution',
          ...scheduleFrom(
            config.getOptionalConfig('spark.attribution') ?? config,
            {
              frequency: { minutes: 1 },
              timeout: { minutes: 5 },
              initialDelay: { seconds: 1 },
            },
          ),
          scope: 'local',
          fn: async () => {
            await attribution.refresh();
            // Spec files change without the catalog changing: read them on every pass.
            await sloCatalog.refresh(attribution.entities);
          },
        });

        const costs = new CostStore(await database.getClient(), store);
        const priceModel = readPriceModel(config);
        const openCostUrl = config.getOptionalString('spark.cost.opencost.url');
        const model =
          costModel ??
          (openCostUrl
            ? new OpenCostModel({
                url: openCostUrl,
                currency: priceModel.currency,
                label: config.getOptionalString('spark.cost.opencost.label'),
              })
            : priceModelCostModel(priceModel));
        const usageUrl = config.getOptionalString('spark.cost.prometheus.url');
        const pricer = new CostPricer({
          store,
          costs,
          model,
          logger: logger.child({ task: 'spark-cost' }),
          usage: usageUrl
            ? new PrometheusUsage({
                url: usageUrl,
                clusterLabel: config.getOptionalString(
                  'spark.cost.prometheus.clusterLabel',
                ),
              })
            : undefined,
        });
        await scheduler.scheduleTask({
          id: 'spark-cost',
          ...scheduleFrom(config.getOptionalConfig('spark.cost') ?? config, {
            frequency: { minutes: 1 },
            timeout: { minutes: 15 },
            initialDelay: { seconds: 10 },
          }),
          fn: async signal => {
            const priced = await pricer.run(signal as AbortSignal | undefined);
            if (priced) logger.info(`Spark cost: priced ${priced} apps`);
          },
        });
        const sources = [...sourcesFromConfig(config, logger), ...extraSources];
        const ids = new Set<string>();
        for (const source of sources) {
          if (ids.has(source.id))
            throw new Error(`two Spark sources are named ${source.id}`);
          ids.add(source.id);
          await scheduler.scheduleTask({
            id: `spark-source:${source.id}`,
            ...source.schedule,
            fn: async signal => {
              const controller = new AbortController();
              signal?.addEventListener('abort', () => controller.abort());
              try {
                await source.run({
                  store,
                  logger: logger.child({ source: source.id }),
                  signal: controller.signal,
                });
              } catch (error) {
                logger.error(
                  `Spark source ${source.id} failed`,
                  error as Error,
                );
                await store.reportSourceRun(source.id, {
                  kind: source.kind,
                  error: (error as Error).message,
                });
              }
              // Price what the source brought without waiting for the cost schedule.
              await scheduler.triggerTask('spark-cost').catch(() => undefined);
            },
          });
        }
        logger.info(
          `Spark sources: ${
            sources.map(s => s.id).join(', ') || 'none configured'
          }`,
        );

        const costService = new CostService({
          costs,
          currency: model.currency,
          budgets: readBudgets(config),
          groups: () => attribution.entities,
          growthThreshold:
            config.getOptionalNumber('spark.cost.growthAlert.ratio') ?? 0.5,
          growthMinimum:
            config.getOptionalNumber('spark.cost.growthAlert.minimum') ?? 0,
        });

        const diagnosis = new DiagnosisService(
          store,
          DiagnosisEngine.fromConfig(config, extraRules, (ruleId, error) =>
            logger.warn(
              `Spark diagnosis rule ${ruleId} failed`,
              error as Error,
            ),
          ),
          {
            vcpuHour:
              config.getOptionalNumber('spark.cost.prices.vcpuHour') ?? 0.0252,
            gibHour:
              config.getOptionalNumber('spark.cost.prices.gibHour') ?? 0.014,
            currency: config.getOptionalString('spark.cost.currency') ?? 'USD',
          },
        );
        httpRouter.use(
          createRouter({
            store,
            httpAuth,
            permissions,
            permissionsRegistry,
            costs,
            costService,
            slo: new SloService({
              catalog: sloCatalog,
              runs: new SloStore(await database.getClient()),
              teamChain: ref => attribution.current?.teamChain(ref) ?? [ref],
              appBaseUrl:
                config.getOptionalString('app.baseUrl') ??
                'http://localhost:3000',
              scrapeInterval: readScrapeInterval(config),
            }),
            diagnosis,
          }),
        );
      },
    });
  },
});
