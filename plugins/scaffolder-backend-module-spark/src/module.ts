import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { sparkPresetProvisionPermission } from '@spark-k8s/plugin-spark-common';
import path from 'node:path';
import { createApplyAction } from './actions/apply';
import { createCostAction } from './actions/cost';
import { createRenderAction } from './actions/render';
import { createValidateAction } from './actions/validate';
import { readPriceModel } from './cost/config';
import { readProvisioningClusters } from './kubernetes/clusters';
import { PresetLibrary } from './presets/PresetLibrary';

/**
 * The scaffolder actions of Spark presets: `spark:preset:render`, `spark:preset:validate`,
 * `spark:cost:estimate` and `spark:kubernetes:apply`.
 *
 * @public
 */
export const scaffolderModuleSpark = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'spark',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
      },
      async init({
        scaffolder,
        config,
        logger,
        permissions,
        permissionsRegistry,
        auditor,
      }) {
        const directory = path.resolve(
          config.getOptionalString('spark.presets.directory') ??
            '../../presets',
        );
        const library = PresetLibrary.fromDirectory(directory);
        const clusters = readProvisioningClusters(config);
        permissionsRegistry.addPermissions([sparkPresetProvisionPermission]);
        scaffolder.addActions(
          createRenderAction(library),
          createValidateAction(library),
          createCostAction(library, readPriceModel(config)),
          createApplyAction({
            library,
            clusters,
            defaultCluster: config.getOptionalString(
              'spark.presets.defaultCluster',
            ),
            permissions,
            auditor,
          }),
        );
        logger.info(
          `Spark presets from ${directory}: ${library
            .names()
            .join(', ')}; clusters: ${
            clusters.map(c => c.name).join(', ') || 'none'
          }`,
        );
      },
    });
  },
});
