/**
 * Routers whose every route carries its access guard. Express matches paths case-insensitively by
 * default, so `/SUBJECTS/x` used to reach `/subjects/:subject` while a separate parse of the path judged
 * it as some unknown, lesser path: the bypass of issue #17. Here:
 *
 * - every router is case-sensitive (as Confluent's Jersey is: `/SUBJECTS` is a 404), non-strict (a
 *   trailing slash still matches: the Java client posts to `.../versions/`);
 * - registering a method on a route inserts the guard of that (method, template) from the access table
 *   (route-access.ts) in front of its handlers, and registration throws when the table has no rule, so a
 *   route cannot exist without one; the guard judges the parameters the router decoded for that route;
 * - `assertGuarded(app)` walks the finished app and refuses to build one holding an unguarded route or a
 *   case-insensitive router (a route module written with a plain `Router()`, say).
 *
 * Authentication happens once, before routing (auth.ts), and leaves an AccessContext in
 * `res.locals.access`; without AUTH_FILE there is none and every guard lets the request through.
 */
import type { Express, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import express from 'express';
import { DomainError } from '../errors.js';
import { methodNotAllowed } from './errors.js';
import {
  type AccessContext,
  type AccessRule,
  accessRuleFor,
  ROUTE_ACCESS,
  type RouteRules,
  requirementOf,
} from './route-access.js';

const GUARD = Symbol('access rule');
/** A path segment that is `.` or `..`, also percent-encoded (`%2e`, `.%2E`, ...). */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?=\/|$)/i;

/**
 * Paths with dot segments name no route. A URL-normalising client or proxy would have removed them (and
 * Confluent's Jetty resolves or rejects them), so `/config/.` must not reach `/config/:subject` as the
 * subject "." when its sender meant `/config`: it is a 404 here, like any other unknown path.
 */
export function refuseDotSegments(req: Request, _res: Response, next: NextFunction): void {
  const url = req.url;
  const q = url.indexOf('?');
  if (hasDotSegment(q < 0 ? url : url.slice(0, q))) {
    next(new DomainError('ROUTE_NOT_FOUND', 'HTTP 404 Not Found'));
    return;
  }
  next();
}

/** True when a path has a `.` or `..` segment, raw or percent-encoded (the fast path leaves those alone). */
export function hasDotSegment(path: string): boolean {
  return DOT_SEGMENT.test(path);
}

type GuardHandler = RequestHandler & { readonly [GUARD]: AccessRule };

/** The access context authentication left for this request (undefined: access control is off). */
export function accessOf(res: Response): AccessContext | undefined {
  return res.locals.access as AccessContext | undefined;
}

/** The guard of one route method: 403 in the error envelope unless the identity may use it. */
function guard(rule: AccessRule): GuardHandler {
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    const access = accessOf(res);
    if (access === undefined || rule.kind === 'public') {
      next();
      return;
    }
    const need = requirementOf(rule, req.params);
    if (access.allows(need)) next();
    else next(new DomainError('FORBIDDEN', access.denial(need)));
  };
  return Object.assign(handler, { [GUARD]: rule });
}

type Method = 'get' | 'post' | 'put' | 'delete';

export class GuardedRoute {
  constructor(
    private readonly route: ReturnType<Router['route']>,
    readonly path: string,
    private readonly rules: RouteRules,
  ) {}

  get(...handlers: RequestHandler[]): this {
    return this.add('get', handlers);
  }

  post(...handlers: RequestHandler[]): this {
    return this.add('post', handlers);
  }

  put(...handlers: RequestHandler[]): this {
    return this.add('put', handlers);
  }

  delete(...handlers: RequestHandler[]): this {
    return this.add('delete', handlers);
  }

  /** The terminal 405 for every other method (it serves nothing, so it needs no rule). */
  all(handler: typeof methodNotAllowed): this {
    this.route.all(handler);
    return this;
  }

  private add(method: Method, handlers: RequestHandler[]): this {
    const rule = accessRuleFor(method, this.path, this.rules);
    if (rule === undefined) {
      throw new Error(
        `No access rule for ${method.toUpperCase()} ${this.path}: add one to ROUTE_ACCESS (src/http/route-access.ts)`,
      );
    }
    this.route[method](guard(rule), ...handlers);
    return this;
  }
}

export interface GuardedRouter {
  /** What to mount (`app.use(x.router)`). */
  readonly router: Router;
  route(path: string): GuardedRoute;
}

/**
 * A case-sensitive router whose routes take their rules from `rules` (the registry's table by default;
 * tests and add-ons with routes of their own pass a table for those). `strict` tells `/x` from `/x/`
 * (the web UI redirects one to the other); the API's routes are not strict (Java clients add slashes).
 */
export function guardedRouter(options: { rules?: RouteRules; strict?: boolean } = {}): GuardedRouter {
  const router = express.Router({ caseSensitive: true, strict: options.strict ?? false });
  const rules = options.rules ?? ROUTE_ACCESS;
  return {
    router,
    route: (path: string) => new GuardedRoute(router.route(path), path, rules),
  };
}

/** One registered route method, as the app itself holds it. */
export interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
  /** The rule its guard applies; undefined for an unguarded handler (assertGuarded refuses those). */
  readonly rule: AccessRule | undefined;
}

interface LayerLike {
  readonly handle: unknown;
  readonly method?: string;
  readonly route?: { readonly path: unknown; readonly stack: readonly LayerLike[] };
}

interface RouterLike {
  readonly stack: readonly LayerLike[];
  readonly caseSensitive?: boolean;
}

function isRouter(value: unknown): value is RouterLike {
  return typeof value === 'function' && Array.isArray((value as { stack?: unknown }).stack);
}

function walk(router: RouterLike, visit: (router: RouterLike) => void, out: RegisteredRoute[]): void {
  visit(router);
  for (const layer of router.stack) {
    if (layer.route !== undefined) {
      const path = String(layer.route.path);
      for (const inner of layer.route.stack) {
        const handle = inner.handle as Partial<GuardHandler>;
        if (inner.method === undefined) {
          // `.all()`: only the 405 refusal (it serves nothing) may stand there unguarded.
          if (handle !== methodNotAllowed) out.push({ method: '*', path, rule: undefined });
          continue;
        }
        const method = inner.method.toUpperCase();
        // Only the first layer of a method is reached without passing that method's guard.
        if (out.some((r) => r.path === path && r.method === method)) continue;
        out.push({ method, path, rule: handle[GUARD] });
      }
    } else if (isRouter(layer.handle)) {
      walk(layer.handle, visit, out);
    }
  }
}

/** Every route method of the app, from its own router stack (the enumeration the tests rely on). */
export function listRoutes(app: Express): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  walk(app.router as unknown as RouterLike, () => {}, out);
  return out;
}

/** Throws unless every router of `app` is case-sensitive and every route method starts with its guard. */
export function assertGuarded(app: Express): void {
  const insensitive: string[] = [];
  const out: RegisteredRoute[] = [];
  walk(
    app.router as unknown as RouterLike,
    (router) => {
      if (router.caseSensitive !== true) insensitive.push(router.stack.map((l) => l.route?.path).join(' '));
    },
    out,
  );
  if (insensitive.length > 0) {
    throw new Error(`Case-insensitive router (use guardedRouter()): ${insensitive[0]}`);
  }
  const unguarded = out.filter((r) => r.rule === undefined);
  if (unguarded.length > 0) {
    throw new Error(
      `Route without an access guard (use guardedRouter()): ${unguarded.map((r) => `${r.method} ${r.path}`).join(', ')}`,
    );
  }
}
