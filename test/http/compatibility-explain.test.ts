/**
 * `POST /compatibility/subjects/{s}/explain`: the pairwise report agrees with Confluent's verbose
 * endpoint on the verdict and messages, adds both directions per version with Java's findings and,
 * for submitted text, where each finding and each parse error sits in it.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import request from 'supertest';
import { assertError, freshServer, V1 } from './helpers.js';

const server = await freshServer();
after(() => server.close());
const app = server.app;

const fields = (...extra: object[]) => [{ name: 'id', type: 'long' }, ...extra];
const order = (...extra: object[]) =>
  JSON.stringify({ type: 'record', name: 'Order', namespace: 'shop', fields: fields(...extra) });
const V1_SCHEMA = order();
const V2_SCHEMA = order({ name: 'currency', type: 'string', default: 'EUR' });
const V3_SCHEMA = order(
  { name: 'currency', type: 'string', default: 'EUR' },
  { name: 'note', type: 'string' },
);

for (const schema of [V1_SCHEMA, V2_SCHEMA]) {
  await request(app).post('/subjects/orders/versions').send({ schema }).expect(200);
}
await request(app).put('/config/orders').send({ compatibility: 'NONE' }).expect(200);
await request(app).post('/subjects/orders/versions').send({ schema: V3_SCHEMA }).expect(200);
await request(app).delete('/config/orders').expect(200);

const explain = (body: object, subject = 'orders') =>
  request(app).post(`/compatibility/subjects/${subject}/explain`).send(body);

/** A field of the candidate that the stored versions lack and that has no default, on line 5. */
const PASTED = [
  '{"type": "record", "name": "Order", "namespace": "shop",',
  ' "fields": [',
  '  {"name": "id", "type": "long"},',
  '  {"name": "currency", "type": "string", "default": "EUR"},',
  '  {"name": "sku", "type": "string"}',
  ' ]}',
].join('\n');

describe('explain: submitted text', () => {
  test('the verdict and messages are those of the verbose Confluent endpoint; findings carry positions', async () => {
    const res = await explain({ schema: PASTED }).expect(200);
    assert.equal(res.headers['content-type'], V1);
    const confluent = await request(app)
      .post('/compatibility/subjects/orders/versions/latest?verbose=true')
      .send({ schema: PASTED })
      .expect(200);
    assert.equal(res.body.is_compatible, confluent.body.is_compatible);
    assert.equal(res.body.is_compatible, false);
    assert.deepEqual(res.body.messages, confluent.body.messages);
    assert.deepEqual([res.body.level, res.body.levelSource], ['BACKWARD', 'default']);
    assert.equal(res.body.candidate, undefined);
    assert.equal(res.body.checks.length, 1);
    const [check] = res.body.checks;
    assert.deepEqual([check.version, check.semver, check.deleted], [3, '2.0.0', false]);
    assert.equal(check.backward.compatible, false);
    assert.deepEqual(check.backward.incompatibilities, [
      {
        type: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        location: '/fields/2',
        message: 'sku',
        position: { line: 5, column: 3 },
      },
    ]);
    assert.match(check.backward.messages[0], /READER_FIELD_MISSING_DEFAULT_VALUE/);
    assert.equal(check.backward.messages.at(-1), "{validateFields: 'false', compatibility: 'BACKWARD'}");
    // Version 3 has `note` without a default and the candidate lacks it: version 3 cannot read it.
    assert.equal(check.forward.compatible, false);
    assert.deepEqual(
      check.forward.incompatibilities.map((f: { type: string; message: string }) => [f.type, f.message]),
      [['READER_FIELD_MISSING_DEFAULT_VALUE', 'note']],
    );
    assert.equal(check.forward.messages.at(-1), "{validateFields: 'false', compatibility: 'FORWARD'}");
  });

  test('a level and a target named in the request; transitive levels check every live version', async () => {
    const one = await explain({ schema: V2_SCHEMA, level: 'full', against: 1 }).expect(200);
    assert.deepEqual(
      [one.body.level, one.body.levelSource, one.body.is_compatible],
      ['FULL', 'request', true],
    );
    assert.deepEqual(
      one.body.checks.map((c: { version: number }) => c.version),
      [1],
    );

    const all = await explain({ schema: V2_SCHEMA, level: 'BACKWARD_TRANSITIVE' }).expect(200);
    assert.deepEqual(
      all.body.checks.map((c: { version: number }) => c.version),
      [3, 2, 1],
    );
    const confluent = await request(app)
      .post('/compatibility/subjects/orders/versions?verbose=true')
      .send({ schema: V2_SCHEMA })
      .expect(200);
    // The subject's own level is BACKWARD (latest only): Confluent checks v3 alone.
    const own = await explain({ schema: V2_SCHEMA }).expect(200);
    assert.equal(own.body.is_compatible, confluent.body.is_compatible);
    assert.deepEqual(own.body.messages, confluent.body.messages);

    const every = await explain({ schema: V2_SCHEMA, against: 'all' }).expect(200);
    assert.deepEqual(
      every.body.checks.map((c: { version: number }) => c.version),
      [3, 2, 1],
    );
  });

  test('a subject without versions: compatible, nothing checked', async () => {
    const res = await explain({ schema: V1_SCHEMA }, 'nothing-here').expect(200);
    assert.deepEqual([res.body.is_compatible, res.body.checks, res.body.messages], [true, [], []]);
  });

  test('a schema that does not parse: 422 42201 with the parser message and its line', async () => {
    const syntax = await explain({ schema: '{"type": "record",\n  "name": "X" "fields": []}' }).expect(422);
    assert.equal(syntax.body.error_code, 42201);
    assert.match(syntax.body.message, /line 2, column 15/);
    assert.deepEqual(syntax.body.position, { line: 2, column: 15 });

    const unknownType = await explain({
      schema:
        '{"type": "record", "name": "X", "fields": [\n  {"name": "a", "type": "int"},\n  {"name": "b", "type": "strin"}\n]}',
    }).expect(422);
    assert.match(unknownType.body.message, /unknown type "strin"/);
    assert.deepEqual(unknownType.body.position, { line: 3, column: 3 });
  });
});

