import { loadAllYaml } from '@kubernetes/client-node';
import type { SparkKubernetesObject } from '@spark-k8s/plugin-spark-common';
import fs from 'node:fs';
import path from 'node:path';
import {
  apacheSparkAppId,
  toAppContribution,
  toAppReport,
  toAppReports,
  toSparkKubernetesObject,
} from './mapping';
import { parseQuantity } from './quantity';
import { sparkPods } from './resources';

/** Objects of a fixture as the API server sends them (JSON), in file order. */
function fixture(name: string): Array<Record<string, any>> {
  const text = fs.readFileSync(
    path.join(__dirname, '__fixtures__', 'objects', name),
    'utf8',
  );
  return JSON.parse(JSON.stringify(loadAllYaml(text)));
}

function mapAll(name: string, cluster = 'prod-eu'): SparkKubernetesObject[] {
  return fixture(name).map(raw => {
    const object = toSparkKubernetesObject(cluster, raw);
    if (!object)
      throw new Error(`not mapped: ${raw.kind} ${raw.metadata.name}`);
    return object;
  });
}

function byName(objects: SparkKubernetesObject[], name: string) {
  const found = objects.find(o => o.name === name);
  if (!found) throw new Error(`no object ${name}`);
  return found;
}

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['4505Mi', 4505 * 2 ** 20],
    ['5Gi', 5 * 2 ** 30],
    ['128M', 128e6],
    ['2e3', 2000],
    [3, 3],
  ])('%s is %d', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 6);
  });

  it('rejects what is not a quantity', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('5 Gi')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });
});

