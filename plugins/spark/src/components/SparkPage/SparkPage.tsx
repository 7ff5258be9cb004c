import { Content } from '@backstage/core-components';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { Route, Routes, useParams } from 'react-router-dom';
import { AppPage } from '../AppPage';
import { FleetPage } from '../FleetPage';

function AppRoute() {
  const { appId = '' } = useParams();
  return (
    <Content>
      <AppPage appId={appId} />
    </Content>
  );
}

/** `/spark`: the fleet page, and `/spark/apps/:appId`: one app. */
export function SparkPage() {
  return (
    <ReactRouterV6PageRouter>
      <Routes>
        <Route path="/" element={<FleetPage />} />
        <Route path="/apps/:appId" element={<AppRoute />} />
      </Routes>
    </ReactRouterV6PageRouter>
  );
}
