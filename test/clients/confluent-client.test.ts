/**
 * `@confluentinc/schemaregistry` (the confluent-kafka-javascript registry client) against the real
 * server over loopback: the REST client's calls and the Avro serde with auto-registration, whose
 * default subject strategy first probes `/associations/resources/...` (an empty list or a proper 404
 * envelope makes it fall back to `<topic>-value`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AvroDeserializer,
  AvroSerializer,
  Compatibility,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { type Running, startTestRegistry } from './harness.js';

const orderV1 = {
  type: 'record',
  name: 'Order',
  namespace: 'ai.proximadb.test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
};
const orderV2 = {
  ...orderV1,
  fields: [...orderV1.fields, { name: 'note', type: ['null', 'string'], default: null }],
};
const orderBreaking = { ...orderV1, fields: [{ name: 'id', type: 'int' }] };

const info = (schema: object) => ({ schemaType: 'AVRO', schema: JSON.stringify(schema) });

describe('@confluentinc/schemaregistry', () => {
  let running: Running;
  let client: SchemaRegistryClient;
  // No retries: a failure must show up as a failure, not as a slow test.
  const newClient = () => new SchemaRegistryClient({ baseURLs: [running.url], maxRetries: 0 });

  before(async () => {
    running = await startTestRegistry();
    client = newClient();
  });
  after(async () => {
    await client.close();
    await running.stop();
  });

  it('register, getBySubjectAndId, getId, getLatestSchemaMetadata', async () => {
    const id = await client.register('orders-value', info(orderV1), false);
    assert.equal(typeof id, 'number');
    const cold = newClient();
    const byId = await cold.getBySubjectAndId('orders-value', id);
    assert.deepEqual(JSON.parse(byId.schema), orderV1);
    assert.equal(await cold.getId('orders-value', info(orderV1), false), id);
    const latest = await cold.getLatestSchemaMetadata('orders-value');
    assert.equal(latest.id, id);
    assert.equal(latest.version, 1);
    assert.equal(latest.subject, 'orders-value');
    assert.deepEqual(await cold.getAllVersions('orders-value'), [1]);
    assert.deepEqual(await cold.getAllSubjects(), ['orders-value']);
    await cold.close();
  });

  it('testSubjectCompatibility against the latest version', async () => {
    assert.equal(await client.testSubjectCompatibility('orders-value', info(orderV2)), true);
    assert.equal(await client.testSubjectCompatibility('orders-value', info(orderBreaking)), false);
  });

  it('get/updateCompatibility: 404 until a subject level is set', async () => {
    await assert.rejects(client.getCompatibility('orders-value'), (e: unknown) => {
      assert.equal((e as { status?: number }).status, 404);
      assert.equal((e as { errorCode?: number }).errorCode, 40408);
      return true;
    });
    assert.equal(await client.updateCompatibility('orders-value', Compatibility.FULL), Compatibility.FULL);
    assert.equal(await client.getCompatibility('orders-value'), Compatibility.FULL);
    assert.equal(await client.getDefaultCompatibility(), Compatibility.BACKWARD);
  });

  it('register refuses an incompatible schema with a RestError 409', async () => {
    await assert.rejects(client.register('orders-value', info(orderBreaking), false), (e: unknown) => {
      assert.equal((e as { status?: number }).status, 409);
      return true;
    });
  });

  it('deleteSubject: soft, then permanent', async () => {
    await client.register('scratch-value', info(orderV1), false);
    assert.deepEqual(await client.deleteSubject('scratch-value', false), [1]);
    assert.deepEqual(await client.deleteSubject('scratch-value', true), [1]);
    assert.equal((await client.getAllSubjects()).includes('scratch-value'), false);
  });

  it('AvroSerializer with autoRegisterSchemas round-trips through AvroDeserializer', async () => {
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    const record = { sku: 'A-1', quantity: 3, tags: ['x', 'y'] };
    const bytes = await serializer.serialize('inventory', record);
    assert.equal(bytes[0], 0);
    const id = bytes.readInt32BE(1);
    // The default strategy probed the associations endpoint, then fell back to the topic name.
    assert.ok(
      running.requests.some((r) => /^GET \/associations\/resources\/-\/inventory\?.* -> 200$/.test(r)),
      running.requests.join('\n'),
    );
    const latest = await client.getLatestSchemaMetadata('inventory-value');
    assert.equal(latest.id, id);

    const readerClient = newClient();
    const deserializer = new AvroDeserializer(readerClient, SerdeType.VALUE, {});
    assert.deepEqual({ ...(await deserializer.deserialize('inventory', bytes)) }, record);
    await readerClient.close();
  });

  it('AvroSerializer with useLatestVersion encodes against an explicitly registered schema', async () => {
    const id = await client.register('payments-value', info(orderV2), false);
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const record = { id: 'o-9', amount: 12.5, note: null };
    const bytes = await serializer.serialize('payments', record);
    assert.equal(bytes.readInt32BE(1), id);
    const deserializer = new AvroDeserializer(newClient(), SerdeType.VALUE, {});
    assert.deepEqual({ ...(await deserializer.deserialize('payments', bytes)) }, record);
  });
});
