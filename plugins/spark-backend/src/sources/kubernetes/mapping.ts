import type {
  SparkAppState,
  SparkFailure,
  SparkKubernetesObject,
} from '@spark-k8s/plugin-spark-common';
import type { SparkAppReport } from '@spark-k8s/plugin-spark-node';
import { createHash } from 'node:crypto';
import { parseQuantity } from './quantity';
import {
  apacheSparkApplications,
  apacheSparkClusters,
  apiVersionOf,
  kubeflowScheduledSparkApplications,
  kubeflowSparkApplications,
  resourceOf,
  type SparkResource,
  sparkPods,
} from './resources';

// ---- reading untyped JSON ----

type Obj = Record<string, unknown>;

function o(value: unknown): Obj {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Obj)
    : {};
}
function s(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return undefined;
}
function n(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}
function arr(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(o) : [];
}
function strings(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(o(value))) {
    const text = s(item) ?? (item === '' ? '' : undefined);
    if (text !== undefined) result[key] = text;
  }
  return result;
}
/** Epoch ms of an RFC 3339 string or a Date (typed clients turn times into Dates). */
function ms(value: unknown): number | undefined {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
function iso(time: number | undefined): string | undefined {
  return time === undefined ? undefined : new Date(time).toISOString();
}
function compact<T extends Obj>(value: T): T {
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (
      item === undefined ||
      (Array.isArray(item) && item.length === 0) ||
      (item &&
        typeof item === 'object' &&
        !Array.isArray(item) &&
        Object.keys(item).length === 0)
    ) {
      delete value[key];
    }
  }
  return value;
}
function minOf(values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}
function maxOf(values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.max(...defined) : undefined;
}
const MESSAGE_CAP = 1000;
function cap(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return trimmed.length > MESSAGE_CAP
    ? `${trimmed.slice(0, MESSAGE_CAP)}…`
    : trimmed || undefined;
}

const TERMINAL: ReadonlySet<SparkAppState> = new Set(['SUCCEEDED', 'FAILED']);

// ---- exit codes and failures ----

/** What an exit code of a Spark container means (Spark's own codes, signals, shell codes). */
export function describeExit(
  reason: string | undefined,
  exitCode: number | undefined,
): string {
  const code = exitCode === undefined ? '' : ` (exit code ${exitCode})`;
  if (reason === 'OOMKilled') return `container OOMKilled${code}`;
  switch (exitCode) {
    case 52:
      return `JVM OutOfMemoryError${code}`;
    case 53:
      return `disk store failure${code}`;
    case 50:
      return `uncaught exception${code}`;
    case 56:
      return `executor heartbeat timeout${code}`;
    case 137:
      return `container killed by SIGKILL${code}`;
    case 143:
      return `container terminated by SIGTERM${code}`;
    case 139:
      return `segmentation fault${code}`;
    case 126:
      return `command not executable (bad image or entrypoint)${code}`;
    case 127:
      return `command not found (bad image or entrypoint)${code}`;
    default:
  }
  if (reason === 'ContainerCannotRun' || reason === 'StartError')
    return `container could not start (${reason})${code}`;
  if (exitCode === undefined)
    return `container terminated (${reason ?? 'unknown reason'})`;
  return `container exited with code ${exitCode}${
    reason ? ` (${reason})` : ''
  }`;
}

/** A short class for a container termination: the distinctive Kubernetes reason, else the exit code. */
function terminationReason(
  reason: string | undefined,
  exitCode: number | undefined,
): string {
  if (reason === 'OOMKilled') return reason;
  if (reason && reason !== 'Error' && reason !== 'Completed') return reason;
  return exitCode === undefined
    ? reason ?? 'Terminated'
    : `exit code ${exitCode}`;
}

const WAITING_FAILURES = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'CrashLoopBackOff',
  'RunContainerError',
]);

// ---- pods ----

type Role = 'driver' | 'executor' | 'operator' | 'other';

interface ContainerDetails {
  name: string;
  init?: boolean;
  image?: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  ready?: boolean;
  restartCount?: number;
  state?: 'waiting' | 'running' | 'terminated';
  reason?: string;
  message?: string;
  exitCode?: number;
  signal?: number;
  startedAt?: string;
  finishedAt?: string;
  lastTermination?: {
    reason?: string;
    exitCode?: number;
    finishedAt?: string;
    message?: string;
  };
}

interface ResourceTotals {
  /** Cores. */
  cpu?: number;
  memoryBytes?: number;
  gpu?: number;
}

const GPU_KEYS = ['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915'];

function totalsOf(resources: Record<string, string>): ResourceTotals {
  const gpu = GPU_KEYS.map(key => parseQuantity(resources[key])).find(
    value => value !== undefined,
  );
  return compact({
    cpu: parseQuantity(resources.cpu),
    memoryBytes: parseQuantity(resources.memory),
    gpu,
  });
}

