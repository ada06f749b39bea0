/**
 * `POST /compatibility/subjects/{s}/explain`: a pairwise compatibility report (a schema or a stored
 * version against one version or those a level looks at, both directions, Java's findings with their
 * locations). A schema that does not parse is a 422 whose envelope adds `position` (line, column).
 */
import type { Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { exposeErrorExtras, methodNotAllowed, requireBody } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { pathParam } from './query.js';

export function compatibilityExplainRoutes(registry: RegistryApi): Router {
  const router = guardedRouter();
  router
    .route('/compatibility/subjects/:subject/explain')
    .post(exposeErrorExtras, async (req, res) => {
      sendJson(res, await registry.explainCompatibility(pathParam(req, 'subject'), requireBody(req)));
    })
    .all(methodNotAllowed);
  return router.router;
}
