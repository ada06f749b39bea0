/**
 * Liveness and readiness for orchestrators. Live means the process answers; ready means it can do
 * real work: migrations ran and the database answers a query. Both are public (no auth) and cheap.
 */
import type { Request, Response, Router } from 'express';
import { DomainError } from '../errors.js';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';

export interface ReadinessProbe {
  /** Resolves when the database answers (e.g. `SELECT 1`); throws or rejects otherwise. */
  check(): void | Promise<void>;
  /** True once migrations have run; false while starting or once shutdown began (draining). */
  isReady(): boolean;
}

export function createHealthRouter(probe: ReadinessProbe): Router {
  // Case-sensitive like every router: `/HEALTH/live` is not public, it is an unknown path behind auth.
  const router = guardedRouter();
  // A wrong method is 405 in the envelope, as on every other route (not Express's default 404/OPTIONS).
  router
    .route('/health/live')
    .get((_req: Request, res: Response) => {
      res.status(200).json({ status: 'UP' });
    })
    .all(methodNotAllowed);
  router
    .route('/health/ready')
    .get(async (_req: Request, res: Response) => {
      if (!probe.isReady())
        throw new DomainError('SERVICE_UNAVAILABLE', 'Not ready: starting up or shutting down');
      try {
        await probe.check();
      } catch {
        throw new DomainError('SERVICE_UNAVAILABLE', 'Not ready: the database does not answer');
      }
      res.status(200).json({ status: 'UP' });
    })
    .all(methodNotAllowed);
  return router.router;
}
