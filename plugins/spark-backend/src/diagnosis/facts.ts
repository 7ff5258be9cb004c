import type {
  SparkDiagnosisEvidence,
  SparkFailure,
  SparkKubernetesObject,
  SparkStageSummary,
  SparkStageTaskQuantiles,
} from '@spark-k8s/plugin-spark-common';
import type { SparkDiagnosisInput } from '@spark-k8s/plugin-spark-node';

/** Readers of an app's facts that several rules share; pure, no I/O. */

type QuantileMetric = Exclude<
  keyof SparkStageTaskQuantiles,
  'stageId' | 'attemptId' | 'quantiles'
>;

/** The value of one task-metric quantile of a stage (q = 0.5 is the median, 1 the max). */
export function quantile(
  stage: SparkStageSummary,
  metric: QuantileMetric,
  q: number,
): number | undefined {
  const quantiles = stage.quantiles;
  if (!quantiles) return undefined;
  const index = quantiles.quantiles.indexOf(q);
  return index === -1 ? undefined : quantiles[metric][index];
}

export const stageName = (stage: SparkStageSummary) =>
  `stage ${stage.stageId}.${stage.attemptId}`;

export const fromStage = (stage: SparkStageSummary) =>
  `event log: ${stageName(stage)} (${stage.name})`;

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** Stages that ran tasks, latest attempt of each stage last. */
export function ranStages(input: SparkDiagnosisInput): SparkStageSummary[] {
  return input.details.stages.filter(
    stage => stage.metrics.tasks > 0 && stage.quantiles,
  );
}

/** The pod (or operator object) a failure is about, when the store holds it. */
export function objectOf(
  input: SparkDiagnosisInput,
  failure: SparkFailure,
): SparkKubernetesObject | undefined {
  if (!failure.id) return undefined;
  return input.details.kubernetes.find(
    o => o.name === failure.id || `${o.namespace}/${o.name}` === failure.id,
  );
}

/** `driver`, `executor`, `operator` … for a pod or SparkApplication failure. */
export function roleOf(
  input: SparkDiagnosisInput,
  failure: SparkFailure,
): string | undefined {
  const object = objectOf(input, failure);
  const role = (object?.details as { role?: unknown } | undefined)?.role;
  if (typeof role === 'string') return role;
  if (/^driver\b/.test(failure.message ?? '')) return 'driver';
  if (/^executor\b/.test(failure.message ?? '')) return 'executor';
  return undefined;
}

export function failureSource(
  input: SparkDiagnosisInput,
  failure: SparkFailure,
): string {
  const object = objectOf(input, failure);
  if (object) {
    const kind = object.kind.split('.')[0];
    return `${kind} ${object.namespace}/${object.name} (cluster ${object.cluster})`;
  }
  if (failure.scope === 'task' || failure.scope === 'stage')
    return `event log: ${failure.scope} ${failure.id ?? ''}`.trim();
  if (failure.scope === 'job') return `event log: job ${failure.id ?? ''}`;
  return `${failure.scope} ${failure.id ?? ''}`.trim();
}

/** Failures whose reason or message matches, most frequent first. */
export function failuresMatching(
  input: SparkDiagnosisInput,
  test: (failure: SparkFailure) => boolean,
): SparkFailure[] {
  return input.details.failures.filter(test).sort((a, b) => b.count - a.count);
}

export function failureEvidence(
  input: SparkDiagnosisInput,
  failures: SparkFailure[],
  limit = 3,
): SparkDiagnosisEvidence[] {
  return failures.slice(0, limit).map(failure => ({
    label: `${failure.reason}${failure.count > 1 ? ` × ${failure.count}` : ''}`,
    value: firstLine(failure.message) ?? failure.reason,
    source: failureSource(input, failure),
  }));
}

export function firstLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** Parses a JVM memory string of Spark's conf (`4g`, `512m`, `2048`) to MiB. */
export function parseMemoryMib(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)b?\s*$/i.exec(value);
  if (!match) return undefined;
  const number = Number(match[1]);
  const unit = match[2].toLowerCase();
  // Spark reads the *.memory keys as MiB when they carry no unit.
  const factor: Record<string, number> = {
    '': 1,
    k: 1 / 1024,
    m: 1,
    g: 1024,
    t: 1024 * 1024,
  };
  return number * factor[unit];
}

export const isTrue = (value: string | undefined) =>
  value?.trim().toLowerCase() === 'true';

/** The Spark major version of the app, from the log or its objects. */
export function sparkMajor(input: SparkDiagnosisInput): number | undefined {
  const version = input.details.app.sparkVersion;
  const major = version ? Number(version.split('.')[0]) : NaN;
  return Number.isFinite(major) ? major : undefined;
}

/** Executors that ran tasks (not the driver), and their total cores. */
export function executorCores(input: SparkDiagnosisInput): number {
  const executors = input.details.executors.filter(
    e => e.executorId !== 'driver',
  );
  const pool = executors.length
    ? executors
    : input.details.executors.filter(e => e.executorId === 'driver');
  return pool.reduce((sum, e) => sum + (e.cores || 0), 0);
}

/** The last moment the app showed progress: a stage or job event, an executor change. */
export function lastActivity(input: SparkDiagnosisInput): number | undefined {
  const { details } = input;
  const times = [
    details.app.startTime,
    ...details.stages.flatMap(s => [s.submissionTime, s.completionTime]),
    ...details.jobs.flatMap(j => [j.submissionTime, j.completionTime]),
    ...details.executors.flatMap(e => [e.addTime, e.removeTime]),
  ]
    .map(t => (t ? Date.parse(t) : NaN))
    .filter(t => Number.isFinite(t));
  return times.length ? Math.max(...times) : undefined;
}
