import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Render the batch-job preset for a team namespace',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'spark:preset:render',
          name: 'Render the Spark environment',
          input: {
            preset: 'batch-spark-operator',
            parameters: {
              name: 'daily-sales',
              namespace: 'team-sales',
              sparkVersion: '4.3.0',
              executor: { instances: 4, cores: 2, memoryGiB: 8 },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render into the workspace, next to the job the template publishes',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'spark:preset:render',
          name: 'Render the Spark environment',
          input: {
            preset: 'jupyter-connect-kubernetes',
            parameters: {
              name: 'notebooks',
              namespace: 'team-ml',
              sparkVersion: '3.5.9',
            },
            targetPath: 'deploy',
          },
        },
      ],
    }),
  },
];
