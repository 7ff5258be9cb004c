/**
 * The troubleshooting wizard as data: a tree of questions whose answers lead to a runbook. Each
 * answer says which facts prove it (diagnoses that fired, failure messages, the app's state,
 * earlier runs), so the wizard answers from the data what it can and asks people only the rest.
 */
import type {
  RunbookId,
  SparkAppState,
  SparkAppSummary,
  SparkDiagnosis,
  SparkDiagnosisSeverity,
  SparkFailure,
  SparkKubernetesObject,
} from '@spark-k8s/plugin-spark-common';
import { isRunbookId } from '@spark-k8s/plugin-spark-common';
import {
  RUNBOOK_VALUE_PATTERN,
  type RunbookVariable,
} from './runbookVariables';

/** What the wizard knows of one app; every field may be empty when it starts from a symptom. */
export interface TroubleshootingFacts {
  app?: SparkAppSummary;
  failures: SparkFailure[];
  kubernetes: SparkKubernetesObject[];
  /** Findings of the diagnosis rules; empty when the portal runs no diagnosis engine. */
  diagnoses: SparkDiagnosis[];
  /** Earlier successful runs of the same Component, newest first. */
  earlierRuns: SparkAppSummary[];
}

/** A fact that answered a question, with what people need to check it. */
export type TroubleshootingEvidence =
  | { kind: 'state'; state: SparkAppState | 'SUBMISSION_FAILED' }
  | { kind: 'diagnosis'; diagnosis: SparkDiagnosis }
  | { kind: 'message'; where: string; message: string }
  | { kind: 'pendingPod'; pod: string; reason?: string }
  | { kind: 'noPods'; object: string }
  | { kind: 'duration'; ratio: number; runs: number }
  | { kind: 'cost'; ratio: number; runs: number };

/** One answer of a question: where it leads, and which facts prove it. */
interface TroubleshootingOption {
  id: string;
  /** A runbook ends the walk; a question id goes on. */
  next: { runbook: RunbookId } | { question: QuestionId };
  /** Diagnoses with these runbooks prove this answer (and the diagnosis's runbook ends the walk). */
  runbooks?: readonly RunbookId[];
  /** Failure or Kubernetes messages matching one of these prove it. */
  messages?: readonly RegExp[];
  /** Facts that prove it in other ways. */
  proof?: (facts: TroubleshootingFacts) => TroubleshootingEvidence | undefined;
  /** Offered only when the wizard started without an app. */
  withoutApp?: boolean;
}

interface TroubleshootingQuestion {
  id: QuestionId;
  options: readonly TroubleshootingOption[];
}

const runbook = (id: RunbookId) => ({ runbook: id });
const question = (id: QuestionId) => ({ question: id });

/** Question ids, also the names of the URL parameters that hold their answers. */
export const QUESTION_IDS = [
  'symptom',
  'failedWhere',
  'podsWhy',
  'executorsWhy',
  'errorKind',
  'stuckWhere',
  'slowWhere',
  'slowBaseline',
  'expensiveWhy',
  'lateWhy',
  'notebookWhat',
  'historyWhat',
] as const;

/** One of {@link QUESTION_IDS}. */
export type QuestionId = (typeof QUESTION_IDS)[number];

const failedStates = (state: SparkAppState | 'SUBMISSION_FAILED') =>
  state === 'FAILED' || state === 'SUBMISSION_FAILED';

/** How many times slower (or dearer) than the median of earlier runs counts as "more than usual". */
const REGRESSION_RATIO = 1.5;
/** Within this ratio of the median of earlier runs, a run is as slow as it always was. */
const AS_USUAL_RATIO = 1.2;

