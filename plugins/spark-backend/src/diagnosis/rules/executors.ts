import type { SparkDiagnosisRule } from '@spark-k8s/plugin-spark-node';
import {
  failureEvidence,
  failuresMatching,
  formatMs,
  isTrue,
  percent,
  roleOf,
  sparkMajor,
} from '../facts';
import { matching } from './matching';

/** Executors leaving early, how shuffle survives them, and reserved capacity left unused. */
export const executorRules: SparkDiagnosisRule<any>[] = [
  {
    id: 'executor-lost',
    title: 'Executors were lost while running tasks',
    severity: 'warning',
    fix: 'Find why the executor died (its pod status and the reason below): memory limits, node loss or preemption; then size memory or move to stable nodes.',
    runbookId: 'executor-lost',
    thresholds: {},
    evaluate(input) {
      const lost = failuresMatching(
        input,
        f => f.scope === 'task' && f.reason === 'ExecutorLostFailure',
      );
      const removed = input.details.executors.filter(
        e =>
          e.removeReason &&
          !/stopped|finished|shutdown|decommission|idle/i.test(e.removeReason),
      );
      if (lost.length === 0 && removed.length === 0) return [];
      const tasks = lost.reduce((sum, f) => sum + f.count, 0);
      return [
        {
          summary: `${removed.length || 'Some'} executor(s) went away mid-run${
            tasks ? `; ${tasks} running task(s) were lost and re-run` : ''
          }.`,
          evidence: [
            ...removed.slice(0, 3).map(e => ({
              label: `executor ${e.executorId} removed`,
              value: e.removeReason!,
              source: 'event log: SparkListenerExecutorRemoved',
            })),
            ...failureEvidence(input, lost, 2),
          ],
        },
      ];
    },
  },
  matching({
    id: 'executor-heartbeat-timeout',
    title: 'Executors stopped sending heartbeats',
    severity: 'warning',
    fix: 'Look for long GC pauses or an overloaded node; raise spark.executor.heartbeatInterval and spark.network.timeout only after that.',
    runbookId: 'executor-heartbeat-timeout',
    test: f =>
      f.exitCode === 56 ||
      /heartbeat timed out|Executor heartbeat timed out|exit code 56\b/i.test(
        f.message ?? '',
      ),
    summary: () =>
      'The driver lost contact with executors (no heartbeat within spark.network.timeout) and removed them.',
  }),
  {
    id: 'fetch-failures',
    title: 'Shuffle fetch failures forced stages to re-run',
    severity: 'warning',
    fix: 'Keep shuffle files when executors go: external shuffle service, shuffle tracking, decommissioning with shuffle-block migration, or a remote shuffle service (Celeborn).',
    runbookId: 'fetch-failures',
    thresholds: {},
    evaluate(input) {
      const failures = failuresMatching(
        input,
        f => f.reason === 'FetchFailed' || /FetchFailed/.test(f.message ?? ''),
      );
      const retried = input.details.stages.filter(s => s.attemptId > 0);
      if (failures.length === 0) return [];
      return [
        {
          summary: `Reducers could not fetch shuffle blocks (the executor holding them was gone); ${retried.length} stage attempt(s) were re-run.`,
          evidence: [
            ...failureEvidence(input, failures),
            ...(retried.length
              ? [
                  {
                    label: 'stage retries',
                    value: retried
                      .slice(0, 5)
                      .map(s => `${s.stageId}.${s.attemptId}`)
                      .join(', '),
                    source: 'event log: stage attempts',
                  },
                ]
              : []),
          ],
        },
      ];
    },
  },
  {
    id: 'shuffle-service-missing',
    title: 'Dynamic allocation without a way to keep shuffle data',
    severity: 'warning',
    fix: 'Set spark.dynamicAllocation.shuffleTracking.enabled=true (Kubernetes has no external shuffle service) or use a remote shuffle service.',
    runbookId: 'shuffle-service-missing',
    thresholds: {},
    evaluate(input) {
      const conf = input.sparkConf;
      if (!isTrue(conf['spark.dynamicAllocation.enabled'])) return [];
      if (isTrue(conf['spark.shuffle.service.enabled'])) return [];
      if (/celeborn|rss/i.test(conf['spark.shuffle.manager'] ?? '')) return [];
      const tracking = conf['spark.dynamicAllocation.shuffleTracking.enabled'];
      const major = sparkMajor(input) ?? 0;
      const minor = Number(input.details.app.sparkVersion?.split('.')[1] ?? 0);
      // Shuffle tracking is on by default since Spark 3.4.
      const trackingDefault = major > 3 || (major === 3 && minor >= 4);
      if (tracking === undefined ? trackingDefault : isTrue(tracking))
        return [];
      return [
        {
          summary:
            'Dynamic allocation is on, but neither the external shuffle service nor shuffle tracking keeps shuffle files: removing an idle executor loses its shuffle output.',
          evidence: [
            {
              label: 'spark.dynamicAllocation.enabled',
              value: 'true',
              source: 'event log: Spark conf',
            },
            {
              label: 'spark.dynamicAllocation.shuffleTracking.enabled',
              value: tracking ?? `(default for Spark ${major}.${minor})`,
              source: 'event log: Spark conf',
            },
          ],
        },
      ];
    },
  },
  {
    id: 'spot-node-loss',
    title: 'Pods lost to node preemption or disruption',
    severity: 'warning',
    fix: 'Enable spark.decommission.enabled with shuffle and RDD block migration, keep the driver on on-demand nodes, and allow for retries in the schedule.',
    runbookId: 'spot-node-loss',
    thresholds: {},
    evaluate(input) {
      const failures = failuresMatching(
        input,
        f =>
          f.scope === 'pod' &&
          /PreemptionByScheduler|DeletionByTaintManager|EvictionByEvictionAPI|TerminationByKubelet|DeletionByPodGC|Evicted|NodeShutdown|Terminated/.test(
            f.reason,
          ),
      );
      if (failures.length === 0) return [];
      const drivers = failures.filter(f => roleOf(input, f) === 'driver');
      return [
        {
          summary: `${
            failures.length
          } pod(s) were disrupted by the cluster (preemption, eviction or node shutdown)${
            drivers.length ? ', including the driver' : ''
          }.`,
          evidence: failureEvidence(input, failures),
          severity: drivers.length ? 'critical' : undefined,
        },
      ];
    },
  },
  {
    id: 'idle-executors',
    title: 'Executors sat idle most of the time',
    severity: 'info',
    fix: 'Use dynamic allocation (with shuffle tracking) or fewer executors; the cores were reserved and paid for while no task ran.',
    runbookId: 'idle-executors',
    thresholds: { utilisationBelow: 0.3, minReservedCoreHours: 1 },
    evaluate(input, { utilisationBelow, minReservedCoreHours }) {
      const metrics = input.details.app.metrics;
      if (!metrics || metrics.executorCoreMs <= 0) return [];
      if (metrics.executorCoreMs < minReservedCoreHours * 3_600_000) return [];
      const utilisation = metrics.executorRunTimeMs / metrics.executorCoreMs;
      if (utilisation >= utilisationBelow) return [];
      return [
        {
          summary: `Tasks used ${percent(
            utilisation,
          )} of the executor core time the app held (${formatMs(
            metrics.executorRunTimeMs,
          )} of ${formatMs(metrics.executorCoreMs)}).`,
          evidence: [
            {
              label: 'task time / reserved core time',
              value: percent(utilisation),
              source: 'event log: task metrics and executor lifetimes',
            },
            {
              label: 'spark.dynamicAllocation.enabled',
              value:
                input.sparkConf['spark.dynamicAllocation.enabled'] ?? 'false',
              source: 'event log: Spark conf',
            },
          ],
        },
      ];
    },
  },
  matching({
    id: 'local-disk-full',
    title: 'Executors ran out of local disk',
    severity: 'critical',
    fix: 'Give executors larger local volumes (spark.kubernetes.executor.volumes.*.spark-local-dir-*) or reduce spill and shuffle size.',
    runbookId: 'local-disk-full',
    test: f =>
      f.exitCode === 53 ||
      /No space left on device|exit code 53\b/.test(f.message ?? ''),
    summary: () =>
      'Writing shuffle or spill files failed: the executors local directories were full (Spark exits with 53 on disk store failures).',
  }),
];
