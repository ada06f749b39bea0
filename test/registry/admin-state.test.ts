/** The export/import facts the Confluent API cannot reach: the id high-water mark and settings-only subjects. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newRegistry, record, rejection } from './helpers.js';

describe('registry state for export and import', () => {
  test('the state names every subject with a setting, versions or not, and the true high-water mark', async () => {
    const { registry } = newRegistry();
    await registry.register('kept', { schema: record('A', ['a']) }, {});
    await registry.register('dropped', { schema: record('B', ['b']) }, {});
    await registry.deleteSubject('dropped', {});
    await registry.deleteSubject('dropped', { permanent: true });
    await registry.setConfig('only-config', { compatibility: 'FULL' });
    await registry.setMode('only-mode', { mode: 'READONLY' }, {});
    await registry.setConfig(null, { compatibility: 'NONE' });
    await registry.setMode(null, { mode: 'READWRITE' }, {});
    assert.deepEqual(await registry.getRegistryState(), {
      maxSchemaId: 2,
      subjectsWithSettings: ['only-config', 'only-mode'],
    });
  });

  test('the high-water mark only ever rises; bad bodies are refused', async () => {
    const { registry } = newRegistry();
    assert.deepEqual(await registry.raiseMaxSchemaId({ maxSchemaId: 40 }), { maxSchemaId: 40 });
    assert.deepEqual(await registry.raiseMaxSchemaId({ maxSchemaId: 7 }), { maxSchemaId: 40 });
    assert.equal((await registry.register('s', { schema: '"int"' }, {})).id, 41);
    assert.equal((await rejection(registry.raiseMaxSchemaId({}))).errorCode, 422);
    assert.equal((await rejection(registry.raiseMaxSchemaId({ maxSchemaId: -1 }))).errorCode, 422);
    assert.equal((await rejection(registry.raiseMaxSchemaId({ maxSchemaId: 2 ** 31 }))).errorCode, 422);
    assert.equal((await rejection(registry.raiseMaxSchemaId({ maxSchemaId: '9' }))).errorCode, 400);
    assert.equal((await rejection(registry.raiseMaxSchemaId([]))).errorCode, 400);
  });
});