const QUESTIONS: Record<QuestionId, TroubleshootingQuestion> = {
  symptom: {
    id: 'symptom',
    options: [
      {
        id: 'failed',
        next: question('failedWhere'),
        proof: facts => stateProof(facts, failedStates),
      },
      {
        id: 'stuck',
        next: question('stuckWhere'),
        proof: facts =>
          stateProof(facts, s => s === 'PENDING' || s === 'SUBMITTED'),
      },
      { id: 'slow', next: question('slowWhere') },
      { id: 'expensive', next: question('expensiveWhy') },
      { id: 'late', next: question('lateWhy') },
      { id: 'notebook', next: question('notebookWhat'), withoutApp: true },
      {
        id: 'airflow',
        next: runbook('airflow-spark-task-failure'),
        withoutApp: true,
      },
      { id: 'history', next: question('historyWhat'), withoutApp: true },
    ],
  },
  failedWhere: {
    id: 'failedWhere',
    options: [
      {
        id: 'pods',
        next: question('podsWhy'),
        runbooks: [
          'operator-submission-failed',
          'pod-security-rejected',
          'openshift-scc-rejected',
          'image-pull-error',
          'bad-entrypoint',
          'rbac-forbidden',
          'resource-quota-exceeded',
          'pods-unschedulable',
        ],
        proof: facts =>
          stateProof(facts, state => state === 'SUBMISSION_FAILED'),
      },
      {
        id: 'executors',
        next: question('executorsWhy'),
        runbooks: [
          'executor-oom-killed',
          'memory-overhead-too-small',
          'executor-lost',
          'spot-node-loss',
          'executor-heartbeat-timeout',
          'executor-decommissioning',
        ],
      },
      {
        id: 'code',
        next: question('errorKind'),
        runbooks: [
          'task-failures-high',
          'repeated-failures',
          'driver-jvm-oom',
          'executor-jvm-oom',
          'fetch-failures',
          'broadcast-too-large',
          'spark-4-upgrade',
        ],
        proof: facts => {
          const failure = facts.failures.find(
            f => ['task', 'stage', 'job', 'app'].includes(f.scope) && f.message,
          );
          return failure && messageEvidence(failure);
        },
      },
    ],
  },
  podsWhy: {
    id: 'podsWhy',
    options: [
      {
        id: 'podSecurity',
        next: runbook('pod-security-rejected'),
        runbooks: ['pod-security-rejected'],
        messages: [/violates PodSecurity/i],
      },
      {
        id: 'scc',
        next: runbook('openshift-scc-rejected'),
        runbooks: ['openshift-scc-rejected'],
        messages: [/security context constraint/i],
      },
      {
        id: 'quota',
        next: runbook('resource-quota-exceeded'),
        runbooks: ['resource-quota-exceeded'],
        messages: [/exceeded quota/i],
      },
      {
        id: 'rbac',
        next: runbook('rbac-forbidden'),
        runbooks: ['rbac-forbidden'],
        messages: [
          /forbidden: User /i,
          /cannot (create|get|list|watch) resource/i,
        ],
      },
      {
        id: 'imagePull',
        next: runbook('image-pull-error'),
        runbooks: ['image-pull-error'],
        messages: [/ImagePullBackOff|ErrImagePull|InvalidImageName/],
      },
      {
        id: 'scheduling',
        next: runbook('pods-unschedulable'),
        runbooks: ['pods-unschedulable'],
        messages: [/FailedScheduling|Insufficient (cpu|memory)|Unschedulable/],
      },
      {
        id: 'crash',
        next: runbook('bad-entrypoint'),
        runbooks: ['bad-entrypoint'],
        messages: [
          /CrashLoopBackOff|exec format error|executable file not found/i,
        ],
      },
      {
        id: 'operator',
        next: runbook('operator-submission-failed'),
        runbooks: ['operator-submission-failed'],
      },
    ],
  },
  executorsWhy: {
    id: 'executorsWhy',
    options: [
      {
        id: 'oomKilled',
        next: runbook('executor-oom-killed'),
        runbooks: ['executor-oom-killed', 'memory-overhead-too-small'],
        messages: [/OOMKilled/],
      },
      {
        id: 'nodeLost',
        next: runbook('spot-node-loss'),
        runbooks: ['spot-node-loss'],
        messages: [/node (was )?(lost|removed|preempted)|spot/i],
      },
      {
        id: 'heartbeat',
        next: runbook('executor-heartbeat-timeout'),
        runbooks: ['executor-heartbeat-timeout'],
        messages: [/heartbeat/i],
      },
      {
        id: 'decommissioned',
        next: runbook('executor-decommissioning'),
        runbooks: ['executor-decommissioning'],
        messages: [/decommission/i],
      },
      {
        id: 'other',
        next: runbook('executor-lost'),
        runbooks: ['executor-lost'],
      },
    ],
  },
  errorKind: {
    id: 'errorKind',
    options: [
      {
        id: 'driverOom',
        next: runbook('driver-jvm-oom'),
        runbooks: ['driver-jvm-oom', 'driver-oom-killed'],
      },
      {
        id: 'executorOom',
        next: runbook('executor-jvm-oom'),
        runbooks: ['executor-jvm-oom'],
        messages: [/java\.lang\.OutOfMemoryError/],
      },
      {
        id: 'shuffle',
        next: runbook('fetch-failures'),
        runbooks: ['fetch-failures', 'shuffle-service-missing'],
        messages: [/FetchFailed/],
      },
      {
        id: 'disk',
        next: runbook('local-disk-full'),
        runbooks: ['local-disk-full'],
        messages: [/No space left on device/i],
      },
      {
        id: 's3Denied',
        next: runbook('s3-access-denied'),
        messages: [/AccessDenied|Status Code: 403|403 Forbidden/],
      },
      {
        id: 's3Throttled',
        next: runbook('s3-throttling'),
        messages: [/SlowDown|Status Code: 503/],
      },
      {
        id: 'iceberg',
        next: runbook('iceberg-commit-failure'),
        messages: [/CommitFailedException|CommitStateUnknownException/],
      },
      {
        id: 'metastore',
        next: runbook('hive-metastore-unavailable'),
        messages: [/MetaException|Could not connect to meta store/i],
      },
      {
        id: 'broadcast',
        next: runbook('broadcast-too-large'),
        runbooks: ['broadcast-too-large'],
        messages: [/Cannot broadcast the table/i],
      },
      {
        id: 'upgrade',
        next: runbook('spark-4-upgrade'),
        runbooks: ['spark-4-upgrade'],
      },
      {
        id: 'code',
        next: runbook('task-failures-high'),
        runbooks: ['task-failures-high', 'repeated-failures'],
        messages: [/PythonException|Traceback \(most recent call last\)/],
      },
    ],
  },
  stuckWhere: {
    id: 'stuckWhere',
    options: [
      {
        id: 'noPods',
        next: runbook('operator-not-reconciling'),
        runbooks: ['operator-not-reconciling'],
        proof: facts => {
          const application = facts.kubernetes.find(isSparkApplication);
          const pods = facts.kubernetes.filter(o => o.kind === 'Pod');
          return application && pods.length === 0
            ? {
                kind: 'noPods',
                object: `${application.namespace}/${application.name}`,
              }
            : undefined;
        },
      },
      {
        id: 'pending',
        next: question('podsWhy'),
        runbooks: [
          'pods-unschedulable',
          'resource-quota-exceeded',
          'image-pull-error',
        ],
        proof: facts => {
          const pod = facts.kubernetes.find(
            o => o.kind === 'Pod' && o.rawState === 'Pending',
          );
          return pod
            ? {
                kind: 'pendingPod',
                pod: `${pod.namespace}/${pod.name}`,
                reason: pendingReason(pod),
              }
            : undefined;
        },
      },
      {
        id: 'running',
        next: runbook('job-stuck'),
        runbooks: ['job-stuck'],
      },
    ],
  },
  slowWhere: {
    id: 'slowWhere',
    options: [
      {
        id: 'skew',
        next: runbook('data-skew'),
        runbooks: ['data-skew'],
      },
      {
        id: 'spill',
        next: runbook('spill'),
        runbooks: ['spill', 'excessive-gc', 'driver-heap-pressure'],
      },
      {
        id: 'tinyTasks',
        next: runbook('too-many-small-tasks'),
        runbooks: ['too-many-small-tasks', 'small-files'],
      },
      {
        id: 'fewTasks',
        next: runbook('too-few-partitions'),
        runbooks: ['too-few-partitions'],
      },
      {
        id: 'waiting',
        next: runbook('executors-below-requested'),
        runbooks: [
          'executors-below-requested',
          'dynamic-allocation-not-scaling',
          'pods-unschedulable',
          'scheduler-delay',
        ],
      },
      {
        id: 'driver',
        next: runbook('driver-bottleneck'),
        runbooks: ['driver-bottleneck', 'broadcast-too-large'],
      },
      {
        id: 'retries',
        next: runbook('executor-lost'),
        runbooks: [
          'executor-lost',
          'spot-node-loss',
          'fetch-failures',
          'task-failures-high',
          'executor-oom-killed',
        ],
      },
      { id: 'unknown', next: question('slowBaseline') },
    ],
  },
  slowBaseline: {
    id: 'slowBaseline',
    options: [
      {
        id: 'regression',
        next: runbook('duration-regression'),
        proof: facts => {
          const evidence = ratioToEarlierRuns(facts, run => run.durationMs);
          return evidence && evidence.ratio >= REGRESSION_RATIO
            ? { kind: 'duration', ...evidence }
            : undefined;
        },
      },
      {
        id: 'always',
        next: runbook('too-few-partitions'),
        proof: facts => {
          const evidence = ratioToEarlierRuns(facts, run => run.durationMs);
          return evidence && evidence.ratio <= AS_USUAL_RATIO
            ? { kind: 'duration', ...evidence }
            : undefined;
        },
      },
    ],
  },
  expensiveWhy: {
    id: 'expensiveWhy',
    options: [
      {
        id: 'idle',
        next: runbook('idle-executors'),
        runbooks: ['idle-executors', 'dynamic-allocation-not-scaling'],
      },
      {
        id: 'grew',
        next: runbook('cost-spike'),
        proof: facts => {
          const evidence = ratioToEarlierRuns(facts, run => run.cost?.amount);
          return evidence && evidence.ratio >= REGRESSION_RATIO
            ? { kind: 'cost', ...evidence }
            : undefined;
        },
      },
      { id: 'unknown', next: runbook('cost-spike') },
    ],
  },
  lateWhy: {
    id: 'lateWhy',
    options: [
      { id: 'deadline', next: runbook('deadline-missed') },
      { id: 'stale', next: runbook('stale-data') },
      { id: 'scheduled', next: runbook('scheduled-run-missed') },
      { id: 'burn', next: runbook('slo-burn-rate-page') },
    ],
  },
  notebookWhat: {
    id: 'notebookWhat',
    options: [
      { id: 'connect', next: runbook('spark-connect-unavailable') },
      { id: 'session', next: runbook('jupyter-spark-session') },
    ],
  },
  historyWhat: {
    id: 'historyWhat',
    options: [
      { id: 'slow', next: runbook('history-server-slow') },
      { id: 'missing', next: runbook('event-log-storage') },
    ],
  },
};

