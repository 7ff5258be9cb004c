/**
 * Diagnosis evidence and executor-sizing recommendations: what the backend's rules found in an
 * app's own numbers.
 */

import type { SparkMoney } from './insights';

/**
 * One fact behind a diagnosis: the number, and where it came from.
 *
 * @public
 */
export interface SparkDiagnosisEvidence {
  /** What the number is, e.g. `max / median task duration`. */
  label: string;
  /** The value as people read it, e.g. `41× (12.3 min vs 18 s)`. */
  value: string;
  /** Where it was read: `event log: stage 3.0`, `pod payments/etl-driver`, `SparkApplication payments/etl` … */
  source?: string;
}

/**
 * A recommended executor shape for the next run of an app, never below what the run needed.
 * Answer of `GET /api/spark/apps/{appId}/recommendations`.
 *
 * @public
 */
export interface SparkSizingRecommendation {
  /** The shape the run had (from its Spark conf and executors). */
  current: SparkExecutorShape;
  /** The shape to use next time. */
  recommended: SparkExecutorShape;
  /** The Spark conf that gives the recommended shape. */
  conf: Record<string, string>;
  /** Why, one line each, with the observed numbers. */
  reasons: string[];
  /** Executor core-hours and GiB-hours of this run, and the same run with the recommended shape. */
  usage: {
    current: { coreHours: number; memoryGibHours: number };
    recommended: { coreHours: number; memoryGibHours: number };
  };
  /** False when the run told too little (no event log, or a run too short to judge). */
  confident: boolean;
  /** Cost of the recommended shape minus the current one, for a run like this (negative saves). */
  costDifference?: SparkMoney;
}

/**
 * Executor sizing: heap, overhead, cores and count (or dynamic-allocation bounds).
 *
 * @public
 */
export interface SparkExecutorShape {
  /** `spark.executor.memory` in MiB. */
  memoryMib: number;
  /** `spark.executor.memoryOverhead` in MiB. */
  memoryOverheadMib: number;
  /** `spark.executor.cores`. */
  cores: number;
  /** `spark.executor.instances`, or the most executors alive at once under dynamic allocation. */
  instances: number;
  /** Dynamic-allocation bounds, when dynamic allocation is (or should be) on. */
  dynamicAllocation?: { minExecutors: number; maxExecutors: number };
}
