/** Bad input to the negotiation endpoints answers 4xx in the registry's envelope, never a 500. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventSchema, type Harness, neg, register, startHarness } from './harness.js';

const S = 'bad-input';
const GOOD_SUPPORTS = { range: '^1.0.0' };

describe('bad input', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await register(h, S, eventSchema());
  });
  after(() => h.close());

  async function expectError(
    req: Promise<{ status: number; body: Record<string, unknown> }>,
    status: number,
    errorCode: number,
    message: RegExp,
  ) {
    const res = await req;
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error_code, errorCode);
    assert.match(String(res.body.message), message);
  }

  const handshakeCases: Array<[string, unknown, RegExp]> = [
    [
      'invalid range',
      { role: 'reader', supports: { range: '>>1.x!' } },
      /"supports.range" is not a valid semver range/,
    ],
    ['empty range', { role: 'reader', supports: { range: '' } }, /"supports.range" must be a non-empty/],
    [
      'unknown role',
      { role: 'owner', supports: GOOD_SUPPORTS },
      /"role" must be one of reader, writer, both/,
    ],
    ['missing role', { supports: GOOD_SUPPORTS }, /"role" is required/],
    ['missing supports', { role: 'reader' }, /"supports" is required/],
    [
      'empty supports',
      { role: 'reader', supports: {} },
      /at least one of range, versions, fingerprints, schema/,
    ],
    ['misspelt field', { role: 'reader', supports: { verions: [1] } }, /Unknown field "supports.verions"/],
    ['unknown top-level field', { role: 'reader', supports: GOOD_SUPPORTS, x: 1 }, /Unknown field "x"/],
    [
      'non-integer version',
      { role: 'reader', supports: { versions: [1, 1.5] } },
      /"supports.versions\[1\]" must be an integer/,
    ],
    ['zero version', { role: 'reader', supports: { versions: [0] } }, /"supports.versions\[0\]"/],
    [
      'bad fingerprint',
      { role: 'reader', supports: { fingerprints: ['xyz'] } },
      /"supports.fingerprints\[0\]" must be a CRC-64-AVRO/,
    ],
    [
      'invalid schema text',
      { role: 'reader', supports: { schema: '{"type":"recrd"}' } },
      /"supports.schema" is not a valid Avro schema/,
    ],
    ['array body', [1, 2], /must be a JSON object/],
  ];
  for (const [name, body, message] of handshakeCases) {
    it(`handshake: ${name} → 422/42250`, async () => {
      await expectError(h.http.post(neg(S)).send(body as object), 422, 42250, message);
    });
  }

  it('handshake: unknown subject → 404/40401', async () => {
    await expectError(
      h.http.post(neg('ghost')).send({ role: 'reader', supports: GOOD_SUPPORTS }),
      404,
      40401,
      /Subject 'ghost' not found/,
    );
  });

  it('handshake: malformed JSON → 400 envelope', async () => {
    const res = await h.http.post(neg(S)).set('Content-Type', 'application/json').send('{"role":');
    assert.equal(res.status, 400);
    assert.equal(res.body.error_code, 400);
  });

  const ttlCases: Array<[string, unknown]> = [
    ['negative', -5],
    ['zero', 0],
    ['huge', 86_401],
    ['fractional', 1.5],
    ['string', '60'],
  ];
  for (const [name, ttlSeconds] of ttlCases) {
    it(`participant: ${name} TTL → 422/42250`, async () => {
      await expectError(
        h.http.put(neg(S, '/participants/p1')).send({ role: 'reader', supports: GOOD_SUPPORTS, ttlSeconds }),
        422,
        42250,
        /"ttlSeconds" must be an integer from 1 to 86400/,
      );
    });
  }

  it('participant: unknown role, bad id, unknown subject', async () => {
    await expectError(
      h.http
        .put(neg(S, '/participants/p1'))
        .send({ role: 'watcher', supports: GOOD_SUPPORTS, ttlSeconds: 5 }),
      422,
      42250,
      /"role"/,
    );
    await expectError(
      h.http
        .put(neg(S, '/participants/bad%20id'))
        .send({ role: 'reader', supports: GOOD_SUPPORTS, ttlSeconds: 5 }),
      422,
      42250,
      /Participant id "bad id" is invalid/,
    );
    await expectError(
      h.http
        .put(neg('ghost', '/participants/p1'))
        .send({ role: 'reader', supports: GOOD_SUPPORTS, ttlSeconds: 5 }),
      404,
      40401,
      /not found/,
    );
  });

  it('participant: deleting an unknown one → 404/40450', async () => {
    await expectError(
      h.http.delete(neg(S, '/participants/nobody')),
      404,
      40450,
      /Participant 'nobody' not found/,
    );
  });

  it('agreement: bad long-poll parameters → 422/42250', async () => {
    await expectError(
      h.http.get(neg(S, '/agreement?afterEpoch=-1')),
      422,
      42250,
      /"afterEpoch" must be a non-negative integer/,
    );
    await expectError(
      h.http.get(neg(S, '/agreement?afterEpoch=1&waitSeconds=soon')),
      422,
      42250,
      /"waitSeconds"/,
    );
    await expectError(h.http.get(neg(S, '/agreement?waitSeconds=5')), 422, 42250, /needs "afterEpoch"/);
    await expectError(h.http.get(neg('ghost', '/agreement')), 404, 40401, /not found/);
  });

  it('unsupported methods answer 405 in the envelope', async () => {
    const res = await h.http.patch(neg(S, '/agreement')).send({});
    assert.equal(res.status, 405);
    assert.equal(res.body.error_code, 405);
  });
});