/** One answered question of a walk: by the data (with its evidence) or by the person. */
export interface TroubleshootingStep {
  question: QuestionId;
  answer: string;
  answeredBy: 'data' | 'you';
  evidence?: TroubleshootingEvidence;
}

/** Where a walk stands: the answered questions, then either the next question or a runbook. */
export interface TroubleshootingWalk {
  steps: TroubleshootingStep[];
  /** The question to ask next, with the answers that fit this app. */
  next?: { question: QuestionId; options: string[] };
  /** The runbook the walk ends at, and the diagnosis that led there, if one did. */
  conclusion?: { runbookId: RunbookId; diagnosis?: SparkDiagnosis };
  /** Other runbooks the diagnoses point at, for the reader who wants to look further. */
  alsoRelevant: RunbookId[];
}

const SEVERITY_ORDER: Record<SparkDiagnosisSeverity, number> = {
  critical: 0,
  warning: 1,
  info: 2,
};

/**
 * Walks the tree from the symptom: answers each question from the facts when they prove one
 * answer, else from `answers` (the person's), and stops at the first question neither answers.
 */
export function troubleshoot(
  facts: TroubleshootingFacts,
  answers: Partial<Record<QuestionId, string>>,
): TroubleshootingWalk {
  const steps: TroubleshootingStep[] = [];
  const diagnoses = [...facts.diagnoses].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  let current: QuestionId = 'symptom';
  for (;;) {
    const node: TroubleshootingQuestion = QUESTIONS[current];
    const given: string | undefined = answers[current];
    const options: TroubleshootingOption[] = node.options.filter(
      o => !o.withoutApp || !facts.app,
    );
    const proven: ProvenAnswer | undefined = facts.app
      ? proveAnswer(options, facts, diagnoses)
      : undefined;
    const chosen: TroubleshootingOption | undefined =
      proven?.option ?? options.find(o => o.id === given);
    if (!chosen) {
      return {
        steps,
        next: { question: current, options: options.map(o => o.id) },
        alsoRelevant: relevantRunbooks(diagnoses),
      };
    }
    steps.push({
      question: current,
      answer: chosen.id,
      answeredBy: proven ? 'data' : 'you',
      evidence: proven?.evidence,
    });
    if ('question' in chosen.next) {
      current = chosen.next.question;
      continue;
    }
    const diagnosis =
      proven?.evidence?.kind === 'diagnosis'
        ? proven.evidence.diagnosis
        : undefined;
    const runbookId =
      diagnosis?.runbookId && isRunbookId(diagnosis.runbookId)
        ? diagnosis.runbookId
        : chosen.next.runbook;
    return {
      steps,
      conclusion: { runbookId, diagnosis },
      alsoRelevant: relevantRunbooks(diagnoses).filter(id => id !== runbookId),
    };
  }
}

