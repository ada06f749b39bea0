/**
 * `/config` and `/mode` are each one resource at two scopes: global (`/config`, subject null) and one
 * subject (`/config/{subject}`), with the same GET/PUT/DELETE at both and 405 for any other method.
 */
import type { Request, Response, Router } from 'express';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { pathParam } from './query.js';

type Handler = (req: Request, res: Response) => Promise<void>;

export interface ScopeHandlers {
  readonly get: Handler;
  readonly put: Handler;
  readonly delete: Handler;
}

/** `handlers` is called once per scope with how that scope finds its subject (null: global). */
export function scopedRoutes(
  base: string,
  handlers: (subjectOf: (req: Request) => string | null) => ScopeHandlers,
): Router {
  const router = guardedRouter();
  const global = handlers(() => null);
  router.route(base).get(global.get).put(global.put).delete(global.delete).all(methodNotAllowed);

  const subject = handlers((req) => pathParam(req, 'subject'));
  router
    .route(`${base}/:subject`)
    .get(subject.get)
    .put(subject.put)
    .delete(subject.delete)
    .all(methodNotAllowed);

  return router.router;
}
