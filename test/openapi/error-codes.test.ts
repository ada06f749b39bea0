/**
 * Route error codes the document lists that the other suites never provoke: each is provoked here,
 * so every route-specific error_code of the document has been seen from the real server at least once
 * (and, like every answer, checked against the document by the response hook).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { assertError, freshServer, record, V1 } from '../http/helpers.js';

const server = await freshServer();
after(() => server.close());
const api = () => request(server.app);
const send = (method: 'post' | 'put' | 'delete', path: string, body?: object) => {
  const req = api()[method](path).set('Content-Type', V1);
  return body === undefined ? req : req.send(body);
};
const SCHEMA = record('Coded');
const TOO_LARGE = JSON.stringify({
  type: 'enum',
  name: 'Huge',
  symbols: Array.from({ length: 10_001 }, (_, i) => `S${i}`),
});

describe('error codes reached nowhere else', () => {
  it('read-only refusals: deleting a subject, deleting its config (42205)', async () => {
    await send('post', '/subjects/frozen/versions', { schema: SCHEMA }).expect(200);
    await send('put', '/config/frozen', { compatibility: 'FULL' }).expect(200);
    await send('put', '/mode/frozen', { mode: 'READONLY' }).expect(200);
    assertError(await send('delete', '/subjects/frozen'), 422, 42205);
    assertError(await send('delete', '/config/frozen'), 422, 42205);
  });

  it('IMPORT for a subject with live versions (42205); a mode PUT without a body (422)', async () => {
    await send('post', '/subjects/busy/versions', { schema: SCHEMA }).expect(200);
    assertError(await send('put', '/mode/busy', { mode: 'IMPORT' }), 422, 42205);
    assertError(await api().put('/mode').set('Content-Type', V1).set('Content-Length', '0'), 422, 422);
  });

  it('lookup and both compatibility checks refuse a bad ruleSet (42210) and a non-string semver (42251)', async () => {
    for (const path of [
      '/subjects/busy',
      '/compatibility/subjects/busy/versions',
      '/compatibility/subjects/busy/versions/latest',
    ]) {
      assertError(await send('post', path, { schema: SCHEMA, ruleSet: 5 }), 422, 42210);
      assertError(
        await send('post', path, { schema: SCHEMA, metadata: { properties: { semver: 5 } } }),
        422,
        42251,
      );
    }
    assertError(
      await send('post', '/compatibility/subjects/busy/versions/1', { schema: TOO_LARGE }),
      422,
      42209,
    );
  });

  it('a malformed participant id (42250); an asset the docs page does not have (404/404)', async () => {
    assertError(await send('delete', '/negotiation/subjects/busy/participants/no%20spaces'), 422, 42250);
    assertError(await api().get('/docs/assets/missing.js'), 404, 404);
  });

  it('an asset name that is not percent-decodable (400), on the docs page and the web UI', async () => {
    assertError(await api().get('/docs/assets/%E0.js'), 400, 400);
    assertError(await api().get('/ui/assets/%E0.js'), 400, 400);
    assertError(await api().get('/ui/assets/app-NOSUCH.js'), 404, 404);
  });

  it('the compatibility report: a schema over a limit is 42209 with its position', async () => {
    const res = await send('post', '/compatibility/subjects/busy/explain', { schema: TOO_LARGE });
    assert.equal(res.status, 422);
    assert.equal(res.body.error_code, 42209);
    assert.match(res.body.message, /enum "Huge": symbol count exceeds/);
    assert.deepEqual(res.body.position, { line: 1, column: 1 });
  });
});
