import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import request from 'supertest';
import { errorHandler, methodNotAllowed } from './errors.js';
import { assertGuarded, guardedRouter, hasDotSegment } from './guarded-router.js';
import { type AccessContext, type Requirement, SUBJECT_WRITE } from './route-access.js';

const silent = { error() {} };

describe('guardedRouter', () => {
  it('refuses to register a method the access table has no rule for', () => {
    const router = guardedRouter();
    assert.throws(() => router.route('/subjects').post(() => {}), /No access rule for POST \/subjects/);
    assert.throws(() => router.route('/nowhere').get(() => {}), /No access rule for GET \/nowhere/);
    router.route('/subjects').get(() => {});
  });

  it('routes case-sensitively and lets a trailing slash through', async () => {
    const router = guardedRouter({ rules: { '/things/:subject': { PUT: SUBJECT_WRITE } } });
    router
      .route('/things/:subject')
      .put((req, res) => {
        res.json({ subject: req.params.subject });
      })
      .all(methodNotAllowed);
    const app = express();
    app.use(router.router);
    app.use(errorHandler(silent));
    assert.equal((await request(app).put('/things/a%2Fb/')).body.subject, 'a/b');
    assert.equal((await request(app).put('/Things/a')).status, 404);
    assert.equal((await request(app).get('/things/a')).status, 405);
  });

  it('the guard judges the parameters of the route that runs', async () => {
    const seen: Array<Requirement | undefined> = [];
    const access: AccessContext = {
      name: 'u',
      role: 'write',
      allows: (need) => {
        seen.push(need);
        return need?.kind === 'subject' && need.subject !== 'secret';
      },
      denial: () => 'no',
    };
    const router = guardedRouter({ rules: { '/things/:subject': { PUT: SUBJECT_WRITE } } });
    router.route('/things/:subject').put((_req, res) => {
      res.json({ ok: true });
    });
    const app = express();
    app.use((_req, res, next) => {
      res.locals.access = access;
      next();
    });
    app.use(router.router);
    app.use(errorHandler(silent));
    assert.equal((await request(app).put('/things/open')).status, 200);
    const refused = await request(app).put('/things/%73ecret');
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, { error_code: 403, message: 'no' });
    assert.deepEqual(seen, [
      { kind: 'subject', subject: 'open', access: 'write' },
      { kind: 'subject', subject: 'secret', access: 'write' },
    ]);
  });
});

describe('assertGuarded', () => {
  it('refuses a plain (case-insensitive, unguarded) router', () => {
    const app = express();
    app.set('case sensitive routing', true);
    const plain = express.Router();
    plain.get('/subjects', () => {});
    app.use(plain);
    assert.throws(() => assertGuarded(app), /Case-insensitive router/);
    const app2 = express();
    app2.set('case sensitive routing', true);
    const sensitive = express.Router({ caseSensitive: true });
    sensitive.route('/subjects').get(() => {});
    app2.use(sensitive);
    assert.throws(() => assertGuarded(app2), /Route without an access guard.*GET \/subjects/);
  });

  it('refuses a serving .all() handler, accepts the 405 refusal', () => {
    const app = express();
    app.set('case sensitive routing', true);
    const router = express.Router({ caseSensitive: true });
    router.route('/x').all(() => {});
    app.use(router);
    assert.throws(() => assertGuarded(app), /Route without an access guard.*\* \/x/);
    const ok = express();
    ok.set('case sensitive routing', true);
    const r = guardedRouter();
    r.route('/subjects')
      .get(() => {})
      .all(methodNotAllowed);
    ok.use(r.router);
    assertGuarded(ok);
  });
});

describe('dot segments', () => {
  it('finds . and .. segments, raw and percent-encoded, and nothing else', () => {
    for (const path of ['/config/.', '/config/..', '/a/%2e/b', '/a/%2E%2e', '/a/.%2E/b', '/./subjects'])
      assert.equal(hasDotSegment(path), true, path);
    for (const path of ['/subjects/a.b', '/subjects/...', '/subjects/.x', '/subjects/x.', '/%2e%2e%2e', '/'])
      assert.equal(hasDotSegment(path), false, path);
  });
});
