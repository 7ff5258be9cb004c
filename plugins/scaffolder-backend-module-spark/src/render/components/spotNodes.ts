import type { Component } from './types';

/** The node labels by which the big clouds and Karpenter mark spot/preemptible capacity. */
const SPOT_NODE_TERMS = [
  { key: 'karpenter.sh/capacity-type', values: ['spot'] },
  { key: 'eks.amazonaws.com/capacityType', values: ['SPOT'] },
  { key: 'cloud.google.com/gke-spot', values: ['true'] },
  { key: 'kubernetes.azure.com/scalesetpriority', values: ['spot'] },
];

/**
 * Executors prefer spot nodes (and tolerate their taints) when `spot` is on; the driver stays
 * on on-demand nodes, as losing it loses the app.
 */
export const spotNodes: Component<'spot-nodes'> = {
  spark(ctx) {
    if (!ctx.parameters.spot) return {};
    return {
      executorAffinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: SPOT_NODE_TERMS.map(
            term => ({
              weight: 100,
              preference: {
                matchExpressions: [{ ...term, operator: 'In' }],
              },
            }),
          ),
        },
      },
      executorTolerations: [
        {
          key: 'kubernetes.azure.com/scalesetpriority',
          operator: 'Equal',
          value: 'spot',
          effect: 'NoSchedule',
        },
        {
          key: 'cloud.google.com/gke-spot',
          operator: 'Equal',
          value: 'true',
          effect: 'NoSchedule',
        },
      ],
    };
  },
};
