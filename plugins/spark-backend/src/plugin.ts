import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';

/**
 * The Spark backend plugin.
 *
 * @public
 */
export const sparkPlugin = createBackendPlugin({
  pluginId: 'spark',
  register(env) {
    env.registerInit({
      deps: { logger: coreServices.logger },
      async init({ logger }) {
        logger.info('spark backend starting');
      },
    });
  },
});
