import type { SparkDiagnosisRule } from '@spark-k8s/plugin-spark-node';
import {
  executorCores,
  failureEvidence,
  failuresMatching,
  formatBytes,
  formatMs,
  fromStage,
  lastActivity,
  quantile,
  ranStages,
  stageName,
} from '../facts';
import { matching } from './matching';

const SPARK_TASK_REASONS = new Set([
  'ExecutorLostFailure',
  'FetchFailed',
  'TaskKilled',
  'TaskResultLost',
  'Resubmitted',
  'TaskCommitDenied',
  'UnknownReason',
]);

/** Rules about how work is split into tasks and how tasks ran. */
export const taskRules: SparkDiagnosisRule<any>[] = [
  {
    id: 'data-skew',
    title: 'Data skew: a few tasks do most of the work',
    severity: 'warning',
    fix: 'Enable AQE skew-join handling (spark.sql.adaptive.skewJoin.enabled) or salt the hot keys; check the join and group-by keys of the stage.',
    runbookId: 'data-skew',
    thresholds: { ratio: 5, minMaxTaskMs: 120_000 },
    evaluate(input, { ratio, minMaxTaskMs }) {
      return ranStages(input).flatMap(stage => {
        const median = quantile(stage, 'durationMs', 0.5) ?? 0;
        const max = quantile(stage, 'durationMs', 1) ?? 0;
        if (stage.numTasks < 2 || max < minMaxTaskMs) return [];
        if (max <= ratio * Math.max(median, 1)) return [];
        // Slow tasks without more data are stragglers (a busy node, a retry), not skew.
        const bytes =
          (quantile(stage, 'shuffleReadBytes', 1) ?? 0) > 0
            ? 'shuffleReadBytes'
            : 'inputBytes';
        const readMedian = quantile(stage, bytes, 0.5) ?? 0;
        const readMax = quantile(stage, bytes, 1) ?? 0;
        if (readMax > 0 && readMax <= ratio * Math.max(readMedian, 1))
          return [];
        return [
          {
            summary: `In ${stageName(stage)} the slowest task ran ${(
              max / Math.max(median, 1)
            ).toFixed(0)}× longer than the median (${formatMs(
              max,
            )} vs ${formatMs(median)}).`,
            evidence: [
              {
                label: 'max / median task duration',
                value: `${formatMs(max)} / ${formatMs(median)}`,
                source: fromStage(stage),
              },
              ...(readMax > 0
                ? [
                    {
                      label:
                        bytes === 'shuffleReadBytes'
                          ? 'max / median shuffle read per task'
                          : 'max / median input per task',
                      value: `${formatBytes(readMax)} / ${formatBytes(
                        readMedian,
                      )}`,
                      source: fromStage(stage),
                    },
                  ]
                : []),
            ],
            scope: stageName(stage),
          },
        ];
      });
    },
  },
  {
    id: 'too-many-small-tasks',
    title: 'Too many tiny tasks',
    severity: 'info',
    fix: 'Use fewer partitions (coalesce, a lower spark.sql.shuffle.partitions, or AQE partition coalescing) so each task does at least a few hundred milliseconds of work.',
    runbookId: 'too-many-small-tasks',
    thresholds: { medianTaskMsBelow: 100, minTasks: 50 },
    evaluate(input, { medianTaskMsBelow, minTasks }) {
      return ranStages(input).flatMap(stage => {
        const median = quantile(stage, 'durationMs', 0.5);
        if (
          stage.numTasks < minTasks ||
          median === undefined ||
          median >= medianTaskMsBelow
        )
          return [];
        return [
          {
            summary: `${stageName(stage)} ran ${
              stage.numTasks
            } tasks with a median of ${formatMs(
              median,
            )}: scheduling overhead outweighs the work.`,
            evidence: [
              {
                label: 'tasks / median task duration',
                value: `${stage.numTasks} / ${formatMs(median)}`,
                source: fromStage(stage),
              },
            ],
            scope: stageName(stage),
          },
        ];
      });
    },
  },
  {
    id: 'too-few-partitions',
    title: 'Too few partitions for the cores',
    severity: 'warning',
    fix: 'Repartition to at least 2–3 tasks per executor core (spark.sql.shuffle.partitions, spark.default.parallelism or repartition()).',
    runbookId: 'too-few-partitions',
    thresholds: { minStageMs: 60_000 },
    evaluate(input, { minStageMs }) {
      const cores = executorCores(input);
      if (cores < 2) return [];
      return ranStages(input).flatMap(stage => {
        const max = quantile(stage, 'durationMs', 1) ?? 0;
        if (stage.numTasks >= cores || max < minStageMs) return [];
        return [
          {
            summary: `${stageName(stage)} had ${
              stage.numTasks
            } task(s) for ${cores} executor cores: ${
              cores - stage.numTasks
            } cores sat idle while it ran for ${formatMs(max)}.`,
            evidence: [
              {
                label: 'tasks / executor cores',
                value: `${stage.numTasks} / ${cores}`,
                source: `${fromStage(stage)}; executors`,
              },
            ],
            scope: stageName(stage),
          },
        ];
      });
    },
  },
  {
    id: 'small-files',
    title: 'Input made of many small files',
    severity: 'info',
    fix: 'Compact the input (Iceberg rewrite_data_files, or write with fewer, larger files) or raise spark.sql.files.maxPartitionBytes / openCostInBytes.',
    runbookId: 'small-files',
    thresholds: { medianInputBytesBelow: 1024 * 1024, minTasks: 50 },
    evaluate(input, { medianInputBytesBelow, minTasks }) {
      return ranStages(input).flatMap(stage => {
        const median = quantile(stage, 'inputBytes', 0.5);
        if (
          stage.numTasks < minTasks ||
          stage.metrics.inputBytes === 0 ||
          median === undefined ||
          median === 0 ||
          median >= medianInputBytesBelow
        )
          return [];
        return [
          {
            summary: `${stageName(stage)} read ${formatBytes(
              stage.metrics.inputBytes,
            )} in ${stage.numTasks} tasks of ${formatBytes(
              median,
            )} median: the input is split into many small files.`,
            evidence: [
              {
                label: 'median input per task',
                value: formatBytes(median),
                source: fromStage(stage),
              },
            ],
            scope: stageName(stage),
          },
        ];
      });
    },
  },
  matching({
    id: 'driver-bottleneck',
    title: 'Results too large for the driver',
    severity: 'critical',
    fix: 'Write results to storage instead of collect()/toPandas(); raise spark.driver.maxResultSize (and driver memory) only for results that must come back.',
    runbookId: 'driver-bottleneck',
    test: f =>
      /Total size of serialized results|spark\.driver\.maxResultSize/.test(
        f.message ?? '',
      ),
    summary: () =>
      'A job was aborted because the results sent to the driver exceeded spark.driver.maxResultSize.',
  }),
  matching({
    id: 'broadcast-too-large',
    title: 'A broadcast table was too large',
    severity: 'warning',
    fix: 'Lower spark.sql.autoBroadcastJoinThreshold (or drop the broadcast hint) so large tables are joined by shuffle.',
    runbookId: 'broadcast-too-large',
    test: f =>
      /Cannot broadcast the table|broadcast.*(too large|OutOfMemory)|BroadcastExchange.*OutOfMemory/is.test(
        f.message ?? '',
      ),
    summary: () =>
      'Building or sending a broadcast table failed: it did not fit the driver or executor memory.',
  }),
  {
    id: 'job-stuck',
    title: 'No progress for a long time',
    severity: 'warning',
    fix: 'Check whether the driver is alive (kubectl get pod, driver log); a log that stays in progress after its driver died means the app was killed without stopping Spark.',
    runbookId: 'job-stuck',
    thresholds: { minutes: 30 },
    evaluate(input, { minutes }) {
      const { app } = input.details;
      if (app.complete || app.state !== 'RUNNING') return [];
      const last = lastActivity(input);
      if (last === undefined || input.now - last < minutes * 60_000) return [];
      return [
        {
          summary: `The app is recorded as running, but nothing happened for ${formatMs(
            input.now - last,
          )}: no stage, job or executor event since ${new Date(
            last,
          ).toISOString()}.`,
          evidence: [
            {
              label: 'last activity',
              value: new Date(last).toISOString(),
              source: 'event log: latest stage, job or executor event',
            },
          ],
        },
      ];
    },
  },
  {
    id: 'task-failures-high',
    title: 'Tasks failed with errors from the job itself',
    severity: 'critical',
    fix: 'Read the first exception below and fix the code or the bad input row; Spark retries a task spark.task.maxFailures times before it fails the job.',
    runbookId: 'task-failures-high',
    thresholds: { minFailedShare: 0.05 },
    evaluate(input, { minFailedShare }) {
      const { metrics } = input.details.app;
      // Task failures are recorded by exception class; these reasons are Spark's own, not the job's.
      const exceptions = failuresMatching(
        input,
        f => f.scope === 'task' && !SPARK_TASK_REASONS.has(f.reason),
      );
      const failedJob = input.details.jobs.some(j => j.status === 'FAILED');
      const share =
        metrics && metrics.tasks > 0 ? metrics.failedTasks / metrics.tasks : 0;
      if (exceptions.length === 0 || (!failedJob && share < minFailedShare))
        return [];
      return [
        {
          summary: failedJob
            ? 'Tasks kept failing with an exception until the job failed.'
            : `${metrics!.failedTasks} of ${
                metrics!.tasks
              } tasks failed with an exception before succeeding on retry.`,
          evidence: failureEvidence(input, exceptions),
        },
      ];
    },
  },
];
