import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { SparkKubernetesObject } from '@spark-k8s/plugin-spark-common';
import type {
  SparkAppSource,
  SparkSourceProblem,
  SparkSourceRunContext,
} from '@spark-k8s/plugin-spark-node';
import { parseAllDocuments } from 'yaml';
import { toAppReports, toSparkKubernetesObject } from './mapping';
import { SPARK_RESOURCES } from './resources';

export interface KubernetesSnapshotSourceOptions {
  /** Unique; the source id is `kubernetes-snapshot:<name>`. */
  name: string;
  /** A directory of `.yaml`/`.yml`/`.json` files (multi-document, or `kind: List`). */
  dir: string;
  /** The cluster name the objects are recorded under; default the source's name. */
  cluster?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const MANIFEST = /\.(ya?ml|json)$/i;
const CHECKPOINT = 'fingerprint';

/**
 * Kubernetes objects of Spark apps read from manifests instead of a live cluster (e.g.
 * `kubectl get sparkapplications,pods -A -o yaml` saved from a cluster the portal cannot reach,
 * or the demo data). The objects go through the same mapping as the live Kubernetes source.
 */
export class KubernetesSnapshotSource implements SparkAppSource {
  readonly id: string;
  readonly kind = 'kubernetes' as const;
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  private readonly cluster: string;

  constructor(private readonly options: KubernetesSnapshotSourceOptions) {
    this.id = `kubernetes-snapshot:${options.name}`;
    this.cluster = options.cluster ?? options.name;
    this.schedule = options.schedule;
  }

  async run({ store, logger, signal }: SparkSourceRunContext): Promise<void> {
    let files: string[];
    try {
      files = (await fs.readdir(this.options.dir))
        .filter(name => MANIFEST.test(name))
        .sort();
    } catch (error) {
      await store.reportSourceRun(this.id, {
        kind: this.kind,
        error: `cannot read the snapshot directory ${this.options.dir}: ${
          (error as Error).message
        }`,
      });
      return;
    }
    const texts = await Promise.all(
      files.map(name => fs.readFile(path.join(this.options.dir, name), 'utf8')),
    );
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([this.cluster, files, texts]))
      .digest('hex');
    if ((await store.getCheckpoint(this.id, CHECKPOINT)) === fingerprint) {
      return;
    }

    const objects: SparkKubernetesObject[] = [];
    const problems: SparkSourceProblem[] = [];
    files.forEach((name, i) => {
      for (const doc of parseAllDocuments(texts[i])) {
        if (doc.errors.length > 0) {
          problems.push({
            item: name,
            message: `not valid YAML: ${doc.errors[0].message}`,
          });
          continue;
        }
        const value = doc.toJS() as { kind?: string; items?: unknown[] };
        const items =
          value?.kind === 'List' || value?.kind?.endsWith('List')
            ? value.items ?? []
            : [value];
        for (const item of items) {
          const object = toSparkKubernetesObject(this.cluster, item);
          if (object) objects.push(object);
        }
      }
    });
    signal.throwIfAborted();

    await store.upsertKubernetesObjects(objects);
    // Objects no longer in the snapshot are gone, as a live cluster's deleted objects are.
    const present = new Set(
      objects.map(o => `${o.kind}/${o.namespace}/${o.name}`),
    );
    for (const resource of SPARK_RESOURCES) {
      for (const key of await store.listKubernetesObjectKeys(
        this.cluster,
        resource.storeKind,
      )) {
        if (
          !present.has(`${resource.storeKind}/${key.namespace}/${key.name}`)
        ) {
          await store.deleteKubernetesObject({
            cluster: this.cluster,
            kind: resource.storeKind,
            ...key,
          });
        }
      }
    }
    const reports = toAppReports(objects);
    for (const report of reports) await store.reportApp(this.id, report);
    await store.putCheckpoint(this.id, CHECKPOINT, fingerprint);
    await store.reportSourceRun(this.id, { kind: this.kind, problems });
    logger.info(
      `${this.id}: ${objects.length} objects of ${reports.length} apps from ${files.length} files`,
    );
  }
}
