/**
 * `/config` and `/config/{subject}`. The asymmetry is Confluent's and clients depend on it: GET answers
 * `compatibilityLevel`, PUT takes and echoes `compatibility` (the Go clients read that key back).
 */
import { type Request, type Response, Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed, requireBody } from './errors.js';
import { boolQuery, pathParam } from './query.js';

export function configRoutes(registry: RegistryApi): Router {
  const router = Router();

  /** One set of handlers for global (`subject` null) and subject scope. */
  const handlers = (subjectOf: (req: Request) => string | null) => ({
    get: async (req: Request, res: Response) =>
      sendJson(
        res,
        await registry.getConfig(subjectOf(req), {
          defaultToGlobal: boolQuery(req.query, 'defaultToGlobal'),
        }),
      ),
    put: async (req: Request, res: Response) =>
      sendJson(res, await registry.setConfig(subjectOf(req), requireBody(req))),
    delete: async (req: Request, res: Response) => sendJson(res, await registry.deleteConfig(subjectOf(req))),
  });

  const global = handlers(() => null);
  router.route('/config').get(global.get).put(global.put).delete(global.delete).all(methodNotAllowed);

  const subject = handlers((req) => pathParam(req, 'subject'));
  router
    .route('/config/:subject')
    .get(subject.get)
    .put(subject.put)
    .delete(subject.delete)
    .all(methodNotAllowed);

  return router;
}