describe('kubeflow spark-operator objects', () => {
  const objects = mapAll('kubeflow-driver-oom.yaml');
  const app = byName(objects, 'nightly-aggregation-1763600400');
  const driver = byName(objects, 'nightly-aggregation-1763600400-driver');
  const exec1 = byName(
    objects,
    'nightly-aggregation-1763600400-8f2a6b1c9d0e4f37-exec-1',
  );

  it('maps a failed SparkApplication with its attempts, driver info and sizing', () => {
    expect(app).toMatchObject({
      cluster: 'prod-eu',
      namespace: 'payments',
      kind: 'SparkApplication.sparkoperator.k8s.io',
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      uid: '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      appId: 'spark-8a1b2c3d4e5f40718293a4b5c6d7e8f9',
      rawState: 'FAILED',
      state: 'FAILED',
      updatedAt: '2026-11-20T01:12:44.000Z',
    });
    expect(app.details).toMatchObject({
      role: 'operator',
      sparkVersion: '3.5.9',
      errorMessage:
        'driver container failed with ExitCode: 137, Reason: OOMKilled',
      attempts: {
        submissionAttempts: 1,
        executionAttempts: 1,
        lastSubmissionAttemptTime: '2026-11-20T01:00:05.000Z',
      },
      terminationTime: '2026-11-20T01:12:44.000Z',
      driverInfo: {
        podName: 'nightly-aggregation-1763600400-driver',
        webUIServiceName: 'nightly-aggregation-1763600400-ui-svc',
      },
      executors: {
        byState: { FAILED: 1, COMPLETED: 1 },
        failed: ['nightly-aggregation-1763600400-8f2a6b1c9d0e4f37-exec-1'],
      },
      driver: { cores: 1, coreLimit: '1200m', memory: '2g' },
      executor: { instances: 2, cores: 2, memory: '4g', memoryOverhead: '1g' },
      restartPolicy: { type: 'Never' },
      scheduledBy: 'nightly-aggregation',
    });
  });

  it('maps the OOMKilled driver pod: phase, node, requests, termination', () => {
    expect(driver).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
      appId: 'spark-8a1b2c3d4e5f40718293a4b5c6d7e8f9',
      rawState: 'Failed',
      state: 'FAILED',
    });
    expect(driver.details).toMatchObject({
      role: 'driver',
      phase: 'Failed',
      nodeName: 'ip-10-0-3-17.eu-west-1.compute.internal',
      qosClass: 'Burstable',
      startTime: '2026-11-20T01:00:07.000Z',
      endTime: '2026-11-20T01:12:41.000Z',
      restarts: 0,
      requests: { cpu: 1, memoryBytes: 2432 * 2 ** 20 },
      limits: { cpu: 1.2, memoryBytes: 2432 * 2 ** 20 },
      containers: [
        {
          name: 'spark-kubernetes-driver',
          requests: { cpu: '1', memory: '2432Mi' },
          limits: { cpu: '1200m', memory: '2432Mi' },
          state: 'terminated',
          reason: 'OOMKilled',
          exitCode: 137,
          finishedAt: '2026-11-20T01:12:41.000Z',
        },
      ],
      sparkLabels: {
        'spark-role': 'driver',
        'sparkoperator.k8s.io/app-name': 'nightly-aggregation-1763600400',
      },
      failureReason: 'driver container OOMKilled (exit code 137)',
    });
    expect(driver.details.failures).toEqual([
      {
        scope: 'pod',
        id: 'nightly-aggregation-1763600400-driver',
        reason: 'OOMKilled',
        message: 'driver container OOMKilled (exit code 137)',
        count: 1,
        exitCode: 137,
        time: '2026-11-20T01:12:41.000Z',
      },
    ]);
  });

  it('says what exit code 52 of an executor means', () => {
    expect(exec1.details.failures).toEqual([
      expect.objectContaining({
        reason: 'exit code 52',
        exitCode: 52,
        message: 'executor 1 JVM OutOfMemoryError (exit code 52)',
      }),
    ]);
    expect(exec1.details.executorId).toBe('1');
  });

  it('maps the ScheduledSparkApplication', () => {
    const scheduled = byName(objects, 'nightly-aggregation');
    expect(scheduled).toMatchObject({
      kind: 'ScheduledSparkApplication.sparkoperator.k8s.io',
      rawState: 'Scheduled',
      state: 'RUNNING',
    });
    expect(scheduled.appId).toBeUndefined();
    expect(scheduled.details).toMatchObject({
      schedule: '0 1 * * *',
      concurrencyPolicy: 'Forbid',
      lastRunName: 'nightly-aggregation-1763600400',
      nextRun: '2026-11-21T01:00:00.000Z',
      pastFailedRunNames: ['nightly-aggregation-1763600400'],
    });
  });

  it('reports the app: failed, why, which pods failed, owner labels', () => {
    const [report] = toAppReports(objects);
    expect(report).toEqual({
      appId: 'spark-8a1b2c3d4e5f40718293a4b5c6d7e8f9',
      attemptId: '',
      name: 'nightly-aggregation-1763600400',
      state: 'FAILED',
      sparkVersion: '3.5.9',
      cluster: 'prod-eu',
      namespace: 'payments',
      startTime: Date.parse('2026-11-20T01:00:05Z'),
      endTime: Date.parse('2026-11-20T01:12:44Z'),
      complete: true,
      failureReason:
        'driver container OOMKilled (exit code 137); executors: 1 × JVM OutOfMemoryError (exit code 52)',
      labels: expect.objectContaining({
        'backstage.io/kubernetes-id': 'nightly-aggregation',
        'spark-app-selector': 'spark-8a1b2c3d4e5f40718293a4b5c6d7e8f9',
        'sparkoperator.k8s.io/app-name': 'nightly-aggregation-1763600400',
      }),
      failures: [
        {
          scope: 'operator',
          id: 'payments/nightly-aggregation-1763600400',
          reason: 'FAILED',
          message:
            'driver container failed with ExitCode: 137, Reason: OOMKilled',
          count: 1,
          time: '2026-11-20T01:12:44.000Z',
        },
        expect.objectContaining({
          scope: 'pod',
          id: 'nightly-aggregation-1763600400-driver',
          reason: 'OOMKilled',
        }),
        expect.objectContaining({
          scope: 'pod',
          id: 'nightly-aggregation-1763600400-8f2a6b1c9d0e4f37-exec-1',
          reason: 'exit code 52',
        }),
      ],
    });
    // Per-pod labels do not leak into the app's labels.
    expect(report.labels).not.toHaveProperty('spark-role');
  });

  it('maps typed objects (Dates from a typed client) like JSON', () => {
    const typed = loadAllYaml(
      fs.readFileSync(
        path.join(__dirname, '__fixtures__/objects/kubeflow-driver-oom.yaml'),
        'utf8',
      ),
    );
    expect(typed.map(o => toSparkKubernetesObject('prod-eu', o))).toEqual(
      objects,
    );
  });
});

