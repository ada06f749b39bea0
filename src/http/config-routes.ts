/**
 * `/config` and `/config/{subject}`. The asymmetry is Confluent's and clients depend on it: GET answers
 * `compatibilityLevel`, PUT takes and echoes `compatibility` (the Go clients read that key back).
 */
import type { Request, Response, Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { requireBody } from './errors.js';
import { boolQuery } from './query.js';
import { scopedRoutes } from './scoped-routes.js';

export function configRoutes(registry: RegistryApi): Router {
  return scopedRoutes('/config', (subjectOf) => ({
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
  }));
}
