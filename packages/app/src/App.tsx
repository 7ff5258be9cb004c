import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { sparkTechDocsModule } from '@spark-k8s/plugin-spark/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';

export default createApp({
  features: [catalogPlugin, sparkTechDocsModule, navModule, homeModule],
});
