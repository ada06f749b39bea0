import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express, { Router } from 'express';
import { listRoutes, toOpenApiPath } from './route-inventory.js';

describe('route inventory', () => {
  it('lists routes of nested and path-mounted routers, methods upper-case, .all() left out', () => {
    const app = express();
    const inner = Router();
    inner
      .route('/things/:id')
      .get(() => {})
      .delete(() => {})
      .all(() => {});
    const mounted = Router();
    mounted.post('/run', () => {});
    app.use(inner);
    app.use('/jobs', mounted);
    app.get('/', () => {});
    app.use((_req, _res, next) => next());
    const { routes, mounts } = listRoutes(app);
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path}`),
      ['GET /things/{id}', 'DELETE /things/{id}', 'POST /jobs/run', 'GET /'],
    );
    assert.deepEqual(mounts, []);
  });

  it('reports plain middleware mounted at a path (a static tree) as a mount', () => {
    const app = express();
    app.use('/ui', express.static('/nonexistent'));
    assert.deepEqual(listRoutes(app).mounts, ['/ui']);
  });

  it('turns Express parameters into OpenAPI ones', () => {
    assert.equal(
      toOpenApiPath('/subjects/:subject/versions/:version'),
      '/subjects/{subject}/versions/{version}',
    );
    assert.equal(toOpenApiPath('/ui/*rest'), '/ui/{rest}');
  });
});
