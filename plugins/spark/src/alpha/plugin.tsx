import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  appRouteRef,
  appTroubleshootRouteRef,
  rootRouteRef,
  troubleshootRouteRef,
} from '../routes';
import {
  sparkApi,
  sparkCostCard,
  sparkEntityContent,
  sparkPage,
  sparkSloCard,
} from './extensions';
import { SparkIcon } from './SparkIcon';

/**
 * The Spark plugin: fleet page, app page, Component tab and Group cards.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'spark',
  title: 'Spark',
  icon: <SparkIcon />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    root: rootRouteRef,
    app: appRouteRef,
    appTroubleshoot: appTroubleshootRouteRef,
    troubleshoot: troubleshootRouteRef,
  },
  extensions: [
    sparkApi,
    sparkPage,
    sparkEntityContent,
    sparkCostCard,
    sparkSloCard,
  ],
});