describe('spark-submit pods', () => {
  const objects = mapAll('spark-submit.yaml');

  it('reports a succeeded app from its driver pod alone', () => {
    const report = toAppReports(objects).find(
      r => r.appId === 'spark-3f1c9e2ab4d84f0c9a7d5e6b1c2d3e4f',
    );
    expect(report).toEqual({
      appId: 'spark-3f1c9e2ab4d84f0c9a7d5e6b1c2d3e4f',
      attemptId: '',
      name: 'settlement-etl',
      state: 'SUCCEEDED',
      sparkVersion: '4.0.1',
      cluster: 'prod-eu',
      namespace: 'payments',
      startTime: Date.parse('2026-11-20T02:00:03Z'),
      endTime: Date.parse('2026-11-20T02:21:40Z'),
      complete: true,
      labels: {
        'app.kubernetes.io/part-of': 'settlement',
        'spark-app-name': 'settlement-etl',
        'spark-app-selector': 'spark-3f1c9e2ab4d84f0c9a7d5e6b1c2d3e4f',
        'spark-version': '4.0.1',
      },
    });
  });

  it('keeps a running app running when an executor dies, and lists why', () => {
    const report = toAppReports(objects).find(
      r => r.appId === 'spark-7d0e1f2a3b4c5d6e7f8091a2b3c4d5e6',
    )!;
    expect(report.state).toBe('RUNNING');
    expect(report.complete).toBe(false);
    expect(report.endTime).toBeUndefined();
    expect(report.failureReason).toBeUndefined();
    expect(report.failures).toEqual([
      expect.objectContaining({
        id: 'sessionize-7d0e1f2a3b4c5d6e-driver',
        reason: 'OOMKilled',
        count: 2,
        message:
          'driver (container log-shipper) container OOMKilled (exit code 137), restarted 2 time(s)',
      }),
      expect.objectContaining({
        id: 'sessionize-7d0e1f2a3b4c5d6e-exec-1',
        reason: 'exit code 52',
      }),
    ]);
  });

  it('computes effective requests with sidecars, init containers and GPUs', () => {
    const driver = byName(objects, 'sessionize-7d0e1f2a3b4c5d6e-driver');
    // max(sum of containers, largest init container) per resource.
    expect(driver.details.requests).toEqual({
      cpu: 2.1,
      memoryBytes: 10 * 2 ** 30,
    });
    expect(driver.details.limits).toEqual({
      cpu: 2,
      memoryBytes: 8 * 2 ** 30 + 128 * 2 ** 20,
    });
    expect(driver.details.restarts).toBe(2);
    const executor = byName(objects, 'sessionize-7d0e1f2a3b4c5d6e-exec-1');
    expect(executor.details.requests).toEqual({
      cpu: 4,
      memoryBytes: 17612 * 2 ** 20,
      gpu: 1,
    });
  });
});

