import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newRegistry, record, rejection } from './helpers.js';

const V1 = record('R', ['f1']);

describe('config', () => {
  test('global config defaults to the configured default level', async () => {
    assert.deepEqual(await newRegistry().registry.getConfig(null, {}), { compatibilityLevel: 'BACKWARD' });
    assert.deepEqual(await newRegistry({ defaultCompatibility: 'FULL' }).registry.getConfig(null, {}), {
      compatibilityLevel: 'FULL',
    });
  });

  test('PUT takes and echoes "compatibility", GET answers "compatibilityLevel" (case-insensitive input)', async () => {
    const { registry } = newRegistry();
    assert.deepEqual(await registry.setConfig(null, { compatibility: 'full_transitive' }), {
      compatibility: 'FULL_TRANSITIVE',
    });
    assert.deepEqual(await registry.getConfig(null, {}), { compatibilityLevel: 'FULL_TRANSITIVE' });
    assert.deepEqual(await registry.setConfig('s', { compatibility: 'NONE', normalize: true, other: 1 }), {
      compatibility: 'NONE',
      normalize: true,
    });
    assert.deepEqual(await registry.getConfig('s', {}), { compatibilityLevel: 'NONE', normalize: true });
  });

  test('a subject without its own config is 40408 unless defaultToGlobal', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    const err = await rejection(registry.getConfig('s', {}));
    assert.equal(err.errorCode, 40408);
    assert.equal(err.message, "Subject 's' does not have subject-level compatibility configured");
    await registry.setConfig(null, { compatibility: 'FORWARD' });
    assert.deepEqual(await registry.getConfig('s', { defaultToGlobal: true }), {
      compatibilityLevel: 'FORWARD',
    });
  });

  test('config may be set for a subject that does not exist yet', async () => {
    const { registry } = newRegistry();
    await registry.setConfig('future', { compatibility: 'NONE' });
    assert.equal((await registry.getConfig('future', {})).compatibilityLevel, 'NONE');
  });

  test('a PUT without compatibility updates only the other fields', async () => {
    const { registry } = newRegistry();
    await registry.setConfig('s', { compatibility: 'FULL' });
    assert.deepEqual(await registry.setConfig('s', { normalize: false }), { normalize: false });
    assert.deepEqual(await registry.getConfig('s', {}), { compatibilityLevel: 'FULL', normalize: false });
  });

  test("invalid levels are 42203 with Confluent's message; wrong types are 400", async () => {
    const { registry } = newRegistry();
    const err = await rejection(registry.setConfig(null, { compatibility: 'SIDEWAYS' }));
    assert.equal(err.errorCode, 42203);
    assert.equal(
      err.message,
      'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
    );
    assert.equal((await rejection(registry.setConfig(null, { normalize: 'yes' }))).errorCode, 400);
    assert.equal(
      (await rejection(registry.setConfig('__GLOBAL', { compatibility: 'NONE' }))).errorCode,
      42208,
    );
  });

  test('DELETE returns the old config; a subject without one is 40401; global resets to the default', async () => {
    const { registry } = newRegistry();
    const err = await rejection(registry.deleteConfig('s'));
    assert.equal(err.errorCode, 40401);
    assert.equal(err.message, "Subject 's' not found.");
    await registry.setConfig('s', { compatibility: 'FULL' });
    assert.deepEqual(await registry.deleteConfig('s'), { compatibilityLevel: 'FULL' });
    assert.equal((await rejection(registry.getConfig('s', {}))).errorCode, 40408);
    await registry.setConfig(null, { compatibility: 'NONE' });
    assert.deepEqual(await registry.deleteConfig(null), { compatibilityLevel: 'NONE' });
    assert.deepEqual(await registry.getConfig(null, {}), { compatibilityLevel: 'BACKWARD' });
  });

  test('READONLY blocks config writes on that subject', async () => {
    const { registry } = newRegistry();
    await registry.setConfig('s', { compatibility: 'FULL' });
    await registry.setMode('s', { mode: 'READONLY' }, {});
    const err = await rejection(registry.setConfig('s', { compatibility: 'NONE' }));
    assert.equal(err.errorCode, 42205);
    assert.equal(err.message, 'Subject s in context . is in read-only mode');
    assert.equal((await rejection(registry.deleteConfig('s'))).errorCode, 42205);
    await registry.setConfig('other', { compatibility: 'NONE' });
  });
});

