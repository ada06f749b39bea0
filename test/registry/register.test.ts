import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newRegistry, record, rejection } from './helpers.js';

const V1 = record('R', ['f1']);
const V2 = record('R', ['f1', 'f2'], { f2: 'x' });
const V3_BREAKING = record('R', ['f1', 'f2', 'f3']);

describe('register: ids and versions', () => {
  test('answers only {id}; the first schema gets id 1, version 1', async () => {
    const { registry } = newRegistry();
    assert.deepEqual(await registry.register('s', { schema: V1 }, {}), { id: 1 });
    assert.deepEqual(await registry.listVersions('s', {}), [1]);
  });

  test('re-registering a live schema is idempotent: same id, no new version, no write event', async () => {
    const { registry, events } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    const before = events.length;
    assert.deepEqual(await registry.register('s', { schema: V1 }, {}), { id: 1 });
    assert.deepEqual(await registry.listVersions('s', {}), [1]);
    assert.equal(events.length, before);
  });

  test('identity is the canonical string, not the raw text', async () => {
    const { registry } = newRegistry();
    const { id } = await registry.register('s', { schema: V1 }, {});
    const reordered =
      '{ "fields": [ {"type": {"type":"string"}, "name": "f1"} ],\n  "name": "R", "type": "record" }';
    assert.deepEqual(await registry.register('other', { schema: reordered }, {}), { id });
    const namespaced = '{"type":"record","name":"a.b.R","fields":[]}';
    const split = '{"type":"record","name":"R","namespace":"a.b","fields":[]}';
    const a = await registry.register('ns1', { schema: namespaced }, {});
    assert.deepEqual(await registry.register('ns2', { schema: split }, {}), a);
    // A doc change is a different schema (Java toString keeps doc).
    const withDoc = JSON.stringify({
      type: 'record',
      name: 'R',
      doc: 'hello',
      fields: [{ name: 'f1', type: 'string' }],
    });
    const other = await registry.register('doc', { schema: withDoc }, {});
    assert.notEqual(other.id, id);
    // The stored text is the canonical string, not what was posted.
    assert.equal((await registry.getVersion('other', '1', {})).schema, V1);
  });

  test('the same schema under another subject reuses the global id with its own version sequence', async () => {
    const { registry } = newRegistry();
    await registry.register('a', { schema: V1 }, {});
    await registry.register('a', { schema: V2 }, {});
    assert.deepEqual(await registry.register('b', { schema: V2 }, {}), { id: 2 });
    assert.equal((await registry.getVersion('b', 'latest', {})).version, 1);
    assert.deepEqual(await registry.getSubjectsById('2', {}), ['a', 'b']);
  });

  test('version numbers continue past soft-deleted versions', async () => {
    const { registry } = newRegistry({ defaultCompatibility: 'NONE' });
    await registry.register('s', { schema: V1 }, {});
    await registry.register('s', { schema: V2 }, {});
    await registry.deleteVersion('s', '2', {});
    await registry.register('s', { schema: record('R', ['z']) }, {});
    assert.deepEqual(await registry.listVersions('s', { deleted: true }), [1, 2, 3]);
  });

  test('after a hard delete of the subject, numbering restarts at 1 and the content keeps its id', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.register('s', { schema: V2 }, {});
    await registry.deleteSubject('s', {});
    await registry.deleteSubject('s', { permanent: true });
    assert.deepEqual(await registry.register('s', { schema: V2 }, {}), { id: 2 });
    assert.deepEqual(await registry.listVersions('s', {}), [1]);
  });

  test('ids are never reused: new content after hard-deleting the highest id gets a fresh one', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.register('t', { schema: record('T', ['x']) }, {});
    await registry.deleteSubject('t', {});
    await registry.deleteSubject('t', { permanent: true });
    const err = await rejection(registry.getSchemaById('2', {}));
    assert.equal(err.errorCode, 40403);
    assert.deepEqual(await registry.register('u', { schema: record('U', ['y']) }, {}), { id: 3 });
    assert.equal((await registry.getSchemaById('1', { fetchMaxId: true })).maxId, 3);
  });

  test('re-registering a soft-deleted schema makes a new version with the same id and tombstones the old one', async () => {
    const { registry, events } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.deleteVersion('s', '1', {});
    assert.deepEqual(await registry.register('s', { schema: V1 }, {}), { id: 1 });
    assert.deepEqual(await registry.listVersions('s', { deleted: true }), [2]);
    assert.deepEqual(events.at(-1), {
      subject: 's',
      kind: 'delete-version',
      versions: [1],
      permanent: true,
      force: false,
    });
  });

  test('an empty schema re-uses the latest live version, or is 42201 "Empty schema" without one', async () => {
    const { registry } = newRegistry();
    let err = await rejection(registry.register('s', {}, {}));
    assert.equal(err.errorCode, 42201);
    assert.equal(err.message, 'Empty schema');
    await registry.register('s', { schema: V1 }, {});
    assert.deepEqual(await registry.register('s', { schema: '', metadata: { properties: { x: 'y' } } }, {}), {
      id: 1,
    });
    err = await rejection(registry.register('s', undefined, {}));
    assert.equal(err.errorCode, 422);
  });

  test('a version in the body must be the next one outside IMPORT', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    const err = await rejection(registry.register('s', { schema: V2, version: 5 }, {}));
    assert.equal(err.errorCode, 42201);
    assert.equal(err.message, 'Version is not one more than previous version');
    await registry.register('s', { schema: V2, version: 2 }, {});
    assert.deepEqual(await registry.listVersions('s', {}), [1, 2]);
  });
});

