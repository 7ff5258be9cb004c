import type { Component } from './types';

/**
 * Dynamic allocation without an external shuffle service (there is none on Kubernetes):
 * shuffle tracking keeps executors with live shuffle data; decommissioning migrates blocks
 * off executors before they go (spot reclaim, scale-down).
 */
export const dynamicAllocation: Component<'dynamic-allocation'> = {
  spark(ctx, settings) {
    const { executor } = ctx.parameters;
    return {
      conf: {
        'spark.dynamicAllocation.enabled': 'true',
        'spark.dynamicAllocation.minExecutors': `${executor.instances}`,
        'spark.dynamicAllocation.initialExecutors': `${executor.instances}`,
        'spark.dynamicAllocation.maxExecutors': `${executor.maxInstances}`,
        'spark.dynamicAllocation.executorIdleTimeout': '60s',
        'spark.dynamicAllocation.shuffleTracking.enabled': `${settings.shuffleTracking}`,
        ...(settings.shuffleTracking
          ? { 'spark.dynamicAllocation.shuffleTracking.timeout': '30min' }
          : {}),
        ...(settings.decommission
          ? {
              'spark.decommission.enabled': 'true',
              'spark.storage.decommission.enabled': 'true',
              'spark.storage.decommission.shuffleBlocks.enabled': 'true',
              'spark.storage.decommission.rddBlocks.enabled': 'true',
              'spark.executor.decommission.forceKillTimeout': '100s',
            }
          : {}),
      },
    };
  },
};
