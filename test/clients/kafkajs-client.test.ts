/**
 * `@kafkajs/confluent-schema-registry` against the real server over loopback: the calls it makes
 * (GET /config/{s} expecting 404 first, register, PUT /config/{s}, lookups, GET /schemas/ids/{id}) and a
 * wire-format round trip.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { type Running, startTestRegistry } from './harness.js';

const vectorV1 = {
  type: 'record',
  name: 'VectorRecord',
  namespace: 'ai.proximadb',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'vector', type: { type: 'array', items: 'float' } },
  ],
};

const vectorV2 = {
  ...vectorV1,
  fields: [...vectorV1.fields, { name: 'tag', type: ['null', 'string'], default: null }],
};

const avro = (schema: object) => ({ type: SchemaType.AVRO as const, schema: JSON.stringify(schema) });

describe('@kafkajs/confluent-schema-registry', () => {
  let running: Running;
  let registry: SchemaRegistry;

  before(async () => {
    running = await startTestRegistry();
    registry = new SchemaRegistry({ host: running.url });
  });
  after(() => running.stop());

  it('registers with a subject option, then finds the id by latest and by schema', async () => {
    const { id } = await registry.register(avro(vectorV1), { subject: 'vectors-value' });
    assert.equal(typeof id, 'number');
    assert.equal(await registry.getLatestSchemaId('vectors-value'), id);
    assert.equal(await registry.getRegistryIdBySchema('vectors-value', avro(vectorV1)), id);
    assert.equal(await registry.getRegistryId('vectors-value', 1), id);
    // The client's first-time path: GET /config/{s} must 404, then register, then PUT /config/{s}.
    const calls = running.requests.map((r) => r.replace(/\?.*? ->/, ' ->'));
    assert.deepEqual(calls.slice(0, 3), [
      'GET /config/vectors-value -> 404',
      'POST /subjects/vectors-value/versions -> 200',
      'PUT /config/vectors-value -> 200',
    ]);
    assert.deepEqual(await running.server.registry.getConfig('vectors-value', {}), {
      compatibilityLevel: 'BACKWARD',
    });
  });

  it('re-registering is idempotent; a compatible evolution gets a new id and becomes latest', async () => {
    const first = await registry.register(avro(vectorV1), { subject: 'vectors-value' });
    const again = await registry.register(avro(vectorV1), { subject: 'vectors-value' });
    assert.equal(again.id, first.id);
    const second = await registry.register(avro(vectorV2), { subject: 'vectors-value' });
    assert.notEqual(second.id, first.id);
    assert.equal(await registry.getLatestSchemaId('vectors-value'), second.id);
  });

  it('surfaces an incompatible schema as HTTP 409', async () => {
    const incompatible = { ...vectorV1, fields: [{ name: 'id', type: 'long' }] };
    await assert.rejects(
      registry.register(avro(incompatible), { subject: 'vectors-value' }),
      (e: unknown) => {
        assert.equal((e as { status?: number }).status, 409);
        assert.match((e as Error).message, /incompatible/i);
        return true;
      },
    );
  });

  it('reports an unknown schema lookup as an error', async () => {
    const other = { type: 'record', name: 'Other', namespace: 'ai.proximadb', fields: [] };
    await assert.rejects(registry.getRegistryIdBySchema('vectors-value', avro(other)));
  });

  it('encodes in the Confluent wire format and decodes with a cold client', async () => {
    const id = await registry.getLatestSchemaId('vectors-value');
    const payload = { id: 'v-1', vector: [0.5, -1.25, 3], tag: 'hello' };
    const buffer = await registry.encode(id, payload);
    assert.equal(buffer[0], 0);
    assert.equal(buffer.readInt32BE(1), id);
    // A fresh client has no cache, so decoding fetches GET /schemas/ids/{id}.
    const cold = new SchemaRegistry({ host: running.url });
    assert.deepEqual({ ...(await cold.decode(buffer)) }, payload);
  });

  it('works with a subject containing a slash (sent as %2F)', async () => {
    const { id } = await registry.register(avro(vectorV1), { subject: 'team/vectors-value' });
    assert.equal(await registry.getLatestSchemaId('team/vectors-value'), id);
    assert.deepEqual(await running.server.registry.listSubjects({}), ['team/vectors-value', 'vectors-value']);
  });
});