interface ProvenAnswer {
  option: TroubleshootingOption;
  evidence: TroubleshootingEvidence;
}

/** The answer the facts prove, trying the most severe diagnosis first, then messages and the rest. */
function proveAnswer(
  options: readonly TroubleshootingOption[],
  facts: TroubleshootingFacts,
  diagnoses: SparkDiagnosis[],
): ProvenAnswer | undefined {
  for (const diagnosis of diagnoses) {
    const option = options.find(o =>
      o.runbooks?.some(id => id === diagnosis.runbookId),
    );
    if (option) return { option, evidence: { kind: 'diagnosis', diagnosis } };
  }
  const messages = messagesOf(facts);
  for (const option of options) {
    const match = messages.find(m =>
      option.messages?.some(pattern => pattern.test(m.message)),
    );
    if (match) return { option, evidence: match };
    const evidence = option.proof?.(facts);
    if (evidence) return { option, evidence };
  }
  return undefined;
}

function relevantRunbooks(diagnoses: SparkDiagnosis[]): RunbookId[] {
  const ids = diagnoses
    .map(d => d.runbookId)
    .filter((id): id is RunbookId => !!id && isRunbookId(id));
  return [...new Set(ids)];
}

function stateProof(
  facts: TroubleshootingFacts,
  test: (state: SparkAppState | 'SUBMISSION_FAILED') => boolean,
): TroubleshootingEvidence | undefined {
  if (!facts.app) return undefined;
  const state = facts.kubernetes.some(o => o.rawState === 'SUBMISSION_FAILED')
    ? 'SUBMISSION_FAILED'
    : facts.app.state;
  return test(state) ? { kind: 'state', state } : undefined;
}

