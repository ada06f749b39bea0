/**
 * The web UI at `/ui/`: its sources live in `ui/` and are bundled in memory by esbuild once per
 * process, on the first request (no build step to forget, no build output to ship or go stale; the
 * same code path under `npm start`, `node dist/index.js`, the Docker image and the tests). Assets are
 * content-hashed and cached for a year; the page itself is revalidated on every load. Mounted before
 * access control: the page and its code are public, the data they show comes from the API with the
 * user's credentials.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Request, Response, Router } from 'express';
import { DomainError } from '../errors.js';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';

/** `ui/` beside `src/` and `dist/` alike. */
export const UI_ROOT = fileURLToPath(new URL('../../ui/', import.meta.url));

interface Asset {
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly type: string;
  readonly etag: string;
}

export interface UiBundle {
  readonly index: Asset;
  /** By file name, e.g. `app-5XK2QF3A.js`. */
  readonly assets: ReadonlyMap<string, Asset>;
}

/** The Content-Type of each file the bundle holds, by extension. */
export const UI_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** Everything the page loads comes from this origin; no inline script, no framing. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function asset(body: Buffer, type: string): Asset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, gzip: gzipSync(body, { level: 9 }), type, etag };
}

/** Bundles `ui/src/main.tsx` (JS and CSS, minified) and fills the page template with the asset names. */
export async function buildUiBundle(root: string = UI_ROOT): Promise<UiBundle> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src/main.tsx')],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
    outdir: join(root, 'assets'),
    entryNames: 'app-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    const ext = name.slice(name.lastIndexOf('.'));
    const type = UI_CONTENT_TYPES[ext];
    if (type !== undefined) assets.set(name, asset(Buffer.from(file.contents), type));
  }
  const names = [...assets.keys()];
  const js = names.find((n) => n.endsWith('.js'));
  const css = names.find((n) => n.endsWith('.css'));
  if (js === undefined || css === undefined) throw new Error('the UI bundle lacks its script or stylesheet');
  const template = await readFile(join(root, 'index.html'), 'utf8');
  const page = template.replaceAll('%APP_JS%', `assets/${js}`).replaceAll('%APP_CSS%', `assets/${css}`);
  return { index: asset(Buffer.from(page, 'utf8'), UI_CONTENT_TYPES['.html']!), assets };
}

function send(req: Request, res: Response, file: Asset, cacheControl: string): void {
  res.setHeader('Content-Type', file.type);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('ETag', file.etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === file.etag) {
    res.status(304).end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.status(200).end(req.method === 'HEAD' ? undefined : gzip ? file.gzip : file.body);
}

export interface UiRoutes {
  readonly router: Router;
  /** The bundle (built on first use); tests and warm-ups may await it. */
  bundle(): Promise<UiBundle>;
}

export function uiRoutes(options: { root?: string } = {}): UiRoutes {
  let pending: Promise<UiBundle> | undefined;
  const bundle = (): Promise<UiBundle> => {
    pending ??= buildUiBundle(options.root).catch((e: unknown) => {
      // A failed build is retried by the next request rather than remembered.
      pending = undefined;
      throw e;
    });
    return pending;
  };

  const guarded = guardedRouter({ strict: true });
  // Relative asset URLs need the trailing slash; a relative Location keeps any proxy path prefix.
  // A wrong method is 405 in the envelope with `Allow`, as on every other route.
  guarded
    .route('/ui')
    .get((_req, res) => {
      // The same short note whatever `Accept` says (res.redirect would vary it, or send none at all).
      res.status(301).location('ui/').type('text/plain').send('Moved Permanently. Redirecting to ui/');
    })
    .all(methodNotAllowed);
  guarded
    .route('/ui/')
    .get(async (req, res) => {
      const { index } = await bundle();
      res.setHeader('Content-Security-Policy', UI_CSP);
      res.setHeader('Referrer-Policy', 'no-referrer');
      send(req, res, index, 'no-cache');
    })
    .all(methodNotAllowed);
  guarded
    .route('/ui/assets/:name')
    .get(async (req, res, next) => {
      const file = (await bundle()).assets.get(String(req.params.name));
      if (file === undefined) {
        next(new DomainError('ROUTE_NOT_FOUND', 'HTTP 404 Not Found'));
        return;
      }
      send(req, res, file, 'public, max-age=31536000, immutable');
    })
    .all(methodNotAllowed);
  const router = guarded.router;
  router.use('/ui', (_req, _res, next) => next(new DomainError('ROUTE_NOT_FOUND', 'HTTP 404 Not Found')));
  return { router, bundle };
}
