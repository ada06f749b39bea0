/** The handshake and our label-aware version lookups over HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventSchema, type Harness, neg, register, startHarness } from './harness.js';

const V1 = eventSchema();
const V11 = eventSchema('{"name":"tag","type":"string","default":""}');
const V2 = eventSchema('{"name":"tag","type":"string"}', '{"name":"n","type":"int","default":0}');
const S = 'orders-value';

describe('handshake', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await register(h, S, V1);
    await register(h, S, V11);
  });
  after(() => h.close());

  const shake = (body: unknown, subject = S) => h.http.post(neg(subject)).send(body as object);

  it('answers the chosen version with id, label, fingerprints and match', async () => {
    const res = await shake({ role: 'writer', supports: { range: '^1.0.0' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.subject, S);
    assert.equal(res.body.version, 2);
    assert.equal(res.body.semver, '1.1.0');
    assert.equal(typeof res.body.id, 'number');
    assert.match(res.body.fingerprints.crc64, /^[0-9a-f]{16}$/);
    assert.match(res.body.fingerprints.sha256, /^[0-9a-f]{64}$/);
    assert.equal(res.body.match, 'declared');
    assert.equal(typeof res.body.schema, 'string', 'a declared match does not prove the client holds it');
    assert.equal(res.body.readable, undefined, 'writers get no readable list');
    assert.equal(typeof res.body.epoch, 'number');
  });

  it('recognises a held schema by fingerprint and leaves the schema out', async () => {
    const listed = await h.http.get(neg(S, '/versions'));
    const v1 = listed.body[0];
    const res = await shake({ role: 'both', supports: { fingerprints: [v1.fingerprints.crc64] } });
    assert.equal(res.status, 200);
    // V1 resolves V1.1 both ways, so `both` can move up to 1.1.0 by resolution.
    assert.equal(res.body.version, 2);
    assert.equal(res.body.match, 'resolution');
    assert.equal(typeof res.body.schema, 'string');
    const exact = await shake({
      role: 'reader',
      supports: { versions: [1], fingerprints: [v1.fingerprints.sha256] },
    });
    assert.equal(exact.body.version, 2, 'a reader holding 1.0.0 decodes 1.1.0 data by resolution');
  });

  it('matches schema text by Parsing Canonical Form, ignoring formatting and docs', async () => {
    const pretty = JSON.stringify(JSON.parse(V11), null, 2).replace('"long"', '"long", "doc": "key"');
    const res = await shake({ role: 'reader', supports: { schema: pretty } });
    assert.equal(res.status, 200);
    assert.equal(res.body.version, 2);
    assert.equal(res.body.match, 'exact');
    assert.equal(res.body.schema, undefined);
  });

  it('answers NO_COMMON_VERSION with what the server has', async () => {
    const res = await shake({ role: 'reader', supports: { range: '^2.0.0' } });
    assert.equal(res.status, 409);
    assert.equal(res.body.error_code, 40950);
    assert.match(res.body.message, /No live version of subject "orders-value" can be decoded by this reader/);
    assert.deepEqual(
      res.body.available.map((a: { version: number; semver: string }) => [a.version, a.semver]),
      [
        [1, '1.0.0'],
        [2, '1.1.0'],
      ],
    );
  });

  it('follows the history: a new version or a deleted one changes the answer (no stale memo)', async () => {
    const body = { role: 'reader', supports: { range: '>=1.0.0' } };
    assert.equal((await shake(body)).body.version, 2);
    await register(h, S, V2);
    const after3 = await shake(body);
    assert.equal(after3.body.semver, '2.0.0');
    const del = await h.http.delete(`/subjects/${S}/versions/3`);
    assert.equal(del.status, 200);
    assert.equal((await shake(body)).body.version, 2, 'soft-deleted versions are never chosen');
  });

  it('404s an unknown subject', async () => {
    const res = await shake({ role: 'reader', supports: { range: '*' } }, 'nope');
    assert.equal(res.status, 404);
    assert.equal(res.body.error_code, 40401);
  });
});

describe('semver lookups', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await register(h, S, V1);
    await register(h, S, V11);
    await register(h, S, V2, '3.0.0');
    await h.http.delete(`/subjects/${S}/versions/2`);
  });
  after(() => h.close());

  it('lists every version with its label (soft-deleted ones on request)', async () => {
    const live = await h.http.get(neg(S, '/versions'));
    assert.equal(live.status, 200);
    assert.deepEqual(
      live.body.map((v: { version: number; semver: string }) => [v.version, v.semver]),
      [
        [1, '1.0.0'],
        [3, '3.0.0'],
      ],
    );
    const all = await h.http.get(neg(S, '/versions?deleted=true'));
    assert.deepEqual(
      all.body.map((v: { semver: string; deleted: boolean }) => [v.semver, v.deleted]),
      [
        ['1.0.0', false],
        ['1.1.0', true],
        ['3.0.0', false],
      ],
    );
  });

  it('finds a version by label or range', async () => {
    const byLabel = await h.http.get(neg(S, '/semver/3.0.0'));
    assert.equal(byLabel.status, 200);
    assert.equal(byLabel.body.version, 3);
    assert.equal(byLabel.body.semver, '3.0.0');
    assert.equal(byLabel.body.schema.includes('"n"'), true);
    const byRange = await h.http.get(neg(S, `/semver/${encodeURIComponent('^1.0.0')}`));
    assert.equal(byRange.body.version, 1, 'the highest LIVE match');
    const deleted = await h.http.get(neg(S, '/semver/1.1.0'));
    assert.equal(deleted.status, 404);
    assert.equal(deleted.body.error_code, 40402);
    assert.equal((await h.http.get(neg(S, '/semver/1.1.0?deleted=true'))).body.version, 2);
  });

  it('refuses a stated label that reuses a soft-deleted one, with the Confluent envelope', async () => {
    const res = await h.http.post(`/subjects/${S}/versions`).send({
      schema: eventSchema('{"name":"z","type":"int","default":1}'),
      metadata: { properties: { semver: '2.0.0' } },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error_code, 42251);
    assert.match(res.body.message, /greater than every label/);
  });

  it('rejects a malformed label and 404s unknown subjects', async () => {
    const bad = await h.http.get(neg(S, '/semver/not-a-version'));
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error_code, 42251);
    assert.equal((await h.http.get(neg('missing', '/versions'))).status, 404);
  });
});
