import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Validate the OpenShift preset before provisioning it',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'spark:preset:validate',
          name: 'Check security profile and quota',
          input: {
            preset: 'openshift-restricted',
            parameters: {
              name: 'analytics',
              namespace: 'team-analytics',
              sparkVersion: '4.3.0',
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Report quota findings without failing the step',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'spark:preset:validate',
          name: 'Check quota fit',
          input: {
            preset: 'cost-optimized',
            parameters: {
              name: 'nightly',
              namespace: 'team-batch',
              sparkVersion: '3.5.9',
              executor: { cores: 4, maxInstances: 20 },
              quota: { cpu: 16 },
            },
            failOnError: false,
          },
        },
      ],
    }),
  },
];