describe('register: validation', () => {
  test('an unparseable schema is 42201 "Invalid schema ..., details: ..."', async () => {
    const { registry } = newRegistry();
    const err = await rejection(registry.register('s', { schema: '{"type":"record","name":"R"}' }, {}));
    assert.equal(err.errorCode, 42201);
    assert.match(err.message, /^Invalid schema \{"type":"record","name":"R"\}, details: .+/);
  });

  test('only AVRO is supported: other schema types are 42201 "Invalid schema type X"', async () => {
    const { registry } = newRegistry();
    const err = await rejection(registry.register('s', { schema: '{}', schemaType: 'JSON' }, {}));
    assert.equal(err.errorCode, 42201);
    assert.equal(err.message, 'Invalid schema type JSON');
    assert.deepEqual(await registry.register('s', { schema: V1, schemaType: 'AVRO' }, {}), { id: 1 });
    assert.deepEqual(registry.schemaTypes(), ['AVRO']);
  });

  test('a schema over the configured limits is 42209, naming the limit', async () => {
    const bytes = newRegistry({ limits: { maxSchemaBytes: 64 } }).registry;
    let err = await rejection(bytes.register('s', { schema: record('R', ['a', 'b', 'c', 'd', 'e']) }, {}));
    assert.equal(err.errorCode, 42209);
    assert.match(err.message, /64 bytes/);
    const fields = newRegistry({ limits: { maxFields: 2 } }).registry;
    err = await rejection(fields.register('s', { schema: record('R', ['a', 'b', 'c']) }, {}));
    assert.equal(err.errorCode, 42209);
    assert.deepEqual(await fields.register('s', { schema: record('R', ['a', 'b']) }, {}), { id: 1 });
  });

  test('new schemas are parsed strictly (ASCII names)', async () => {
    const { registry } = newRegistry();
    const err = await rejection(registry.register('s', { schema: record('Réunion', ['a']) }, {}));
    assert.equal(err.errorCode, 42201);
  });

  test("invalid subjects are 42208 with Confluent's message", async () => {
    const { registry } = newRegistry();
    for (const subject of ['__GLOBAL', '__EMPTY', 'bad\u0007subject', ':.__GLOBAL:x']) {
      const err = await rejection(registry.register(subject, { schema: V1 }, {}));
      assert.equal(err.errorCode, 42208);
      assert.equal(err.message, `The specified subject '${subject}' is not a valid.`);
    }
  });

  test('metadata and ruleSet are accepted and ignored; a malformed ruleSet is 42210', async () => {
    const { registry } = newRegistry();
    const body = {
      schema: V1,
      metadata: { tags: {}, properties: {} },
      ruleSet: { domainRules: [] },
      extra: 1,
    };
    assert.deepEqual(await registry.register('s', body, {}), { id: 1 });
    const err = await rejection(
      registry.register('s', { schema: V2, ruleSet: { domainRules: [{ name: 'a' }, { name: 'a' }] } }, {}),
    );
    assert.equal(err.errorCode, 42210);
  });

  test('wrong JSON types in the body are 400', async () => {
    const { registry } = newRegistry();
    for (const body of [
      { schema: { type: 'string' } },
      { schema: V1, references: {} },
      { schema: V1, id: 'x' },
      [],
    ]) {
      assert.equal((await rejection(registry.register('s', body, {}))).errorCode, 400);
    }
  });
});