describe('explain: stored versions', () => {
  test('one version against another, both directions, the candidate described', async () => {
    const res = await explain({ version: 3, against: 2, level: 'FULL' }).expect(200);
    assert.deepEqual(res.body.candidate, { version: 3, id: 3, semver: '2.0.0', deleted: false });
    assert.equal(res.body.is_compatible, false);
    const [check] = res.body.checks;
    assert.equal(check.version, 2);
    assert.equal(check.backward.compatible, false);
    assert.equal(check.forward.compatible, true);
    // Positions are about submitted text only.
    assert.equal(check.backward.incompatibilities[0].position, undefined);
    assert.deepEqual(
      res.body.messages.filter((m: string) => m.startsWith('{errorType')),
      check.backward.messages.filter((m: string) => m.startsWith('{errorType')),
    );
  });

  test('by default a stored candidate is checked against the live versions before it', async () => {
    const latest = await explain({ version: 'latest', level: 'FORWARD_TRANSITIVE' }).expect(200);
    assert.deepEqual(
      latest.body.checks.map((c: { version: number }) => c.version),
      [2, 1],
    );
    const first = await explain({ version: 1 }).expect(200);
    assert.deepEqual([first.body.is_compatible, first.body.checks], [true, []]);
  });

  test('a soft-deleted version can be compared when named', async () => {
    await request(app).post('/subjects/soft/versions').send({ schema: V1_SCHEMA }).expect(200);
    await request(app).post('/subjects/soft/versions').send({ schema: V2_SCHEMA }).expect(200);
    await request(app).delete('/subjects/soft/versions/1').expect(200);
    const res = await explain({ version: 2, against: 1 }, 'soft').expect(200);
    assert.deepEqual([res.body.checks[0].version, res.body.checks[0].deleted], [1, true]);
    assert.equal(res.body.is_compatible, true);
  });
});

describe('explain: bad requests change nothing and answer in the envelope', () => {
  test('candidate missing or given twice, bad level, bad or unknown versions, unknown subject', async () => {
    assertError(await explain({}), 422, 422, /either as "schema".*or as "version"/);
    assertError(await explain({ schema: V1_SCHEMA, version: 1 }), 422, 422, /not both/);
    assertError(await explain({ schema: V1_SCHEMA, level: 'SIDEWAYS' }), 422, 42203);
    assertError(await explain({ schema: V1_SCHEMA, against: 'newest' }), 422, 42202);
    assertError(await explain({ schema: V1_SCHEMA, against: 0 }), 422, 42202);
    assertError(await explain({ schema: V1_SCHEMA, against: 99 }), 404, 40402, 'Version 99 not found.');
    assertError(await explain({ version: 99 }), 404, 40402);
    assertError(await explain({ version: 1 }, 'nothing-here'), 404, 40401);
    assertError(await explain({ version: true }), 400, 400);
    assertError(
      await request(app)
        .post('/compatibility/subjects/orders/explain')
        .set('Content-Type', 'application/json')
        .send('[1]'),
      400,
      400,
    );
    assertError(await request(app).get('/compatibility/subjects/orders/explain'), 405, 405);
    const versions = await request(app).get('/subjects/orders/versions').expect(200);
    assert.deepEqual(versions.body, [1, 2, 3]);
  });
});
