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
import type { LoginThrottle } from '../auth/login-throttle.js';
import { DomainError } from '../errors.js';
import type { Caller } from '../negotiation/participant-access.js';
import { accessFor, isAllowed } from './route-access.js';

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
  /** Failed-login throttling per client address and user name; none when absent. */
  readonly throttle?: LoginThrottle;
}

/**
 * Order of checks, so that throttling never slows a valid client and never helps a guesser:
 * - a bearer token is checked first (a SHA-256, and a 256-bit token cannot be guessed); a valid one
 *   always passes;
 * - a name and password verified before pass at once (an HMAC lookup, see Authenticator.knownGood);
 * - otherwise, while the address or the name is throttled the answer is 429 with Retry-After, before
 *   any scrypt; else the password is checked, and only a failure counts (per address and per name, so
 *   failures on one user never throttle another user's first login from another address);
 * - a missing Authorization header is a plain 401 and counts for nothing (clients probe without one).
 */
export function createAuthMiddleware(opts: AuthOptions): RequestHandler {
  const auth = opts.authenticator;
  const throttle = opts.throttle;
  return (req: Request, res: Response, next: NextFunction) => {
    const address = req.socket.remoteAddress ?? '';
    const unauthorized = (message: string, name?: string) => {
      throttle?.recordFailure(address, name);
      res.setHeader('WWW-Authenticate', CHALLENGE);
      next(new DomainError('UNAUTHORIZED', message));
    };
    const throttled = (name?: string): boolean => {
      const wait = throttle?.retryAfterSeconds(address, name) ?? 0;
      if (wait === 0) return false;
      res.setHeader('Retry-After', String(wait));
      next(
        new DomainError(
          'RATE_LIMITED',
          `Too many failed authentication attempts; retry after ${wait} second${wait === 1 ? '' : 's'}`,
        ),
      );
      return true;
    };
    const admit = (user: UserEntry) => {
      res.locals.principal = { name: user.name, role: user.role } satisfies Principal;
      res.locals.access = accessFor(auth.credentials, user);
      next();
    };
    const cred = parseAuthorization(req.headers.authorization);
    if (cred === 'missing') {
      res.setHeader('WWW-Authenticate', CHALLENGE);
      next(new DomainError('UNAUTHORIZED', 'Authentication required'));
      return;
    }
    if (cred === 'malformed') {
      if (!throttled()) unauthorized('Malformed Authorization header');
      return;
    }
    if (cred.kind === 'bearer') {
      const user = auth.checkToken(cred.token);
      if (user) admit(user);
      else if (!throttled()) unauthorized('Invalid credentials');
      return;
    }
    const known = auth.knownGood(cred.name, cred.password);
    if (known) {
      admit(known);
      return;
    }
    if (throttled(cred.name)) return;
    auth.checkPassword(cred.name, cred.password).then(
      (user) => (user ? admit(user) : unauthorized('Invalid credentials', cred.name)),
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
    const mayWrite = isAllowed(auth.credentials, user, { kind: 'subject', subject, access: 'write' });
    return { name: user.name, admin: user.role === 'admin', mayWrite };
  };
}