function isSparkApplication(object: SparkKubernetesObject): boolean {
  return object.kind.startsWith('SparkApplication');
}

/** Failure messages of the app and its Kubernetes objects, each with where it was read. */
function messagesOf(
  facts: TroubleshootingFacts,
): Array<TroubleshootingEvidence & { kind: 'message' }> {
  const fromFailures = facts.failures
    .filter(f => f.message || f.reason)
    .map(messageEvidence);
  const fromObjects = facts.kubernetes.flatMap(object => {
    const texts = [
      object.details.failureReason,
      object.details.errorMessage,
      object.details.message,
      object.details.reason,
      ...conditionMessages(object),
    ].filter((text): text is string => typeof text === 'string' && !!text);
    return texts.map(message => ({
      kind: 'message' as const,
      where: `${object.kind.split('.')[0]} ${object.namespace}/${object.name}`,
      message,
    }));
  });
  return [...fromFailures, ...fromObjects];
}

function messageEvidence(
  failure: SparkFailure,
): TroubleshootingEvidence & { kind: 'message' } {
  return {
    kind: 'message',
    where: failure.id ? `${failure.scope} ${failure.id}` : failure.scope,
    message: [failure.reason, failure.message].filter(Boolean).join(': '),
  };
}

function conditionMessages(object: SparkKubernetesObject): string[] {
  const conditions = object.details.conditions;
  if (!Array.isArray(conditions)) return [];
  return conditions.flatMap(c =>
    c && typeof c === 'object'
      ? [
          (c as Record<string, unknown>).reason,
          (c as Record<string, unknown>).message,
        ].filter((text): text is string => typeof text === 'string')
      : [],
  );
}