/** The pod's effective amount: the sum over app containers, at least the largest init container (plus overhead). */
function effective(
  containers: ResourceTotals[],
  inits: ResourceTotals[],
  overhead: ResourceTotals,
): ResourceTotals {
  const result: ResourceTotals = {};
  for (const key of ['cpu', 'memoryBytes', 'gpu'] as const) {
    const values = containers.map(c => c[key]);
    const sum = values.some(v => v !== undefined)
      ? values.reduce<number>((total, v) => total + (v ?? 0), 0)
      : undefined;
    const init = maxOf(inits.map(c => c[key]));
    const value =
      sum === undefined && init === undefined
        ? undefined
        : Math.max(sum ?? 0, init ?? 0) + (overhead[key] ?? 0);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function containerDetails(spec: Obj, status: Obj | undefined, init: boolean) {
  const resources = o(spec.resources);
  const state = o(status?.state);
  const [stateName, stateBody] = (['terminated', 'running', 'waiting'] as const)
    .map(name => [name, state[name]] as const)
    .find(([, body]) => body && typeof body === 'object') ?? [
    undefined,
    undefined,
  ];
  const body = o(stateBody);
  const last = o(o(status?.lastState).terminated);
  const details: ContainerDetails = compact({
    name: s(spec.name) ?? '',
    init: init || undefined,
    image: s(spec.image),
    requests: strings(resources.requests),
    limits: strings(resources.limits),
    ready: typeof status?.ready === 'boolean' ? status.ready : undefined,
    restartCount: n(status?.restartCount),
    state: stateName,
    reason: s(body.reason),
    message: cap(s(body.message)),
    exitCode: n(body.exitCode),
    signal: n(body.signal),
    startedAt: iso(ms(body.startedAt)),
    finishedAt: iso(ms(body.finishedAt)),
    lastTermination: Object.keys(last).length
      ? compact({
          reason: s(last.reason),
          exitCode: n(last.exitCode),
          finishedAt: iso(ms(last.finishedAt)),
          message: cap(s(last.message)),
        })
      : undefined,
  });
  return details;
}

function rolePhrase(role: string, labels: Record<string, string>): string {
  if (role === 'executor' && labels['spark-exec-id'])
    return `executor ${labels['spark-exec-id']}`;
  return role === 'other' ? 'pod' : role;
}

/** True for the container that runs Spark (not a sidecar). */
function isSparkContainer(name: string, containerCount: number): boolean {
  return containerCount === 1 || /^spark-kubernetes-/.test(name);
}

/**
 * Failures a pod's status shows, the most telling first: the pod's own reason (eviction, deadline),
 * a disruption, the Spark container's termination, other containers, restarts, image pulls,
 * scheduling.
 */
export function podFailures(
  podName: string,
  role: string,
  labels: Record<string, string>,
  containers: ContainerDetails[],
  status: Obj,
): SparkFailure[] {
  const failures: SparkFailure[] = [];
  const who = rolePhrase(role, labels);
  const appContainers = containers.filter(c => !c.init).length;
  const isMain = (c: ContainerDetails) =>
    !c.init && isSparkContainer(c.name, appContainers);
  const label = (c: ContainerDetails) =>
    isMain(c) ? who : `${who} (${c.init ? 'init ' : ''}container ${c.name})`;
  const add = (failure: SparkFailure) =>
    failures.push(compact({ ...failure }) as SparkFailure);

  const podReason = s(status.reason);
  if (podReason && s(status.phase) === 'Failed') {
    add({
      scope: 'pod',
      id: podName,
      reason: podReason,
      message: cap(
        `${who} pod ${podReason}${
          s(status.message) ? `: ${s(status.message)}` : ''
        }`,
      ),
      count: 1,
    });
  }
  const conditions = arr(status.conditions);
  for (const condition of conditions) {
    if (
      s(condition.type) === 'DisruptionTarget' &&
      s(condition.status) === 'True'
    ) {
      const reason = s(condition.reason) ?? 'DisruptionTarget';
      add({
        scope: 'pod',
        id: podName,
        reason,
        message: cap(
          `${who} pod disrupted (${reason})${
            s(condition.message) ? `: ${s(condition.message)}` : ''
          }`,
        ),
        count: 1,
        time: iso(ms(condition.lastTransitionTime)),
      });
    }
  }

  const ordered = [...containers].sort(
    (a, b) => Number(isMain(b)) - Number(isMain(a)),
  );
  for (const c of ordered) {
    if (
      c.state === 'terminated' &&
      (c.reason === 'OOMKilled' || (c.exitCode ?? 0) !== 0)
    ) {
      add({
        scope: 'pod',
        id: podName,
        reason: terminationReason(c.reason, c.exitCode),
        message: cap(
          `${label(c)} ${describeExit(c.reason, c.exitCode)}${
            c.message ? `: ${c.message}` : ''
          }`,
        ),
        count: 1,
        exitCode: c.exitCode,
        time: c.finishedAt,
      });
    }
  }
  for (const c of ordered) {
    const last = c.lastTermination;
    if (
      last &&
      (c.restartCount ?? 0) > 0 &&
      (last.reason === 'OOMKilled' || (last.exitCode ?? 0) !== 0)
    ) {
      add({
        scope: 'pod',
        id: podName,
        reason: terminationReason(last.reason, last.exitCode),
        message: cap(
          `${label(c)} ${describeExit(last.reason, last.exitCode)}, restarted ${
            c.restartCount
          } time(s)`,
        ),
        count: c.restartCount ?? 1,
        exitCode: last.exitCode,
        time: last.finishedAt,
      });
    }
  }
  for (const c of ordered) {
    if (c.state === 'waiting' && c.reason && WAITING_FAILURES.has(c.reason)) {
      add({
        scope: 'pod',
        id: podName,
        reason: c.reason,
        message: cap(
          `${label(c)} waiting: ${c.reason}${
            c.message ? `: ${c.message}` : ''
          }`,
        ),
        count: 1,
      });
    }
  }
  for (const condition of conditions) {
    if (
      s(condition.type) === 'PodScheduled' &&
      s(condition.status) === 'False' &&
      s(condition.reason) === 'Unschedulable'
    ) {
      add({
        scope: 'pod',
        id: podName,
        reason: 'Unschedulable',
        message: cap(
          `${who} pod unschedulable${
            s(condition.message) ? `: ${s(condition.message)}` : ''
          }`,
        ),
        count: 1,
        time: iso(ms(condition.lastTransitionTime)),
      });
    }
  }
  return failures;
}

const POD_STATES: Record<string, SparkAppState> = {
  Pending: 'PENDING',
  Running: 'RUNNING',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Unknown: 'UNKNOWN',
};

/** Labels that say what a pod is to Spark and to the operators. */
function isSparkLabel(key: string): boolean {
  return (
    key.startsWith('spark-') ||
    key.startsWith('sparkoperator.k8s.io/') ||
    key.startsWith('spark.operator/')
  );
}

/**
 * Node labels a pod can only run with: its nodeSelector and single-value `In` terms of its
 * required node affinity (how Spark pods pick spot capacity and node pools); cost prices by them.
 */
function requiredNodeLabels(spec: Obj): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...strings(spec.nodeSelector) };
  const required = o(
    o(o(spec.affinity).nodeAffinity),
  ).requiredDuringSchedulingIgnoredDuringExecution;
  const terms = arr(o(required).nodeSelectorTerms);
  // With several terms any one may match: only a single term pins labels.
  if (terms.length === 1) {
    for (const expression of arr(terms[0].matchExpressions)) {
      const values = Array.isArray(expression.values) ? expression.values : [];
      if (
        s(expression.operator) === 'In' &&
        values.length === 1 &&
        typeof values[0] === 'string' &&
        s(expression.key)
      ) {
        labels[s(expression.key)!] = values[0];
      }
    }
  }
  return Object.keys(labels).length ? labels : undefined;
}

