/**
 * `GET /openapi.json` (the API document) and `GET /docs` (Swagger UI rendering it), both public and
 * mounted in front of authentication and content negotiation: a browser asks for `text/html`, and the
 * document says nothing a caller could not read in the repository.
 *
 * The page is served offline: Swagger UI's assets come from the `swagger-ui-dist` package in
 * node_modules (never a CDN), its validator badge (which calls out to swagger.io) is off, and a
 * Content-Security-Policy limits the page to this origin, so a browser refuses anything else.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Request, Response, Router } from 'express';
import { DomainError } from '../errors.js';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { pathParam } from './query.js';

/** The asset files the page loads, by name, with their Content-Type. */
export const DOCS_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
  'docs-init.js': 'text/javascript; charset=utf-8',
};

/** Our own initializer (Swagger UI's bundled one points at the petstore). */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>ProximaDB Schema Registry API</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/docs/assets/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/docs-init.js"></script>
  </body>
</html>
`;

/** Same origin only; Swagger UI sets inline styles and shows inline SVG/data images. */
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

function swaggerUiDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

export function docsRoutes(documentJson: string): Router {
  const router = guardedRouter();
  const document = Buffer.from(documentJson, 'utf8');
  const page = Buffer.from(PAGE, 'utf8');
  let dir: string | undefined;
  // The bundle is 1.7 MB: read once, on first use, then served from memory.
  const assets = new Map<string, Promise<Buffer>>([
    ['docs-init.js', Promise.resolve(Buffer.from(INIT_SCRIPT))],
  ]);
  const asset = (name: string): Promise<Buffer> => {
    let body = assets.get(name);
    if (body === undefined) {
      dir ??= swaggerUiDir();
      body = readFile(join(dir, name));
      // A failed read is not remembered: the next request tries again.
      body.catch(() => assets.delete(name));
      assets.set(name, body);
    }
    return body;
  };

  router
    .route('/openapi.json')
    .get((_req: Request, res: Response) => {
      res.status(200).setHeader('Content-Type', 'application/json');
      res.send(document);
    })
    .all(methodNotAllowed);

  router
    .route('/docs')
    .get((_req: Request, res: Response) => {
      res.status(200).setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', CSP);
      res.send(page);
    })
    .all(methodNotAllowed);

  router
    .route('/docs/assets/:file')
    .get(async (req: Request, res: Response) => {
      const name = pathParam(req, 'file');
      const type = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
      if (type === undefined) throw new DomainError('ROUTE_NOT_FOUND', 'HTTP 404 Not Found');
      const body = await asset(name);
      res.status(200).setHeader('Content-Type', type);
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.send(body);
    })
    .all(methodNotAllowed);

  return router.router;
}
