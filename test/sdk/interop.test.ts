/**
 * Byte-for-byte interop with `@kafkajs/confluent-schema-registry` against one registry started here:
 * what they encode we decode, what we encode they decode, and both write the same bytes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { createVectorRecord, VECTOR_RECORD_SCHEMA } from '../../src/sdk/lean-records.js';
import { RegistryClient } from '../../src/sdk/registry-client.js';
import { AvroSerde } from '../../src/sdk/serde.js';
import { startRegistry, type TestRegistry } from './registry-harness.js';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const v1Object = JSON.parse(VECTOR_RECORD_SCHEMA) as { fields: object[] };
const v2 = JSON.stringify({
  ...v1Object,
  fields: [...v1Object.fields, { name: 'collection', type: ['null', 'string'], default: null }],
});

describe('interop with @kafkajs/confluent-schema-registry', () => {
  let registry: TestRegistry;
  let kafkajs: SchemaRegistry;
  let serde: AvroSerde;
  let id: number;
  const record = createVectorRecord({
    vector: [0.5, 0.25, -2],
    metadata: { source: 'test' },
    timestamp: 1_700_000_000_000_000,
  });

  before(async () => {
    registry = await startRegistry();
    kafkajs = new SchemaRegistry({ host: registry.url });
    serde = new AvroSerde(new RegistryClient(registry.url));
    ({ id } = await kafkajs.register(
      { type: SchemaType.AVRO, schema: VECTOR_RECORD_SCHEMA },
      { subject: 'interop-value' },
    ));
  });
  after(() => registry.stop());

  it('decodes what kafkajs encodes', async () => {
    const theirs = await kafkajs.encode(id, record);
    assert.deepEqual(plain(await serde.decode(theirs)), record);
  });

  it('kafkajs decodes what we encode, and both write identical bytes', async () => {
    const ours = await serde.encode(id, record);
    assert.deepEqual(plain(await kafkajs.decode(ours)), record);
    assert.deepEqual(ours, await kafkajs.encode(id, record));
  });

  it('ids we register are the ids kafkajs finds, and its payloads decode into our newer reader', async () => {
    const client = new RegistryClient(registry.url);
    const v2Id = await client.register('interop-value', v2);
    assert.equal(await kafkajs.getLatestSchemaId('interop-value'), v2Id);
    const theirs = await kafkajs.encode(id, record);
    assert.deepEqual(plain(await serde.decode(theirs, { readerSchema: v2 })), {
      ...record,
      collection: null,
    });
    const ours = await serde.encode(v2Id, { ...record, collection: 'c' });
    assert.deepEqual(plain(await kafkajs.decode(ours)), { ...record, collection: 'c' });
  });
});