function podObject(cluster: string, raw: Obj): SparkKubernetesObject {
  const metadata = o(raw.metadata);
  const spec = o(raw.spec);
  const status = o(raw.status);
  const labels = strings(metadata.labels);
  const name = s(metadata.name) ?? '';
  const phase = s(status.phase) ?? 'Pending';
  const sparkRole = labels['spark-role'];
  const role: Role =
    sparkRole === 'driver' || sparkRole === 'executor' ? sparkRole : 'other';

  const statusByName = (list: unknown) =>
    new Map(arr(list).map(st => [s(st.name) ?? '', st] as const));
  const appStatuses = statusByName(status.containerStatuses);
  const initStatuses = statusByName(status.initContainerStatuses);
  const containers = [
    ...arr(spec.initContainers).map(c =>
      containerDetails(c, initStatuses.get(s(c.name) ?? ''), true),
    ),
    ...arr(spec.containers).map(c =>
      containerDetails(c, appStatuses.get(s(c.name) ?? ''), false),
    ),
  ];
  const appContainers = containers.filter(c => !c.init);
  const inits = containers.filter(c => c.init);
  const overhead = totalsOf(strings(spec.overhead));
  const requests = effective(
    appContainers.map(c => totalsOf(c.requests ?? {})),
    inits.map(c => totalsOf(c.requests ?? {})),
    overhead,
  );
  const limits = effective(
    appContainers.map(c => totalsOf(c.limits ?? {})),
    inits.map(c => totalsOf(c.limits ?? {})),
    overhead,
  );

  const failures = podFailures(name, role, labels, containers, status);
  const state = POD_STATES[phase] ?? 'UNKNOWN';
  const startTime =
    ms(status.startTime) ??
    minOf(appContainers.map(c => ms(c.startedAt))) ??
    undefined;
  // The Spark container's end is the driver's or executor's end; sidecars may outlive it.
  const sparkContainer = appContainers.find(c =>
    isSparkContainer(c.name, appContainers.length),
  );
  const endTime = TERMINAL.has(state)
    ? ms(sparkContainer?.finishedAt) ??
      maxOf(appContainers.map(c => ms(c.finishedAt)))
    : undefined;
  const createdAt = ms(metadata.creationTimestamp);
  const conditions = arr(status.conditions).map(c =>
    compact({
      type: s(c.type),
      status: s(c.status),
      reason: s(c.reason),
      message: cap(s(c.message)),
      lastTransitionTime: iso(ms(c.lastTransitionTime)),
    }),
  );
  const operatorApp =
    labels['sparkoperator.k8s.io/app-name'] ??
    labels['spark.operator/spark-app-name'];

  const details = compact({
    role: sparkRole ?? 'other',
    executorId: labels['spark-exec-id'],
    phase,
    reason: s(status.reason),
    message: cap(s(status.message)),
    nodeName: s(spec.nodeName),
    nodeSelector: requiredNodeLabels(spec),
    qosClass: s(status.qosClass),
    priorityClassName: s(spec.priorityClassName),
    serviceAccountName: s(spec.serviceAccountName),
    createdAt: iso(createdAt),
    startTime: iso(startTime),
    endTime: iso(endTime),
    deletedAt: iso(ms(metadata.deletionTimestamp)),
    restarts: appContainers.reduce((t, c) => t + (c.restartCount ?? 0), 0),
    conditions,
    containers,
    requests,
    limits,
    labels,
    sparkLabels: Object.fromEntries(
      Object.entries(labels).filter(([key]) => isSparkLabel(key)),
    ),
    appName: labels['spark-app-name'] ?? operatorApp,
    sparkVersion: labels['spark-version'],
    operatorApp,
    failures,
    failureReason:
      state === 'FAILED'
        ? failures[0]?.message ?? `${rolePhrase(role, labels)} pod failed`
        : undefined,
  });

  return {
    cluster,
    namespace: s(metadata.namespace) ?? '',
    kind: sparkPods.storeKind,
    apiVersion: apiVersionOf(sparkPods),
    name,
    uid: s(metadata.uid) ?? '',
    appId: labels['spark-app-selector'],
    rawState: phase,
    state,
    details,
    updatedAt: updatedAt(raw),
  };
}

