import { Content } from '@backstage/core-components';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { Route, Routes, useParams } from 'react-router-dom';
import { AppPage } from '../AppPage';
import { FleetPage } from '../FleetPage';
import { TroubleshootingWizard } from '../TroubleshootingWizard';

function AppRoute() {
  const { appId = '' } = useParams();
  return (
    <Content>
      <AppPage appId={appId} />
    </Content>
  );
}

function AppTroubleshootRoute() {
  const { appId = '' } = useParams();
  return (
    <Content>
      <TroubleshootingWizard appId={appId} />
    </Content>
  );
}

/**
 * `/spark`: the fleet page; `/spark/apps/:appId`: one app; `…/troubleshoot`: the wizard, for
 * one app or from a symptom.
 */
export function SparkPage() {
  return (
    <ReactRouterV6PageRouter>
      <Routes>
        <Route path="/" element={<FleetPage />} />
        <Route path="/apps/:appId" element={<AppRoute />} />
        <Route
          path="/apps/:appId/troubleshoot"
          element={<AppTroubleshootRoute />}
        />
        <Route
          path="/troubleshoot"
          element={
            <Content>
              <TroubleshootingWizard />
            </Content>
          }
        />
      </Routes>
    </ReactRouterV6PageRouter>
  );
}
