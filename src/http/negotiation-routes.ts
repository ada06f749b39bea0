/**
 * `/negotiation/...`: our own endpoints (never under Confluent's `/subjects/...`). Errors here render
 * their `extra` fields, e.g. what the server has when no common version exists.
 */
import type { Request, Response, Router } from 'express';
import type { NegotiationService } from '../negotiation/negotiation-service.js';
import { sendJson } from './content-type.js';
import { exposeErrorExtras, methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { boolQuery, pathParam, stringQuery } from './query.js';

/** Aborts when the client goes away, so a long-poll does not outlive its connection. */
function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

export function negotiationRoutes(service: NegotiationService): Router {
  const router = guardedRouter();
  const base = '/negotiation/subjects/:subject';

  router
    .route(base)
    .post(exposeErrorExtras, async (req: Request, res: Response) => {
      sendJson(res, await service.handshake(pathParam(req, 'subject'), req.body));
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/versions`)
    .get(exposeErrorExtras, async (req: Request, res: Response) => {
      const deleted = boolQuery(req.query, 'deleted');
      sendJson(res, await service.listVersions(pathParam(req, 'subject'), { deleted }));
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/semver/:label`)
    .get(exposeErrorExtras, async (req: Request, res: Response) => {
      const deleted = boolQuery(req.query, 'deleted');
      sendJson(
        res,
        await service.getBySemver(pathParam(req, 'subject'), pathParam(req, 'label'), { deleted }),
      );
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/participants/:participantId`)
    .put(exposeErrorExtras, async (req: Request, res: Response) => {
      const subject = pathParam(req, 'subject');
      sendJson(res, await service.putParticipant(subject, pathParam(req, 'participantId'), req.body));
    })
    .delete(exposeErrorExtras, async (req: Request, res: Response) => {
      sendJson(
        res,
        await service.deleteParticipant(pathParam(req, 'subject'), pathParam(req, 'participantId')),
      );
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/agreement`)
    .get(exposeErrorExtras, async (req: Request, res: Response) => {
      const query = {
        afterEpoch: stringQuery(req.query, 'afterEpoch'),
        waitSeconds: stringQuery(req.query, 'waitSeconds'),
      };
      const view = await service.getAgreement(pathParam(req, 'subject'), query, abortOnClose(res));
      // The client may have hung up during a long-poll; there is nobody left to answer.
      if (!res.writableEnded && !res.destroyed) sendJson(res, view);
    })
    .all(methodNotAllowed);

  return router.router;
}
