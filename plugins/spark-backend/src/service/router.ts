import type {
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  sparkAppListQuerySchema,
  sparkAppSensitiveReadPermission,
  sparkAppReadPermission,
  sparkCostQuerySchema,
  sparkCostReadPermission,
  sparkSloQuerySchema,
  sparkSourceReadPermission,
} from '@spark-k8s/plugin-spark-common';
import express from 'express';
import Router from 'express-promise-router';
import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import type { CostService } from '../cost/CostService';
import { grafanaDashboard } from '../slo/dashboard';
import type { SloService } from '../slo/SloService';
import type { CostStore } from '../store/CostStore';
import type { SparkStore } from '../store/SparkStore';
import type { DiagnosisService } from '../diagnosis/DiagnosisService';
import { createDiagnosisRouter } from './diagnosisRouter';
import { createHistoryRouter } from './historyRouter';
import { parseInput } from './parseInput';
import { SparkAppAuthorizer } from './SparkAppAuthorizer';

export interface RouterOptions {
  store: SparkStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  costs: CostStore;
  costService: CostService;
  slo: SloService;
  /** Diagnoses and sizing recommendations; their routes are absent without it. */
  diagnosis?: DiagnosisService;
}

const appIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\w.:\-]+$/, 'must be a Spark application id');

/** The REST API of the Spark backend, mounted at `/api/spark`. */
export function createRouter(options: RouterOptions): express.Router {
  const { store, httpAuth, permissions, permissionsRegistry, costs } = options;
  const authorizer = new SparkAppAuthorizer(
    store,
    permissions,
    permissionsRegistry,
  );
  const router = Router();
  router.use(express.json());

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/apps', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(sparkAppListQuerySchema, req.query, 'query');
    const filter = await authorizer.listFilter(credentials);
    const page = await store.listApps(query, filter);
    res.json({
      ...page,
      items: page.items.map(app => options.slo.judgeRun(app)),
    });
  });

  router.get('/apps/:appId', async (req, res) => {
    const credentials = await credentialsOf(req);
    const appId = parseInput(appIdSchema, req.params.appId, 'path appId');
    await authorizer.assertApp(credentials, appId);
    const details = await store.getAppDetails(appId);
    res.json({ ...details, app: options.slo.judgeRun(details.app) });
  });

  router.get('/apps/:appId/environment', async (req, res) => {
    const credentials = await credentialsOf(req);
    const appId = parseInput(appIdSchema, req.params.appId, 'path appId');
    await authorizer.assertApp(
      credentials,
      appId,
      sparkAppSensitiveReadPermission,
    );
    res.json(await store.getEnvironment(appId));
  });

  router.get('/sources', async (req, res) => {
    const credentials = await credentialsOf(req);
    const [decision] = await permissions.authorize(
      [{ permission: sparkSourceReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `not allowed: ${sparkSourceReadPermission.name}`,
      );
    }
    res.json({ items: await store.listSourceStatus() });
  });

  router.get('/cost/summary', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(sparkCostQuerySchema, req.query, 'query');
    const filter = await authorizer.listFilter(
      credentials,
      sparkCostReadPermission,
    );
    res.json(await options.costService.summary(query, filter));
  });

  router.get('/slo/status', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(sparkSloQuerySchema, req.query, 'query');
    const filter = await authorizer.listFilter(
      credentials,
      sparkAppReadPermission,
    );
    res.json(await options.slo.status(query, filter));
  });

  router.get('/slo/rules', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { download, ...rest } = req.query;
    const query = parseInput(sparkSloQuerySchema, rest, 'query');
    const filter = await authorizer.listFilter(
      credentials,
      sparkAppReadPermission,
    );
    const rules = options.slo.rules(query, filter);
    if (download !== undefined) {
      res.attachment('spark-slo.rules.yml');
    }
    res.type('application/yaml').send(stringifyYaml(rules));
  });

  router.get('/slo/dashboard', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorizer.listFilter(credentials, sparkAppReadPermission);
    res.json(grafanaDashboard());
  });

  router.get('/cost/apps/:appId', async (req, res) => {
    const credentials = await credentialsOf(req);
    const appId = parseInput(appIdSchema, req.params.appId, 'path appId');
    await authorizer.assertApp(credentials, appId, sparkCostReadPermission);
    res.json(await costs.getAppCost(appId));
  });

  if (options.diagnosis) {
    router.use(
      createDiagnosisRouter({
        diagnosis: options.diagnosis,
        authorizer,
        credentialsOf,
      }),
    );
  }

  router.use(
    '/history/api/v1',
    createHistoryRouter({ store, authorizer, credentialsOf }),
  );
  return router;
}