// ---- kubeflow spark-operator (sparkoperator.k8s.io/v1beta2) ----

const KUBEFLOW_STATES: Record<string, SparkAppState> = {
  NEW: 'PENDING',
  SUBMITTED: 'SUBMITTED',
  RUNNING: 'RUNNING',
  COMPLETED: 'SUCCEEDED',
  FAILED: 'FAILED',
  SUBMISSION_FAILED: 'FAILED',
  PENDING_RERUN: 'PENDING',
  INVALIDATING: 'PENDING',
  // The driver has ended; the operator is cleaning up: the outcome of this Spark app id is known.
  SUCCEEDING: 'SUCCEEDED',
  FAILING: 'FAILED',
  UNKNOWN: 'UNKNOWN',
};

function roleResources(role: Obj): Obj {
  return compact({
    cores: n(role.cores),
    coreRequest: s(role.coreRequest),
    coreLimit: s(role.coreLimit),
    memory: s(role.memory),
    memoryOverhead: s(role.memoryOverhead),
    instances: n(role.instances),
    gpu: Object.keys(o(role.gpu)).length ? o(role.gpu) : undefined,
    serviceAccount: s(role.serviceAccount),
  });
}

/**
 * The id of an operator app that failed before Spark gave it one (submission failed): its
 * Kubernetes key, so the failure is an app the team sees. Apps still waiting get none.
 */
export function unsubmittedAppId(
  cluster: string,
  namespace: string,
  name: string,
  rawState: string,
): string | undefined {
  return rawState === 'SUBMISSION_FAILED' || rawState === 'FAILED'
    ? `k8s:${cluster}:${namespace}:${name}`
    : undefined;
}

function kubeflowApplication(cluster: string, raw: Obj): SparkKubernetesObject {
  const metadata = o(raw.metadata);
  const spec = o(raw.spec);
  const status = o(raw.status);
  const appState = o(status.applicationState);
  const name = s(metadata.name) ?? '';
  const namespace = s(metadata.namespace) ?? '';
  const rawState = s(appState.state) ?? 'NEW';
  const state = KUBEFLOW_STATES[rawState] ?? 'UNKNOWN';
  const errorMessage = cap(s(appState.errorMessage));
  const terminationTime = ms(status.terminationTime);
  const executorState = strings(status.executorState);
  const executorCounts: Record<string, number> = {};
  for (const value of Object.values(executorState)) {
    executorCounts[value] = (executorCounts[value] ?? 0) + 1;
  }
  const failedExecutors = Object.entries(executorState)
    .filter(([, value]) => value === 'FAILED')
    .map(([pod]) => pod);
  const submissionAttempts = n(status.submissionAttempts);
  const failures: SparkFailure[] = [];
  if (state === 'FAILED') {
    failures.push(
      compact({
        scope: 'operator',
        id: `${namespace}/${name}`,
        reason: rawState,
        message: errorMessage,
        count:
          rawState === 'SUBMISSION_FAILED'
            ? Math.max(1, submissionAttempts ?? 1)
            : 1,
        time: iso(terminationTime),
      }) as SparkFailure,
    );
  }
  for (const pod of failedExecutors.slice(0, 50)) {
    failures.push({
      scope: 'pod',
      id: pod,
      reason: 'FAILED',
      message: `executor pod ${pod} failed (the operator's executorState)`,
      count: 1,
    });
  }
  const owner = arr(metadata.ownerReferences).find(
    ref => s(ref.kind) === 'ScheduledSparkApplication',
  );
  const dynamicAllocation = o(spec.dynamicAllocation);
  const driverInfo = o(status.driverInfo);
  const details = compact({
    role: 'operator',
    operator: 'kubeflow/spark-operator',
    type: s(spec.type),
    mode: s(spec.mode),
    image: s(spec.image),
    mainClass: s(spec.mainClass),
    mainApplicationFile: s(spec.mainApplicationFile),
    sparkVersion: s(spec.sparkVersion),
    proxyUser: s(spec.proxyUser),
    errorMessage,
    sparkApplicationId: s(status.sparkApplicationId),
    submissionId: s(status.submissionID) ?? s(status.submissionId),
    attempts: compact({
      submissionAttempts,
      executionAttempts: n(status.executionAttempts),
      lastSubmissionAttemptTime: iso(ms(status.lastSubmissionAttemptTime)),
    }),
    terminationTime: iso(terminationTime),
    driverInfo: compact({
      podName: s(driverInfo.podName),
      webUIAddress: s(driverInfo.webUIAddress),
      webUIServiceName: s(driverInfo.webUIServiceName),
      webUIIngressAddress: s(driverInfo.webUIIngressAddress),
    }),
    executors: compact({
      byState: executorCounts,
      failed: failedExecutors.slice(0, 50),
    }),
    driver: roleResources(o(spec.driver)),
    executor: roleResources(o(spec.executor)),
    dynamicAllocation: Object.keys(dynamicAllocation).length
      ? compact({
          enabled: dynamicAllocation.enabled === true,
          initialExecutors: n(dynamicAllocation.initialExecutors),
          minExecutors: n(dynamicAllocation.minExecutors),
          maxExecutors: n(dynamicAllocation.maxExecutors),
        })
      : undefined,
    restartPolicy: compact({ ...o(spec.restartPolicy) }),
    scheduledBy: s(owner?.name),
    labels: strings(metadata.labels),
    appName: name,
    startTime: iso(
      ms(status.lastSubmissionAttemptTime) ?? ms(metadata.creationTimestamp),
    ),
    endTime: TERMINAL.has(state) ? iso(terminationTime) : undefined,
    failures,
    failureReason: state === 'FAILED' ? errorMessage ?? rawState : undefined,
  });
  return {
    cluster,
    namespace,
    kind: kubeflowSparkApplications.storeKind,
    apiVersion: apiVersionOf(kubeflowSparkApplications),
    name,
    uid: s(metadata.uid) ?? '',
    appId:
      s(status.sparkApplicationId) ??
      unsubmittedAppId(cluster, namespace, name, rawState),
    rawState,
    state,
    details,
    updatedAt: updatedAt(raw),
  };
}

