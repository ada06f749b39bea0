/**
 * `/admin/...`: our own (non-Confluent) endpoints for logical export and import. The Confluent API
 * cannot list subjects that only carry a config or mode, nor say which ids were ever assigned once
 * the highest ones are hard-deleted; without both, an export/import round trip would lose settings
 * and could hand out an id twice.
 */
import type { Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed, requireBody } from './errors.js';
import { guardedRouter } from './guarded-router.js';

export function adminRoutes(registry: RegistryApi): Router {
  const router = guardedRouter();

  router
    .route('/admin/state')
    .get(async (_req, res) => sendJson(res, await registry.getRegistryState()))
    .all(methodNotAllowed);

  router
    .route('/admin/max-schema-id')
    .put(async (req, res) => sendJson(res, await registry.raiseMaxSchemaId(requireBody(req))))
    .all(methodNotAllowed);

  return router.router;
}
