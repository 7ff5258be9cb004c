/**
 * The demo runs (one real Spark run each) and the Kubernetes objects a cluster keeps for such a
 * run: a kubeflow SparkApplication and its driver and executor pods. The runs are local-mode
 * Spark (there is no cluster here); the objects say what the spark-operator would have recorded
 * for them, with the run's own app id, times, state and executor losses.
 */
import { createHash } from 'node:crypto';
import type { SparkAppState } from '@spark-k8s/plugin-spark-common';

export interface DemoRun {
  /** Unique, stable: names the run in manifest.json. */
  id: string;
  script: string;
  spark: '4' | '3.5';
  /** The catalog Component the run belongs to; none for an ad-hoc sandbox query. */
  component?: string;
  namespace: string;
  expect: 'success' | 'failure' | 'in-progress';
  conf?: Record<string, string>;
  env?: Record<string, string>;
  master?: string;
  /** The job kills one of its executor JVMs once (needs a `local-cluster` master). */
  killExecutor?: boolean;
  executor: { instances: number; cores: number; memory: string };
}

/** Spark 3.5 writes one plain file unless told to compress; the demo covers each codec. */
const spark35Codec = (codec: 'lz4' | 'snappy' | 'zstd') => ({
  'spark.eventLog.compress': 'true',
  'spark.eventLog.compression.codec': codec,
});

const small = { instances: 2, cores: 1, memory: '2g' };

export const demoRuns: DemoRun[] = [
  {
    id: 'settlement-etl-1',
    script: 'settlement_etl.py',
    spark: '4',
    component: 'settlement-etl',
    namespace: 'payments-data',
    expect: 'success',
    executor: { instances: 2, cores: 2, memory: '4g' },
  },
  {
    id: 'settlement-etl-2',
    script: 'settlement_etl.py',
    spark: '4',
    component: 'settlement-etl',
    namespace: 'payments-data',
    expect: 'success',
    executor: { instances: 2, cores: 2, memory: '4g' },
  },
  {
    id: 'fraud-features-skewed-join',
    script: 'fraud_features.py',
    spark: '4',
    component: 'fraud-features',
    namespace: 'payments-data',
    expect: 'success',
    conf: {
      // Without AQE's skew handling and broadcast joins, one hot key lands in one task.
      'spark.sql.adaptive.enabled': 'false',
      'spark.sql.autoBroadcastJoinThreshold': '-1',
    },
    executor: { instances: 4, cores: 2, memory: '4g' },
  },
  {
    id: 'marketing-attribution-spill',
    script: 'marketing_attribution.py',
    spark: '3.5',
    component: 'marketing-attribution',
    namespace: 'growth-analytics',
    expect: 'success',
    conf: {
      ...spark35Codec('lz4'),
      // Little execution memory for a wide window sort: it spills to disk.
      'spark.driver.memory': '768m',
      'spark.memory.fraction': '0.1',
      'spark.sql.shuffle.partitions': '2',
      'spark.sql.adaptive.enabled': 'false',
    },
    executor: { instances: 3, cores: 2, memory: '8g' },
  },
  {
    id: 'clickstream-sessionizer-streaming',
    script: 'clickstream_sessionizer.py',
    spark: '4',
    component: 'clickstream-sessionizer',
    namespace: 'growth-analytics',
    expect: 'in-progress',
    env: { RUN_SECONDS: '14' },
    conf: { 'spark.sql.shuffle.partitions': '4' },
    executor: small,
  },
  {
    id: 'feature-backfill-executor-lost',
    script: 'feature_backfill.py',
    spark: '3.5',
    component: 'feature-backfill',
    namespace: 'ml-features',
    expect: 'success',
    master: 'local-cluster[2,1,1024]',
    killExecutor: true,
    conf: { ...spark35Codec('snappy'), 'spark.executor.memory': '512m' },
    executor: small,
  },
  {
    id: 'feature-backfill-failed',
    script: 'feature_backfill.py',
    spark: '4',
    component: 'feature-backfill',
    namespace: 'ml-features',
    expect: 'failure',
    // local[2,2]: two threads, and a task may fail twice before its job fails.
    master: 'local[2,2]',
    env: { FAIL: '1' },
    executor: small,
  },
  {
    id: 'sandbox-query',
    script: 'sandbox_query.py',
    spark: '3.5',
    namespace: 'spark-sandbox',
    expect: 'success',
    conf: { 'spark.sql.shuffle.partitions': '24' },
    executor: { instances: 1, cores: 1, memory: '1g' },
  },
];

/** What the ingested log says of a run. */
export interface RunFacts {
  appId: string;
  state: SparkAppState;
  startTime?: string;
  endTime?: string;
  failureReason?: string;
  executors: Array<{
    id: string;
    addTime?: string;
    removeTime?: string;
    removeReason?: string;
  }>;
}

const OPERATOR_STATE: Partial<Record<SparkAppState, string>> = {
  SUCCEEDED: 'COMPLETED',
  FAILED: 'FAILED',
  RUNNING: 'RUNNING',
};

/** A deterministic UID, so regenerating the same runs gives the same objects. */
function uid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

/** Spark's pod memory: the JVM heap plus max(384 MiB, 10 %) overhead. */
function podMemory(jvm: string): string {
  const mib = Number(jvm.replace(/g$/, '')) * 1024;
  return `${mib + Math.max(384, Math.ceil(mib * 0.1))}Mi`;
}

function meta(
  name: string,
  run: DemoRun,
  labels: Record<string, string>,
  created?: string,
) {
  return {
    name,
    namespace: run.namespace,
    uid: uid(`${run.id}/${name}`),
    creationTimestamp: created,
    labels: {
      ...(run.component ? { 'backstage.io/kubernetes-id': run.component } : {}),
      ...labels,
    },
  };
}

