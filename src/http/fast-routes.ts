/**
 * Which requests the pre-router fast path (fast-path.ts) may take, recognised from the raw request
 * line exactly as Express's router would match them, or not at all: a request is taken only when its
 * URL is plain (printable ASCII, no `#`: anything else makes Express's URL parser take another road),
 * its path is a canonical spelling of one of the routes below (case-sensitive, at most one trailing
 * slash, no `.`/`..` segment, a subject that percent-decodes), so that the route, the parameters and
 * the query Express would see are known for sure. Everything else goes to Express untouched.
 */
import { parse as parseQuery } from 'node:querystring';
import { hasDotSegment } from './guarded-router.js';
import type { RouteMethod } from './route-access.js';

export const ID_ROUTE = '/schemas/ids/:id';
export const VERSION_ROUTE = '/subjects/:subject/versions/:version';
export const LOOKUP_ROUTE = '/subjects/:subject';
export const HANDSHAKE_ROUTE = '/negotiation/subjects/:subject';
export const AGREEMENT_ROUTE = '/negotiation/subjects/:subject/agreement';

/** The routes answered here (always also Express routes; the OpenAPI coverage test checks both). */
export const FAST_PATH_ROUTES: ReadonlyArray<{ readonly method: RouteMethod; readonly path: string }> = [
  { method: 'GET', path: ID_ROUTE },
  { method: 'GET', path: VERSION_ROUTE },
  { method: 'POST', path: LOOKUP_ROUTE },
  { method: 'POST', path: HANDSHAKE_ROUTE },
  { method: 'GET', path: AGREEMENT_ROUTE },
];

export type FastRoute =
  | { readonly kind: 'id'; readonly id: number }
  | { readonly kind: 'version'; readonly subject: string; readonly version: number | 'latest' }
  | { readonly kind: 'lookup'; readonly subject: string }
  | { readonly kind: 'handshake'; readonly subject: string }
  | { readonly kind: 'agreement'; readonly subject: string };

export interface FastRequest {
  readonly route: FastRoute;
  /** The route template (what logs and metrics label the request with). */
  readonly template: string;
  readonly method: 'GET' | 'POST';
  /** The path as Express's `req.path` gives it. */
  readonly path: string;
  /** The query string after `?`, if any. */
  readonly query: string | undefined;
}

/** Printable ASCII without `#`: Express's `parseurl` reads such a URL by its fast, plain rules. */
const PLAIN_URL = /^\/[\x21\x22\x24-\x7e]*$/;
/** A path segment the router would bind to a parameter (`[^/]+`). */
const SEG = '([^/]+)';
const ID_PATH = /^\/schemas\/ids\/(\d{1,10})\/?$/;
const VERSION_PATH = new RegExp(`^/subjects/${SEG}/versions/(latest|-1|[1-9]\\d{0,9})/?$`);
const LOOKUP_PATH = new RegExp(`^/subjects/${SEG}/?$`);
const HANDSHAKE_PATH = new RegExp(`^/negotiation/subjects/${SEG}/?$`);
const AGREEMENT_PATH = new RegExp(`^/negotiation/subjects/${SEG}/agreement/?$`);
const INT32_MAX = 2 ** 31 - 1;

/** What Express's router does to a path parameter; undefined where it would answer 400. */
function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function build(
  method: 'GET' | 'POST',
  template: string,
  path: string,
  query: string | undefined,
  route: FastRoute,
): FastRequest {
  return { route, template, method, path, query };
}

/** The fast route a request is for, or undefined when Express must see it as it is. */
export function matchFastRoute(method: string | undefined, url: string | undefined): FastRequest | undefined {
  if ((method !== 'GET' && method !== 'POST') || url === undefined || !PLAIN_URL.test(url)) return undefined;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? undefined : url.slice(q + 1);
  if (hasDotSegment(path)) return undefined;
  if (method === 'GET') {
    if (path.startsWith('/schemas/ids/')) {
      const m = ID_PATH.exec(path);
      const id = m === null ? Number.NaN : Number(m[1]);
      return id <= INT32_MAX ? build(method, ID_ROUTE, path, query, { kind: 'id', id }) : undefined;
    }
    if (path.startsWith('/subjects/')) {
      const m = VERSION_PATH.exec(path);
      const subject = m === null ? undefined : decodeSegment(m[1]!);
      if (subject === undefined) return undefined;
      const raw = m![2]!;
      const version = raw === 'latest' || raw === '-1' ? 'latest' : Number(raw);
      if (version !== 'latest' && version > INT32_MAX) return undefined;
      return build(method, VERSION_ROUTE, path, query, { kind: 'version', subject, version });
    }
    const m = AGREEMENT_PATH.exec(path);
    const subject = m === null ? undefined : decodeSegment(m[1]!);
    if (subject === undefined) return undefined;
    return build(method, AGREEMENT_ROUTE, path, query, { kind: 'agreement', subject });
  }
  let m = LOOKUP_PATH.exec(path);
  if (m !== null) {
    const subject = decodeSegment(m[1]!);
    if (subject === undefined) return undefined;
    return build(method, LOOKUP_ROUTE, path, query, { kind: 'lookup', subject });
  }
  m = HANDSHAKE_PATH.exec(path);
  const subject = m === null ? undefined : decodeSegment(m[1]!);
  if (subject === undefined) return undefined;
  return build(method, HANDSHAKE_ROUTE, path, query, { kind: 'handshake', subject });
}

/** The route's parameters as the router hands them to the access guard. */
export function routeParams(req: FastRequest): Record<string, string> {
  const r = req.route;
  if (r.kind === 'id') return { id: String(r.id) };
  if (r.kind === 'version') return { subject: r.subject, version: String(r.version) };
  return { subject: r.subject };
}

/** The first value of a query parameter, as Express's simple query parser and `stringQuery` read it. */
export function queryValue(query: string | undefined, name: string): string | undefined {
  if (query === undefined) return undefined;
  const raw = parseQuery(query)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value : undefined;
}

/** `boolQuery(...) === true`: the text `true` in any case, trimmed. */
export function queryFlag(query: string | undefined, name: string): boolean {
  return queryValue(query, name)?.trim().toLowerCase() === 'true';
}
