import {
  presetParametersJsonSchema,
  type Preset,
  type PresetComponentId,
} from '@spark-k8s/plugin-spark-common';

type JsonSchema = Record<string, any>;

/** Who owns the golden-path templates in the demo catalog. */
export const TEMPLATE_OWNER = 'group:default/data-platform';

/** Storage fields each component needs (the form marks them required). */
const STORAGE_NEEDS: Partial<Record<PresetComponentId, string[]>> = {
  'history-server': ['eventLogDir'],
  'hive-metastore': ['warehouseDir', 'backupDir'],
  iceberg: ['warehouseDir'],
};

/** The parameters every step passes to the spark:* actions, as template expressions. */
export function actionParameters(fields: string[]): Record<string, string> {
  return Object.fromEntries(fields.map(f => [f, `\${{ parameters.${f} }}`]));
}

/** Template condition of the steps and links that need the optional repository. */
export const HAS_REPOSITORY = '${{ parameters.createRepository }}';

/**
 * The optional Repository page. RepoUrlPicker always asks for an owner and a name, so the picker
 * is shown only once "Create a repository" is ticked: without it the template runs where no Git
 * host is reachable (the embedded portal) and publishes nothing.
 */
export function repositoryPage(description: string): JsonSchema {
  return {
    title: 'Repository',
    description,
    properties: {
      createRepository: {
        title: 'Create a repository',
        description:
          'Publish the files to a new GitHub repository and register it in the catalog (needs a GitHub integration)',
        type: 'boolean',
        default: false,
      },
    },
    dependencies: {
      createRepository: {
        oneOf: [
          { properties: { createRepository: { const: false } } },
          {
            properties: {
              createRepository: { const: true },
              repoUrl: {
                title: 'Repository',
                type: 'string',
                'ui:field': 'RepoUrlPicker',
                'ui:options': { allowedHosts: ['github.com'] },
              },
            },
            required: ['repoUrl'],
          },
        ],
      },
    },
  };
}

function uses(preset: Preset, ...ids: PresetComponentId[]): boolean {
  return preset.components.some(c => ids.includes(c.use));
}

/** Form fields from the parameters' JSON Schema, with a preset's defaults where it sets them. */
export function formFields(preset: Preset) {
  const schema = presetParametersJsonSchema() as JsonSchema;
  const prop = (name: string, extra: JsonSchema = {}): JsonSchema => {
    const { default: _default, ...rest } = schema.properties[name];
    return {
      ...rest,
      ...extra,
      ...(_default !== undefined ? { default: _default } : {}),
    };
  };
  const overrides = preset.overrides.parameters as Record<string, any>;
  const objectProp = (name: string, title: string): JsonSchema => {
    const base = schema.properties[name];
    const presetDefaults = overrides[name] ?? {};
    return {
      ...base,
      title,
      properties: Object.fromEntries(
        Object.entries(base.properties as Record<string, JsonSchema>).map(
          ([key, value]) => [
            key,
            {
              ...value,
              ...(presetDefaults[key] !== undefined
                ? { default: presetDefaults[key] }
                : {}),
              // The review step lists nested fields flat, by title: "Driver: CPU cores".
              'ui:backstage': {
                review: { name: `${title}: ${value.title ?? key}` },
              },
            },
          ],
        ),
      ),
    };
  };
  const sparkVersion = {
    ...prop('sparkVersion'),
    title: 'Spark version',
    enum: preset.sparkVersions,
    default: preset.sparkVersions[0],
  };
  const owner = {
    ...prop('owner'),
    title: 'Owner',
    'ui:field': 'OwnerPicker',
    'ui:options': { catalogFilter: { kind: 'Group' } },
  };
  return { prop, objectProp, overrides, sparkVersion, owner };
}

/**
 * The Scaffolder Template of one golden path, generated from its preset and the JSON Schema of
 * the provisioning parameters, so form fields carry exactly the schema's patterns, bounds and
 * messages (the same zod schema validates the actions' input).
 */
