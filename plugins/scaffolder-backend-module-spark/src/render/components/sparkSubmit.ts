import type { Component } from './types';

/**
 * spark-submit in cluster mode from inside or outside the namespace: the rendered
 * spark-defaults.conf and pod templates (in the base ConfigMap) are all it needs.
 */
export const sparkSubmit: Component<'spark-submit'> = {
  unsupported(ctx) {
    return ctx.preset.backend === 'kubernetes'
      ? undefined
      : 'spark-submit needs backend "kubernetes"';
  },
  spark() {
    return {
      conf: {
        'spark.submit.deployMode': 'cluster',
        // A submitter (Airflow, CI) should not hold a connection open for the whole run.
        'spark.kubernetes.submission.waitAppCompletion': 'false',
      },
    };
  },
};
