/**
 * End-to-end over HTTP with the real service and a fresh in-memory database: every schema, subject,
 * compatibility and small endpoint, with the shapes clients parse and the registry error codes
 * (40401–40407, 409, 42201, 42202, 42206, 42208–42210). Tests in this file run in order and build on
 * each other's state, like a client session would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  assertError,
  freshServer,
  MONEY_REFERENCE,
  MONEY_SCHEMA,
  ORDER_SCHEMA,
  record,
  V1,
} from './helpers.js';

const server = await freshServer();
const api = () => request(server.app);

const v1 = record('Vector');
const v2 = record('Vector', [{ name: 'b', type: 'string', default: 'x' }]);
const breaking = JSON.stringify({
  type: 'record',
  name: 'Vector',
  namespace: 'ai.proximadb.test',
  fields: [{ name: 'a', type: 'string' }],
});

describe('small endpoints', () => {
  it('GET / and POST / answer {}', async () => {
    for (const res of [await api().get('/'), await api().post('/')]) {
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], V1);
      assert.equal(res.text, '{}');
    }
  });

  it('GET /schemas/types, /contexts', async () => {
    assert.deepEqual((await api().get('/schemas/types')).body, ['AVRO']);
    assert.deepEqual((await api().get('/contexts')).body, ['.']);
  });

  it('GET /v1/metadata/id and /v1/metadata/version', async () => {
    const id = (await api().get('/v1/metadata/id')).body;
    assert.equal(id.id, '');
    assert.deepEqual(id.scope.path, []);
    assert.equal(typeof id.scope.clusters['kafka-cluster'], 'string');
    assert.equal(typeof id.scope.clusters['schema-registry-cluster'], 'string');
    const version = (await api().get('/v1/metadata/version')).body;
    assert.match(version.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof version.commitId, 'string');
  });

  it('GET /associations/resources/{ns}/{name} answers [] (the Confluent JS client probe)', async () => {
    const res = await api().get('/associations/resources/-/orders?resourceType=topic&associationType=value');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
  });
});

describe('register and read back', () => {
  it('POST /subjects/{s}/versions answers {"id": N} only', async () => {
    const res = await api().post('/subjects/vectors/versions').set('Content-Type', V1).send({ schema: v1 });
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"id":1}');
  });

  it('is idempotent, matches by parsed schema, and reuses ids across subjects', async () => {
    const spaced = JSON.stringify(JSON.parse(v1), null, 2);
    assert.deepEqual((await api().post('/subjects/vectors/versions').send({ schema: spaced })).body, {
      id: 1,
    });
    // schemaType AVRO, metadata, ruleSet and unknown fields are accepted (the Confluent serializer sends them).
    const other = await api()
      .post('/subjects/other-value/versions?normalize=false')
      .send({ schema: v1, schemaType: 'AVRO', references: [], metadata: null, whatever: 1 });
    assert.deepEqual(other.body, { id: 1 });
    assert.deepEqual((await api().post('/subjects/vectors/versions').send({ schema: v2 })).body, { id: 2 });
  });

  it('GET /schemas/ids/{id} without schemaType for AVRO; fetchMaxId; a subject hint never filters', async () => {
    assert.deepEqual((await api().get('/schemas/ids/1')).body, { schema: v1 });
    assert.deepEqual((await api().get('/schemas/ids/2?fetchMaxId=true')).body, { schema: v2, maxId: 2 });
    assert.deepEqual((await api().get('/schemas/ids/1?subject=unrelated&fetchMaxId=false')).body, {
      schema: v1,
    });
  });

  it('GET /schemas/ids/{id}/schema returns the raw text', async () => {
    const res = await api().get('/schemas/ids/2/schema');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], V1);
    assert.equal(res.text, v2);
  });

  it('GET /schemas/ids/{id}/subjects and /versions', async () => {
    assert.deepEqual((await api().get('/schemas/ids/1/subjects')).body, ['other-value', 'vectors']);
    assert.deepEqual((await api().get('/schemas/ids/1/versions')).body, [
      { subject: 'other-value', version: 1 },
      { subject: 'vectors', version: 1 },
    ]);
  });

  it('GET /schemas lists subject-versions; subjectPrefix and latestOnly filter', async () => {
    const all = (await api().get('/schemas')).body as Array<{ subject: string; version: number }>;
    assert.deepEqual(
      all.map((s) => `${s.subject}@${s.version}`),
      ['other-value@1', 'vectors@1', 'vectors@2'],
    );
    const latest = (await api().get('/schemas?subjectPrefix=vec&latestOnly=true')).body;
    assert.deepEqual(latest, [{ subject: 'vectors', version: 2, id: 2, schema: v2 }]);
  });

  it('GET /subjects sorted; subjectPrefix; offset/limit', async () => {
    assert.deepEqual((await api().get('/subjects')).body, ['other-value', 'vectors']);
    assert.deepEqual((await api().get('/subjects?subjectPrefix=vec')).body, ['vectors']);
    assert.deepEqual((await api().get('/subjects?offset=1&limit=1')).body, ['vectors']);
  });

  it('GET /subjects/{s}/versions', async () => {
    assert.deepEqual((await api().get('/subjects/vectors/versions')).body, [1, 2]);
  });

  it('GET /subjects/{s}/versions/{v} for a number, latest and -1', async () => {
    const one = { subject: 'vectors', version: 1, id: 1, schema: v1 };
    const two = { subject: 'vectors', version: 2, id: 2, schema: v2 };
    assert.deepEqual((await api().get('/subjects/vectors/versions/1')).body, one);
    assert.deepEqual((await api().get('/subjects/vectors/versions/latest')).body, two);
    assert.deepEqual((await api().get('/subjects/vectors/versions/-1')).body, two);
    // kafkajs appends parameters it does not use in the path (`name` when resolving references).
    assert.deepEqual((await api().get('/subjects/vectors/versions/1?name=x.Y&deleted=false')).body, one);
  });

  it('GET /subjects/{s}/versions/{v}/schema returns the raw text', async () => {
    const res = await api().get('/subjects/vectors/versions/latest/schema');
    assert.equal(res.text, v2);
    assert.equal(res.headers['content-type'], V1);
  });

  it('POST /subjects/{s} looks a schema up and returns the full subject-version', async () => {
    const res = await api().post('/subjects/vectors?normalize=false&deleted=false').send({ schema: v1 });
    assert.deepEqual(res.body, { subject: 'vectors', version: 1, id: 1, schema: v1 });
  });

  it('404/40401, 40402, 40403 and 422/42202 on reads', async () => {
    assertError(await api().get('/subjects/missing/versions'), 404, 40401, "Subject 'missing' not found.");
    assertError(await api().get('/subjects/missing/versions/1'), 404, 40401);
    assertError(await api().get('/subjects/vectors/versions/3'), 404, 40402, 'Version 3 not found.');
    assertError(await api().get('/subjects/vectors/versions/3/schema'), 404, 40402);
    assertError(await api().get('/schemas/ids/99'), 404, 40403, 'Schema 99 not found');
    assertError(await api().get('/schemas/ids/99/schema'), 404, 40403);
    assertError(await api().get('/schemas/ids/99/subjects'), 404, 40403);
    assertError(await api().get('/schemas/ids/99/versions'), 404, 40403);
    assertError(await api().post('/subjects/missing').send({ schema: v1 }), 404, 40401);
    assertError(
      await api().post('/subjects/vectors').send({ schema: '"string"' }),
      404,
      40403,
      'Schema not found',
    );
    for (const bad of ['0', '-2', 'first', '2147483648']) {
      assertError(
        await api().get(`/subjects/vectors/versions/${bad}`),
        422,
        42202,
        `The specified version '${bad}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      );
    }
  });

  it('404/404 for a non-integer schema id', async () => {
    assertError(await api().get('/schemas/ids/abc'), 404, 404, 'HTTP 404 Not Found');
    assertError(await api().get('/schemas/ids/1.0/schema'), 404, 404, 'HTTP 404 Not Found');
  });
});

describe('register errors', () => {
  it('409/409 for an incompatible schema, with the Confluent message prefix', async () => {
    assertError(
      await api().post('/subjects/vectors/versions').send({ schema: breaking }),
      409,
      409,
      /^Schema being registered is incompatible with an earlier schema for subject "vectors", details: \[/,
    );
  });

  it('?force=true skips the compatibility check', async () => {
    const res = await api().post('/subjects/forced/versions').send({ schema: v1 });
    assert.equal(res.status, 200);
    const forced = await api().post('/subjects/forced/versions?force=true').send({ schema: breaking });
    assert.equal(forced.status, 200);
  });

  it('422/42201 for an invalid schema, an unknown type and an empty schema', async () => {
    assertError(
      await api().post('/subjects/vectors/versions').send({ schema: '{"type":"recrd"}' }),
      422,
      42201,
      /^Invalid schema /,
    );
    assertError(
      await api().post('/subjects/vectors/versions').send({ schema: '{}', schemaType: 'PROTOBUF' }),
      422,
      42201,
      'Invalid schema type PROTOBUF',
    );
    assertError(await api().post('/subjects/brand-new/versions').send({}), 422, 42201, 'Empty schema');
  });

  it('422/42208 for an invalid subject', async () => {
    assertError(
      await api().post('/subjects/__GLOBAL/versions').send({ schema: v1 }),
      422,
      42208,
      "The specified subject '__GLOBAL' is not a valid.",
    );
    assertError(await api().post('/subjects/bad%07subject/versions').send({ schema: v1 }), 422, 42208);
  });

  it('422/42209 for a schema over the size limits', async () => {
    const symbols = Array.from({ length: 10_001 }, (_, i) => `S${i}`);
    const huge = JSON.stringify({ type: 'enum', name: 'Huge', symbols });
    assertError(await api().post('/subjects/huge/versions').send({ schema: huge }), 422, 42209);
  });

  it('422/42210 for an invalid ruleSet', async () => {
    assertError(
      await api()
        .post('/subjects/vectors/versions')
        .send({ schema: v2, ruleSet: { domainRules: 'no' } }),
      422,
      42210,
      /^Invalid ruleSet/,
    );
  });
});

describe('compatibility endpoints', () => {
  const check = (path: string, schema: string) => api().post(path).set('Content-Type', V1).send({ schema });

  it('POST /compatibility/subjects/{s}/versions/{v} (latest, number, trailing slash)', async () => {
    assert.deepEqual((await check('/compatibility/subjects/vectors/versions/latest', v2)).body, {
      is_compatible: true,
    });
    assert.deepEqual((await check('/compatibility/subjects/vectors/versions/1', breaking)).body, {
      is_compatible: false,
    });
    assert.deepEqual((await check('/compatibility/subjects/vectors/versions/', breaking)).body, {
      is_compatible: false,
    });
  });

  it('verbose=true adds messages', async () => {
    const res = await check('/compatibility/subjects/vectors/versions/latest?verbose=true', breaking);
    assert.equal(res.body.is_compatible, false);
    assert.ok(Array.isArray(res.body.messages) && res.body.messages.length > 0);
    assert.match(res.body.messages[0], /TYPE_MISMATCH/);
    const ok = await check('/compatibility/subjects/vectors/versions/latest?verbose=true', v2);
    assert.deepEqual(ok.body, { is_compatible: true, messages: [] });
  });

  it('a missing subject is compatible; a missing numeric version is 40402; a bad one 42202', async () => {
    assert.deepEqual((await check('/compatibility/subjects/nobody/versions/latest', v1)).body, {
      is_compatible: true,
    });
    assertError(await check('/compatibility/subjects/vectors/versions/9', v1), 404, 40402);
    assertError(
      await check('/compatibility/subjects/nobody/versions/9', v1),
      404,
      40402,
      'Version 9 not found.',
    );
    assertError(await check('/compatibility/subjects/vectors/versions/zero', v1), 422, 42202);
    assertError(await check('/compatibility/subjects/vectors/versions', 'not json'), 422, 42201);
  });
});

describe('references', () => {
  const refs = [MONEY_REFERENCE];
  // Avro's Schema.toString (Confluent's canonical text) names a type of the same namespace by its short name.
  const orderCanonical = ORDER_SCHEMA.replace('"ai.proximadb.test.Money"', '"Money"');
  let orderId = 0;

  it('registers a schema with references and renders them', async () => {
    const moneyId = (await api().post('/subjects/money/versions').send({ schema: MONEY_SCHEMA })).body.id;
    orderId = (await api().post('/subjects/order/versions').send({ schema: ORDER_SCHEMA, references: refs }))
      .body.id;
    assert.notEqual(orderId, moneyId);
    assert.deepEqual((await api().get(`/schemas/ids/${orderId}`)).body, {
      references: refs,
      schema: orderCanonical,
    });
    assert.deepEqual((await api().get('/subjects/order/versions/1')).body, {
      subject: 'order',
      version: 1,
      id: orderId,
      references: refs,
      schema: orderCanonical,
    });
  });

  it('format=resolved inlines the referenced types; default and unknown formats keep the stored text', async () => {
    // Java's Schema.toString() of the resolved schema: Money defined at its first use, same namespace elided.
    const resolved =
      '{"type":"record","name":"Order","namespace":"ai.proximadb.test","fields":[{"name":"total","type":' +
      '{"type":"record","name":"Money","fields":[{"name":"cents","type":"long"}]}}]}';
    const text = async (path: string) => {
      const res = await api().get(path);
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      return res.text;
    };
    assert.equal(JSON.parse(await text(`/schemas/ids/${orderId}?format=resolved`)).schema, resolved);
    assert.equal(await text(`/schemas/ids/${orderId}/schema?format=RESOLVED`), resolved);
    const version = JSON.parse(await text('/subjects/order/versions/1?format=resolved'));
    assert.deepEqual(version, {
      subject: 'order',
      version: 1,
      id: orderId,
      references: refs,
      schema: resolved,
    });
    assert.equal(await text('/subjects/order/versions/latest/schema?format=resolved'), resolved);
    for (const format of ['default', 'serialized', '']) {
      assert.equal(await text(`/subjects/order/versions/1/schema?format=${format}`), orderCanonical, format);
      assert.equal(JSON.parse(await text(`/schemas/ids/${orderId}?format=${format}`)).schema, orderCanonical);
    }
    // A schema without references is the same in every format.
    assert.equal(await text('/subjects/money/versions/1/schema?format=resolved'), MONEY_SCHEMA);
  });

  it('GET /subjects/{s}/versions/{v}/referencedby', async () => {
    assert.deepEqual((await api().get('/subjects/money/versions/1/referencedby')).body, [orderId]);
    assert.deepEqual((await api().get('/subjects/order/versions/1/referencedby')).body, []);
  });

  it('422/42206 when deleting a referenced version or subject', async () => {
    assertError(
      await api().delete('/subjects/money/versions/1'),
      422,
      42206,
      /^One or more references exist/,
    );
    assertError(await api().delete('/subjects/money'), 422, 42206);
  });
});

describe('deletes', () => {
  it('DELETE /subjects/{s}/versions/{v} answers the bare version; 40406, 40407', async () => {
    const res = await api().delete('/subjects/vectors/versions/1');
    assert.equal(res.status, 200);
    assert.equal(res.text, '1');
    assertError(
      await api().delete('/subjects/vectors/versions/1'),
      404,
      40406,
      "Subject 'vectors' Version 1 was soft deleted.Set permanent=true to delete permanently",
    );
    assertError(
      await api().delete('/subjects/vectors/versions/2?permanent=true'),
      404,
      40407,
      "Subject 'vectors' Version 2 was not deleted first before being permanently deleted",
    );
    assert.equal((await api().delete('/subjects/vectors/versions/1?permanent=true')).text, '1');
    assertError(await api().delete('/subjects/vectors/versions/1'), 404, 40402);
    assertError(await api().delete('/subjects/vectors/versions/x'), 422, 42202);
    assertError(await api().delete('/subjects/nobody/versions/1'), 404, 40401);
  });

  it('soft-deleted versions are hidden unless deleted=true; ids stay resolvable', async () => {
    await api().post('/subjects/history/versions').send({ schema: v1 });
    await api().post('/subjects/history/versions').send({ schema: v2 });
    await api().delete('/subjects/history/versions/1');
    assert.deepEqual((await api().get('/subjects/history/versions')).body, [2]);
    assert.deepEqual((await api().get('/subjects/history/versions?deleted=true')).body, [1, 2]);
    assertError(await api().get('/subjects/history/versions/1'), 404, 40402);
    assert.equal((await api().get('/subjects/history/versions/1?deleted=true')).body.id, 1);
    assert.equal((await api().get('/schemas/ids/1')).status, 200);
  });

  it('DELETE /subjects/{s} answers the versions; 40404, 40405, 40401', async () => {
    assertError(
      await api().delete('/subjects/history?permanent=true'),
      404,
      40405,
      "Subject 'history' was not deleted first before being permanently deleted",
    );
    const soft = await api().delete('/subjects/history');
    assert.equal(soft.status, 200);
    assert.equal(soft.text, '[2]');
    assertError(
      await api().delete('/subjects/history'),
      404,
      40404,
      "Subject 'history' was soft deleted.Set permanent=true to delete permanently",
    );
    assert.deepEqual((await api().get('/subjects')).body.includes('history'), false);
    assert.deepEqual((await api().get('/subjects?deleted=true')).body.includes('history'), true);
    assert.equal((await api().delete('/subjects/history?permanent=true')).text, '[1,2]');
    assertError(await api().delete('/subjects/history'), 404, 40401, "Subject 'history' not found.");
  });
});

describe('subjects with a slash (%2F)', () => {
  it('round-trips through register, list, read, lookup, compatibility, config and delete', async () => {
    const s = encodeURIComponent('team/orders-value');
    assert.equal(s, 'team%2Forders-value');
    const { id } = (await api().post(`/subjects/${s}/versions`).send({ schema: v1 })).body;
    assert.ok((await api().get('/subjects')).body.includes('team/orders-value'));
    assert.equal((await api().get(`/subjects/${s}/versions/latest`)).body.subject, 'team/orders-value');
    assert.equal((await api().post(`/subjects/${s}`).send({ schema: v1 })).body.id, id);
    assert.equal(
      (await api().post(`/compatibility/subjects/${s}/versions/latest`).send({ schema: v2 })).body
        .is_compatible,
      true,
    );
    assert.deepEqual((await api().put(`/config/${s}`).send({ compatibility: 'NONE' })).body, {
      compatibility: 'NONE',
    });
    assert.deepEqual((await api().get(`/config/${s}`)).body, { compatibilityLevel: 'NONE' });
    assert.equal((await api().delete(`/subjects/${s}`)).text, '[1]');
  });
});
