import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Estimate a GPU environment',
    example: stringify({
      steps: [
        {
          id: 'cost',
          action: 'spark:cost:estimate',
          name: 'Estimate the monthly cost',
          input: {
            preset: 'gpu-rapids',
            parameters: {
              name: 'embeddings',
              namespace: 'team-ml',
              sparkVersion: '4.3.0',
              usage: { sparkHoursPerMonth: 40 },
            },
          },
        },
      ],
    }),
  },
];
