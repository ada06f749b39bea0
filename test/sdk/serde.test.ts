/**
 * Encode/decode over the real registry: lean records to Confluent bytes and back into a reader on
 * another schema version, single-object payloads resolved through a subject, references, caching.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AutoGenerator } from '../../src/avro/autogen.js';
import { ManualClock } from '../../src/clock.js';
import { createRecord, createVectorRecord, VECTOR_RECORD_SCHEMA } from '../../src/sdk/lean-records.js';
import { RegistryClient } from '../../src/sdk/registry-client.js';
import { RegistryError } from '../../src/sdk/registry-error.js';
import { AvroSerde, SerdeError } from '../../src/sdk/serde.js';
import { frameConfluent } from '../../src/sdk/wire-format.js';
import { countingFetch, startRegistry, type TestRegistry } from './registry-harness.js';

const NOW = Date.UTC(2026, 2, 1);
const generator = () => new AutoGenerator({ clock: new ManualClock(NOW) });
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

const v1 = VECTOR_RECORD_SCHEMA;
const v1Object = JSON.parse(v1) as { fields: object[] };
/** v2 adds an optional field: BACKWARD compatible, so the registry accepts it after v1. */
const v2 = JSON.stringify({
  ...v1Object,
  fields: [...v1Object.fields, { name: 'collection', type: ['null', 'string'], default: null }],
});

