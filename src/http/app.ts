/**
 * Builds the Express app (never listens). Order matters: response negotiation (406) and the request
 * type gate (415) run before the JSON parser so nothing is read that would be refused anyway; every
 * router comes before the 404 catch-all, and the error translator is the very last layer.
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { RegistryApi } from '../registry/registry-api.js';
import { adminRoutes } from './admin-routes.js';
import { compatibilityRoutes } from './compatibility-routes.js';
import { configRoutes } from './config-routes.js';
import { negotiateResponse, requireAcceptedRequestType } from './content-type.js';
import { errorHandler, type HttpLogger, notFoundHandler } from './errors.js';
import { assertGuarded, refuseDotSegments } from './guarded-router.js';
import { jsonBodyParser } from './json-body.js';
import { miscRoutes, type ServerIdentity } from './misc-routes.js';
import { modeRoutes } from './mode-routes.js';
import { schemasRoutes } from './schemas-routes.js';
import { subjectsRoutes } from './subjects-routes.js';

export interface AppDeps {
  readonly registry: RegistryApi;
  readonly logger: HttpLogger;
  /** Largest accepted request body in bytes; beyond it 413. */
  readonly maxBodyBytes: number;
  readonly identity?: ServerIdentity;
  /** Mounted first, before negotiation and body parsing (metrics, auth, request logging). */
  readonly middleware?: readonly RequestHandler[];
  /** Our own routers (negotiation, validation), mounted after the Confluent routes; guardedRouter() only. */
  readonly routers?: readonly Router[];
}

const DEFAULT_IDENTITY: ServerIdentity = { version: '0.0.0', commitId: 'unknown', clusterId: 'proximadb' };

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // Non-strict routing (Express's default) is what lets `/versions/` match `/versions`; stated for the reader.
  app.set('strict routing', false);
  // Case-sensitive as Confluent's server (`/SUBJECTS` is a 404); set before the app's router exists.
  app.set('case sensitive routing', true);

  for (const middleware of deps.middleware ?? []) app.use(middleware);
  app.use(negotiateResponse);
  app.use(requireAcceptedRequestType);
  app.use(jsonBodyParser(deps.maxBodyBytes));

  app.use(refuseDotSegments);
  app.use(miscRoutes(deps.registry, deps.identity ?? DEFAULT_IDENTITY));
  app.use(schemasRoutes(deps.registry));
  app.use(subjectsRoutes(deps.registry));
  app.use(compatibilityRoutes(deps.registry));
  app.use(configRoutes(deps.registry));
  app.use(modeRoutes(deps.registry));
  app.use(adminRoutes(deps.registry));
  for (const router of deps.routers ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  // Every route must carry the guard of its access rule, in a case-sensitive router (guarded-router.ts).
  assertGuarded(app);
  return app;
}
