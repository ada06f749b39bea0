import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { RegistryService } from '../../registry/registry-service.js';
import { openDatabase } from './database.js';
import { runMigrations } from './migrate.js';
import { SqliteSchemaStore } from './schema-store.js';
import { asciiLower, prefixUpperBound } from './subject-summaries.js';

const schema = (field: string) =>
  JSON.stringify({ type: 'record', name: 'R', fields: [{ name: field, type: 'int' }] });

async function setup() {
  const db = openDatabase(':memory:');
  runMigrations(db);
  const clock = new ManualClock();
  const store = new SqliteSchemaStore(db, { clock });
  const registry = new RegistryService({ store, clock, defaultCompatibility: 'NONE' });
  return { db, store, registry, clock };
}

describe('prefix bounds', () => {
  test('the bound is the prefix with its last code point incremented', () => {
    assert.equal(prefixUpperBound('abc'), 'abd');
    assert.equal(prefixUpperBound('a\uD7FF'), 'a\uE000');
    assert.equal(prefixUpperBound('a\u{10FFFF}'), 'b');
    assert.equal(prefixUpperBound('é'), 'ê');
    assert.equal(prefixUpperBound(''), undefined);
    assert.equal(prefixUpperBound('\u{10FFFF}\u{10FFFF}'), undefined);
  });

  test('every string starting with the prefix sorts between it and the bound (UTF-8 byte order)', () => {
    const prefix = 'ord\u{1F600}';
    const high = prefixUpperBound(prefix)!;
    const bytes = (s: string) => Buffer.from(s, 'utf8');
    for (const s of [prefix, `${prefix}a`, `${prefix}\u{10FFFF}`, `${prefix}\u{1F600}zzz`]) {
      assert.ok(Buffer.compare(bytes(s), bytes(prefix)) >= 0, s);
      assert.ok(Buffer.compare(bytes(s), bytes(high)) < 0, s);
    }
    assert.ok(Buffer.compare(bytes('ord\u{1F601}'), bytes(high)) >= 0);
  });

  test('only ASCII letters are lower-cased, as SQLite lower() does', () => {
    assert.equal(asciiLower('Orders-ÉTÉ'), 'orders-ÉtÉ');
  });
});

describe('listSubjectSummaries', () => {
  test('one row per subject: counts, latest live version, subject-level settings; page and total', async () => {
    const { store, registry, clock } = await setup();
    await registry.register('orders-value', { schema: schema('a') }, {});
    clock.advance(1000);
    await registry.register('orders-value', { schema: schema('b') }, {});
    clock.advance(1000);
    await registry.register('orders-value', { schema: schema('c') }, {});
    await registry.deleteVersion('orders-value', '3', {});
    await registry.register('Users-value', { schema: schema('a') }, {});
    await registry.register('gone', { schema: schema('z') }, {});
    await registry.deleteSubject('gone', {});
    await registry.setConfig('orders-value', { compatibility: 'FULL' });
    await registry.setMode('Users-value', { mode: 'READONLY' }, {});

    const page = await store.listSubjectSummaries({ includeDeleted: false, offset: 0, limit: 10 });
    assert.equal(page.total, 2);
    assert.deepEqual(
      page.subjects.map((s) => s.subject),
      ['Users-value', 'orders-value'],
    );
    const orders = page.subjects[1]!;
    assert.deepEqual(
      { live: orders.live, deleted: orders.deleted, compatibility: orders.compatibility, mode: orders.mode },
      { live: 2, deleted: 1, compatibility: 'FULL', mode: null },
    );
    assert.equal(orders.latest?.version, 2);
    assert.equal(orders.latest?.semver, '2.0.0');
    assert.equal(orders.latest?.createdAt, clock.now() - 1000);
    assert.equal(page.subjects[0]!.mode, 'READONLY');

    const withDeleted = await store.listSubjectSummaries({ includeDeleted: true, offset: 0, limit: 10 });
    assert.equal(withDeleted.total, 3);
    const gone = withDeleted.subjects.find((s) => s.subject === 'gone')!;
    assert.deepEqual([gone.live, gone.deleted, gone.latest], [0, 1, undefined]);
  });

  test('prefix is exact and case-sensitive; contains ignores ASCII case; offset and limit window the list', async () => {
    const { store, registry } = await setup();
    for (const s of ['a', 'ab', 'abc', 'abd', 'b-AB', 'ac', 'ab\u{10FFFF}x']) {
      await registry.register(s, { schema: schema('a') }, {});
    }
    const names = async (query: { prefix?: string; contains?: string; offset?: number; limit?: number }) => {
      const page = await store.listSubjectSummaries({
        includeDeleted: false,
        offset: 0,
        limit: 100,
        ...query,
      });
      return { total: page.total, subjects: page.subjects.map((s) => s.subject) };
    };
    assert.deepEqual(await names({ prefix: 'ab' }), {
      total: 4,
      subjects: ['ab', 'abc', 'abd', 'ab\u{10FFFF}x'],
    });
    assert.deepEqual((await names({ prefix: 'AB' })).total, 0);
    assert.deepEqual((await names({ contains: 'AB' })).subjects, [
      'ab',
      'abc',
      'abd',
      'ab\u{10FFFF}x',
      'b-AB',
    ]);
    assert.deepEqual(await names({ prefix: 'a', offset: 2, limit: 2 }), {
      total: 6,
      subjects: ['abc', 'abd'],
    });
    assert.deepEqual(await names({ offset: 50 }), { total: 7, subjects: [] });
    assert.deepEqual(await names({ contains: '%' }), { total: 0, subjects: [] });
  });
});
