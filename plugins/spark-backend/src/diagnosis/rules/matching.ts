import type { SparkFailure } from '@spark-k8s/plugin-spark-common';
import type {
  SparkDiagnosisInput,
  SparkDiagnosisRule,
} from '@spark-k8s/plugin-spark-node';
import { failureEvidence, failuresMatching } from '../facts';

/**
 * A rule that fires once on the failures whose reason or message matches: one finding with
 * those failures as evidence. With `scopeWhenOne`, a single failure names its object as scope.
 */
export function matching(
  rule: Omit<SparkDiagnosisRule<{}>, 'evaluate' | 'thresholds'> & {
    test: (failure: SparkFailure, input: SparkDiagnosisInput) => boolean;
    summary: (failures: SparkFailure[], input: SparkDiagnosisInput) => string;
    scopeWhenOne?: boolean;
  },
): SparkDiagnosisRule<{}> {
  const { test, summary, scopeWhenOne, ...rest } = rule;
  return {
    ...rest,
    thresholds: {},
    evaluate(input) {
      const failures = failuresMatching(input, f => test(f, input));
      if (failures.length === 0) return [];
      return [
        {
          summary: summary(failures, input),
          evidence: failureEvidence(input, failures),
          scope:
            scopeWhenOne && failures.length === 1 ? failures[0].id : undefined,
        },
      ];
    },
  };
}
