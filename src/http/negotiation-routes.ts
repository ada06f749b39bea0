/**
 * `/negotiation/...`: our own endpoints (never under Confluent's `/subjects/...`). Errors here render
 * their `extra` fields, e.g. what the server has when no common version exists.
 */
import type { Request, Response, Router } from 'express';
import type { Caller, NegotiationService } from '../negotiation/negotiation-service.js';
import { sendJson, sendRawJson } from './content-type.js';
import { exposeErrorExtras, methodNotAllowed } from './errors.js';
import type { NegotiationAnswerMemo } from './fast-memo.js';
import { guardedRouter } from './guarded-router.js';
import { boolQuery, pathParam, stringQuery } from './query.js';

/** Aborts when the client goes away, so a long-poll does not outlive its connection. */
function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

export interface NegotiationRouteOptions {
  /**
   * The authenticated caller of a request as the service needs it (participant ownership, joining as
   * a writer); absent when access control is off.
   */
  readonly callerFor?: (res: Response, subject: string) => Caller | undefined;
  /** Where the handshake and agreement answers go for the pre-router fast path (fast-memo.ts). */
  readonly memo?: NegotiationAnswerMemo;
}

export function negotiationRoutes(
  service: NegotiationService,
  options: NegotiationRouteOptions = {},
): Router {
  const router = guardedRouter();
  const callerFor = (res: Response, subject: string) => options.callerFor?.(res, subject);
  const base = '/negotiation/subjects/:subject';

  router
    .route(base)
    .post(exposeErrorExtras, async (req: Request, res: Response) => {
      const subject = pathParam(req, 'subject');
      // Taken before the service reads anything (see fast-memo.ts).
      const fill = options.memo?.handshake(req, subject);
      const json = JSON.stringify(await service.handshake(subject, req.body));
      fill?.(json);
      sendRawJson(res, json);
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
      const id = pathParam(req, 'participantId');
      sendJson(res, await service.putParticipant(subject, id, req.body, callerFor(res, subject)));
    })
    .delete(exposeErrorExtras, async (req: Request, res: Response) => {
      const subject = pathParam(req, 'subject');
      const id = pathParam(req, 'participantId');
      sendJson(res, await service.deleteParticipant(subject, id, callerFor(res, subject)));
    })
    .all(methodNotAllowed);

  router
    .route(`${base}/agreement`)
    .get(exposeErrorExtras, async (req: Request, res: Response) => {
      const query = {
        afterEpoch: stringQuery(req.query, 'afterEpoch'),
        waitSeconds: stringQuery(req.query, 'waitSeconds'),
      };
      const subject = pathParam(req, 'subject');
      const fill = options.memo?.agreement(subject);
      const answer = await service.getAgreement(subject, query, abortOnClose(res));
      fill?.(answer.json, { ...answer, epoch: answer.view.epoch });
      // The client may have hung up during a long-poll; there is nobody left to answer.
      if (!res.writableEnded && !res.destroyed) sendRawJson(res, answer.json);
    })
    .all(methodNotAllowed);

  return router.router;
}