const SCHEDULE_STATES: Record<string, SparkAppState> = {
  NEW: 'PENDING',
  Scheduled: 'RUNNING',
  FailedValidation: 'FAILED',
};

function kubeflowScheduled(cluster: string, raw: Obj): SparkKubernetesObject {
  const metadata = o(raw.metadata);
  const spec = o(raw.spec);
  const status = o(raw.status);
  const rawState = s(status.scheduleState) ?? 'NEW';
  const names = (value: unknown) =>
    Array.isArray(value) ? value.map(s).filter(Boolean) : undefined;
  return {
    cluster,
    namespace: s(metadata.namespace) ?? '',
    kind: kubeflowScheduledSparkApplications.storeKind,
    apiVersion: apiVersionOf(kubeflowScheduledSparkApplications),
    name: s(metadata.name) ?? '',
    uid: s(metadata.uid) ?? '',
    rawState,
    state: SCHEDULE_STATES[rawState] ?? 'UNKNOWN',
    details: compact({
      role: 'operator',
      operator: 'kubeflow/spark-operator',
      schedule: s(spec.schedule),
      timeZone: s(spec.timeZone),
      suspend: spec.suspend === true,
      concurrencyPolicy: s(spec.concurrencyPolicy),
      successfulRunHistoryLimit: n(spec.successfulRunHistoryLimit),
      failedRunHistoryLimit: n(spec.failedRunHistoryLimit),
      sparkVersion: s(o(spec.template).sparkVersion),
      reason: cap(s(status.reason)),
      lastRun: iso(ms(status.lastRun)),
      nextRun: iso(ms(status.nextRun)),
      lastRunName: s(status.lastRunName),
      pastSuccessfulRunNames: names(status.pastSuccessfulRunNames),
      pastFailedRunNames: names(status.pastFailedRunNames),
      labels: strings(metadata.labels),
    }),
    updatedAt: updatedAt(raw),
  };
}

// ---- apache/spark-kubernetes-operator (spark.apache.org/v1) ----

const APACHE_APP_STATES: Record<string, SparkAppState> = {
  Submitted: 'SUBMITTED',
  ScheduledToRestart: 'PENDING',
  DriverRequested: 'SUBMITTED',
  DriverStarted: 'RUNNING',
  DriverReady: 'RUNNING',
  InitializedBelowThresholdExecutors: 'RUNNING',
  RunningHealthy: 'RUNNING',
  RunningWithBelowThresholdExecutors: 'RUNNING',
  DriverStartTimedOut: 'FAILED',
  ExecutorsStartTimedOut: 'FAILED',
  DriverReadyTimedOut: 'FAILED',
  SchedulingFailure: 'FAILED',
  DriverEvicted: 'FAILED',
  Failed: 'FAILED',
  Succeeded: 'SUCCEEDED',
};
const APACHE_CLUSTER_STATES: Record<string, SparkAppState> = {
  Submitted: 'SUBMITTED',
  SchedulingFailure: 'FAILED',
  RunningHealthy: 'RUNNING',
  Failed: 'FAILED',
};
/** States after which the operator only releases resources: the outcome is the state before. */
const APACHE_RELEASED = new Set([
  'ResourceReleased',
  'TerminatedWithoutReleaseResources',
]);

interface HistoryEntry {
  id: number;
  state: string;
  time?: string;
  message?: string;
}

function historyOf(status: Obj): HistoryEntry[] {
  return Object.entries(o(status.stateTransitionHistory))
    .map(([id, entry]) => {
      const e = o(entry);
      return compact({
        id: Number(id),
        state: s(e.currentStateSummary) ?? '',
        time: iso(ms(e.lastTransitionTime)),
        message: cap(s(e.message)),
      }) as HistoryEntry;
    })
    .filter(e => Number.isFinite(e.id))
    .sort((a, b) => a.id - b.id);
}

/** The outcome an Apache operator object reached: its state, or the last telling state before release. */
function apacheOutcome(
  rawState: string | undefined,
  history: HistoryEntry[],
  states: Record<string, SparkAppState>,
): { state: SparkAppState; decisive?: HistoryEntry } {
  if (!rawState) return { state: 'PENDING' };
  if (!APACHE_RELEASED.has(rawState))
    return { state: states[rawState] ?? 'UNKNOWN' };
  for (let i = history.length - 1; i >= 0; i--) {
    const state = states[history[i].state];
    if (state === 'FAILED' || state === 'SUCCEEDED')
      return { state, decisive: history[i] };
    if (history[i].state === 'ScheduledToRestart') break;
  }
  // Released without a recorded outcome: stopped on request or history trimmed.
  return { state: 'UNKNOWN' };
}

const APP_ID_LIMIT = 46;
const HASH_LIMIT = 36;

/**
 * The Spark app id the Apache operator gives an attempt: `<name>-<attempt>`, or for long names a
 * prefix plus a base-36 SHA-256 of namespace/name/attempt (its deterministic rule, so a retried
 * reconcile reuses the id). `spark.app.id` in the spec's sparkConf wins.
 */