function container(
  role: 'driver' | 'executor',
  run: DemoRun,
  cores: number,
  memory: string,
) {
  return {
    name:
      role === 'driver'
        ? 'spark-kubernetes-driver'
        : 'spark-kubernetes-executor',
    image: `registry.example.com/spark-py:${
      run.spark === '4' ? '4.3.0' : '3.5.9'
    }`,
    resources: {
      requests: { cpu: String(cores), memory: podMemory(memory) },
      limits: { cpu: String(cores), memory: podMemory(memory) },
    },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

function containerStatus(
  name: string,
  state: 'running' | 'succeeded' | 'failed' | 'killed',
  started?: string,
  finished?: string,
) {
  let current: Record<string, unknown>;
  if (state === 'running') current = { running: { startedAt: started } };
  else {
    current = {
      terminated: {
        exitCode: { succeeded: 0, failed: 1, killed: 137 }[state],
        reason: state === 'succeeded' ? 'Completed' : 'Error',
        startedAt: started,
        finishedAt: finished,
      },
    };
  }
  return { name, ready: state === 'running', restartCount: 0, state: current };
}

/** The SparkApplication and pods a cluster keeps for one demo run. */
export function toKubernetesObjects(run: DemoRun, facts: RunFacts): unknown[] {
  const app = `${run.component ?? 'sandbox-query'}-${facts.appId
    .replace(/[^0-9]/g, '')
    .slice(-8)}`;
  const selector = {
    'spark-app-selector': facts.appId,
    'spark-app-name': app,
    'sparkoperator.k8s.io/app-name': app,
    'sparkoperator.k8s.io/launched-by-spark-operator': 'true',
  };
  const running = facts.state === 'RUNNING';
  // Kubernetes writes times in whole seconds.
  const time = (iso?: string) => iso?.replace(/\.\d+Z$/, 'Z');
  facts = {
    ...facts,
    startTime: time(facts.startTime),
    endTime: time(facts.endTime),
    executors: facts.executors.map(e => ({
      ...e,
      addTime: time(e.addTime),
      removeTime: time(e.removeTime),
    })),
  };
  const node = (i: number) => `pool-batch-${(i % 3) + 1}`;
  const driverPod = `${app}-driver`;
  let driverState: 'running' | 'succeeded' | 'failed' = 'failed';
  if (running) driverState = 'running';
  else if (facts.state === 'SUCCEEDED') driverState = 'succeeded';
  const driver = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(
      driverPod,
      run,
      { ...selector, 'spark-role': 'driver' },
      facts.startTime,
    ),
    spec: {
      serviceAccountName: 'spark',
      nodeName: node(0),
      restartPolicy: 'Never',
      containers: [container('driver', run, 1, '2g')],
    },
    status: {
      phase: { running: 'Running', succeeded: 'Succeeded', failed: 'Failed' }[
        driverState
      ],
      startTime: facts.startTime,
      containerStatuses: [
        containerStatus(
          'spark-kubernetes-driver',
          driverState,
          facts.startTime,
          facts.endTime,
        ),
      ],
    },
  };
  // Spark deletes executor pods when they end; a cluster keeps the running ones and, with
  // spark.kubernetes.executor.deleteOnTermination=false, the ones that were killed.
  const lost = facts.executors.filter(
    e => e.removeReason && !/stopped|finished|shutdown/i.test(e.removeReason),
  );
  const executorPods = (
    running
      ? Array.from({ length: run.executor.instances }, (_, i) => ({
          id: String(i + 1),
          addTime: facts.startTime,
          removeTime: undefined,
        }))
      : lost
  ).map((e, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(
      `${app}-exec-${e.id}`,
      run,
      { ...selector, 'spark-role': 'executor', 'spark-exec-id': e.id },
      e.addTime,
    ),
    spec: {
      serviceAccountName: 'spark',
      nodeName: node(i + 1),
      restartPolicy: 'Never',
      containers: [
        container('executor', run, run.executor.cores, run.executor.memory),
      ],
    },
    status: {
      phase: running ? 'Running' : 'Failed',
      startTime: e.addTime,
      containerStatuses: [
        containerStatus(
          'spark-kubernetes-executor',
          running ? 'running' : 'killed',
          e.addTime,
          e.removeTime,
        ),
      ],
    },
  }));
  const sparkApplication = {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: meta(app, run, {}, facts.startTime),
    spec: {
      type: 'Python',
      mode: 'cluster',
      sparkVersion: run.spark === '4' ? '4.3.0' : '3.5.9',
      image: `registry.example.com/spark-py:${
        run.spark === '4' ? '4.3.0' : '3.5.9'
      }`,
      mainApplicationFile: `local:///opt/app/${run.script}`,
      restartPolicy: { type: 'Never' },
      driver: { cores: 1, memory: '2g', serviceAccount: 'spark' },
      executor: run.executor,
    },
    status: {
      applicationState: {
        state: OPERATOR_STATE[facts.state] ?? 'UNKNOWN',
        ...(facts.state === 'FAILED'
          ? {
              errorMessage: `driver container failed with ExitCode: 1, Reason: Error (${
                facts.failureReason ?? 'the job failed'
              })`,
            }
          : {}),
      },
      sparkApplicationId: facts.appId,
      driverInfo: { podName: driverPod, webUIServiceName: `${app}-ui-svc` },
      executorState: Object.fromEntries(
        executorPods.map(p => [
          p.metadata.name,
          running ? 'RUNNING' : 'FAILED',
        ]),
      ),
      submissionAttempts: 1,
      executionAttempts: 1,
      lastSubmissionAttemptTime: facts.startTime,
      ...(running ? {} : { terminationTime: facts.endTime }),
    },
  };
  return [sparkApplication, driver, ...executorPods];
}
