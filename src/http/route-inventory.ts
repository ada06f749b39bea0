/**
 * The routes an Express app really registers, read from its router stack (recursing into mounted
 * routers), so the OpenAPI route-coverage test compares the document with the server itself rather
 * than with a hand-kept list. Paths come back in OpenAPI form (`:subject` -> `{subject}`).
 *
 * Besides routes, middleware mounted at a path (`app.use('/ui', express.static(...))`) is reported as
 * a mount: it answers a whole subtree, which the document must cover with at least one path.
 */
import type { Express } from 'express';

export interface RouteEntry {
  /** Upper-case; `.all()` handlers (our 405 answers) are not listed. */
  readonly method: string;
  /** OpenAPI form, e.g. `/subjects/{subject}/versions`. */
  readonly path: string;
}

export interface RouteInventory {
  readonly routes: readonly RouteEntry[];
  /** Path prefixes where plain middleware is mounted (not `/`). */
  readonly mounts: readonly string[];
}

interface LayerLike {
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle: { readonly stack?: unknown };
  /** The path the layer was mounted at (router 2.x). */
  readonly rawPath?: unknown;
}

/** `:name` and `*name` segments become `{name}`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z0-9_$]+)/g, '{$1}');
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix === '' ? '/' : prefix;
  return `${prefix}${path}`;
}

function walk(stack: readonly LayerLike[], prefix: string, routes: RouteEntry[], mounts: string[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        if (typeof path !== 'string') throw new Error(`route inventory: a RegExp route (${String(path)})`);
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') {
            routes.push({ method: method.toUpperCase(), path: toOpenApiPath(join(prefix, path)) });
          }
        }
      }
      continue;
    }
    const raw = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
    const nested = layer.handle.stack;
    if (Array.isArray(nested))
      walk(nested as LayerLike[], raw === '/' ? prefix : `${prefix}${raw}`, routes, mounts);
    else if (raw !== '/') mounts.push(toOpenApiPath(join(prefix, raw)));
  }
}

export function listRoutes(app: Express): RouteInventory {
  const stack = (app.router as unknown as { stack?: unknown }).stack;
  if (!Array.isArray(stack))
    throw new Error('route inventory: the app has no router stack (Express 5 expected)');
  const routes: RouteEntry[] = [];
  const mounts: string[] = [];
  walk(stack as LayerLike[], '', routes, mounts);
  return { routes, mounts };
}
