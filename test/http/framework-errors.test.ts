/**
 * The generic error layer against the real server (fresh in-memory database): every framework status
 * (400, 404, 405, 406, 413, 415, 422) comes out as the `{error_code, message}` envelope, never as a 500
 * or an HTML page, and the registry is left untouched.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { assertError, freshServer, record, V1 } from './helpers.js';

const server = await freshServer({ maxBodyBytes: 4096 });
const api = () => request(server.app);

describe('framework errors over the real service', () => {
  it('400/400 malformed JSON', async () => {
    const res = await api().post('/subjects/s/versions').set('Content-Type', V1).send('{"schema": "int"');
    assertError(res, 400, 400, /^Malformed JSON in request body/);
  });

  it('400/400 for bytes that are not UTF-8, never a 422 from a decoded guess', async () => {
    // Sent as raw bytes (superagent would otherwise JSON-encode a Buffer into a valid object).
    const raw = (bytes: Buffer, type = 'application/json') =>
      api()
        .post('/subjects/s/versions')
        .set('Content-Type', type)
        .serialize((b: unknown) => b as string)
        .send(bytes);
    for (const type of ['application/json', V1, 'application/octet-stream']) {
      const garbage = await raw(Buffer.from([0xff, 0xfe, 0x7b, 0x00]), type);
      assertError(garbage, 400, 400, /^Malformed JSON in request body/);
    }
    // Well-formed JSON around an invalid UTF-8 sequence is still malformed (Jackson refuses it too).
    const inside = Buffer.concat([Buffer.from('{"schema":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    assertError(await raw(inside), 400, 400, 'Malformed JSON in request body: the body is not valid UTF-8');
    // A UTF-8 byte order mark is valid UTF-8 and is accepted.
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"schema":"\\"int\\""}')]);
    const ok = await raw(bom);
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await api().delete('/subjects/s')).status, 200);
    assert.equal((await api().delete('/subjects/s?permanent=true')).status, 200);
  });

  it('valid JSON of the wrong shape: null is "no body" (422/422), a scalar is 400, never "not valid JSON"', async () => {
    const send = (body: string, path = '/subjects/s/versions') =>
      api().post(path).set('Content-Type', V1).send(body);
    assertError(await send('null'), 422, 422, 'Request body is required');
    assertError(await send('"int"'), 400, 400, 'The request body must be a JSON object, not a string');
    assertError(await send('42'), 400, 400, 'The request body must be a JSON object, not a number');
    assertError(await send('true', '/config'), 405, 405);
    const put = await api().put('/config').set('Content-Type', V1).send('true');
    assertError(put, 400, 400, 'The request body must be a JSON object, not a boolean');
    // Our own endpoints answer in their own codes, as documented.
    const validate = await send('"x"', '/subjects/s/versions/1/validate');
    assertError(validate, 422, 42253, /^request body must be a JSON object/);
    const handshake = await send('"x"', '/negotiation/subjects/s');
    assertError(handshake, 422, 42250, 'The handshake request body must be a JSON object');
  });

  it('400/400 for a body that cannot be inflated names the body, not the URL', async () => {
    const res = await api()
      .post('/subjects/s/versions')
      .set('Content-Type', V1)
      .set('Content-Encoding', 'gzip')
      .send('{"schema":"\\"int\\""}');
    assertError(res, 400, 400, 'HTTP 400 Bad Request: the request body could not be read');
    const url = await api().get('/subjects/%E0%A4%A/versions');
    assertError(url, 400, 400, 'HTTP 400 Bad Request: malformed request URL');
  });

  it('404/404 unknown route', async () => {
    assertError(await api().get('/subjects/s/versions/1/nothing-here'), 404, 404, 'HTTP 404 Not Found');
    assertError(await api().post('/v2/subjects'), 404, 404, 'HTTP 404 Not Found');
  });

  it('405/405 wrong method on a known path', async () => {
    assertError(await api().put('/subjects/s/versions'), 405, 405, 'HTTP 405 Method Not Allowed');
    assertError(await api().post('/config'), 405, 405);
    assertError(await api().delete('/schemas'), 405, 405);
  });

  it('406/406 unacceptable Accept', async () => {
    assertError(await api().get('/config').set('Accept', 'text/html'), 406, 406, 'HTTP 406 Not Acceptable');
  });

  it('413/413 body over MAX_BODY_BYTES', async () => {
    const res = await api()
      .post('/subjects/s/versions')
      .set('Content-Type', V1)
      .send({ schema: record('Big', [{ name: 'x', type: 'string', doc: 'y'.repeat(5000) }]) });
    assertError(res, 413, 413, 'Request body exceeds the limit of 4096 bytes');
  });

  it('415/415 unsupported Content-Type', async () => {
    const res = await api().post('/subjects/s/versions').set('Content-Type', 'text/plain').send('"int"');
    assertError(res, 415, 415, 'HTTP 415 Unsupported Media Type');
  });

  it('422/422 missing body', async () => {
    assertError(
      await api().post('/subjects/s/versions').set('Content-Type', V1),
      422,
      422,
      'Request body is required',
    );
    assertError(await api().put('/mode/s').set('Content-Type', V1), 422, 422);
  });

  it('nothing was registered by any of the above', async () => {
    assert.deepEqual((await api().get('/subjects')).body, []);
  });

  it('Accept: application/json gets application/json for success and errors alike', async () => {
    const ok = await api().get('/subjects').set('Accept', 'application/json');
    assert.equal(ok.headers['content-type'], 'application/json');
    const err = await api().get('/subjects/none/versions').set('Accept', 'application/json');
    assert.equal(err.status, 404);
    assert.equal(err.headers['content-type'], 'application/json');
    assert.deepEqual(err.body, { error_code: 40401, message: "Subject 'none' not found." });
  });

  it('no x-powered-by and no etag', async () => {
    const res = await api().get('/config');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers.etag, undefined);
  });
});