describe('AvroSerde over a real registry', () => {
  let registry: TestRegistry;
  let client: RegistryClient;

  before(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ url: registry.url, retry: { baseDelayMs: 1 } });
  });
  after(() => registry.stop());

  it('round-trips createVectorRecord → Confluent bytes → a reader on v2, and v2 data → a v1 reader', async () => {
    const writer = new AvroSerde(client, { generator: generator() });
    const record = createVectorRecord(
      { vector: [0.25, -1.5], metadata: { lang: 'en' } },
      { generator: generator() },
    );
    const bytes = await writer.encodeForSubject('vectors-value', v1, record);
    const v1Id = (await client.getLatest('vectors-value')).id;
    assert.equal(bytes[0], 0);
    assert.equal(bytes.readInt32BE(1), v1Id);

    // A consumer in another process: its own client and serde, reading with the newer schema.
    const consumer = new AvroSerde(new RegistryClient(registry.url));
    assert.deepEqual(plain(await consumer.decode(bytes, { readerSchema: v2 })), {
      ...record,
      collection: null,
    });
    assert.deepEqual(
      plain(await consumer.decode(bytes)),
      record,
      'without a reader schema: the writer schema',
    );

    const newer = createRecord(v2, { vector: [1], collection: 'docs' }, { generator: generator() });
    const bytes2 = await writer.encodeForSubject('vectors-value', v2, newer);
    assert.notEqual(bytes2.readInt32BE(1), v1Id);
    const { collection: _dropped, ...asV1 } = newer as Record<string, unknown>;
    assert.deepEqual(plain(await consumer.decode(bytes2, { readerSchema: v1 })), asV1);
  });

  it('fills auto-generated fields when encoding a lean value', async () => {
    const serde = new AvroSerde(client, { generator: generator() });
    const bytes = await serde.encodeForSubject('vectors-value', v1, { vector: [3] });
    const decoded = (await serde.decode(bytes)) as Record<string, unknown>;
    assert.match(String(decoded.id), /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    assert.equal(decoded.timestamp, NOW * 1000);
    assert.equal(decoded.metadata, null);
  });

  it('with autoRegister false only looks the id up, and an unknown schema is a typed 404', async () => {
    const counter = countingFetch();
    const serde = new AvroSerde(new RegistryClient({ url: registry.url, fetch: counter.fetch }));
    const first = await serde.encodeForSubject('vectors-value', v1, { vector: [1] }, { autoRegister: false });
    await serde.encodeForSubject('vectors-value', v1, { vector: [2] }, { autoRegister: false });
    assert.equal(first.readInt32BE(1), (await client.getVersion('vectors-value', 1)).id);
    assert.equal(counter.count('POST /subjects/vectors-value'), 1, 'looked up once, never registered');
    assert.equal(counter.count('POST /subjects/vectors-value/versions'), 0);
    const other = JSON.stringify({ ...v1Object, name: 'Other' });
    const error = await serde
      .encodeForSubject('vectors-value', other, { vector: [1] }, { autoRegister: false })
      .catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'SCHEMA_NOT_FOUND');
  });

  it('refuses a reader that cannot follow the writer (new required field)', async () => {
    const id = (await client.getVersion('vectors-value', 1)).id;
    const serde = new AvroSerde(client);
    const bytes = await serde.encode(id, { vector: [1] });
    const strict = JSON.stringify({
      ...v1Object,
      fields: [...v1Object.fields, { name: 'shard', type: 'int' }],
    });
    await assert.rejects(
      serde.decode(bytes, { readerSchema: strict }),
      (e: unknown) => e instanceof SerdeError && e.reason === 'incompatible-reader',
    );
  });

  it('reports invalid values with their paths before anything is encoded', async () => {
    const id = (await client.getVersion('vectors-value', 1)).id;
    const error = await new AvroSerde(client)
      .encode(id, { vector: [1, 'x'], colour: 1 })
      .catch((e: unknown) => e);
    assert.ok(error instanceof SerdeError);
    assert.equal(error.reason, 'invalid-datum');
    assert.deepEqual(
      error.errors.map((e) => `${e.path}: ${e.message}`),
      [
        '/vector/1: expected float, got "x"',
        '/colour: unknown field (record ai.proximadb.VectorRecord has no such field)',
      ],
    );
  });

  it("surfaces the registry's typed error for an unknown schema id", async () => {
    const error = await new AvroSerde(client)
      .decode(frameConfluent(9999, Uint8Array.of(2)))
      .catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'SCHEMA_NOT_FOUND');
  });

  it('fetches a writer schema once however many payloads arrive at the same time', async () => {
    const counter = countingFetch();
    const serde = new AvroSerde(new RegistryClient({ url: registry.url, fetch: counter.fetch }));
    const id = (await client.getVersion('vectors-value', 1)).id;
    const bytes = await new AvroSerde(client).encode(id, { vector: [1], id: 'x', timestamp: 1 });
    const decoded = await Promise.all(
      Array.from({ length: 25 }, () => serde.decode(bytes, { readerSchema: v2 })),
    );
    assert.equal(counter.count('GET /schemas/ids/'), 1);
    assert.ok(decoded.every((d) => (d as { id: string }).id === 'x'));
  });

  it('decodes single-object payloads by finding the fingerprint among the subject versions', async () => {
    const producer = new AvroSerde(undefined, { generator: generator() });
    const payload = producer.encodeSingleObject(v2, { vector: [2], collection: 'c' });
    assert.deepEqual([...payload.subarray(0, 2)], [0xc3, 0x01]);
    const consumer = new AvroSerde(new RegistryClient(registry.url));
    await assert.rejects(consumer.decode(payload), /no subject given/);
    const asV1 = (await consumer.decode(payload, { subject: 'vectors-value', readerSchema: v1 })) as object;
    assert.equal('collection' in asV1, false);
    assert.equal(((await consumer.decode(payload)) as { collection: string }).collection, 'c');
  });

  it('resolves schema references when decoding and encoding by id', async () => {
    const meta = {
      type: 'record',
      name: 'Meta',
      namespace: 'ai.proximadb',
      fields: [{ name: 'k', type: 'string' }],
    };
    await client.register('meta-value', meta);
    const references = [{ name: 'ai.proximadb.Meta', subject: 'meta-value', version: 1 }];
    const outer = {
      type: 'record',
      name: 'Outer',
      namespace: 'ai.proximadb',
      fields: [{ name: 'm', type: 'Meta' }],
    };
    const id = await client.register('outer-value', outer, { references });
    const serde = new AvroSerde(new RegistryClient(registry.url));
    const bytes = await serde.encode(id, { m: { k: 'v' } });
    assert.deepEqual(plain(await new AvroSerde(client).decode(bytes)), { m: { k: 'v' } });
  });
});
