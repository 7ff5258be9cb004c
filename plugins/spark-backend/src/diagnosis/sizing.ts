import type {
  SparkExecutorShape,
  SparkSizingRecommendation,
} from '@spark-k8s/plugin-spark-common';
import type { SparkDiagnosisInput } from '@spark-k8s/plugin-spark-node';
import {
  failuresMatching,
  formatBytes,
  isTrue,
  parseMemoryMib,
  percent,
  roleOf,
} from './facts';

const MIB = 1024 * 1024;
/** Spark's minimum memory overhead and its default factor. */
const MIN_OVERHEAD_MIB = 384;
const DEFAULT_OVERHEAD_FACTOR = 0.1;
/** Recommended sizes are rounded up to this, as people write them. */
const STEP_MIB = 512;

const roundUp = (mib: number) => Math.ceil(mib / STEP_MIB) * STEP_MIB;

export interface SizingThresholds {
  /** Heap use above which memory is kept, below which it may shrink. */
  shrinkBelowHeapShare: number;
  /** Headroom over the observed peak heap. */
  heapHeadroom: number;
  /** GC time / run time above which the heap grows. */
  gcShare: number;
  /** Task time / reserved core time below which executors are too many. */
  utilisationBelow: number;
}

export const DEFAULT_SIZING: SizingThresholds = {
  shrinkBelowHeapShare: 0.5,
  heapHeadroom: 1.3,
  gcShare: 0.1,
  utilisationBelow: 0.3,
};

function currentShape(input: SparkDiagnosisInput): SparkExecutorShape {
  const conf = input.sparkConf;
  const memoryMib = parseMemoryMib(conf['spark.executor.memory']) ?? 1024;
  const factor = Number(
    conf['spark.executor.memoryOverheadFactor'] ??
      conf['spark.kubernetes.memoryOverheadFactor'] ??
      DEFAULT_OVERHEAD_FACTOR,
  );
  const memoryOverheadMib =
    parseMemoryMib(conf['spark.executor.memoryOverhead']) ??
    Math.max(MIN_OVERHEAD_MIB, Math.ceil(memoryMib * factor));
  const executors = input.details.executors.filter(
    e => e.executorId !== 'driver',
  );
  const cores =
    Number(conf['spark.executor.cores']) ||
    Math.max(1, ...executors.map(e => e.cores || 0));
  const instances =
    Number(conf['spark.executor.instances']) ||
    input.details.app.metrics?.maxConcurrentExecutors ||
    Math.max(1, executors.length);
  const shape: SparkExecutorShape = {
    memoryMib,
    memoryOverheadMib,
    cores,
    instances,
  };
  if (isTrue(conf['spark.dynamicAllocation.enabled'])) {
    shape.dynamicAllocation = {
      minExecutors: Number(conf['spark.dynamicAllocation.minExecutors'] ?? 0),
      maxExecutors: Number(
        conf['spark.dynamicAllocation.maxExecutors'] ?? instances,
      ),
    };
  }
  return shape;
}

function usageOf(
  shape: SparkExecutorShape,
  hours: number,
): { coreHours: number; memoryGibHours: number } {
  return {
    coreHours: shape.cores * shape.instances * hours,
    memoryGibHours:
      ((shape.memoryMib + shape.memoryOverheadMib) / 1024) *
      shape.instances *
      hours,
  };
}

/**
 * Executor memory, overhead, cores and count for the next run, from this run's peaks, spill,
 * GC and utilisation. Never recommends less than the run was seen to use.
 */
