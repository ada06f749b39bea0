/**
 * The document and the server list the same routes. The server's side is read from the server itself:
 * the Express router stack (route-inventory.ts) and the pre-router fast path's own list; the
 * document's side is every path+method it has. Then each documented operation is called for real:
 * none may answer 404/404 ("no such route") or 405, and every answer is checked against the document
 * by the response hook. Finally, what the document says about unlisted paths and methods holds.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { FAST_PATH_ROUTES } from '../../src/http/fast-path.js';
import { listRoutes, toOpenApiPath } from '../../src/http/route-inventory.js';
import { freshServer } from '../http/helpers.js';
import { openApiContract } from '../support/openapi-contract.js';
import { documentedOperations, HTTP_METHODS } from './operations.js';

type Json = Record<string, unknown>;
const document = openApiContract().document;
const operations = documentedOperations(document);
const documented = new Set(operations.map((o) => `${o.method} ${o.template}`));
const server = await freshServer();
after(() => server.close());
const inventory = listRoutes(server.app);
const registered = new Set(inventory.routes.map((r) => `${r.method} ${r.path}`));

describe('routes: the document and the server agree', () => {
  it('the inventory reads the real router stack', () => {
    assert.ok(registered.has('POST /subjects/{subject}/versions'));
    assert.ok(registered.has('GET /health/live'), 'routers mounted as middleware are read too');
    assert.ok(registered.size >= 50, `${registered.size} routes`);
  });

  it('every route the server registers is documented', () => {
    const missing = [...registered].filter((r) => !documented.has(r));
    assert.deepEqual(missing, [], `routes missing from the document: add them in src/http/openapi/`);
  });

  it('every documented operation is a registered route', () => {
    const extra = [...documented].filter((r) => !registered.has(r));
    assert.deepEqual(extra, [], 'documented operations the server does not register');
  });

  it('every path where plain middleware is mounted is covered by a documented path', () => {
    const paths = Object.keys(document.paths as Json);
    for (const mount of inventory.mounts) {
      assert.ok(
        paths.some((p) => p === mount || p.startsWith(`${mount}/`)),
        `middleware mounted at ${mount} answers paths the document does not list`,
      );
    }
  });

  it('the fast path answers only documented routes', () => {
    for (const route of FAST_PATH_ROUTES) {
      const key = `${route.method} ${toOpenApiPath(route.path)}`;
      assert.ok(documented.has(key), `fast path route ${key} is not documented`);
      assert.ok(registered.has(key), `fast path route ${key} is not an Express route too`);
    }
  });

  it('every documented operation is served: no 404/404 and no 405', async () => {
    // The UI's asset names are content hashes that change with its sources: take one the page names.
    const page = await request(server.app).get('/ui/').expect(200);
    const asset = /"assets\/(app-[A-Z0-9]+\.js)"/.exec(page.text)?.[1];
    assert.ok(asset !== undefined, 'the UI page names its script');
    const concrete = (o: (typeof operations)[number]) =>
      o.template === '/ui/assets/{name}' ? `/ui/assets/${asset}` : o.path;
    for (const o of operations) {
      let req = request(server.app)[o.method.toLowerCase() as 'get'](concrete(o));
      if (o.hasBody) req = req.set('Content-Type', 'application/vnd.schemaregistry.v1+json').send('{}');
      const res = await req;
      const where = `${o.method} ${concrete(o)} (${o.template})`;
      assert.notEqual(res.status, 405, `${where} answered 405`);
      const notFound = res.status === 404 && (res.body as { error_code?: unknown }).error_code === 404;
      assert.ok(!notFound, `${where} answered 404/404: the route does not exist`);
    }
  });

  it('an unlisted method on a listed path answers 405 with Allow; an unlisted path 404/404', async () => {
    for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
      const op = operations.find((o) => o.template === template)!;
      const unlisted = HTTP_METHODS.find((m) => item[m] === undefined && m !== 'head' && m !== 'options');
      if (unlisted === undefined) continue;
      const res = await request(server.app)[unlisted as 'patch'](op.path);
      assert.equal(res.status, 405, `${unlisted.toUpperCase()} ${op.path}`);
      assert.ok(res.headers.allow, `${unlisted.toUpperCase()} ${op.path}: no Allow header`);
    }
    const res = await request(server.app).get('/no/such/route');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error_code: 404, message: 'HTTP 404 Not Found' });
  });
});
