/** `/mode` and `/mode/{subject}`: READWRITE / READONLY / READONLY_OVERRIDE / IMPORT. */
import type { Request, Response, Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { requireBody } from './errors.js';
import { boolQuery } from './query.js';
import { scopedRoutes } from './scoped-routes.js';

export function modeRoutes(registry: RegistryApi): Router {
  return scopedRoutes('/mode', (subjectOf) => ({
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
  }));
}
