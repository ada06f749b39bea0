/** `/mode` and `/mode/{subject}`: READWRITE / READONLY / READONLY_OVERRIDE / IMPORT. */
import { type Request, type Response, Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed, requireBody } from './errors.js';
import { boolQuery, pathParam } from './query.js';

export function modeRoutes(registry: RegistryApi): Router {
  const router = Router();

  const handlers = (subjectOf: (req: Request) => string | null) => ({
    get: async (req: Request, res: Response) =>
      sendJson(
        res,
        await registry.getMode(subjectOf(req), { defaultToGlobal: boolQuery(req.query, 'defaultToGlobal') }),
      ),
    put: async (req: Request, res: Response) =>
      sendJson(
        res,
        await registry.setMode(subjectOf(req), requireBody(req), { force: boolQuery(req.query, 'force') }),
      ),
    delete: async (req: Request, res: Response) =>
      sendJson(
        res,
        await registry.deleteMode(subjectOf(req), { recursive: boolQuery(req.query, 'recursive') }),
      ),
  });

  const global = handlers(() => null);
  router.route('/mode').get(global.get).put(global.put).delete(global.delete).all(methodNotAllowed);

  const subject = handlers((req) => pathParam(req, 'subject'));
  router
    .route('/mode/:subject')
    .get(subject.get)
    .put(subject.put)
    .delete(subject.delete)
    .all(methodNotAllowed);

  return router;
}
