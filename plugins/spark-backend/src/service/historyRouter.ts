import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { sparkAppSensitiveReadPermission } from '@spark-k8s/plugin-spark-common';
import type { SparkHistoryDocuments } from '@spark-k8s/plugin-spark-node';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { SparkStore } from '../store/SparkStore';
import { parseInput } from './parseInput';
import type { SparkAppAuthorizer } from './SparkAppAuthorizer';

type Json = Record<string, any>;

const hsDate = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(GMT|Z)?)?$/,
    'must be yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss.SSSGMT',
  );

const applicationsQuery = z
  .object({
    status: z.enum(['completed', 'running', 'COMPLETED', 'RUNNING']).optional(),
    minDate: hsDate.optional(),
    maxDate: hsDate.optional(),
    minEndDate: hsDate.optional(),
    maxEndDate: hsDate.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();

const statusQuery = z
  .object({
    status: z
      .union([z.string(), z.array(z.string())])
      .transform(value =>
        (Array.isArray(value) ? value : [value]).map(s => s.toUpperCase()),
      )
      .optional(),
  })
  .passthrough();

const pathId = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\w.:\-]+$/, 'must be an id');

const epochOf = (value: string) =>
  Date.parse(
    value.length === 10
      ? `${value}T00:00:00Z`
      : value.replace(/GMT$/, 'Z').replace(/(\d)$/, '$1Z'),
  );

/**
 * A subset of the Spark History Server's REST API (`/api/v1`) served from the store, so tools
 * that speak to a History Server can point at the portal. Same paths, same JSON.
 */
export function createHistoryRouter(options: {
  store: SparkStore;
  authorizer: SparkAppAuthorizer;
  credentialsOf: (req: express.Request) => Promise<BackstageCredentials>;
}): express.Router {
  const { store, authorizer, credentialsOf } = options;
  const router = Router();

  async function applicationInfo(appId: string): Promise<Json | undefined> {
    const attempts = await store.getHistoryDocuments(appId);
    if (attempts.length === 0) return undefined;
    const app = await store.getApp(appId);
    return {
      id: appId,
      name: app.name,
      // Newest attempt first, as the History Server lists them.
      attempts: attempts
        .map(a => a.documents.attempt)
        .sort(
          (a, b) =>
            Number(b.startTimeEpoch ?? 0) - Number(a.startTimeEpoch ?? 0),
        ),
    };
  }

  async function attemptDocuments(
    appId: string,
    attemptId: string | undefined,
  ): Promise<SparkHistoryDocuments> {
    const attempts = await store.getHistoryDocuments(appId);
    const found =
      attemptId === undefined
        ? attempts.find(a => a.attemptId === '') ??
          (attempts.length === 1 ? attempts[0] : undefined)
        : attempts.find(a => a.attemptId === attemptId);
    if (!found) {
      throw new NotFoundError(
        attemptId === undefined
          ? `unknown app: ${appId}`
          : `unknown app ${appId}, attempt ${attemptId}`,
      );
    }
    return found.documents;
  }

  router.get('/applications', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(applicationsQuery, req.query, 'query');
    const filter = await authorizer.listFilter(credentials);
    const ids = await store.listHistoryAppIds(filter, 10_000);
    const out: Json[] = [];
    for (const id of ids) {
      const info = await applicationInfo(id);
      if (!info) continue;
      const attempts = (info.attempts as Json[]).filter(attempt => {
        if (
          query.status &&
          Boolean(attempt.completed) !==
            (query.status.toLowerCase() === 'completed')
        )
          return false;
        if (
          query.minDate &&
          Number(attempt.startTimeEpoch) < epochOf(query.minDate)
        )
          return false;
        if (
          query.maxDate &&
          Number(attempt.startTimeEpoch) > epochOf(query.maxDate)
        )
          return false;
        if (
          query.minEndDate &&
          Number(attempt.endTimeEpoch) < epochOf(query.minEndDate)
        )
          return false;
        if (
          query.maxEndDate &&
          Number(attempt.endTimeEpoch) > epochOf(query.maxEndDate)
        )
          return false;
        return true;
      });
      if (attempts.length) out.push({ ...info, attempts });
      if (query.limit && out.length >= query.limit) break;
    }
    res.json(out);
  });

  router.get('/applications/:appId', async (req, res) => {
    const credentials = await credentialsOf(req);
    const appId = parseInput(pathId, req.params.appId, 'path appId');
    await authorizer.assertApp(credentials, appId);
    const info = await applicationInfo(appId);
    if (!info) throw new NotFoundError(`unknown app: ${appId}`);
    res.json(info);
  });

  const kinds = [
    'jobs',
    'stages',
    'executors',
    'allexecutors',
    'environment',
  ] as const;
  type Kind = (typeof kinds)[number];

  async function answer(
    req: express.Request,
    res: express.Response,
    kind: Kind,
    attemptId: string | undefined,
  ) {
    const credentials = await credentialsOf(req);
    const appId = parseInput(pathId, req.params.appId, 'path appId');
    if (attemptId !== undefined)
      parseInput(pathId, attemptId, 'path attemptId');
    await authorizer.assertApp(
      credentials,
      appId,
      kind === 'environment' ? sparkAppSensitiveReadPermission : undefined,
    );
    const docs = await attemptDocuments(appId, attemptId);
    const { status } = parseInput(statusQuery, req.query, 'query');
    const byStatus = (items: Json[]) =>
      status
        ? items.filter(item => status.includes(String(item.status)))
        : items;
    switch (kind) {
      case 'jobs':
        res.json(byStatus(docs.jobs));
        return;
      case 'stages':
        res.json(byStatus(docs.stages));
        return;
      case 'allexecutors':
        res.json(docs.allexecutors);
        return;
      case 'executors':
        res.json((docs.allexecutors as Json[]).filter(e => e.isActive));
        return;
      default:
        res.json(docs.environment);
    }
  }

  for (const kind of kinds) {
    router.get(`/applications/:appId/${kind}`, (req, res) =>
      answer(req, res, kind, undefined),
    );
    router.get(`/applications/:appId/:attemptId/${kind}`, (req, res) =>
      answer(req, res, kind, req.params.attemptId),
    );
  }
  return router;
}
