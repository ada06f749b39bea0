import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { expressListener, helperDescriptors } from './express-listener.js';

/** A small app that uses what Express's prototypes give: req.get, req.query, res.status/json, res.locals. */
function sampleApp(): express.Express {
  const app = express();
  app.get('/echo', (req, res) => {
    res.locals.seen = 'yes';
    res.status(203).json({
      header: req.get('x-probe') ?? null,
      query: req.query,
      path: req.path,
      sameApp: req.app === app && res.app === app,
      locals: res.locals.seen,
      requestPrototype: Object.getPrototypeOf(req) === IncomingMessage.prototype,
      responsePrototype: Object.getPrototypeOf(res) === ServerResponse.prototype,
    });
  });
  app.get('/plain/:id', (req, res) => {
    res.type('text').send(`${req.params.id} ${JSON.stringify(req.query)} ${req.hostname}`);
  });
  app.get('/boom', () => {
    throw new Error('no error handler for this');
  });
  return app;
}

test('a request keeps Node prototypes and still has every helper Express gives', async () => {
  const app = sampleApp();
  const res = await request(expressListener(app)).get('/echo?a=1&b=two').set('x-probe', 'p');
  assert.equal(res.status, 203);
  assert.deepEqual(res.body, {
    header: 'p',
    query: { a: '1', b: 'two' },
    path: '/echo',
    sameApp: true,
    locals: 'yes',
    requestPrototype: true,
    responsePrototype: true,
  });
  // Express's own door switches the prototypes (what this listener exists to avoid).
  const viaExpress = await request(app).get('/echo?a=1&b=two').set('x-probe', 'p');
  assert.equal(viaExpress.body.requestPrototype, false);
  assert.equal(viaExpress.body.responsePrototype, false);
});

test('answers, headers and fall-through errors are what Express itself sends', async () => {
  const app = sampleApp();
  for (const path of ['/plain/7?x=1', '/nowhere', '/boom']) {
    const ours = await request(expressListener(app)).get(path);
    const theirs = await request(app).get(path);
    assert.equal(ours.status, theirs.status, path);
    assert.equal(ours.text, theirs.text, path);
    assert.equal(ours.headers['x-powered-by'], 'Express', path);
    for (const name of [
      'content-type',
      'content-length',
      'content-security-policy',
      'x-content-type-options',
    ]) {
      assert.equal(ours.headers[name], theirs.headers[name], `${path} ${name}`);
    }
  }
  app.disable('x-powered-by');
  assert.equal((await request(expressListener(app)).get('/plain/1')).headers['x-powered-by'], undefined);
});

test('the copied helpers are the prototypes own, most derived first', () => {
  const app = express();
  const helpers = new Map(helperDescriptors(app.request, IncomingMessage.prototype));
  // `app` is the app's own request prototype's; `get` and the `query` getter come from Express's.
  assert.equal(helpers.get('app')?.value, app);
  assert.equal(helpers.get('get')?.value, Object.getPrototypeOf(app.request).get);
  assert.equal(typeof helpers.get('query')?.get, 'function');
  // Nothing of Node's own classes is copied.
  assert.equal(helpers.has('setTimeout'), false);
  const responses = new Map(helperDescriptors(app.response, ServerResponse.prototype));
  assert.equal(typeof responses.get('json')?.value, 'function');
  assert.equal(responses.has('writeHead'), false);
});

test('a prototype that does not derive from the stop is refused', () => {
  assert.throws(() => helperDescriptors({}, IncomingMessage.prototype), /do not derive/);
});

test("Express's own entry still does what expressListener replays (if this fails, re-read both)", () => {
  const handle = (express.application as unknown as { handle: (...args: unknown[]) => void }).handle;
  const normalized = handle
    .toString()
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\s+/g, ' ');
  assert.equal(
    normalized,
    'function handle(req, res, callback) { var done = callback || finalhandler(req, res, { env: ' +
      "this.get('env'), onerror: logerror.bind(this) }); if (this.enabled('x-powered-by')) { " +
      "res.setHeader('X-Powered-By', 'Express'); } req.res = res; res.req = req; " +
      'Object.setPrototypeOf(req, this.request) Object.setPrototypeOf(res, this.response) if ' +
      '(!res.locals) { res.locals = Object.create(null); } this.router.handle(req, res, done); }',
  );
});

test('an app with a mounted sub-app is refused (its helpers would be shadowed); routers are fine', () => {
  const app = express();
  app.use('/r', express.Router());
  assert.doesNotThrow(() => expressListener(app));
  app.use('/sub', express());
  assert.throws(() => expressListener(app), /sub-app/);
});
