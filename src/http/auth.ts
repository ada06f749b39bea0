/**
 * Access control middleware: HTTP Basic (scrypt-hashed passwords) and bearer tokens from the
 * credentials file, roles and per-subject-prefix rules. It runs before routing, so it works out the
 * subject from the raw path itself. Failures go to the error translator as DomainErrors (401/403 in the
 * envelope); the Authorization header is never copied anywhere.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  type Access,
  type Authenticator,
  accessAllows,
  type Role,
  subjectAccess,
  type UserEntry,
} from '../auth/credentials.js';
import { DomainError } from '../errors.js';
import type { Caller } from '../negotiation/participant-access.js';

export type Requirement =
  | { readonly kind: 'public' }
  | { readonly kind: 'role'; readonly role: Role }
  | { readonly kind: 'subject'; readonly subject: string; readonly access: 'read' | 'write' };

/** What `res.locals.principal` holds once a request is authenticated (safe to log). */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

const REALM = 'proximadb-registry';
const CHALLENGE = [`Basic realm="${REALM}", charset="UTF-8"`, `Bearer realm="${REALM}"`];
const ROLE_RANK: Record<Role, number> = { read: 1, write: 2, admin: 3 };

function segments(path: string): string[] | undefined {
  const parts = path.split('/').filter((s, i, all) => i > 0 && !(s === '' && i === all.length - 1));
  try {
    return parts.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/**
 * The permission a request needs. Reads need `read`; registering, deleting and subject config need
 * `write` on the subject; global config, every mode change and `/admin` writes need `admin` (IMPORT
 * mode lets a caller choose ids, READONLY freezes writers out). Lookups, compatibility tests and
 * negotiation are reads.
 */
export function requirementFor(method: string, path: string): Requirement {
  const m = method.toUpperCase();
  const isRead = m === 'GET' || m === 'HEAD' || m === 'OPTIONS';
  const seg = segments(path);
  if (!seg) return { kind: 'role', role: isRead ? 'read' : 'write' };
  const [a, b, c] = seg;
  if (a === 'health') return { kind: 'public' };
  if (a === 'subjects' && b !== undefined) {
    // Only `POST /subjects/{s}/versions` registers; deeper POSTs (…/validate) read.
    const writes = m === 'DELETE' || (m === 'POST' && c === 'versions' && seg.length === 3);
    return { kind: 'subject', subject: b, access: writes ? 'write' : 'read' };
  }
  if (a === 'compatibility' && b === 'subjects' && c !== undefined) {
    return { kind: 'subject', subject: c, access: 'read' };
  }
  // Negotiation is how readers declare what they can read (handshakes, leases): part of reading.
  if (a === 'negotiation' && b === 'subjects' && c !== undefined) {
    return { kind: 'subject', subject: c, access: 'read' };
  }
  // Export reads the state like any listing; raising the id high-water mark is an import, admin only.
  if (a === 'admin') return { kind: 'role', role: isRead ? 'read' : 'admin' };
  if (a === 'config' || a === 'mode') {
    if (isRead)
      return b === undefined
        ? { kind: 'role', role: 'read' }
        : { kind: 'subject', subject: b, access: 'read' };
    if (a === 'config' && b !== undefined) return { kind: 'subject', subject: b, access: 'write' };
    return { kind: 'role', role: 'admin' };
  }
  return { kind: 'role', role: isRead ? 'read' : 'write' };
}

type Credential = { kind: 'basic'; name: string; password: string } | { kind: 'bearer'; token: string };

function parseAuthorization(header: string | undefined): Credential | 'missing' | 'malformed' {
  if (header === undefined || header === '') return 'missing';
  const space = header.indexOf(' ');
  if (space < 0) return 'malformed';
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value === '' ? 'malformed' : { kind: 'bearer', token: value };
  if (scheme !== 'basic' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return 'malformed';
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  return { kind: 'basic', name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export interface AuthOptions {
  readonly authenticator: Authenticator;
}

/** Whether `user` meets `need` (the same judgement the middleware makes; `GET /users/me` reports it). */
export function allowed(auth: Authenticator, user: UserEntry, need: Requirement): boolean {
  if (need.kind === 'public') return true;
  if (need.kind === 'role') return ROLE_RANK[user.role] >= ROLE_RANK[need.role];
  const have: Access = subjectAccess(auth.credentials, user, need.subject);
  return accessAllows(have, need.access);
}

function denial(user: UserEntry, need: Requirement): string {
  if (need.kind === 'subject') return `User '${user.name}' may not ${need.access} subject '${need.subject}'`;
  if (need.kind === 'role') return `User '${user.name}' needs the ${need.role} role for this operation`;
  return 'Forbidden';
}

export function createAuthMiddleware(opts: AuthOptions): RequestHandler {
  const auth = opts.authenticator;
  return (req: Request, res: Response, next: NextFunction) => {
    const need = requirementFor(req.method, req.path);
    if (need.kind === 'public') {
      next();
      return;
    }
    const unauthorized = (message: string) => {
      res.setHeader('WWW-Authenticate', CHALLENGE);
      next(new DomainError('UNAUTHORIZED', message));
    };
    const cred = parseAuthorization(req.headers.authorization);
    if (cred === 'missing') return unauthorized('Authentication required');
    if (cred === 'malformed') return unauthorized('Malformed Authorization header');
    const verify: Promise<UserEntry | undefined> =
      cred.kind === 'bearer'
        ? Promise.resolve(auth.checkToken(cred.token))
        : auth.checkPassword(cred.name, cred.password);
    verify.then(
      (user) => {
        if (!user) return unauthorized('Invalid credentials');
        res.locals.principal = { name: user.name, role: user.role } satisfies Principal;
        if (!allowed(auth, user, need)) return next(new DomainError('FORBIDDEN', denial(user, need)));
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;

/** The start-up warning for a server reachable beyond this machine with no access control. */
export function exposureWarning(host: string | undefined, authEnabled: boolean): string | undefined {
  if (authEnabled) return undefined;
  if (host !== undefined && LOOPBACK.test(host)) return undefined;
  return `Listening on ${host || 'all interfaces'} without access control: set AUTH_FILE to require credentials`;
}

/**
 * The negotiation service's view of the authenticated caller of a request (participant ownership and
 * joining as a writer), from the principal the auth middleware stored.
 */
export function negotiationCaller(
  auth: Authenticator,
): (res: Response, subject: string) => Caller | undefined {
  return (res, subject) => {
    const principal = res.locals.principal as Principal | undefined;
    if (principal === undefined) return undefined;
    const user = auth.credentials.users.find((u) => u.name === principal.name);
    if (user === undefined) return undefined;
    const mayWrite = accessAllows(subjectAccess(auth.credentials, user, subject), 'write');
    return { name: user.name, admin: user.role === 'admin', mayWrite };
  };
}
