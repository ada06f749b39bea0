/**
 * Authentication: HTTP Basic (scrypt-hashed passwords) and bearer tokens from the credentials file. It
 * runs once, before routing, and never looks at the path: a missing, malformed or wrong credential is a
 * 401 with the Basic and Bearer challenges on EVERY path behind it (known or not: nothing about routes is
 * told to a caller without credentials), and a valid one leaves the identity and its AccessContext in
 * `res.locals`. What the identity may do is decided later by the guard of the route that actually runs
 * (guarded-router.ts, rules in route-access.ts). Failures go to the error translator as DomainErrors;
 * the Authorization header is never copied anywhere.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Authenticator, Role, UserEntry } from '../auth/credentials.js';
import { DomainError } from '../errors.js';
import { accessFor } from './route-access.js';

/** What `res.locals.principal` holds once a request is authenticated (safe to log). */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

const REALM = 'proximadb-registry';
const CHALLENGE = [`Basic realm="${REALM}", charset="UTF-8"`, `Bearer realm="${REALM}"`];

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

export function createAuthMiddleware(opts: AuthOptions): RequestHandler {
  const auth = opts.authenticator;
  return (req: Request, res: Response, next: NextFunction) => {
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
        res.locals.access = accessFor(auth.credentials, user);
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