export function apacheSparkAppId(
  namespace: string,
  name: string,
  attempt: number,
): string {
  const preferred = `${name}-${attempt}`;
  if (preferred.length <= APP_ID_LIMIT) return preferred;
  const prefix = preferred.slice(0, APP_ID_LIMIT - HASH_LIMIT - 1);
  const digest = createHash('sha256')
    .update([namespace, name, String(attempt)].join('/'))
    .digest('hex');
  const hash = BigInt(`0x${digest}`).toString(36).slice(0, HASH_LIMIT);
  return `${prefix}-${hash}`;
}

/** Spark conf keys worth showing (sizing); never the whole conf, which may hold secrets. */
const SIZING_CONF = [
  'spark.driver.cores',
  'spark.driver.memory',
  'spark.driver.memoryOverhead',
  'spark.executor.instances',
  'spark.executor.cores',
  'spark.executor.memory',
  'spark.executor.memoryOverhead',
  'spark.dynamicAllocation.enabled',
  'spark.dynamicAllocation.minExecutors',
  'spark.dynamicAllocation.maxExecutors',
  'spark.kubernetes.container.image',
];

function apacheCommon(raw: Obj, states: Record<string, SparkAppState>) {
  const metadata = o(raw.metadata);
  const spec = o(raw.spec);
  const status = o(raw.status);
  const current = o(status.currentState);
  const rawState = s(current.currentStateSummary);
  const history = historyOf(status);
  const { state, decisive } = apacheOutcome(rawState, history, states);
  const sparkConf = strings(spec.sparkConf);
  return {
    metadata,
    spec,
    status,
    current,
    rawState,
    history,
    state,
    decisive,
    sparkConf,
  };
}

function apacheApplication(cluster: string, raw: Obj): SparkKubernetesObject {
  const {
    metadata,
    spec,
    status,
    current,
    rawState,
    history,
    state,
    decisive,
    sparkConf,
  } = apacheCommon(raw, APACHE_APP_STATES);
  const name = s(metadata.name) ?? '';
  const namespace = s(metadata.namespace) ?? '';
  const attempt = n(o(o(status.currentAttemptSummary).attemptInfo).id) ?? 0;
  const previousAttempt = n(o(o(status.previousAttemptSummary).attemptInfo).id);
  // The attempt's entries: after the last restart.
  const restartAt = history.map(e => e.state).lastIndexOf('ScheduledToRestart');
  const attemptHistory = history.slice(restartAt + 1);
  const startTime = ms(attemptHistory[0]?.time);
  const endEntry = attemptHistory.find(e => {
    const mapped = APACHE_APP_STATES[e.state];
    return mapped === 'FAILED' || mapped === 'SUCCEEDED';
  });
  const endTime = TERMINAL.has(state)
    ? ms(endEntry?.time) ?? ms(current.lastTransitionTime)
    : undefined;
  const failureEntry =
    state === 'FAILED'
      ? decisive ?? {
          id: -1,
          state: rawState ?? 'Failed',
          time: iso(ms(current.lastTransitionTime)),
          message: cap(s(current.message)),
        }
      : undefined;
  // The operator records the driver's pod status with the state it caused.
  const driverStatus =
    [
      o(current.lastObservedDriverStatus),
      o(
        o(o(status.stateTransitionHistory)[String(failureEntry?.id)])
          .lastObservedDriverStatus,
      ),
    ].find(candidate => Object.keys(candidate).length > 0) ?? {};
  const driverFailures = Object.keys(driverStatus).length
    ? podFailures(
        `${name}-driver`,
        'driver',
        {},
        arr(driverStatus.containerStatuses).map(st =>
          containerDetails({ name: st.name }, st, false),
        ),
        driverStatus,
      )
    : [];
  const failures: SparkFailure[] = [];
  if (failureEntry) {
    failures.push(
      compact({
        scope: 'operator',
        id: `${namespace}/${name}`,
        reason: failureEntry.state,
        message: failureEntry.message,
        count: 1,
        time: failureEntry.time,
      }) as SparkFailure,
    );
  }
  const runtime = o(spec.runtimeVersions);
  const details = compact({
    role: 'operator',
    operator: 'apache/spark-kubernetes-operator',
    mainClass: s(spec.mainClass),
    jars: s(spec.jars),
    pyFiles: s(spec.pyFiles),
    runtimeVersions: strings(runtime),
    sparkVersion: s(runtime.sparkVersion),
    message: cap(s(current.message)),
    lastTransitionTime: iso(ms(current.lastTransitionTime)),
    attempts: compact({
      current: attempt,
      previous: previousAttempt,
    }),
    stateTransitionHistory: history.slice(-50),
    sparkConf: Object.fromEntries(
      SIZING_CONF.filter(key => sparkConf[key] !== undefined).map(key => [
        key,
        sparkConf[key],
      ]),
    ),
    labels: strings(metadata.labels),
    appName: sparkConf['spark.app.name'] ?? name,
    startTime: iso(startTime),
    endTime: iso(endTime),
    failures,
    driverFailures: state === 'FAILED' ? driverFailures : undefined,
    failureReason:
      state === 'FAILED'
        ? [
            driverFailures[0]?.message,
            failureEntry?.message ?? failureEntry?.state,
          ]
            .filter(Boolean)
            .join('; ')
        : undefined,
  });
  return {
    cluster,
    namespace,
    kind: apacheSparkApplications.storeKind,
    apiVersion: apiVersionOf(apacheSparkApplications),
    name,
    uid: s(metadata.uid) ?? '',
    // The operator assigns the id once it has a status (attempt 0 before any restart).
    appId: rawState
      ? sparkConf['spark.app.id'] ?? apacheSparkAppId(namespace, name, attempt)
      : undefined,
    rawState: rawState ?? undefined,
    state,
    details,
    updatedAt: updatedAt(raw),
  };
}

