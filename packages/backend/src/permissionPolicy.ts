import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { SparkTeamPermissionPolicy } from '@spark-k8s/plugin-spark-backend';

/**
 * The portal's permission policy: Spark apps are visible per team (admin groups from
 * `spark.permissions.adminGroups` see all); everything else is allowed.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'spark-team-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(
          new SparkTeamPermissionPolicy({
            userInfo,
            adminGroupRefs:
              config.getOptionalStringArray('spark.permissions.adminGroups') ??
              [],
            costGroupRefs: config.getOptionalStringArray(
              'spark.permissions.costGroups',
            ),
          }),
        );
      },
    });
  },
});
