import type {
  SparkAppDetails,
  SparkAppState,
  SparkAppSummary,
} from '@spark-k8s/plugin-spark-common';

/** The states the UI tells apart: the model's, plus an operator that never got Spark started. */
export type SparkDisplayState = SparkAppState | 'SUBMISSION_FAILED';

/**
 * An app failed at submission when the operator says so, or when it failed with no Spark
 * attempt, metrics or event log: Spark itself never ran.
 */
export function displayStateOf(
  app: SparkAppSummary,
  kubernetes?: SparkAppDetails['kubernetes'],
): SparkDisplayState {
  if (app.state !== 'FAILED') return app.state;
  if (kubernetes?.some(object => object.rawState === 'SUBMISSION_FAILED')) {
    return 'SUBMISSION_FAILED';
  }
  if (/SUBMISSION_FAILED/.test(app.failureReason ?? '')) {
    return 'SUBMISSION_FAILED';
  }
  const onlyKubernetes = app.sources.every(source =>
    source.startsWith('kubernetes:'),
  );
  if (onlyKubernetes && !app.metrics && app.attempts.length === 0) {
    return 'SUBMISSION_FAILED';
  }
  return 'FAILED';
}
