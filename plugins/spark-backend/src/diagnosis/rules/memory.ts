import type { SparkDiagnosisRule } from '@spark-k8s/plugin-spark-node';
import {
  failureEvidence,
  failuresMatching,
  formatBytes,
  fromStage,
  parseMemoryMib,
  percent,
  ranStages,
  roleOf,
  stageName,
} from '../facts';
import { matching } from './matching';

const OUT_OF_MEMORY = /java\.lang\.OutOfMemoryError|OutOfMemoryError/;

function oomKilled(role: 'driver' | 'executor'): SparkDiagnosisRule<{}> {
  return {
    id: `${role}-oom-killed`,
    title:
      role === 'driver'
        ? 'Driver pod killed for exceeding its memory limit'
        : 'Executor pods killed for exceeding their memory limit',
    severity: 'critical',
    fix:
      role === 'driver'
        ? 'Raise spark.driver.memoryOverhead (native memory, Python) or spark.driver.memory, and stop collecting large results to the driver.'
        : 'Raise spark.executor.memoryOverhead (or spark.executor.memoryOverheadFactor) before the heap; off-heap, Python and netty buffers live outside -Xmx.',
    runbookId: `${role}-oom-killed`,
    thresholds: {},
    evaluate(input) {
      const killed = failuresMatching(
        input,
        f =>
          f.scope === 'pod' &&
          f.reason === 'OOMKilled' &&
          roleOf(input, f) === role,
      );
      if (killed.length === 0) return [];
      const pods = killed.reduce((sum, f) => sum + f.count, 0);
      return [
        {
          summary: `${pods} ${role} pod${
            pods > 1 ? 's were' : ' was'
          } OOMKilled by the kubelet: the container used more memory than its limit (JVM heap plus overhead).`,
          evidence: failureEvidence(input, killed),
          scope: killed.length === 1 ? killed[0].id : undefined,
        },
      ];
    },
  };
}

