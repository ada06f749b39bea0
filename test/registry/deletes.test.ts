import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newRegistry, record, rejection } from './helpers.js';

const V1 = record('R', ['f1']);
const V2 = record('R', ['f1', 'f2'], { f2: 'x' });

async function twoVersions() {
  const fixture = newRegistry();
  await fixture.registry.register('s', { schema: V1 }, {});
  await fixture.registry.register('s', { schema: V2 }, {});
  return fixture;
}

describe('subject deletes', () => {
  test('soft delete returns the versions it deleted; a second one is 40404', async () => {
    const { registry, events } = await twoVersions();
    assert.deepEqual(await registry.deleteSubject('s', {}), [1, 2]);
    assert.deepEqual(events.at(-1), {
      subject: 's',
      kind: 'delete-subject',
      versions: [1, 2],
      permanent: false,
      force: false,
    });
    const err = await rejection(registry.deleteSubject('s', {}));
    assert.equal(err.errorCode, 40404);
    assert.equal(err.message, "Subject 's' was soft deleted.Set permanent=true to delete permanently");
  });

  test('only the live versions are soft-deleted', async () => {
    const { registry } = await twoVersions();
    await registry.deleteVersion('s', '1', {});
    assert.deepEqual(await registry.deleteSubject('s', {}), [2]);
  });

  test('a permanent delete needs a soft delete first (40405), then removes every version', async () => {
    const { registry } = await twoVersions();
    const err = await rejection(registry.deleteSubject('s', { permanent: true }));
    assert.equal(err.errorCode, 40405);
    assert.equal(err.message, "Subject 's' was not deleted first before being permanently deleted");
    await registry.deleteSubject('s', {});
    assert.deepEqual(await registry.deleteSubject('s', { permanent: true }), [1, 2]);
    assert.deepEqual(await registry.listSubjects({ deleted: true }), []);
    assert.equal((await rejection(registry.deleteSubject('s', {}))).errorCode, 40401);
  });

  test('unknown subjects are 40401', async () => {
    const { registry } = newRegistry();
    assert.equal((await rejection(registry.deleteSubject('nope', {}))).errorCode, 40401);
    assert.equal((await rejection(registry.deleteSubject('nope', { permanent: true }))).errorCode, 40401);
  });

  test('a soft delete keeps subject config and mode; a hard delete removes them', async () => {
    const { registry } = await twoVersions();
    await registry.setConfig('s', { compatibility: 'FULL' });
    await registry.setMode('s', { mode: 'READWRITE' }, {});
    await registry.deleteSubject('s', {});
    assert.equal((await registry.getConfig('s', {})).compatibilityLevel, 'FULL');
    await registry.deleteSubject('s', { permanent: true });
    assert.equal((await rejection(registry.getConfig('s', {}))).errorCode, 40408);
    assert.equal((await rejection(registry.getMode('s', {}))).errorCode, 40409);
  });

  test('READONLY blocks deletes', async () => {
    const { registry } = await twoVersions();
    await registry.setMode('s', { mode: 'READONLY' }, {});
    const err = await rejection(registry.deleteSubject('s', {}));
    assert.equal(err.errorCode, 42205);
    assert.equal(err.message, 'Subject s in context . is in read-only mode');
    assert.equal((await rejection(registry.deleteVersion('s', '1', {}))).errorCode, 42205);
  });
});

describe('version deletes', () => {
  test('soft delete returns the version; a second one is 40406 with the path segment', async () => {
    const { registry } = await twoVersions();
    assert.equal(await registry.deleteVersion('s', '2', {}), 2);
    const err = await rejection(registry.deleteVersion('s', '2', {}));
    assert.equal(err.errorCode, 40406);
    assert.equal(
      err.message,
      "Subject 's' Version 2 was soft deleted.Set permanent=true to delete permanently",
    );
  });

  test('a permanent delete of a live version is 40407; after a soft delete it succeeds', async () => {
    const { registry } = await twoVersions();
    const err = await rejection(registry.deleteVersion('s', '1', { permanent: true }));
    assert.equal(err.errorCode, 40407);
    assert.equal(err.message, "Subject 's' Version 1 was not deleted first before being permanently deleted");
    await registry.deleteVersion('s', '1', {});
    assert.equal(await registry.deleteVersion('s', '1', { permanent: true }), 1);
    assert.deepEqual(await registry.listVersions('s', { deleted: true }), [2]);
  });

  test('latest means the newest live version for a soft delete', async () => {
    const { registry } = await twoVersions();
    assert.equal(await registry.deleteVersion('s', 'latest', {}), 2);
    assert.equal(await registry.deleteVersion('s', '-1', {}), 1);
    // Nothing live is left for `latest` to name (Confluent: 40402 "Version -1 not found.").
    const none = await rejection(registry.deleteVersion('s', 'latest', {}));
    assert.deepEqual([none.errorCode, none.message], [40402, 'Version -1 not found.']);
  });

  test('latest?permanent=true names the newest live version too, so it never hard-deletes', async () => {
    const { registry } = await twoVersions();
    assert.equal(await registry.deleteVersion('s', '2', {}), 2);
    const live = await rejection(registry.deleteVersion('s', 'latest', { permanent: true }));
    assert.equal(live.errorCode, 40407);
    assert.equal(
      live.message,
      "Subject 's' Version 1 was not deleted first before being permanently deleted",
    );
    assert.deepEqual(await registry.listVersions('s', { deleted: true }), [1, 2]);
    assert.equal(await registry.deleteVersion('s', '1', {}), 1);
    const none = await rejection(registry.deleteVersion('s', '-1', { permanent: true }));
    assert.equal(none.errorCode, 40402);
    assert.deepEqual(await registry.listVersions('s', { deleted: true }), [1, 2]);
  });

  test('errors: 40401 unknown subject, 40402 unknown version, 42202 invalid version', async () => {
    const { registry } = await twoVersions();
    assert.equal((await rejection(registry.deleteVersion('nope', '1', {}))).errorCode, 40401);
    const err = await rejection(registry.deleteVersion('s', '7', {}));
    assert.equal(err.errorCode, 40402);
    assert.equal(err.message, 'Version 7 not found.');
    assert.equal((await rejection(registry.deleteVersion('s', 'x', {}))).errorCode, 42202);
  });

  test('hard-deleting the last record of a subject removes its config and mode', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.setConfig('s', { compatibility: 'NONE' });
    await registry.deleteVersion('s', '1', {});
    await registry.deleteVersion('s', '1', { permanent: true });
    assert.equal((await rejection(registry.getConfig('s', {}))).errorCode, 40408);
  });

  test('the force flag reaches the write listeners', async () => {
    const { registry, events } = await twoVersions();
    await registry.deleteVersion('s', '1', { force: true });
    assert.deepEqual(events.at(-1), {
      subject: 's',
      kind: 'delete-version',
      versions: [1],
      permanent: false,
      force: true,
    });
  });
});