function apacheCluster(cluster: string, raw: Obj): SparkKubernetesObject {
  const { metadata, spec, current, rawState, history, state } = apacheCommon(
    raw,
    APACHE_CLUSTER_STATES,
  );
  const runtime = o(spec.runtimeVersions);
  const instanceConfig = o(o(spec.clusterTolerations).instanceConfig);
  return {
    cluster,
    namespace: s(metadata.namespace) ?? '',
    kind: apacheSparkClusters.storeKind,
    apiVersion: apiVersionOf(apacheSparkClusters),
    name: s(metadata.name) ?? '',
    uid: s(metadata.uid) ?? '',
    rawState,
    // A cluster released after a normal stop is not a failure.
    state:
      state === 'UNKNOWN' && rawState && APACHE_RELEASED.has(rawState)
        ? 'SUCCEEDED'
        : state,
    details: compact({
      role: 'operator',
      operator: 'apache/spark-kubernetes-operator',
      runtimeVersions: strings(runtime),
      sparkVersion: s(runtime.sparkVersion),
      message: cap(s(current.message)),
      lastTransitionTime: iso(ms(current.lastTransitionTime)),
      stateTransitionHistory: history.slice(-50),
      workers: compact({
        initWorkers: n(instanceConfig.initWorkers),
        minWorkers: n(instanceConfig.minWorkers),
        maxWorkers: n(instanceConfig.maxWorkers),
      }),
      labels: strings(metadata.labels),
    }),
    updatedAt: updatedAt(raw),
  };
}

// ---- objects ----

/** The latest time the object mentions, so the same object always maps to the same record. */
function updatedAt(raw: Obj): string {
  const times: number[] = [];
  const visit = (value: unknown, key: string, depth: number) => {
    if (depth > 6) return;
    if (
      (typeof value === 'string' || value instanceof Date) &&
      /(Time|Timestamp|At|Run)$/.test(key)
    ) {
      const time = ms(value);
      if (time !== undefined) times.push(time);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key, depth + 1);
    } else if (value && typeof value === 'object' && !(value instanceof Date)) {
      for (const [k, v] of Object.entries(value)) visit(v, k, depth + 1);
    }
  };
  visit(o(raw.metadata).creationTimestamp, 'creationTimestamp', 0);
  visit(o(raw.metadata).deletionTimestamp, 'deletionTimestamp', 0);
  visit(raw.status, 'status', 0);
  return new Date(times.length ? Math.max(...times) : 0).toISOString();
}

/**
 * Maps a Kubernetes object (JSON as the API server returns it, or parsed from a manifest) to the
 * record the store keeps. `resource` names the resource when the object lacks apiVersion/kind
 * (items of a list of pods); undefined for objects that are not Spark resources.
 */
export function toSparkKubernetesObject(
  cluster: string,
  object: unknown,
  resource?: SparkResource,
): SparkKubernetesObject | undefined {
  const raw = o(object);
  const kind = resource ?? resourceOf(s(raw.apiVersion), s(raw.kind));
  if (!kind || !s(o(raw.metadata).name)) return undefined;
  switch (kind) {
    case sparkPods:
      return podObject(cluster, raw);
    case kubeflowSparkApplications:
      return kubeflowApplication(cluster, raw);
    case kubeflowScheduledSparkApplications:
      return kubeflowScheduled(cluster, raw);
    case apacheSparkApplications:
      return apacheApplication(cluster, raw);
    case apacheSparkClusters:
      return apacheCluster(cluster, raw);
    default:
      return undefined;
  }
}

// ---- app reports ----

/**
 * What one object says of its Spark app, kept small: the source stores the contributions of all
 * objects of an app and rebuilds the app's report from them when one changes.
 */
export interface SparkAppContribution {
  /** `<kind>/<namespace>/<name>`. */
  key: string;
  role: Role;
  state: SparkAppState;
  rawState?: string;
  /** The object is gone from the cluster; its failures still count, a live state no longer does. */
  deleted?: boolean;
  namespace: string;
  name?: string;
  sparkVersion?: string;
  user?: string;
  startTime?: number;
  endTime?: number;
  labels?: Record<string, string>;
  failures?: SparkFailure[];
  failureReason?: string;
}

export function objectKey(object: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return `${object.kind}/${object.namespace}/${object.name}`;
}

/** Labels that differ between pods of one app and say nothing about its owner. */
const PER_POD_LABELS = new Set([
  'spark-exec-id',
  'spark-exec-resourceprofile-id',
  'spark-role',
  'pod-template-hash',
]);

/** What an object contributes to its app's report; undefined when it belongs to no app. */
export function toAppContribution(
  object: SparkKubernetesObject,
): SparkAppContribution | undefined {
  if (!object.appId) return undefined;
  const details = object.details as Obj;
  const role = (s(details.role) ?? 'other') as Role;
  const keepLabels = role === 'operator' || role === 'driver';
  const failures = (details.failures as SparkFailure[] | undefined) ?? [];
  return compact({
    key: objectKey(object),
    role:
      role === 'driver' || role === 'executor' || role === 'operator'
        ? role
        : 'other',
    state: object.state,
    rawState: object.rawState,
    namespace: object.namespace,
    name: s(details.appName),
    sparkVersion: s(details.sparkVersion),
    user: s(details.proxyUser),
    startTime: ms(details.startTime),
    endTime: ms(details.endTime),
    labels: keepLabels
      ? Object.fromEntries(
          Object.entries(strings(details.labels)).filter(
            ([key]) => !PER_POD_LABELS.has(key),
          ),
        )
      : undefined,
    failures: [
      ...failures,
      ...((details.driverFailures as SparkFailure[] | undefined) ?? []),
    ],
    failureReason: s(details.failureReason),
  }) as SparkAppContribution;
}

