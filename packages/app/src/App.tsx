import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { sparkTechDocsModule } from '@spark-k8s/plugin-spark/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { appModuleSparkCostInsights } from './modules/costInsights';

export default createApp({
  features: [
    catalogPlugin,
    sparkTechDocsModule,
    navModule,
    homeModule,
    appModuleSparkCostInsights,
  ],
});