function pendingReason(pod: SparkKubernetesObject): string | undefined {
  const texts = conditionMessages(pod);
  return texts.find(text => text !== 'Unschedulable') ?? texts[0];
}

/** This run's value over the median of the same value in earlier runs. */
function ratioToEarlierRuns(
  facts: TroubleshootingFacts,
  value: (run: SparkAppSummary) => number | undefined,
): { ratio: number; runs: number } | undefined {
  const own = facts.app && value(facts.app);
  const earlier = facts.earlierRuns
    .map(value)
    .filter((v): v is number => v !== undefined && v > 0)
    .sort((a, b) => a - b);
  if (!own || earlier.length === 0) return undefined;
  const middle = Math.floor(earlier.length / 2);
  const median =
    earlier.length % 2
      ? earlier[middle]
      : (earlier[middle - 1] + earlier[middle]) / 2;
  return { ratio: own / median, runs: earlier.length };
}

/** The app's own values for the runbook variables, where the stored objects tell them. */
export function runbookValues(
  facts: TroubleshootingFacts,
): Partial<Record<RunbookVariable, string>> {
  const { app, kubernetes } = facts;
  const pods = kubernetes.filter(o => o.kind === 'Pod');
  const role = (pod: SparkKubernetesObject) => pod.details.role;
  const driver = pods.find(pod => role(pod) === 'driver');
  const executors = pods.filter(pod => role(pod) === 'executor');
  const troubled =
    pods.find(pod => pod.rawState === 'Pending') ??
    pods.find(pod => pod.state === 'FAILED');
  const application = kubernetes.find(isSparkApplication);
  const values: Partial<Record<RunbookVariable, string>> = {
    NS: app?.namespace ?? kubernetes[0]?.namespace,
    APP_ID: app && !app.id.startsWith('k8s:') ? app.id : undefined,
    APP: application?.name,
    DRIVER_POD: driver?.name,
    EXECUTOR_POD: (
      executors.find(pod => pod.state === 'FAILED') ?? executors[0]
    )?.name,
    POD: (troubled ?? driver)?.name,
    SA: stringField(driver, 'serviceAccountName'),
    IMAGE: imageOf(driver) ?? stringField(application, 'image'),
  };
  return Object.fromEntries(
    Object.entries(values).filter(
      ([, value]) => value !== undefined && RUNBOOK_VALUE_PATTERN.test(value),
    ),
  );
}

function stringField(
  object: SparkKubernetesObject | undefined,
  field: string,
): string | undefined {
  const value = object?.details[field];
  return typeof value === 'string' ? value : undefined;
}

function imageOf(pod: SparkKubernetesObject | undefined): string | undefined {
  const containers = pod?.details.containers;
  if (!Array.isArray(containers)) return undefined;
  const first = containers.find(
    c => c && typeof c === 'object' && !(c as Record<string, unknown>).init,
  ) as Record<string, unknown> | undefined;
  return typeof first?.image === 'string' ? first.image : undefined;
}
