/**
 * `/compatibility/subjects/{s}/versions[/{v}]`: test a schema without registering it. The Java client
 * posts with a trailing slash, which non-strict routing accepts.
 */
import type { Request, Router } from 'express';
import type { CompatibilityView, RegistryApi } from '../registry/registry-api.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed, requireBody } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { boolQuery, pathParam } from './query.js';

/** `messages` only with `verbose=true` (Confluent leaves it out otherwise, even when incompatible). */
function renderCompatibility(view: CompatibilityView, verbose: boolean): Record<string, unknown> {
  return verbose
    ? { is_compatible: view.is_compatible, messages: view.messages ?? [] }
    : { is_compatible: view.is_compatible };
}

export function compatibilityRoutes(registry: RegistryApi): Router {
  const router = guardedRouter();

  const check = async (req: Request, version: string | undefined) => {
    const verbose = boolQuery(req.query, 'verbose') === true;
    const view = await registry.testCompatibility(pathParam(req, 'subject'), version, requireBody(req), {
      verbose,
      normalize: boolQuery(req.query, 'normalize'),
    });
    return renderCompatibility(view, verbose);
  };

  router
    .route('/compatibility/subjects/:subject/versions')
    .post(async (req, res) => sendJson(res, await check(req, undefined)))
    .all(methodNotAllowed);

  router
    .route('/compatibility/subjects/:subject/versions/:version')
    .post(async (req, res) => sendJson(res, await check(req, pathParam(req, 'version'))))
    .all(methodNotAllowed);

  return router.router;
}