describe('modes', () => {
  test('global mode defaults to READWRITE; PUT echoes the normalised mode', async () => {
    const { registry } = newRegistry();
    assert.deepEqual(await registry.getMode(null, {}), { mode: 'READWRITE' });
    assert.deepEqual(await registry.setMode(null, { mode: 'readonly' }, {}), { mode: 'READONLY' });
    assert.deepEqual(await registry.getMode(null, {}), { mode: 'READONLY' });
  });

  test('a subject without its own mode is 40409 unless defaultToGlobal', async () => {
    const { registry } = newRegistry();
    const err = await rejection(registry.getMode('s', {}));
    assert.equal(err.errorCode, 40409);
    assert.equal(err.message, "Subject 's' does not have subject-level mode configured");
    assert.deepEqual(await registry.getMode('s', { defaultToGlobal: true }), { mode: 'READWRITE' });
    await registry.setMode('s', { mode: 'READONLY' }, {});
    assert.deepEqual(await registry.getMode('s', {}), { mode: 'READONLY' });
  });

  test('invalid modes are 42204; FORWARD only exists at global level', async () => {
    const { registry } = newRegistry();
    let err = await rejection(registry.setMode('s', { mode: 'SOMETIMES' }, {}));
    assert.equal(err.errorCode, 42204);
    assert.equal(err.message, 'Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.');
    err = await rejection(registry.setMode('s', { mode: 'FORWARD' }, {}));
    assert.equal(err.message, 'Forward mode only supported on global level');
    assert.equal((await rejection(registry.setMode('__EMPTY', { mode: 'READONLY' }, {}))).errorCode, 42208);
  });

  test('IMPORT needs an empty scope unless forced', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    let err = await rejection(registry.setMode('s', { mode: 'IMPORT' }, {}));
    assert.equal(err.errorCode, 42205);
    assert.equal(err.message, 'Cannot import since found existing subjects');
    err = await rejection(registry.setMode(null, { mode: 'IMPORT' }, {}));
    assert.equal(err.message, 'Cannot import since found existing subjects');
    assert.deepEqual(await registry.setMode('s', { mode: 'IMPORT' }, { force: true }), { mode: 'IMPORT' });
    await registry.setMode('empty', { mode: 'IMPORT' }, {});
  });

  test('switching an empty scope to IMPORT hard-deletes its soft-deleted leftovers', async () => {
    const { registry, events } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.deleteSubject('s', {});
    await registry.setMode('s', { mode: 'IMPORT' }, {});
    assert.deepEqual(await registry.listSubjects({ deleted: true }), []);
    assert.deepEqual(events.at(-1), {
      subject: 's',
      kind: 'delete-version',
      versions: [1],
      permanent: true,
      force: false,
    });
  });

  test('DELETE returns the old mode; a subject without one is 40401; recursive clears every subject', async () => {
    const { registry } = newRegistry();
    assert.equal((await rejection(registry.deleteMode('s', {}))).errorCode, 40401);
    await registry.setMode('s', { mode: 'READONLY' }, {});
    assert.deepEqual(await registry.deleteMode('s', {}), { mode: 'READONLY' });
    assert.equal((await rejection(registry.getMode('s', {}))).errorCode, 40409);
    await registry.setMode('a', { mode: 'READONLY' }, {});
    await registry.setMode(null, { mode: 'READONLY' }, {});
    assert.deepEqual(await registry.deleteMode(null, { recursive: true }), { mode: 'READONLY' });
    assert.deepEqual(await registry.getMode(null, {}), { mode: 'READWRITE' });
    assert.equal((await rejection(registry.getMode('a', {}))).errorCode, 40409);
  });
});

describe('IMPORT with explicit ids', () => {
  async function importing() {
    const fixture = newRegistry();
    await fixture.registry.setMode(null, { mode: 'IMPORT' }, {});
    return fixture;
  }

  test('ids and versions are taken verbatim, without compatibility checks', async () => {
    const { registry } = await importing();
    assert.deepEqual(await registry.register('s', { schema: V1, id: 10, version: 3 }, {}), { id: 10 });
    assert.deepEqual(
      await registry.register('s', { schema: record('R', ['incompatible']), id: 5, version: 7 }, {}),
      { id: 5 },
    );
    assert.deepEqual(await registry.listVersions('s', {}), [3, 7]);
    assert.equal((await registry.getVersion('s', '3', {})).id, 10);
  });

  test('the id high-water mark moves past imported ids', async () => {
    const { registry } = await importing();
    await registry.register('s', { schema: V1, id: 100 }, {});
    await registry.setMode(null, { mode: 'READWRITE' }, {});
    assert.deepEqual(await registry.register('t', { schema: record('T', ['x']) }, {}), { id: 101 });
    assert.equal((await registry.getSchemaById('100', { fetchMaxId: true })).maxId, 101);
  });

  test('an existing id with other content is 42205 "Overwrite new schema with id N ..."', async () => {
    const { registry } = await importing();
    await registry.register('s', { schema: V1, id: 4 }, {});
    const err = await rejection(registry.register('t', { schema: record('T', ['x']), id: 4 }, {}));
    assert.equal(err.errorCode, 42205);
    assert.equal(err.message, 'Overwrite new schema with id 4 in context . is not permitted.');
    // The same content under the same id in another subject is fine.
    assert.deepEqual(await registry.register('t', { schema: V1, id: 4 }, {}), { id: 4 });
  });

  test('one content cannot be imported under a second id, nor over an existing version', async () => {
    const { registry } = await importing();
    await registry.register('s', { schema: V1, id: 4, version: 1 }, {});
    assert.equal((await rejection(registry.register('t', { schema: V1, id: 9 }, {}))).errorCode, 42205);
    const err = await rejection(
      registry.register('s', { schema: record('T', ['x']), id: 8, version: 1 }, {}),
    );
    assert.equal(err.errorCode, 42205);
  });

  test('imports are parsed leniently (stored-schema rules)', async () => {
    const { registry } = await importing();
    assert.deepEqual(await registry.register('s', { schema: record('Réunion', ['a']), id: 3 }, {}), {
      id: 3,
    });
  });
});
