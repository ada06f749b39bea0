/** `POST /subjects/{s}/versions/{v}/validate` end to end, on the real app with a fresh in-memory database. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ManualClock } from '../../src/clock.js';
import { PROXIMADB_CORE_SCHEMA, VECTOR_RECORD_SCHEMA } from '../../src/sdk/lean-records.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

const NOW = Date.UTC(2026, 4, 5, 6, 7, 8, 9);
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('POST /subjects/{s}/versions/{v}/validate', () => {
  let server: RegistryServer;
  const post = (path: string, body?: unknown) => {
    const req = request(server.app).post(path).set('Content-Type', 'application/vnd.schemaregistry.v1+json');
    return body === undefined ? req : req.send(JSON.stringify(body));
  };

  before(async () => {
    server = checkResponses(
      await createRegistryServer(await testConfig(), {
        clock: new ManualClock(NOW),
      }),
    );
    await post('/subjects/vectors/versions', { schema: VECTOR_RECORD_SCHEMA }).expect(200);
    await post('/subjects/core/versions', { schema: PROXIMADB_CORE_SCHEMA }).expect(200);
  });
  after(() => server.close());

  it('answers valid with the datum completed: UUIDv7 id, timestamp from the server clock, nulls', async () => {
    const res = await post('/subjects/vectors/versions/1/validate', { datum: { vector: [1, 2.5] } }).expect(
      200,
    );
    assert.equal(res.body.valid, true);
    const { id, ...rest } = res.body.datum;
    assert.match(id, UUID_V7);
    assert.equal(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16), NOW, 'the id carries the clock');
    assert.deepEqual(rest, { vector: [1, 2.5], metadata: null, timestamp: NOW * 1000, expires_at: null });
  });

  it('answers 200 valid:false with every error and its path', async () => {
    const res = await post('/subjects/vectors/versions/latest/validate', {
      datum: { vector: [1, 2, 3, 'x'], metadata: { a: 1 }, extra: true },
    }).expect(200);
    assert.deepEqual(res.body, {
      valid: false,
      errors: [
        { path: '/vector/3', message: 'expected float, got "x"' },
        { path: '/metadata/a', message: 'expected string, got 1' },
        { path: '/extra', message: 'unknown field (record ai.proximadb.VectorRecord has no such field)' },
      ],
    });
  });

  it('with applyDefaults false, a lean datum is incomplete', async () => {
    const res = await post('/subjects/vectors/versions/-1/validate', {
      datum: { vector: [] },
      applyDefaults: false,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.valid, false);
    assert.deepEqual(
      res.body.errors.map((e: { path: string }) => e.path),
      ['/id', '/metadata', '/timestamp', '/expires_at'],
    );
    const full = { id: 'a', vector: [], metadata: null, timestamp: 1, expires_at: null };
    const ok = await post('/subjects/vectors/versions/1/validate', {
      datum: full,
      applyDefaults: false,
    }).expect(200);
    assert.deepEqual(ok.body, { valid: true, datum: full });
  });

  it('picks the matching record of a union schema (the master schema)', async () => {
    const res = await post('/subjects/core/versions/1/validate', { datum: { score: 0.5 } }).expect(200);
    assert.deepEqual(res.body, {
      valid: true,
      datum: { score: 0.5, id: null, vector: null, metadata: null },
    });
  });

  it('names an unknown subject, version or bad version id with the registry codes', async () => {
    const subject = await post('/subjects/nope/versions/1/validate', { datum: {} }).expect(404);
    assert.equal(subject.body.error_code, 40401);
    const version = await post('/subjects/vectors/versions/9/validate', { datum: {} }).expect(404);
    assert.equal(version.body.error_code, 40402);
    const bad = await post('/subjects/vectors/versions/abc/validate', { datum: {} }).expect(422);
    assert.equal(bad.body.error_code, 42202);
  });

  for (const [name, body, fragment] of [
    ['no body', undefined, 'request body is required'],
    ['an array', [1], 'must be a JSON object'],
    ['the bare datum', { vector: [1] }, 'no "datum"'],
    ['an unknown option', { datum: {}, strict: true }, 'unknown request field(s) "strict"'],
    [
      'a non-boolean applyDefaults',
      { datum: {}, applyDefaults: 'yes' },
      '"applyDefaults" must be true or false',
    ],
  ] as const) {
    it(`refuses ${name} with 422/42253 in the envelope`, async () => {
      const res = await post('/subjects/vectors/versions/1/validate', body).expect(422);
      assert.deepEqual(Object.keys(res.body).sort(), ['error_code', 'message']);
      assert.equal(res.body.error_code, 42253);
      assert.ok(res.body.message.includes(fragment), res.body.message);
    });
  }

  it('malformed JSON is 400 and a wrong method 405, both in the envelope', async () => {
    const malformed = await request(server.app)
      .post('/subjects/vectors/versions/1/validate')
      .set('Content-Type', 'application/json')
      .send('{"datum": ')
      .expect(400);
    assert.equal(malformed.body.error_code, 400);
    const method = await request(server.app).get('/subjects/vectors/versions/1/validate').expect(405);
    assert.equal(method.body.error_code, 405);
  });
});
