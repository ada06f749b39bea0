/**
 * `GET /users/me[?subject=a&subject=b]`: who the caller is and what it may do, so a client (the web UI,
 * a CLI) can offer only the operations that will be allowed. Each answer is the access middleware's
 * own judgement of a representative request, so the two cannot disagree. With access control off,
 * everything is allowed and there is no user.
 */
import type { Request, Router } from 'express';
import type { Authenticator } from '../auth/authenticator.js';
import { DomainError } from '../errors.js';
import { sendJson } from './content-type.js';
import { methodNotAllowed } from './errors.js';
import { accessOf, guardedRouter } from './guarded-router.js';
import { requirementFor } from './route-access.js';

/** More subjects than a page of a UI shows; a caller needing more asks again. */
export const MAX_SUBJECTS_PER_REQUEST = 100;

export interface SubjectPermissions {
  subject: string;
  /** Read its versions, check compatibility against it, negotiate. */
  read: boolean;
  /** Register a version. */
  register: boolean;
  /** Soft- or hard-delete versions. */
  delete: boolean;
  /** Set or clear its compatibility config. */
  writeConfig: boolean;
  /** Set or clear its mode. */
  writeMode: boolean;
}

export interface AccessView {
  accessControl: boolean;
  user: string | null;
  role: string | null;
  global: { writeConfig: boolean; writeMode: boolean };
  subjects: SubjectPermissions[];
}

function requestedSubjects(req: Request): string[] {
  const raw: unknown = req.query.subject;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.some((s) => typeof s !== 'string')) {
    throw new DomainError('BAD_REQUEST', "Query parameter 'subject' must be a subject name");
  }
  if (list.length > MAX_SUBJECTS_PER_REQUEST) {
    throw new DomainError(
      'BAD_REQUEST',
      `At most ${MAX_SUBJECTS_PER_REQUEST} 'subject' parameters per request, got ${list.length}`,
    );
  }
  return [...new Set(list as string[])];
}

export function accessRoutes(options: { authenticator?: Authenticator }): Router {
  const router = guardedRouter();
  router
    .route('/users/me')
    .get((req, res) => {
      const subjects = requestedSubjects(req);
      const auth = options.authenticator;
      // The access context the middleware stored: the credentials this request was judged by.
      const access = auth === undefined ? undefined : accessOf(res);
      // No access control: everything is allowed. With it, the middleware already required a user.
      // The judgement each route's own guard would make (the one access table, route-access.ts).
      const may = (method: string, template: string, subject?: string): boolean =>
        auth === undefined ||
        access?.allows(requirementFor(method, template, subject === undefined ? {} : { subject })) === true;
      const view: AccessView = {
        accessControl: auth !== undefined,
        user: access?.name ?? null,
        role: access?.role ?? null,
        global: { writeConfig: may('PUT', '/config'), writeMode: may('PUT', '/mode') },
        subjects: subjects.map((subject) => {
          return {
            subject,
            read: may('GET', '/subjects/:subject/versions', subject),
            register: may('POST', '/subjects/:subject/versions', subject),
            delete: may('DELETE', '/subjects/:subject', subject),
            writeConfig: may('PUT', '/config/:subject', subject),
            writeMode: may('PUT', '/mode/:subject', subject),
          };
        }),
      };
      sendJson(res, view);
    })
    .all(methodNotAllowed);
  return router.router;
}
