import type { SparkDiagnosisRule } from '@spark-k8s/plugin-spark-node';
import {
  failureEvidence,
  failuresMatching,
  firstLine,
  sparkMajor,
} from '../facts';

const ANSI_ERRORS =
  /\[(CAST_INVALID_INPUT|CAST_OVERFLOW|DIVIDE_BY_ZERO|ARITHMETIC_OVERFLOW|NUMERIC_VALUE_OUT_OF_RANGE|INVALID_ARRAY_INDEX|INVALID_ARRAY_INDEX_IN_ELEMENT_AT|DATETIME_FIELD_OUT_OF_BOUNDS|CANNOT_PARSE_TIMESTAMP)/;

/** Submission by an operator, repeated failures across runs, and version upgrades. */
export const operatorRules: SparkDiagnosisRule<any>[] = [
  {
    id: 'operator-submission-failed',
    title: 'The operator could not submit the app',
    severity: 'critical',
    fix: 'Read the operator error below: usually admission, RBAC, quota or a bad spec; fix it and re-create the SparkApplication.',
    runbookId: 'operator-submission-failed',
    thresholds: {},
    evaluate(input) {
      const failures = failuresMatching(
        input,
        f => f.scope === 'operator' && f.reason === 'SUBMISSION_FAILED',
      );
      if (failures.length === 0) return [];
      const attempts = failures.reduce((sum, f) => sum + f.count, 0);
      return [
        {
          summary: `The spark-operator failed to submit the app (${attempts} attempt(s)); no driver ran.`,
          evidence: failureEvidence(input, failures),
          scope: failures[0].id,
        },
      ];
    },
  },
  {
    id: 'repeated-failures',
    title: 'The same failure in several runs',
    severity: 'critical',
    fix: 'This is not a transient error: fix the cause once (see the runbook of the failure) instead of re-running.',
    runbookId: 'repeated-failures',
    thresholds: { minFailedRuns: 3, lookbackRuns: 10 },
    evaluate(input, { minFailedRuns, lookbackRuns }) {
      const { app } = input.details;
      const reason = firstLine(app.failureReason);
      if (app.state !== 'FAILED' || !reason) return [];
      const same = input.previousRuns
        .slice(0, lookbackRuns)
        .filter(
          run =>
            run.state === 'FAILED' && firstLine(run.failureReason) === reason,
        );
      if (same.length + 1 < minFailedRuns) return [];
      return [
        {
          summary: `${same.length + 1} of the last ${
            Math.min(input.previousRuns.length, lookbackRuns) + 1
          } runs failed with the same error.`,
          evidence: [
            { label: 'error', value: reason, source: 'app failure reason' },
            {
              label: 'failed runs',
              value: [app.id, ...same.map(run => run.id)]
                .slice(0, 5)
                .join(', '),
              source: 'runs of the same Component',
            },
          ],
        },
      ];
    },
  },
  {
    id: 'spark-4-upgrade',
    title: 'Spark 4 ANSI mode rejects data Spark 3 let through',
    severity: 'warning',
    fix: 'Fix the expression (try_cast, try_divide, try_element_at) or the data; spark.sql.ansi.enabled=false restores the 3.x behaviour while you migrate.',
    runbookId: 'spark-4-upgrade',
    thresholds: {},
    evaluate(input) {
      if ((sparkMajor(input) ?? 0) < 4) return [];
      if (input.sparkConf['spark.sql.ansi.enabled'] === 'false') return [];
      const failures = failuresMatching(input, f =>
        ANSI_ERRORS.test(f.message ?? ''),
      );
      if (failures.length === 0) return [];
      return [
        {
          summary: `Spark ${input.details.app.sparkVersion} runs SQL in ANSI mode by default: an invalid cast or arithmetic error now fails the query instead of giving NULL.`,
          evidence: failureEvidence(input, failures),
        },
      ];
    },
  },
];
