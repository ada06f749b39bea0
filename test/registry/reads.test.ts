import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newRegistry, record, rejection } from './helpers.js';

const V1 = record('R', ['f1']);
const V2 = record('R', ['f1', 'f2'], { f2: 'x' });
const V3 = record('R', ['f1', 'f2', 'f3'], { f2: 'x', f3: 'y' });

async function threeVersions() {
  const fixture = newRegistry();
  for (const schema of [V1, V2, V3]) await fixture.registry.register('s', { schema }, {});
  return fixture;
}

describe('GET /subjects/{s}/versions/{v}', () => {
  test('latest, -1 and numbers; the view leaves out schemaType and empty references', async () => {
    const { registry } = await threeVersions();
    assert.deepEqual(await registry.getVersion('s', 'latest', {}), {
      subject: 's',
      version: 3,
      id: 3,
      schema: V3,
    });
    assert.equal((await registry.getVersion('s', ' LATEST ', {})).version, 3);
    assert.equal((await registry.getVersion('s', '-1', {})).version, 3);
    assert.equal((await registry.getVersion('s', '1', {})).schema, V1);
  });

  test("invalid version ids are 42202 with Confluent's message", async () => {
    const { registry } = await threeVersions();
    for (const bad of ['0', '-2', 'abc', '1.5', '2147483648', '']) {
      const err = await rejection(registry.getVersion('s', bad, {}));
      assert.equal(err.errorCode, 42202, bad);
      assert.equal(
        err.message,
        `The specified version '${bad}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      );
    }
  });

  test('40401 for an unknown subject, 40402 "Version n not found." for an unknown version', async () => {
    const { registry } = await threeVersions();
    let err = await rejection(registry.getVersion('nope', '1', {}));
    assert.equal(err.errorCode, 40401);
    assert.equal(err.message, "Subject 'nope' not found.");
    err = await rejection(registry.getVersion('s', '9', {}));
    assert.equal(err.errorCode, 40402);
    assert.equal(err.message, 'Version 9 not found.');
  });

  test('a soft-deleted version shows only with deleted=true; latest skips it', async () => {
    const { registry } = await threeVersions();
    await registry.deleteVersion('s', '3', {});
    assert.equal((await rejection(registry.getVersion('s', '3', {}))).errorCode, 40402);
    assert.equal((await registry.getVersion('s', '3', { deleted: true })).version, 3);
    assert.equal((await registry.getVersion('s', 'latest', {})).version, 2);
    const detail = await registry.getVersionDetail('s', '3', { deleted: true });
    assert.equal(detail.deleted, true);
    assert.match(detail.fingerprints.crc64, /^[0-9a-f]{16}$/);
    assert.match(detail.fingerprints.sha256, /^[0-9a-f]{64}$/);
  });

  test('a subject with only soft-deleted versions is 40401 unless deleted=true', async () => {
    const { registry } = await threeVersions();
    await registry.deleteSubject('s', {});
    assert.equal((await rejection(registry.getVersion('s', '1', {}))).errorCode, 40401);
    assert.equal((await registry.getVersion('s', '3', { deleted: true })).version, 3);
    // `latest` never names a soft-deleted version, deleted=true or not (Confluent's getLatestVersion).
    const latest = await rejection(registry.getVersion('s', 'latest', { deleted: true }));
    assert.deepEqual([latest.errorCode, latest.message], [40402, 'Version -1 not found.']);
    assert.equal((await rejection(registry.getVersion('s', 'latest', {}))).errorCode, 40401);
  });

  test('latest with deleted=true is still the newest live version', async () => {
    const { registry } = await threeVersions();
    await registry.deleteVersion('s', '3', {});
    assert.equal((await registry.getVersion('s', 'latest', { deleted: true })).version, 2);
    assert.equal((await registry.getVersion('s', '-1', { deleted: true })).version, 2);
  });

  test('the detail view carries the creation time from the injected clock', async () => {
    const { registry, clock } = newRegistry();
    clock.set(Date.UTC(2026, 5, 1));
    await registry.register('s', { schema: V1 }, {});
    assert.equal((await registry.getVersionDetail('s', '1', {})).createdAt, Date.UTC(2026, 5, 1));
  });
});

describe('GET /subjects and /subjects/{s}/versions', () => {
  test('subjects are sorted; fully soft-deleted ones appear with deleted or deletedOnly', async () => {
    const { registry } = newRegistry();
    for (const s of ['b', 'a', 'c']) await registry.register(s, { schema: V1 }, {});
    await registry.deleteSubject('b', {});
    assert.deepEqual(await registry.listSubjects({}), ['a', 'c']);
    assert.deepEqual(await registry.listSubjects({ deleted: true }), ['a', 'b', 'c']);
    assert.deepEqual(await registry.listSubjects({ deletedOnly: true }), ['b']);
    assert.deepEqual(await registry.listSubjects({ subjectPrefix: 'c' }), ['c']);
    assert.deepEqual(await registry.listSubjects({ subjectPrefix: ':*:' }), ['a', 'c']);
    assert.deepEqual(await registry.listSubjects({ offset: 1, limit: 1 }), ['c']);
    assert.deepEqual(await registry.listSubjects({ offset: 0, limit: -1 }), ['a', 'c']);
  });

  test('versions: live by default, deleted / deletedOnly / deletedAsNegative, paginated', async () => {
    const { registry } = await threeVersions();
    await registry.deleteVersion('s', '2', {});
    assert.deepEqual(await registry.listVersions('s', {}), [1, 3]);
    assert.deepEqual(await registry.listVersions('s', { deleted: true }), [1, 2, 3]);
    assert.deepEqual(await registry.listVersions('s', { deletedOnly: true }), [2]);
    assert.deepEqual(await registry.listVersions('s', { deletedAsNegative: true }), [1, -2, 3]);
    assert.deepEqual(await registry.listVersions('s', { offset: 1 }), [3]);
    assert.equal((await rejection(registry.listVersions('nope', { deleted: true }))).errorCode, 40401);
  });

  test('a subject whose versions are all soft-deleted is 40401 unless deleted is asked for', async () => {
    const { registry } = await threeVersions();
    await registry.deleteSubject('s', {});
    assert.equal((await rejection(registry.listVersions('s', {}))).errorCode, 40401);
    assert.deepEqual(await registry.listVersions('s', { deleted: true }), [1, 2, 3]);
  });
});

describe('/schemas', () => {
  test('by id: schema text, maxId on request; soft-deleted ids still resolve', async () => {
    const { registry } = await threeVersions();
    assert.deepEqual(await registry.getSchemaById('2', {}), { schema: V2 });
    assert.deepEqual(await registry.getSchemaById('2', { fetchMaxId: true, subject: 'whatever' }), {
      schema: V2,
      maxId: 3,
    });
    assert.equal(await registry.getSchemaTextById('1', {}), V1);
    await registry.deleteSubject('s', {});
    assert.equal(await registry.getSchemaTextById('1', {}), V1);
  });

  test('unknown ids are 40403 "Schema n not found"; a non-integer id is a plain 404', async () => {
    const { registry } = await threeVersions();
    let err = await rejection(registry.getSchemaById('42', {}));
    assert.equal(err.errorCode, 40403);
    assert.equal(err.message, 'Schema 42 not found');
    err = await rejection(registry.getSubjectsById('42', {}));
    assert.equal(err.message, 'Schema not found');
    err = await rejection(registry.getSchemaById('abc', {}));
    assert.equal(err.errorCode, 404);
  });

  test('subjects and versions holding an id, soft-deleted ones only with deleted=true', async () => {
    const { registry } = newRegistry();
    for (const s of ['x', 'w', 'v']) await registry.register(s, { schema: V1 }, {});
    await registry.deleteSubject('w', {});
    assert.deepEqual(await registry.getSubjectsById('1', {}), ['v', 'x']);
    assert.deepEqual(await registry.getSubjectsById('1', { deleted: true }), ['v', 'w', 'x']);
    assert.deepEqual(await registry.getVersionsById('1', { deleted: true, limit: 2 }), [
      { subject: 'v', version: 1 },
      { subject: 'w', version: 1 },
    ]);
  });

  test('listing schemas: prefix, latestOnly, deleted, pagination', async () => {
    const { registry } = await threeVersions();
    await registry.register('t', { schema: V1 }, {});
    await registry.deleteVersion('s', '3', {});
    const ids = (views: Array<{ subject: string; version: number }>) =>
      views.map((v) => `${v.subject}/${v.version}`);
    assert.deepEqual(ids(await registry.listSchemas({})), ['s/1', 's/2', 't/1']);
    assert.deepEqual(ids(await registry.listSchemas({ deleted: true })), ['s/1', 's/2', 's/3', 't/1']);
    assert.deepEqual(ids(await registry.listSchemas({ latestOnly: true })), ['s/2', 't/1']);
    assert.deepEqual(ids(await registry.listSchemas({ subjectPrefix: 't' })), ['t/1']);
    assert.deepEqual(ids(await registry.listSchemas({ offset: 1, limit: 1 })), ['s/2']);
  });
});

describe('POST /subjects/{s} (lookup)', () => {
  test('matches by canonical form and answers the full version view', async () => {
    const { registry } = await threeVersions();
    const spaced = JSON.stringify(JSON.parse(V2), null, 2);
    assert.deepEqual(await registry.lookup('s', { schema: spaced }, {}), {
      subject: 's',
      version: 2,
      id: 2,
      schema: V2,
    });
  });

  test('40401 for a subject without live versions, 40403 "Schema not found" for a schema not in it', async () => {
    const { registry } = await threeVersions();
    let err = await rejection(registry.lookup('nope', { schema: V1 }, {}));
    assert.equal(err.errorCode, 40401);
    err = await rejection(registry.lookup('s', { schema: record('Other', ['a']) }, {}));
    assert.equal(err.errorCode, 40403);
    assert.equal(err.message, 'Schema not found');
    err = await rejection(registry.lookup('s', { schema: '{' }, {}));
    assert.equal(err.errorCode, 42201);
  });

  test('soft-deleted versions match only with deleted=true', async () => {
    const { registry } = await threeVersions();
    await registry.deleteVersion('s', '1', {});
    assert.equal((await rejection(registry.lookup('s', { schema: V1 }, {}))).errorCode, 40403);
    assert.equal((await registry.lookup('s', { schema: V1 }, { deleted: true })).version, 1);
  });
});