function pickLatest(
  candidates: SparkAppContribution[],
): SparkAppContribution | undefined {
  return [...candidates].sort(
    (a, b) =>
      Number(a.deleted ?? false) - Number(b.deleted ?? false) ||
      (b.startTime ?? 0) - (a.startTime ?? 0),
  )[0];
}

/** "3 × JVM OutOfMemoryError (exit code 52), 1 × container OOMKilled (exit code 137)". */
function executorFailureSummary(
  contributions: SparkAppContribution[],
): string | undefined {
  const counts = new Map<string, number>();
  for (const c of contributions) {
    if (c.role !== 'executor') continue;
    const seen = new Set<string>();
    for (const f of c.failures ?? []) {
      const text =
        f.exitCode !== undefined || f.reason === 'OOMKilled'
          ? describeExit(
              f.reason === 'OOMKilled' ? 'OOMKilled' : undefined,
              f.exitCode,
            )
          : f.reason;
      if (seen.has(text)) continue;
      seen.add(text);
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  if (!counts.size) return undefined;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([text, count]) => `${count} × ${text}`)
    .join(', ');
}

/**
 * The report of one Spark app from what the cluster's objects of that app say: the operator's
 * object and the driver pod decide the state (a terminal state wins), executors add failures.
 */
export function toAppReport(
  cluster: string,
  appId: string,
  contributions: SparkAppContribution[],
): SparkAppReport {
  const operator = pickLatest(contributions.filter(c => c.role === 'operator'));
  const driver = pickLatest(contributions.filter(c => c.role === 'driver'));
  const executors = contributions.filter(c => c.role === 'executor');
  const deciding = [operator, driver].filter(
    (c): c is SparkAppContribution =>
      c !== undefined && (!c.deleted || TERMINAL.has(c.state)),
  );

  let state: SparkAppState;
  if (deciding.some(c => c.state === 'FAILED')) state = 'FAILED';
  else if (deciding.some(c => c.state === 'SUCCEEDED')) state = 'SUCCEEDED';
  else if (deciding.length) state = deciding[0].state;
  else {
    const live = executors.filter(c => !c.deleted);
    if (live.some(c => c.state === 'RUNNING')) state = 'RUNNING';
    else if (live.some(c => c.state === 'PENDING')) state = 'PENDING';
    else state = 'UNKNOWN';
  }

  const ordered = [operator, driver, ...executors].filter(
    (c): c is SparkAppContribution => c !== undefined,
  );
  const firstOf = <T>(pick: (c: SparkAppContribution) => T | undefined) =>
    ordered.map(pick).find(v => v !== undefined);

  const startTime =
    minOf([operator?.startTime, driver?.startTime]) ??
    minOf(executors.map(c => c.startTime));
  const endTime = TERMINAL.has(state)
    ? operator?.endTime ??
      driver?.endTime ??
      maxOf(executors.map(c => c.endTime))
    : undefined;

  const podsWithContribution = new Set(
    contributions.map(c => c.key.split('/').pop()),
  );
  const failures = new Map<string, SparkFailure>();
  for (const c of ordered) {
    for (const f of c.failures ?? []) {
      // The operator's executorState only says FAILED; the pod itself says why.
      if (
        c.role === 'operator' &&
        f.scope === 'pod' &&
        f.reason === 'FAILED' &&
        podsWithContribution.has(f.id)
      )
        continue;
      const key = `${f.scope}\u0000${f.id ?? ''}\u0000${f.reason}`;
      if (!failures.has(key)) failures.set(key, f);
    }
  }

  let failureReason: string | undefined;
  if (state === 'FAILED') {
    const primary = driver?.failureReason ?? operator?.failureReason;
    const executorSummary = executorFailureSummary(executors);
    failureReason =
      [primary, executorSummary ? `executors: ${executorSummary}` : undefined]
        .filter(Boolean)
        .join('; ') || undefined;
  }

  const labels: Record<string, string> = {
    ...(operator?.labels ?? {}),
    ...(driver?.labels ?? {}),
  };

  return compact({
    appId,
    attemptId: '',
    name: firstOf(c => c.name),
    state,
    sparkVersion: firstOf(c => c.sparkVersion),
    user: firstOf(c => c.user),
    cluster,
    namespace: firstOf(c => c.namespace),
    startTime,
    endTime,
    complete: TERMINAL.has(state),
    failureReason,
    labels,
    failures: [...failures.values()],
  }) as SparkAppReport;
}

/** Reports of every app the objects belong to (for manifests loaded without a cluster). */
export function toAppReports(
  objects: SparkKubernetesObject[],
): SparkAppReport[] {
  const byApp = new Map<
    string,
    { cluster: string; contributions: SparkAppContribution[] }
  >();
  for (const object of objects) {
    const contribution = toAppContribution(object);
    if (!contribution || !object.appId) continue;
    const key = `${object.cluster}\u0000${object.appId}`;
    const entry = byApp.get(key) ?? {
      cluster: object.cluster,
      contributions: [],
    };
    entry.contributions.push(contribution);
    byApp.set(key, entry);
  }
  return [...byApp.entries()].map(([key, entry]) =>
    toAppReport(entry.cluster, key.split('\u0000')[1], entry.contributions),
  );
}
