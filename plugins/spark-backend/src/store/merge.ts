import type {
  SparkAppAttribution,
  SparkAppState,
  SparkAppSummary,
  SparkFailure,
} from '@spark-k8s/plugin-spark-common';
import type { SparkAppReport } from '@spark-k8s/plugin-spark-node';

/** A report as stored: which source sent it. */
export interface StoredReport {
  sourceId: string;
  report: SparkAppReport;
  updatedAt: number;
}

const TERMINAL: ReadonlySet<SparkAppState> = new Set(['SUCCEEDED', 'FAILED']);

function sourceKind(sourceId: string): string {
  return sourceId.slice(0, sourceId.indexOf(':') >>> 0);
}

/**
 * Orders reports by how much to trust them for the app's facts: a fully read event log knows
 * most; Kubernetes knows the live state and pod deaths a log never records; a History Server
 * is a copy of a log; a partly read log is the weakest.
 */
function rank(stored: StoredReport): number {
  const kind = sourceKind(stored.sourceId);
  if (kind === 'eventlog' && stored.report.complete) return 0;
  if (kind === 'kubernetes') return 1;
  if (kind === 'history-server') return stored.report.complete ? 2 : 3;
  return 4;
}

function byTrust(reports: StoredReport[]): StoredReport[] {
  return [...reports].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.sourceId.localeCompare(b.sourceId) ||
      a.report.attemptId.localeCompare(b.report.attemptId),
  );
}

function first<T>(
  reports: StoredReport[],
  pick: (report: SparkAppReport) => T | undefined,
): T | undefined {
  for (const { report } of reports) {
    const value = pick(report);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** The state of an app across sources: a terminal state wins over a live one. */
function mergedState(ordered: StoredReport[]): SparkAppState {
  const terminal = ordered.find(
    r => r.report.state && TERMINAL.has(r.report.state),
  );
  if (terminal?.report.state) return terminal.report.state;
  return first(ordered, r => r.state) ?? 'UNKNOWN';
}

/** Merges failures of all reports, keeping one entry per (scope, id, reason). */
export function mergeFailures(reports: StoredReport[]): SparkFailure[] {
  const merged = new Map<string, SparkFailure>();
  for (const { report } of byTrust(reports)) {
    for (const failure of report.failures ?? []) {
      const key = `${failure.scope}\u0000${failure.id ?? ''}\u0000${
        failure.reason
      }`;
      if (!merged.has(key)) merged.set(key, failure);
    }
  }
  return [...merged.values()];
}

const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/**
 * Merges what every source reported of one app into the summary the API returns.
 * Pure: the same reports and attribution always give the same summary.
 */
export function mergeReports(
  appId: string,
  reports: StoredReport[],
  attribution: SparkAppAttribution,
): SparkAppSummary {
  const ordered = byTrust(reports);
  const state = mergedState(ordered);
  const startTime = first(ordered, r => r.startTime);
  const endTime = TERMINAL.has(state)
    ? first(ordered, r => r.endTime)
    : undefined;
  const complete = ordered.some(
    r =>
      r.report.complete &&
      (sourceKind(r.sourceId) === 'eventlog' ||
        sourceKind(r.sourceId) === 'history-server'),
  );
  return {
    id: appId,
    name: first(ordered, r => r.name) ?? appId,
    state,
    attempts: [...new Set(reports.map(r => r.report.attemptId))].sort(),
    sparkVersion: first(ordered, r => r.sparkVersion),
    user: first(ordered, r => r.user),
    cluster: first(ordered, r => r.cluster),
    namespace: first(ordered, r => r.namespace),
    startTime: iso(startTime),
    endTime: iso(endTime),
    durationMs:
      startTime !== undefined && endTime !== undefined
        ? Math.max(0, endTime - startTime)
        : undefined,
    attribution,
    sources: [...new Set(ordered.map(r => r.sourceId))].sort(),
    complete,
    metrics: first(
      ordered.filter(r => sourceKind(r.sourceId) !== 'kubernetes'),
      r => r.metrics,
    ),
    failureReason:
      state === 'FAILED' ? first(ordered, r => r.failureReason) : undefined,
    updatedAt: iso(Math.max(...reports.map(r => r.updatedAt)))!,
  };
}

/** Labels of all reports, the most trusted first, for attribution. */
export function mergedLabels(reports: StoredReport[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const { report } of [...byTrust(reports)].reverse()) {
    Object.assign(labels, report.labels);
    if (report.name) labels['spark.app.name'] ??= report.name;
    if (report.namespace)
      labels['spark.kubernetes.namespace'] ??= report.namespace;
  }
  return labels;
}