export function recommendSizing(
  input: SparkDiagnosisInput,
  thresholds: SizingThresholds = DEFAULT_SIZING,
): SparkSizingRecommendation {
  const { details } = input;
  const metrics = details.app.metrics;
  const current = currentShape(input);
  const next: SparkExecutorShape = {
    ...current,
    dynamicAllocation: current.dynamicAllocation && {
      ...current.dynamicAllocation,
    },
  };
  const reasons: string[] = [];
  const conf: Record<string, string> = {};

  const executors = details.executors.filter(e => e.executorId !== 'driver');
  const pool = executors.length ? executors : details.executors;
  const peakHeap = Math.max(
    0,
    ...pool.map(e => e.peakMemoryMetrics?.JVMHeapMemory ?? 0),
  );
  const peakRss = Math.max(
    0,
    ...pool.map(e => e.peakMemoryMetrics?.ProcessTreeJVMRSSMemory ?? 0),
  );
  const spilled = metrics?.diskBytesSpilled ?? 0;
  const gcShare =
    metrics && metrics.executorRunTimeMs > 0
      ? metrics.jvmGcTimeMs / metrics.executorRunTimeMs
      : 0;
  const floorMib = Math.ceil((peakHeap / MIB) * 1.1);

  // Heap.
  if (spilled > 0 || gcShare > thresholds.gcShare) {
    next.memoryMib = roundUp(Math.max(current.memoryMib * 1.5, floorMib));
    reasons.push(
      spilled > 0
        ? `tasks spilled ${formatBytes(spilled)} to disk: more heap per task`
        : `GC took ${percent(gcShare)} of task time: more heap per task`,
    );
  } else if (
    peakHeap > 0 &&
    peakHeap / (current.memoryMib * MIB) < thresholds.shrinkBelowHeapShare
  ) {
    next.memoryMib = Math.max(
      roundUp((peakHeap / MIB) * thresholds.heapHeadroom),
      floorMib,
      1024,
    );
    if (next.memoryMib < current.memoryMib) {
      reasons.push(
        `the heap peaked at ${formatBytes(peakHeap)} of ${formatBytes(
          current.memoryMib * MIB,
        )}, without spill: a smaller heap is enough`,
      );
    } else next.memoryMib = current.memoryMib;
  }
  next.memoryMib = Math.max(next.memoryMib, floorMib);

  // Overhead: what runs outside the heap (Python workers, netty, off-heap).
  const oomKilled = failuresMatching(
    input,
    f =>
      f.scope === 'pod' &&
      f.reason === 'OOMKilled' &&
      roleOf(input, f) === 'executor',
  );
  const outsideHeapMib = peakRss > 0 ? peakRss / MIB - current.memoryMib : 0;
  if (oomKilled.length > 0) {
    next.memoryOverheadMib = roundUp(
      Math.max(current.memoryOverheadMib * 2, outsideHeapMib * 1.25),
    );
    reasons.push(
      `${oomKilled.length} executor pod(s) were OOMKilled: double the memory overhead`,
    );
  } else if (outsideHeapMib * 1.1 > current.memoryOverheadMib) {
    next.memoryOverheadMib = roundUp(outsideHeapMib * 1.25);
    reasons.push(
      `the process used ${formatBytes(
        outsideHeapMib * MIB,
      )} outside the heap, more than the overhead`,
    );
  } else {
    next.memoryOverheadMib = Math.max(
      MIN_OVERHEAD_MIB,
      Math.ceil(next.memoryMib * DEFAULT_OVERHEAD_FACTOR),
      current.memoryOverheadMib > Math.ceil(current.memoryMib * 0.1)
        ? current.memoryOverheadMib
        : 0,
    );
  }

  // Count: reserved cores that ran no task.
  const utilisation =
    metrics && metrics.executorCoreMs > 0
      ? metrics.executorRunTimeMs / metrics.executorCoreMs
      : undefined;
  if (
    utilisation !== undefined &&
    utilisation < thresholds.utilisationBelow &&
    current.instances > 1
  ) {
    const needed = Math.max(
      1,
      Math.ceil((current.instances * utilisation) / 0.7),
    );
    next.instances = needed;
    next.dynamicAllocation = {
      minExecutors: next.dynamicAllocation?.minExecutors ?? 0,
      maxExecutors: Math.max(current.instances, needed),
    };
    reasons.push(
      `tasks used ${percent(
        utilisation,
      )} of the reserved executor cores: fewer executors, or dynamic allocation up to ${
        current.instances
      }`,
    );
    conf['spark.dynamicAllocation.enabled'] = 'true';
    conf['spark.dynamicAllocation.shuffleTracking.enabled'] = 'true';
    conf['spark.dynamicAllocation.minExecutors'] = String(
      next.dynamicAllocation.minExecutors,
    );
    conf['spark.dynamicAllocation.maxExecutors'] = String(
      next.dynamicAllocation.maxExecutors,
    );
  }

  conf['spark.executor.memory'] = `${next.memoryMib}m`;
  conf['spark.executor.memoryOverhead'] = `${next.memoryOverheadMib}m`;
  conf['spark.executor.cores'] = String(next.cores);
  if (!conf['spark.dynamicAllocation.enabled']) {
    conf['spark.executor.instances'] = String(next.instances);
  }
  if (reasons.length === 0) reasons.push('the run fit its executors well');

  // How long the executors lived; without executor records (local mode) the run's duration.
  const hours =
    metrics && metrics.executorCoreMs > 0
      ? metrics.executorCoreMs / 3_600_000 / (current.cores * current.instances)
      : (details.app.durationMs ?? 0) / 3_600_000;
  return {
    current,
    recommended: next,
    conf,
    reasons,
    usage: {
      current: usageOf(current, hours),
      recommended: usageOf(next, hours),
    },
    confident: Boolean(
      details.app.complete && metrics && metrics.tasks > 0 && pool.length > 0,
    ),
  };
}
