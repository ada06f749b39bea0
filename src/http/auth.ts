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
import type { Authenticator } from '../auth/authenticator.js';
import type { Role, UserEntry } from '../auth/credentials.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { DomainError } from '../errors.js';
import type { Caller } from '../negotiation/participant-access.js';
import { accessOf } from './guarded-router.js';
import { accessFor } from './route-access.js';

/** What `res.locals.principal` holds once a request is authenticated (safe to log). */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

const REALM = 'proximadb-registry';
const CHALLENGE = [`Basic realm="${REALM}", charset="UTF-8"`, `Bearer realm="${REALM}"`];

type Credential = { kind: 'basic'; encoded: string } | { kind: 'bearer'; token: string };

function parseAuthorization(header: string | undefined): Credential | 'missing' | 'malformed' {
  if (header === undefined || header === '') return 'missing';
  const space = header.indexOf(' ');
  if (space < 0) return 'malformed';
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value === '' ? 'malformed' : { kind: 'bearer', token: value };
  return scheme === 'basic' ? { kind: 'basic', encoded: value } : 'malformed';
}

/** `name:password` from a Basic header's base64 text. */
function decodeBasic(encoded: string): { name: string; password: string } | 'malformed' {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return 'malformed';
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export interface AuthOptions {
  readonly authenticator: Authenticator;
  /** Failed-login throttling per client address and user name; none when absent. */
  readonly throttle?: LoginThrottle;
  /** The credentials file, looked at (and reloaded when it changed) before each authentication. */
  readonly source?: { refresh(): void };
}

/** What authentication decided for one request, before anything is answered. */
export type AuthOutcome =
  | { readonly kind: 'admit'; readonly user: UserEntry }
  /** 401 (with the challenges) or 429 (with Retry-After); the failure is already counted. */
  | { readonly kind: 'refuse'; readonly error: DomainError; readonly retryAfterSeconds?: number }
  /** A name and password never verified before: scrypt decides (`checkPassword`), asynchronously. */
  | { readonly kind: 'verify'; readonly name: string; readonly password: string; readonly encoded: string };

function refusal(
  opts: AuthOptions,
  address: string,
  message: string,
  name?: string,
): Extract<AuthOutcome, { kind: 'refuse' }> {
  opts.throttle?.recordFailure(address, name);
  return { kind: 'refuse', error: new DomainError('UNAUTHORIZED', message) };
}

function throttled(opts: AuthOptions, address: string, name?: string): AuthOutcome | undefined {
  const wait = opts.throttle?.retryAfterSeconds(address, name) ?? 0;
  if (wait === 0) return undefined;
  const error = new DomainError(
    'RATE_LIMITED',
    `Too many failed authentication attempts; retry after ${wait} second${wait === 1 ? '' : 's'}`,
  );
  return { kind: 'refuse', error, retryAfterSeconds: wait };
}

/**
 * The synchronous part of authentication, shared by the Express middleware and the pre-router fast
 * path so that both give the same answers and count failures the same way. Order of checks, so that
 * throttling never slows a valid client and never helps a guesser:
 * - a bearer token is checked first (a SHA-256, and a 256-bit token cannot be guessed); a valid one
 *   always passes;
 * - a name and password verified before pass at once (an HMAC lookup, see Authenticator.knownGood);
 * - otherwise, while the address or the name is throttled the answer is 429 with Retry-After, before
 *   any scrypt; else the password must be checked (`verify`), and only a failure counts (per address
 *   and per name, so failures on one user never throttle another user's first login from another
 *   address: see `passwordRefused`);
 * - a missing Authorization header is a plain 401 and counts for nothing (clients probe without one).
 * Only a `refuse` outcome has side effects (the failure counted); `admit` and `verify` have none, so
 * a caller may ask again.
 */
export function authenticate(opts: AuthOptions, header: string | undefined, address: string): AuthOutcome {
  opts.source?.refresh();
  const cred = parseAuthorization(header);
  if (cred === 'missing') {
    return { kind: 'refuse', error: new DomainError('UNAUTHORIZED', 'Authentication required') };
  }
  if (cred === 'malformed') {
    return throttled(opts, address) ?? refusal(opts, address, 'Malformed Authorization header');
  }
  const auth = opts.authenticator;
  if (cred.kind === 'bearer') {
    const user = auth.checkToken(cred.token);
    if (user) return { kind: 'admit', user };
    return throttled(opts, address) ?? refusal(opts, address, 'Invalid credentials');
  }
  // Credentials verified before were well-formed: the header's text alone finds them.
  const known = auth.knownGood(cred.encoded);
  if (known) return { kind: 'admit', user: known };
  const basic = decodeBasic(cred.encoded);
  if (basic === 'malformed') {
    return throttled(opts, address) ?? refusal(opts, address, 'Malformed Authorization header');
  }
  return (
    throttled(opts, address, basic.name) ?? {
      kind: 'verify',
      name: basic.name,
      password: basic.password,
      encoded: cred.encoded,
    }
  );
}

/** The outcome of a failed scrypt check (counted against the address and the name). */
export function passwordRefused(opts: AuthOptions, address: string, name: string): AuthOutcome {
  return refusal(opts, address, 'Invalid credentials', name);
}

/** The headers an authentication refusal carries besides the envelope. */
export function refusalHeaders(outcome: Extract<AuthOutcome, { kind: 'refuse' }>): Array<[string, string]> {
  if (outcome.retryAfterSeconds !== undefined) return [['Retry-After', String(outcome.retryAfterSeconds)]];
  return CHALLENGE.map((c) => ['WWW-Authenticate', c]);
}

export function createAuthMiddleware(opts: AuthOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const address = req.socket.remoteAddress ?? '';
    const settle = (outcome: AuthOutcome) => {
      if (outcome.kind === 'admit') {
        res.locals.principal = { name: outcome.user.name, role: outcome.user.role } satisfies Principal;
        res.locals.access = accessFor(opts.authenticator.credentials, outcome.user);
        next();
      } else if (outcome.kind === 'refuse') {
        if (outcome.retryAfterSeconds !== undefined) {
          res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
        } else {
          res.setHeader('WWW-Authenticate', CHALLENGE);
        }
        next(outcome.error);
      } else {
        opts.authenticator.checkPassword(outcome.name, outcome.password, outcome.encoded).then(
          (user) => settle(user ? { kind: 'admit', user } : passwordRefused(opts, address, outcome.name)),
          (err: unknown) => next(err),
        );
      }
    };
    settle(authenticate(opts, req.headers.authorization, address));
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
 * joining as a writer): the access context the auth middleware stored with the very credentials the
 * request was judged by, so a reload of AUTH_FILE meanwhile cannot turn it into "no access control".
 * Undefined only when access control is off.
 */
export function negotiationCaller(res: Response, subject: string): Caller | undefined {
  const access = accessOf(res);
  if (access === undefined) return undefined;
  return {
    name: access.name,
    admin: access.role === 'admin',
    mayWrite: access.allows({ kind: 'subject', subject, access: 'write' }),
  };
}