describe('Apache Spark Kubernetes Operator objects', () => {
  const objects = mapAll('apache-operator.yaml');

  it('takes the outcome before ResourceReleased, and the operator id rule', () => {
    const pi = byName(objects, 'pi');
    expect(pi).toMatchObject({
      kind: 'SparkApplication.spark.apache.org',
      apiVersion: 'spark.apache.org/v1',
      appId: 'pi-0',
      rawState: 'ResourceReleased',
      state: 'SUCCEEDED',
    });
    expect(pi.details).toMatchObject({
      sparkVersion: '4.0.1',
      attempts: { current: 0 },
      startTime: '2026-11-20T04:00:00.000Z',
      endTime: '2026-11-20T04:02:29.000Z',
    });
    expect((pi.details.stateTransitionHistory as unknown[]).length).toBe(7);
    // Only sizing keys of the Spark conf are kept, never secrets.
    expect(pi.details.sparkConf).toEqual({
      'spark.executor.instances': '2',
      'spark.kubernetes.container.image': 'apache/spark:4.0.1',
    });
    const [report] = toAppReports(objects.filter(o => o.appId === 'pi-0'));
    expect(report).toMatchObject({
      appId: 'pi-0',
      state: 'SUCCEEDED',
      name: 'pi',
      startTime: Date.parse('2026-11-20T04:00:00Z'),
      endTime: Date.parse('2026-11-20T04:02:29Z'),
    });
  });

  it('gives a retried app the id of its current attempt', () => {
    const app = byName(objects, 'clickstream-sessions');
    expect(app).toMatchObject({
      appId: 'clickstream-sessions-1',
      rawState: 'RunningHealthy',
      state: 'RUNNING',
    });
    expect(app.details).toMatchObject({
      attempts: { current: 1, previous: 0 },
      startTime: '2026-11-20T05:06:01.000Z',
    });
    expect(app.details.endTime).toBeUndefined();
  });

  it('explains a failure from the last observed driver status', () => {
    const app = byName(objects, 'ingest-orders');
    expect(app).toMatchObject({
      appId: 'ingest-orders-20261120',
      state: 'FAILED',
    });
    const report = toAppReport('prod-eu', app.appId!, [
      toAppContribution(app)!,
    ]);
    expect(report.failureReason).toBe(
      'driver container OOMKilled (exit code 137); Driver has one or more failed critical container(s), refer last observed status for details.',
    );
    expect(report.failures?.map(f => [f.scope, f.reason])).toEqual([
      ['operator', 'Failed'],
      ['pod', 'OOMKilled'],
    ]);
  });

  it('maps a SparkCluster', () => {
    const cluster = byName(objects, 'shared-standalone');
    expect(cluster).toMatchObject({
      kind: 'SparkCluster.spark.apache.org',
      state: 'RUNNING',
      rawState: 'RunningHealthy',
    });
    expect(cluster.details.workers).toEqual({
      initWorkers: 3,
      minWorkers: 3,
      maxWorkers: 10,
    });
  });

  it('derives hashed ids for long names like the operator', () => {
    expect(apacheSparkAppId('ns', 'short', 3)).toBe('short-3');
    const long = apacheSparkAppId(
      'analytics',
      'a-very-long-application-name-that-exceeds-the-limit',
      0,
    );
    expect(long).toMatch(/^a-very-lo-[0-9a-z]{36}$/);
    expect(long.length).toBe(46);
  });
});

describe('pods that never ran or were taken away', () => {
  const objects = mapAll('pod-problems.yaml');

  it('reports an image pull failure of a pending driver', () => {
    const driver = byName(objects, 'report-gen-0a1b2c3d4e5f6a7b-driver');
    expect(driver.state).toBe('PENDING');
    expect(driver.details.failures).toEqual([
      expect.objectContaining({
        reason: 'ImagePullBackOff',
        message:
          'driver waiting: ImagePullBackOff: Back-off pulling image "registry.example.com/spark:4.0.1-typo"',
      }),
    ]);
  });

  it('reports an unschedulable driver', () => {
    const driver = byName(objects, 'big-join-1b2c3d4e5f6a7b8c-driver');
    expect(driver.details.failures).toEqual([
      expect.objectContaining({
        reason: 'Unschedulable',
        message: expect.stringContaining('12 Insufficient memory'),
      }),
    ]);
  });

  it('names an eviction before the container it killed', () => {
    const executor = byName(objects, 'settlement-etl-3f1c9e2ab4d84f0c-exec-4');
    const failures = executor.details.failures as Array<{ reason: string }>;
    expect(failures.map(f => f.reason)).toEqual([
      'Evicted',
      'TerminationByKubelet',
      'ContainerStatusUnknown',
    ]);
    expect(executor.details.failureReason).toMatch(
      /^executor 4 pod Evicted: The node was low on resource: memory/,
    );
  });
});

describe('toSparkKubernetesObject', () => {
  it('ignores objects that are not Spark resources', () => {
    expect(
      toSparkKubernetesObject('c', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'x' },
      }),
    ).toBeUndefined();
  });

  it('maps list items without apiVersion/kind when told the resource', () => {
    const [driver] = fixture('spark-submit.yaml');
    const { apiVersion, kind, ...item } = driver;
    expect(toSparkKubernetesObject('c', item)).toBeUndefined();
    expect(toSparkKubernetesObject('c', item, sparkPods)?.kind).toBe('Pod');
  });

  it('reports an app whose running driver pod was deleted as no longer running', () => {
    const [, , exec2] = mapAll('spark-submit.yaml').filter(o =>
      o.name.startsWith('sessionize'),
    );
    const driver = mapAll('spark-submit.yaml').find(
      o => o.name === 'sessionize-7d0e1f2a3b4c5d6e-driver',
    )!;
    const report = toAppReport('c', driver.appId!, [
      { ...toAppContribution(driver)!, deleted: true },
      { ...toAppContribution(exec2)!, deleted: true },
    ]);
    expect(report.state).toBe('UNKNOWN');
    expect(report.complete).toBe(false);
  });
});
