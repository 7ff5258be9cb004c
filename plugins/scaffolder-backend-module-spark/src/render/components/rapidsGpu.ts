import { rapidsPackage } from '../versions';
import type { Component } from './types';

/** The RAPIDS Accelerator for Apache Spark: SQL plugin, GPU scheduling, GPU-node toleration. */
export const rapidsGpu: Component<'rapids-gpu'> = {
  unsupported(ctx) {
    if (!rapidsPackage(ctx.parameters.sparkVersion)) {
      return `the RAPIDS Accelerator is not published for Spark ${ctx.parameters.sparkVersion}`;
    }
    if (ctx.parameters.executor.gpus < 1) {
      return 'rapids-gpu needs executor.gpus of at least 1';
    }
    return undefined;
  },
  spark(ctx) {
    const { executor } = ctx.parameters;
    return {
      packages: [rapidsPackage(ctx.parameters.sparkVersion)!],
      conf: {
        'spark.plugins': 'com.nvidia.spark.SQLPlugin',
        'spark.rapids.sql.enabled': 'true',
        'spark.rapids.memory.pinnedPool.size': '2g',
        'spark.executor.resource.gpu.amount': `${executor.gpus}`,
        'spark.executor.resource.gpu.vendor': 'nvidia.com',
        'spark.executor.resource.gpu.discoveryScript':
          '/opt/spark/examples/src/main/scripts/getGpusResources.sh',
        // Every task gets an equal share of the executor's GPUs.
        'spark.task.resource.gpu.amount': `${
          Math.round((executor.gpus / executor.cores) * 1000) / 1000
        }`,
      },
      executorTolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
    };
  },
};