describe('register: compatibility', () => {
  test("an incompatible schema is 409 with Confluent's message", async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.register('s', { schema: V2 }, {});
    const err = await rejection(registry.register('s', { schema: V3_BREAKING }, {}));
    assert.equal(err.errorCode, 409);
    assert.ok(
      err.message.startsWith(
        'Schema being registered is incompatible with an earlier schema for subject "s", details: [' +
          "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'",
      ),
      err.message,
    );
    assert.ok(err.message.includes('{oldSchemaVersion: 2}'));
    assert.ok(err.message.endsWith("{validateFields: 'false', compatibility: 'BACKWARD'}]"));
  });

  test('force=true and level NONE skip the check', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    assert.deepEqual(await registry.register('s', { schema: V3_BREAKING }, { force: true }), { id: 2 });
    await registry.setConfig('t', { compatibility: 'NONE' });
    await registry.register('t', { schema: V1 }, {});
    assert.deepEqual(await registry.register('t', { schema: record('R', ['other']) }, {}), { id: 3 });
  });

  test('the effective level is subject, else global, else the configured default', async () => {
    const { registry } = newRegistry({ defaultCompatibility: 'NONE' });
    await registry.register('s', { schema: V1 }, {});
    await registry.register('s', { schema: record('R', ['g']) }, {});
    await registry.setConfig(null, { compatibility: 'BACKWARD' });
    assert.equal(
      (await rejection(registry.register('s', { schema: record('R', ['h']) }, {}))).errorCode,
      409,
    );
    await registry.setConfig('s', { compatibility: 'NONE' });
    await registry.register('s', { schema: record('R', ['h']) }, {});
  });

  test('soft-deleted versions take no part in the check', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.deleteVersion('s', '1', {});
    assert.deepEqual(await registry.register('s', { schema: record('R', ['other']) }, {}), { id: 2 });
  });

  test('transitive levels check every live version', async () => {
    const { registry } = newRegistry();
    await registry.setConfig('s', { compatibility: 'BACKWARD_TRANSITIVE' });
    await registry.register('s', { schema: V1 }, {});
    await registry.register('s', { schema: record('R', ['f1', 'f2'], { f2: 'foo' }) }, {});
    // v3 reads v2 (f2 present) but not v1 (f2 missing, no default).
    const err = await rejection(registry.register('s', { schema: record('R', ['f1', 'f2']) }, {}));
    assert.equal(err.errorCode, 409);
    assert.ok(err.message.includes('{oldSchemaVersion: 1}'));
    await registry.setConfig('s', { compatibility: 'BACKWARD' });
    await registry.register('s', { schema: record('R', ['f1', 'f2']) }, {});
  });
});

