import type { Preset } from '@spark-k8s/plugin-spark-common';
import {
  actionParameters,
  formFields,
  HAS_REPOSITORY,
  repositoryPage,
  TEMPLATE_OWNER,
} from './environmentTemplate';

/** Where the skeleton's Dockerfile puts the job in the image. */
const JOB_FILE = 'local:///opt/spark/work-dir/job.py';

/**
 * The "Spark job repo" template: a PySpark job with a test, a CI workflow that tests it and
 * builds its image, the SparkApplication manifests (from the batch preset) and a catalog-info
 * with owner, system and the kubernetes annotations the data plane attributes runs by.
 */
export function jobRepoTemplate(batch: Preset): Record<string, unknown> {
  const { prop, objectProp, sparkVersion, owner } = formFields(batch);
  const job = objectProp('job', 'Schedule and arguments');
  const fields = [
    'name',
    'namespace',
    'owner',
    'sparkVersion',
    'image',
    'driver',
    'executor',
    'quota',
    'usage',
  ];
  const parameters = {
    ...actionParameters(fields),
    job: {
      type: 'Python',
      mainApplicationFile: JOB_FILE,
      schedule: '${{ parameters.schedule }}',
    },
  };
  const presetInput = { preset: batch.name, parameters };
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'spark-job-repo',
      title: 'Spark job repository',
      description:
        'A PySpark batch job with a unit test, a CI workflow, its SparkApplication and ScheduledSparkApplication (kubeflow spark-operator) and a catalog entry the Spark data plane attributes its runs to.',
      tags: ['spark', 'spark-job', 'python', 'spark-operator'],
      annotations: { 'spark-k8s.io/preset': batch.name },
    },
    spec: {
      owner: TEMPLATE_OWNER,
      type: 'spark-job',
      parameters: [
        {
          title: 'Job',
          required: [
            'name',
            'description',
            'owner',
            'system',
            'namespace',
            'sparkVersion',
          ],
          properties: {
            name: prop('name', {
              title: 'Name',
              description:
                'Name of the job and its repository; every object is named after it. Up to 30 lowercase letters, digits and "-", starting with a letter',
              'ui:autofocus': true,
            }),
            description: {
              title: 'Description',
              type: 'string',
              maxLength: 200,
              // One line without quotes, backslashes or braces: it goes into YAML, Python and Markdown.
              pattern: '^[^\\n\\r"\'`\\\\${}]*$',
              errorMessage: {
                maxLength: 'must be at most 200 characters',
                pattern:
                  'must be one line without quotes, backticks, backslashes, "$" or braces',
              },
            },
            owner,
            system: {
              title: 'System',
              type: 'string',
              'ui:field': 'EntityPicker',
              'ui:options': { catalogFilter: { kind: 'System' } },
            },
            namespace: prop('namespace', { title: 'Namespace' }),
            sparkVersion,
          },
        },
        {
          title: 'Run',
          properties: {
            schedule: {
              ...job.properties.schedule,
              title: 'Schedule',
              'ui:backstage': { review: { name: 'Schedule' } },
            },
            image: prop('image', {
              title: 'Image',
              description:
                'The image CI builds and pushes (Dockerfile in the repo); empty runs the stock Spark image',
            }),
            driver: objectProp('driver', 'Driver'),
            executor: objectProp('executor', 'Executors'),
            quota: objectProp('quota', 'Namespace quota'),
            usage: objectProp('usage', 'Expected usage'),
          },
        },
        repositoryPage(
          'Optional: a GitHub repository with the job, its test, CI and manifests',
        ),
      ],
      steps: [
        {
          id: 'skeleton',
          name: 'Write the job, its test and CI',
          action: 'fetch:template',
          input: {
            url: './skeleton',
            // GitHub expressions in the workflow are not the template's.
            copyWithoutTemplating: ['.github/workflows/*'],
            values: {
              name: '${{ parameters.name }}',
              description: '${{ parameters.description }}',
              owner: '${{ parameters.owner }}',
              system: '${{ parameters.system }}',
              namespace: '${{ parameters.namespace }}',
              sparkVersion: '${{ parameters.sparkVersion }}',
            },
          },
        },
        {
          id: 'render',
          name: 'Render the SparkApplication manifests',
          action: 'spark:preset:render',
          input: { ...presetInput, targetPath: 'deploy' },
        },
        {
          id: 'validate',
          name: 'Check Pod Security and quota',
          action: 'spark:preset:validate',
          input: presetInput,
        },
        {
          id: 'cost',
          name: 'Estimate the monthly cost',
          action: 'spark:cost:estimate',
          input: presetInput,
        },
        {
          id: 'apply',
          name: 'Create the namespace and the SparkApplications',
          action: 'spark:kubernetes:apply',
          input: presetInput,
        },
        {
          id: 'publish',
          name: 'Publish the repository',
          if: HAS_REPOSITORY,
          action: 'publish:github',
          input: {
            repoUrl: '${{ parameters.repoUrl }}',
            description: '${{ parameters.description }}',
            defaultBranch: 'main',
          },
        },
        {
          id: 'register',
          name: 'Register in the catalog',
          if: HAS_REPOSITORY,
          action: 'catalog:register',
          input: {
            repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}',
            catalogInfoPath: '/catalog-info.yaml',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Repository',
            url: '${{ steps.publish.output.remoteUrl }}',
            if: HAS_REPOSITORY,
          },
          {
            title: 'Open in catalog',
            icon: 'catalog',
            entityRef: '${{ steps.register.output.entityRef }}',
            if: HAS_REPOSITORY,
          },
        ],
        text: [
          {
            title: 'Validation',
            content: '${{ steps.validate.output.summary }}',
          },
          {
            title: 'Estimated cost',
            content: '${{ steps.cost.output.summary }}',
          },
          {
            title: 'Cluster',
            content: '```\n${{ steps.apply.output.summary }}\n```',
          },
          {
            title: 'Manifests',
            content: '```yaml\n${{ steps.render.output.manifests }}\n```',
          },
        ],
      },
    },
  };
}