export const memoryRules: SparkDiagnosisRule<any>[] = [
  oomKilled('driver'),
  oomKilled('executor'),
  matching({
    id: 'executor-jvm-oom',
    title: 'Executors ran out of JVM heap',
    severity: 'critical',
    fix: 'Give each task more heap (more spark.executor.memory or fewer spark.executor.cores), or split the work into more partitions.',
    runbookId: 'executor-jvm-oom',
    test: (f, input) =>
      (f.exitCode === 52 && roleOf(input, f) !== 'driver') ||
      /exit code 52\b/.test(f.message ?? '') ||
      (f.scope === 'task' && OUT_OF_MEMORY.test(f.message ?? '')),
    summary: () =>
      'Executor JVMs threw java.lang.OutOfMemoryError (Spark exits such executors with code 52); their tasks were retried elsewhere or failed the job.',
  }),
  matching({
    id: 'driver-jvm-oom',
    title: 'The driver ran out of JVM heap',
    severity: 'critical',
    fix: 'Raise spark.driver.memory, and avoid collect()/toPandas() of large results or huge broadcast tables on the driver.',
    runbookId: 'driver-jvm-oom',
    test: f =>
      (f.scope === 'app' || f.scope === 'job') &&
      OUT_OF_MEMORY.test(f.message ?? ''),
    summary: () =>
      'The driver failed with java.lang.OutOfMemoryError: results, broadcast tables or the plan did not fit in its heap.',
  }),
  {
    id: 'memory-overhead-too-small',
    title: 'Memory overhead too small for what runs outside the heap',
    severity: 'warning',
    fix: 'Raise spark.executor.memoryOverhead (e.g. to 20–25 % of the heap for PySpark or off-heap work) instead of the heap.',
    runbookId: 'memory-overhead-too-small',
    thresholds: { heapShareBelow: 0.9 },
    evaluate(input, { heapShareBelow }) {
      const killed = failuresMatching(
        input,
        f =>
          f.scope === 'pod' &&
          f.reason === 'OOMKilled' &&
          roleOf(input, f) === 'executor',
      );
      const heapMib = parseMemoryMib(input.sparkConf['spark.executor.memory']);
      if (killed.length === 0 || !heapMib) return [];
      const peakHeap = Math.max(
        0,
        ...input.details.executors.map(
          e => e.peakMemoryMetrics?.JVMHeapMemory ?? 0,
        ),
      );
      const share = peakHeap / (heapMib * 1024 * 1024);
      if (peakHeap === 0 || share >= heapShareBelow) return [];
      return [
        {
          summary: `Executor containers were OOMKilled while their JVM heap peaked at ${percent(
            share,
          )} of -Xmx: the memory that ran out was outside the heap (overhead).`,
          evidence: [
            {
              label: 'peak executor JVM heap',
              value: `${formatBytes(peakHeap)} of ${formatBytes(
                heapMib * 1024 * 1024,
              )}`,
              source: 'event log: executor peak metrics',
            },
            ...failureEvidence(input, killed, 2),
          ],
        },
      ];
    },
  },
  {
    id: 'excessive-gc',
    title: 'Tasks spend much of their time in garbage collection',
    severity: 'warning',
    fix: 'Give tasks more heap per core (fewer spark.executor.cores or more memory), cache less, or avoid building large objects per row.',
    runbookId: 'excessive-gc',
    thresholds: { gcShare: 0.1, minStageRunTimeMs: 60_000 },
    evaluate(input, { gcShare, minStageRunTimeMs }) {
      return ranStages(input)
        .filter(
          stage =>
            stage.metrics.executorRunTimeMs >= minStageRunTimeMs &&
            stage.metrics.jvmGcTimeMs / stage.metrics.executorRunTimeMs >
              gcShare,
        )
        .map(stage => ({
          summary: `In ${stageName(stage)}, JVM GC took ${percent(
            stage.metrics.jvmGcTimeMs / stage.metrics.executorRunTimeMs,
          )} of task run time (over ${percent(gcShare)}).`,
          evidence: [
            {
              label: 'GC time / task run time',
              value: `${Math.round(
                stage.metrics.jvmGcTimeMs,
              )} ms / ${Math.round(stage.metrics.executorRunTimeMs)} ms`,
              source: fromStage(stage),
            },
          ],
          scope: stageName(stage),
        }));
    },
  },
  {
    id: 'spill',
    title: 'Tasks spill to disk',
    severity: 'warning',
    fix: 'Use more shuffle partitions (spark.sql.shuffle.partitions, or AQE advisory size) or more execution memory per task so sorts and aggregations fit in memory.',
    runbookId: 'spill',
    thresholds: { minDiskBytes: 64 * 1024 * 1024 },
    evaluate(input, { minDiskBytes }) {
      return ranStages(input)
        .filter(stage => stage.metrics.diskBytesSpilled >= minDiskBytes)
        .map(stage => {
          const q = stage.quantiles!;
          const spilling = q.quantiles.find(
            (_, i) => q.diskBytesSpilled[i] > 0,
          );
          return {
            summary: `${stageName(stage)} spilled ${formatBytes(
              stage.metrics.diskBytesSpilled,
            )} to disk (${formatBytes(
              stage.metrics.memoryBytesSpilled,
            )} in memory form)${
              spilling !== undefined && spilling < 1
                ? `; more than ${percent(1 - spilling)} of its tasks spilled`
                : ''
            }.`,
            evidence: [
              {
                label: 'disk bytes spilled',
                value: formatBytes(stage.metrics.diskBytesSpilled),
                source: fromStage(stage),
              },
              {
                label: 'memory bytes spilled',
                value: formatBytes(stage.metrics.memoryBytesSpilled),
                source: fromStage(stage),
              },
            ],
            scope: stageName(stage),
          };
        });
    },
  },
];