describe('register: modes', () => {
  test('READONLY refuses new schemas but still answers existing ones (idempotency first)', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1 }, {});
    await registry.setMode('s', { mode: 'READONLY' }, {});
    assert.deepEqual(await registry.register('s', { schema: V1 }, {}), { id: 1 });
    const err = await rejection(registry.register('s', { schema: V2 }, {}));
    assert.equal(err.errorCode, 42205);
    assert.equal(err.message, 'Subject s in context . is in read-only mode');
    // Other subjects are unaffected.
    await registry.register('t', { schema: V2 }, {});
  });

  test('a global READONLY_OVERRIDE trumps a subject READWRITE', async () => {
    const { registry } = newRegistry();
    await registry.setMode('s', { mode: 'READWRITE' }, {});
    await registry.setMode(null, { mode: 'READONLY_OVERRIDE' }, {});
    const err = await rejection(registry.register('s', { schema: V1 }, {}));
    assert.equal(err.message, 'Subject s in context . is in read-only mode');
  });

  test('IMPORT needs an id, and an id needs IMPORT', async () => {
    const { registry } = newRegistry();
    let err = await rejection(registry.register('s', { schema: V1, id: 7 }, {}));
    assert.equal(err.errorCode, 42205);
    assert.equal(err.message, 'Subject s in context . is not in import mode');
    await registry.setMode('s', { mode: 'IMPORT' }, {});
    err = await rejection(registry.register('s', { schema: V1 }, {}));
    assert.equal(err.message, 'Subject s in context . is not in read-write mode');
  });
});

describe('register: semver labels', () => {
  test('labels are derived (1.0.0, minor for mutually compatible, patch for same PCF, major otherwise)', async () => {
    const { registry } = newRegistry({ defaultCompatibility: 'NONE' });
    await registry.register('s', { schema: V1 }, {});
    await registry.register('s', { schema: V2 }, {});
    // Same Parsing Canonical Form as v2 (only the doc differs): patch.
    const docOnly = JSON.stringify({
      type: 'record',
      name: 'R',
      doc: 'd',
      fields: [
        { name: 'f1', type: 'string' },
        { name: 'f2', type: 'string', default: 'x' },
      ],
    });
    await registry.register('s', { schema: docOnly }, {});
    await registry.register('s', { schema: record('R', ['q']) }, {});
    const labels = [];
    for (const v of ['1', '2', '3', '4']) labels.push((await registry.getVersionDetail('s', v, {})).semver);
    assert.deepEqual(labels, ['1.0.0', '1.1.0', '1.1.1', '2.0.0']);
  });

  test('a stated label (metadata.properties.semver) is used, and a bad one is 42251', async () => {
    const { registry } = newRegistry();
    await registry.register('s', { schema: V1, metadata: { properties: { semver: '3.0.0' } } }, {});
    assert.equal((await registry.getVersionDetail('s', 'latest', {})).semver, '3.0.0');
    const err = await rejection(
      registry.register('s', { schema: V2, metadata: { properties: { semver: '2.0.0' } } }, {}),
    );
    assert.equal(err.errorCode, 42251);
    assert.deepEqual(await registry.listVersions('s', {}), [1]);
  });
});

describe('register: normalize', () => {
  const a = '{"type":"record","name":"R","fields":[{"name":"f","type":"string"}],"b":"1","a":"2"}';
  const b = '{"type":"record","name":"R","fields":[{"name":"f","type":"string"}],"a":"2","b":"1"}';

  test('without normalize, the order of custom properties makes different schemas', async () => {
    const { registry } = newRegistry({ defaultCompatibility: 'NONE' });
    const x = await registry.register('s', { schema: a }, {});
    const y = await registry.register('s', { schema: b }, {});
    assert.notEqual(x.id, y.id);
  });

  test('normalize=true (query or config) makes them the same schema', async () => {
    const { registry } = newRegistry();
    const x = await registry.register('s', { schema: a }, { normalize: true });
    assert.deepEqual(await registry.register('s', { schema: b }, { normalize: true }), x);
    await registry.setConfig('t', { normalize: true });
    assert.deepEqual(await registry.register('t', { schema: b }, {}), x);
    assert.deepEqual(await registry.listVersions('s', {}), [1]);
  });
});
