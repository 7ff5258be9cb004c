import type { SparkStageSummary } from '@spark-k8s/plugin-spark-common';

/** What stands out in a stage: data skew, spill to disk, too much GC. */
export interface StageIndicators {
  /** Slowest task / median task, when quantiles are known. */
  skewRatio?: number;
  skewed: boolean;
  spilled: boolean;
  gcShare?: number;
  gcHeavy: boolean;
}

// Thresholds of the runbooks: skew when the slowest task is > 5× the median and > 2 min.
const SKEW_RATIO = 5;
const SKEW_MIN_MS = 120_000;
const GC_SHARE = 0.1;

export function stageIndicators(stage: SparkStageSummary): StageIndicators {
  const q = stage.quantiles;
  let skewRatio: number | undefined;
  let skewed = false;
  if (q && q.durationMs.length > 0) {
    const median = valueAt(q.quantiles, q.durationMs, 0.5);
    const max = q.durationMs[q.durationMs.length - 1];
    if (median !== undefined && median > 0) {
      skewRatio = max / median;
      skewed = skewRatio > SKEW_RATIO && max > SKEW_MIN_MS;
    }
  }
  const {
    memoryBytesSpilled,
    diskBytesSpilled,
    jvmGcTimeMs,
    executorRunTimeMs,
  } = stage.metrics;
  const gcShare =
    executorRunTimeMs > 0 ? jvmGcTimeMs / executorRunTimeMs : undefined;
  return {
    skewRatio,
    skewed,
    spilled: memoryBytesSpilled + diskBytesSpilled > 0,
    gcShare,
    gcHeavy: gcShare !== undefined && gcShare > GC_SHARE,
  };
}

/** The value at quantile `at`, or undefined when that quantile was not kept. */
export function valueAt(
  quantiles: number[],
  values: number[],
  at: number,
): number | undefined {
  const index = quantiles.findIndex(quantile => Math.abs(quantile - at) < 1e-9);
  return index >= 0 ? values[index] : undefined;
}
