import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Provision a History Server environment into the default cluster',
    example: stringify({
      steps: [
        {
          id: 'apply',
          action: 'spark:kubernetes:apply',
          name: 'Create the Spark environment',
          input: {
            preset: 'history-server',
            parameters: {
              name: 'history',
              namespace: 'spark-history',
              sparkVersion: '4.3.0',
              storage: {
                endpoint: 'http://minio.storage:9000',
                eventLogDir: 's3a://spark-events/all',
              },
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Provision into a named cluster of the kubernetes config',
    example: stringify({
      steps: [
        {
          id: 'apply',
          action: 'spark:kubernetes:apply',
          name: 'Create the Spark environment',
          input: {
            preset: 'batch-spark-operator',
            cluster: 'production',
            parameters: {
              name: 'daily-sales',
              namespace: 'team-sales',
              sparkVersion: '3.5.9',
            },
          },
        },
      ],
    }),
  },
];