describe('references', () => {
  const ADDRESS = JSON.stringify({
    type: 'record',
    name: 'Address',
    namespace: 'com.acme',
    fields: [{ name: 'street', type: 'string' }],
  });
  const PERSON = JSON.stringify({
    type: 'record',
    name: 'Person',
    namespace: 'com.acme',
    fields: [{ name: 'home', type: 'com.acme.Address' }],
  });
  const REFS = [{ name: 'com.acme.Address', subject: 'address', version: 1 }];

  async function withReference() {
    const fixture = newRegistry();
    await fixture.registry.register('address', { schema: ADDRESS }, {});
    const { id } = await fixture.registry.register('person', { schema: PERSON, references: REFS }, {});
    return { ...fixture, personId: id };
  }

  test('a schema using another subject-version registers, and its views carry the references', async () => {
    const { registry, personId } = await withReference();
    assert.equal(personId, 2);
    assert.deepEqual((await registry.getVersion('person', '1', {})).references, REFS);
    assert.deepEqual((await registry.getSchemaById('2', {})).references, REFS);
    // Identity includes the references: the same lookup answers it.
    assert.equal((await registry.lookup('person', { schema: PERSON, references: REFS }, {})).id, 2);
    assert.equal((await rejection(registry.lookup('person', { schema: PERSON }, {}))).errorCode, 42201);
  });

  test('an unresolvable reference is 42201', async () => {
    const { registry } = newRegistry();
    const err = await rejection(registry.register('person', { schema: PERSON, references: REFS }, {}));
    assert.equal(err.errorCode, 42201);
    assert.match(err.message, /details: .*not found/);
  });

  test('referencedby lists the ids of live referrers', async () => {
    const { registry } = await withReference();
    assert.deepEqual(await registry.getReferencedBy('address', '1', {}), [2]);
    assert.deepEqual(await registry.getReferencedBy('address', 'latest', {}), [2]);
    await registry.deleteSubject('person', {});
    assert.deepEqual(await registry.getReferencedBy('address', '1', {}), []);
    assert.deepEqual(await registry.getReferencedBy('address', '1', { deleted: true }), [2]);
  });

  test('referencedby answers for a soft-deleted target version too (Confluent looks it up with deleted)', async () => {
    const { registry } = await withReference();
    await registry.deleteSubject('person', {});
    await registry.deleteVersion('address', '1', {});
    assert.deepEqual(await registry.getReferencedBy('address', '1', {}), []);
    assert.deepEqual(await registry.getReferencedBy('address', '1', { deleted: true }), [2]);
    assert.equal((await rejection(registry.getReferencedBy('address', '9', {}))).errorCode, 40402);
    assert.equal((await rejection(registry.getReferencedBy('nobody', '1', {}))).errorCode, 40401);
  });

  test('a referenced version cannot be deleted (42206) while a live schema uses it', async () => {
    const { registry } = await withReference();
    const err = await rejection(registry.deleteVersion('address', '1', {}));
    assert.equal(err.errorCode, 42206);
    assert.equal(
      err.message,
      'One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=address,version=1}',
    );
    assert.equal((await rejection(registry.deleteSubject('address', {}))).errorCode, 42206);
    await registry.deleteSubject('person', {});
    await registry.deleteSubject('address', {});
  });

  test('a hard delete is also blocked by soft-deleted referrers, which must stay resolvable by id', async () => {
    const { registry } = await withReference();
    await registry.deleteSubject('person', {});
    await registry.deleteSubject('address', {});
    assert.equal((await rejection(registry.deleteSubject('address', { permanent: true }))).errorCode, 42206);
    assert.equal((await registry.getSchemaById('2', {})).references?.length, 1);
    await registry.deleteSubject('person', { permanent: true });
    assert.deepEqual(await registry.deleteSubject('address', { permanent: true }), [1]);
  });

  test('compatibility checks of a subject whose versions use references resolve them', async () => {
    const { registry } = await withReference();
    const person2 = JSON.stringify({
      type: 'record',
      name: 'Person',
      namespace: 'com.acme',
      fields: [
        { name: 'home', type: 'com.acme.Address' },
        { name: 'work', type: ['null', 'com.acme.Address'], default: null },
      ],
    });
    assert.deepEqual(await registry.register('person', { schema: person2, references: REFS }, {}), { id: 3 });
    const compat = await registry.testCompatibility(
      'person',
      'latest',
      { schema: PERSON, references: REFS },
      {},
    );
    assert.deepEqual(compat, { is_compatible: true });
  });
});