export function environmentTemplate(preset: Preset): JsonSchema {
  const { prop, objectProp, overrides, sparkVersion, owner } =
    formFields(preset);
  const pages: JsonSchema[] = [
    {
      title: 'Environment',
      required: ['name', 'namespace', 'owner', 'sparkVersion'],
      properties: {
        name: prop('name', { title: 'Name', 'ui:autofocus': true }),
        namespace: prop('namespace', { title: 'Namespace' }),
        owner,
        sparkVersion,
      },
    },
    {
      title: 'Resources',
      properties: {
        driver: objectProp('driver', 'Driver'),
        executor: objectProp('executor', 'Executors'),
        quota: objectProp('quota', 'Namespace quota'),
        usage: objectProp('usage', 'Expected usage'),
        ...(uses(preset, 'spot-nodes')
          ? {
              spot: prop('spot', {
                title: 'Spot nodes',
                default: overrides.spot ?? false,
              }),
            }
          : {}),
      },
    },
  ];
  const storageRequired = [
    ...new Set(preset.components.flatMap(c => STORAGE_NEEDS[c.use] ?? [])),
  ];
  const storage = objectProp('storage', 'Object storage');
  pages.push({
    title: 'Storage',
    ...(storageRequired.length > 0 ? { required: ['storage'] } : {}),
    properties: {
      storage: {
        ...storage,
        ...(storageRequired.length > 0 ? { required: storageRequired } : {}),
      },
      ...(uses(preset, 'iceberg')
        ? { iceberg: objectProp('iceberg', 'Iceberg') }
        : {}),
    },
  });
  const hasJob = uses(
    preset,
    'spark-application',
    'scheduled-spark-application',
  );
  if (hasJob) {
    pages.push({
      title: 'Job',
      properties: { job: objectProp('job', 'Spark job') },
    });
  }
  pages.push(
    repositoryPage(
      'Optional: a repository with the manifests and the catalog entry of the environment',
    ),
  );

  const fields = [
    'name',
    'namespace',
    'owner',
    'sparkVersion',
    'driver',
    'executor',
    'quota',
    'usage',
    'storage',
    ...(uses(preset, 'spot-nodes') ? ['spot'] : []),
    ...(uses(preset, 'iceberg') ? ['iceberg'] : []),
    ...(hasJob ? ['job'] : []),
  ];
  const presetInput = {
    preset: preset.name,
    parameters: actionParameters(fields),
  };
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: `spark-${preset.name}`,
      title: preset.title,
      description: preset.description,
      tags: ['spark', preset.backend, ...preset.tags].slice(0, 10),
      annotations: {
        'spark-k8s.io/preset': preset.name,
      },
    },
    spec: {
      owner: TEMPLATE_OWNER,
      type: 'spark-environment',
      parameters: pages,
      steps: [
        {
          id: 'render',
          name: 'Render the manifests',
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
          name: 'Create the environment in the cluster',
          action: 'spark:kubernetes:apply',
          input: presetInput,
        },
        {
          id: 'catalog',
          name: 'Write the catalog entry',
          action: 'catalog:write',
          input: {
            filePath: 'catalog-info.yaml',
            entity: {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: '${{ parameters.name }}',
                title: `${preset.title} (\${{ parameters.name }})`,
                description: preset.description,
                tags: ['spark', 'spark-environment'],
                annotations: {
                  // The Kubernetes plugin and the Spark data plane find the environment's pods and apps by these.
                  'backstage.io/kubernetes-id': '${{ parameters.name }}',
                  'backstage.io/kubernetes-namespace':
                    '${{ parameters.namespace }}',
                  'backstage.io/kubernetes-label-selector':
                    'app.kubernetes.io/part-of=${{ parameters.name }}',
                  'spark-k8s.io/preset': preset.name,
                },
              },
              spec: {
                type: 'spark-environment',
                lifecycle: 'production',
                owner: '${{ parameters.owner }}',
              },
            },
          },
        },
        {
          id: 'publish',
          name: 'Publish the repository',
          if: HAS_REPOSITORY,
          action: 'publish:github',
          input: {
            repoUrl: '${{ parameters.repoUrl }}',
            description: `${preset.title}: \${{ parameters.name }} in \${{ parameters.namespace }}`,
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
