import type { SparkKubernetesObject } from '@spark-k8s/plugin-spark-common';
import type {
  SparkAppReport,
  SparkIngestStore,
  SparkSourceProblem,
} from '@spark-k8s/plugin-spark-node';

/** One `reportSourceRun` call. */
export interface RecordedRun {
  sourceId: string;
  kind: string;
  error?: string;
  problems?: SparkSourceProblem[];
  warnings?: SparkSourceProblem[];
}

const clone = <T>(value: T): T =>
  value === undefined ? value : JSON.parse(JSON.stringify(value));

/** A SparkIngestStore in memory, for tests of sources; values are copied like a database would. */
export class MemoryIngestStore implements SparkIngestStore {
  readonly reports = new Map<string, SparkAppReport>();
  readonly objects = new Map<string, SparkKubernetesObject>();
  readonly checkpoints = new Map<string, unknown>();
  readonly runs: RecordedRun[] = [];
  /** Every write, in order, to check what a run changed. */
  readonly writes: string[] = [];

  private static objectKey(key: {
    cluster: string;
    kind: string;
    namespace: string;
    name: string;
  }) {
    return `${key.cluster}|${key.kind}|${key.namespace}|${key.name}`;
  }

  async reportApp(sourceId: string, report: SparkAppReport): Promise<void> {
    this.reports.set(
      `${sourceId}|${report.appId}|${report.attemptId}`,
      clone(report),
    );
    this.writes.push(`report ${report.appId}`);
  }

  async reportAppWithCheckpoint(
    sourceId: string,
    report: SparkAppReport,
    checkpoint: { key: string; value: unknown },
  ): Promise<void> {
    await this.reportApp(sourceId, report);
    await this.putCheckpoint(sourceId, checkpoint.key, checkpoint.value);
  }

  async getCheckpoint<T>(
    sourceId: string,
    key: string,
  ): Promise<T | undefined> {
    return clone(this.checkpoints.get(`${sourceId}|${key}`)) as T | undefined;
  }

  async putCheckpoint(sourceId: string, key: string, value: unknown) {
    this.checkpoints.set(`${sourceId}|${key}`, clone(value));
  }

  async listCheckpointKeys(sourceId: string): Promise<string[]> {
    return [...this.checkpoints.keys()]
      .filter(key => key.startsWith(`${sourceId}|`))
      .map(key => key.slice(sourceId.length + 1));
  }

  async deleteCheckpoint(sourceId: string, key: string): Promise<void> {
    this.checkpoints.delete(`${sourceId}|${key}`);
  }

  async upsertKubernetesObjects(objects: SparkKubernetesObject[]) {
    for (const object of objects) {
      this.objects.set(MemoryIngestStore.objectKey(object), clone(object));
      this.writes.push(
        `upsert ${object.kind}/${object.namespace}/${object.name}`,
      );
    }
  }

  async deleteKubernetesObject(key: {
    cluster: string;
    kind: string;
    namespace: string;
    name: string;
  }): Promise<void> {
    this.objects.delete(MemoryIngestStore.objectKey(key));
    this.writes.push(`delete ${key.kind}/${key.namespace}/${key.name}`);
  }

  async listKubernetesObjectKeys(cluster: string, kind: string) {
    return [...this.objects.values()]
      .filter(o => o.cluster === cluster && o.kind === kind)
      .map(o => ({ namespace: o.namespace, name: o.name }))
      .sort((a, b) =>
        `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
      );
  }

  async reportSourceRun(
    sourceId: string,
    run: {
      kind: string;
      error?: string;
      problems?: SparkSourceProblem[];
      warnings?: SparkSourceProblem[];
    },
  ): Promise<void> {
    this.runs.push(clone({ sourceId, ...run }));
  }

  // ---- reads for assertions ----

  report(sourceId: string, appId: string): SparkAppReport | undefined {
    return this.reports.get(`${sourceId}|${appId}|`);
  }

  object(
    cluster: string,
    kind: string,
    namespace: string,
    name: string,
  ): SparkKubernetesObject | undefined {
    return this.objects.get(
      MemoryIngestStore.objectKey({ cluster, kind, namespace, name }),
    );
  }

  objectsOf(cluster: string, kind?: string): SparkKubernetesObject[] {
    return [...this.objects.values()].filter(
      o => o.cluster === cluster && (kind === undefined || o.kind === kind),
    );
  }

  lastRun(sourceId: string): RecordedRun | undefined {
    return [...this.runs].reverse().find(r => r.sourceId === sourceId);
  }
}
