import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { DiagnosisService } from '../diagnosis/DiagnosisService';
import { parseInput } from './parseInput';
import type { SparkAppAuthorizer } from './SparkAppAuthorizer';

const appIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\w.:\-]+$/, 'must be a Spark application id');

/**
 * `/apps/{appId}/diagnoses` and `/apps/{appId}/recommendations`: what the rules find in an app,
 * readable by whoever may read the app (earlier runs they cannot see are left out).
 */
export function createDiagnosisRouter(options: {
  diagnosis: DiagnosisService;
  authorizer: SparkAppAuthorizer;
  credentialsOf: (req: express.Request) => Promise<BackstageCredentials>;
}): express.Router {
  const { diagnosis, authorizer, credentialsOf } = options;
  const router = Router();

  const access = async (req: express.Request) => {
    const credentials = await credentialsOf(req);
    const appId = parseInput(appIdSchema, req.params.appId, 'path appId');
    await authorizer.assertApp(credentials, appId);
    return { appId, filter: await authorizer.listFilter(credentials) };
  };

  router.get('/apps/:appId/diagnoses', async (req, res) => {
    const { appId, filter } = await access(req);
    res.json({ items: await diagnosis.diagnose(appId, filter) });
  });

  router.get('/apps/:appId/recommendations', async (req, res) => {
    const { appId, filter } = await access(req);
    res.json(await diagnosis.recommend(appId, filter));
  });
  return router;
}
