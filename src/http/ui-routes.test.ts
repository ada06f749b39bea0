import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { checkResponses } from '../../test/support/openapi-responses.js';
import { ManualClock } from '../clock.js';
import { DEFAULT_CONFIG } from '../config.js';
import { createRegistryServer } from '../server.js';

const server = checkResponses(
  await createRegistryServer(
    { ...DEFAULT_CONFIG, logLevel: 'silent', databasePath: ':memory:' },
    { clock: new ManualClock() },
  ),
);
after(() => server.close());
const app = server.app;

describe('the web UI at /ui', () => {
  test('/ui redirects to /ui/ with a relative Location (keeps a proxy prefix)', async () => {
    const res = await request(app).get('/ui').expect(301);
    assert.equal(res.headers.location, 'ui/');
    // The same short note whatever the client accepts (a JSON client gets it too, not an empty body).
    for (const accept of ['text/html', 'application/json']) {
      const other = await request(app).get('/ui').set('Accept', accept).expect(301);
      assert.equal(other.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(other.text, 'Moved Permanently. Redirecting to ui/');
    }
  });

  test('another method is 405 with Allow, in the error envelope', async () => {
    for (const path of ['/ui', '/ui/', '/ui/assets/app-X.js']) {
      const res = await request(app).post(path).expect(405);
      assert.equal(res.headers.allow, 'GET, HEAD');
      assert.deepEqual(res.body, { error_code: 405, message: 'HTTP 405 Method Not Allowed' });
    }
  });

  test('the page: HTML, revalidated on every load, a strict CSP, assets referenced relatively', async () => {
    const res = await request(app).get('/ui/').expect(200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.headers['content-security-policy'] ?? '', /default-src 'self'; script-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.text, /<script type="module" src="assets\/app-[A-Z0-9]+\.js"><\/script>/);
    assert.match(res.text, /<link rel="stylesheet" href="assets\/app-[A-Z0-9]+\.css" \/>/);
    assert.doesNotMatch(res.text, /https?:\/\//, 'nothing is loaded from elsewhere');
  });

  test('hashed assets: right types, cached for a year, gzip when accepted, 304 on a matching ETag', async () => {
    const page = await request(app).get('/ui/').expect(200);
    const js = /src="(assets\/app-[A-Z0-9]+\.js)"/.exec(page.text)?.[1];
    const css = /href="(assets\/app-[A-Z0-9]+\.css)"/.exec(page.text)?.[1];
    assert.ok(js && css);
    const script = await request(app).get(`/ui/${js}`).set('Accept-Encoding', 'identity').expect(200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(script.headers['content-encoding'], undefined);
    assert.ok(script.text.length > 1000);
    const style = await request(app).get(`/ui/${css}`).expect(200);
    assert.equal(style.headers['content-type'], 'text/css; charset=utf-8');

    const zipped = await request(app)
      .get(`/ui/${js}`)
      .set('Accept-Encoding', 'gzip')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    // superagent inflates gzip on its own; either way the bytes must be the script's.
    const body = zipped.body as Buffer;
    const text =
      body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
    assert.equal(text, script.text);

    const etag = script.headers.etag;
    assert.ok(etag);
    await request(app).get(`/ui/${js}`).set('If-None-Match', etag).expect(304);
    const head = await request(app).head(`/ui/${js}`).expect(200);
    assert.equal(head.headers['content-type'], 'text/javascript; charset=utf-8');
  });

  test('anything else under /ui is a 404 in the error envelope', async () => {
    for (const path of ['/ui/assets/app-NOPE.js', '/ui/index.html', '/ui/x/y']) {
      const res = await request(app).get(path).expect(404);
      assert.deepEqual(res.body, { error_code: 404, message: 'HTTP 404 Not Found' });
    }
  });
});
