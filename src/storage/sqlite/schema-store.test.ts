import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { DomainError, isDomainError } from '../../errors.js';
import { RegistryService } from '../../registry/registry-service.js';
import type { PreparedSchema, SubjectWriteEvent } from '../../registry/schema-store.js';
import { openDatabase } from './database.js';
import { runMigrations } from './migrate.js';
import { SqliteSchemaStore } from './schema-store.js';

const SCHEMA = '{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}';
const OTHER = '{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}';

function setup() {
  const db = openDatabase(':memory:');
  runMigrations(db);
  const clock = new ManualClock();
  const store = new SqliteSchemaStore(db, { clock });
  const registry = new RegistryService({ store, clock, defaultCompatibility: 'NONE' });
  return { db, store, registry };
}

function prepared(identity: string): PreparedSchema {
  return {
    identity,
    schemaType: 'AVRO',
    canonical: '"string"',
    original: '"string"',
    references: [],
    pcf: '"string"',
    crc64: '0000000000000000',
    md5: '',
    sha256: '',
  };
}

describe('SqliteSchemaStore', () => {
  test('listeners run inside the transaction and see the write before it commits', async () => {
    const { db, store, registry } = setup();
    const seen: Array<{ event: SubjectWriteEvent; rows: number; inTransaction: boolean }> = [];
    store.addSubjectWriteListener((event) => {
      const rows = (db.prepare('SELECT count(*) AS n FROM subject_versions').get() as { n: number }).n;
      seen.push({ event, rows, inTransaction: db.inTransaction });
    });
    await registry.register('s', { schema: SCHEMA }, {});
    assert.deepEqual(seen, [
      {
        event: { subject: 's', kind: 'register', versions: [1], permanent: false, force: false },
        rows: 1,
        inTransaction: true,
      },
    ]);
  });

  test('a listener that throws a DomainError vetoes the write: everything rolls back', async () => {
    const { store, registry } = setup();
    await registry.register('s', { schema: SCHEMA }, {});
    const unsubscribe = store.addSubjectWriteListener((event) => {
      if (event.kind !== 'register') throw new DomainError('VERSION_IN_USE', 'version 1 is in use');
    });
    await assert.rejects(
      registry.deleteVersion('s', '1', {}),
      (e: unknown) => isDomainError(e) && e.code === 'VERSION_IN_USE',
    );
    assert.deepEqual(await registry.listVersions('s', {}), [1]);
    // A vetoed registration leaves no schema row and does not move the id high-water mark.
    const veto = store.addSubjectWriteListener(() => {
      throw new DomainError('VERSION_IN_USE', 'no');
    });
    await assert.rejects(registry.register('s', { schema: OTHER }, {}));
    assert.equal(await store.maxSchemaId(), 1);
    veto();
    unsubscribe();
    await registry.deleteVersion('s', '1', {});
    assert.deepEqual(await registry.register('s', { schema: OTHER }, {}), { id: 2 });
  });

  test('a decision that throws writes nothing', async () => {
    const { store } = setup();
    await assert.rejects(
      store.register('s', prepared('x'), () => {
        throw new DomainError('INCOMPATIBLE_SCHEMA', 'no');
      }),
      (e: unknown) => isDomainError(e) && e.code === 'INCOMPATIBLE_SCHEMA',
    );
    assert.deepEqual(await store.getSubjectHistory('s'), []);
  });

  test('the decision sees the state read under the write lock', async () => {
    const { store } = setup();
    const result = await store.register('s', prepared('x'), (state) => {
      assert.equal(state.highWaterId, 0);
      assert.equal(state.identityMatch, undefined);
      assert.deepEqual(state.versions, []);
      return {
        kind: 'create',
        schemaId: 5,
        insertSchema: true,
        version: 1,
        semver: '1.0.0',
        tombstones: [],
        highWaterId: 5,
      };
    });
    assert.deepEqual(result, { id: 5, version: 1, created: true });
    await store.register('t', prepared('x'), (state) => {
      assert.equal(state.identityMatch?.id, 5);
      assert.equal(state.highWaterId, 5);
      return { kind: 'existing', id: 5, version: 1 };
    });
    assert.deepEqual(await store.getSubjectHistory('t'), []);
  });

  test('SQLite failures surface as STORE_ERROR, never raw', async () => {
    const { store } = setup();
    await store.register('s', prepared('x'), () => ({
      kind: 'create',
      schemaId: 1,
      insertSchema: true,
      version: 1,
      semver: '1.0.0',
      tombstones: [],
      highWaterId: 1,
    }));
    // A buggy decision inserting an existing id trips the primary key.
    await assert.rejects(
      store.register('s', prepared('y'), () => ({
        kind: 'create',
        schemaId: 1,
        insertSchema: true,
        version: 2,
        semver: '1.1.0',
        tombstones: [],
        highWaterId: 1,
      })),
      (e: unknown) => isDomainError(e) && e.code === 'STORE_ERROR' && e.message.includes('UNIQUE'),
    );
  });

  test('the history returns every version with its fingerprints and semver, soft-deleted included', async () => {
    const { store, registry } = setup();
    await registry.register('s', { schema: SCHEMA }, {});
    await registry.register('s', { schema: OTHER }, {});
    await registry.deleteVersion('s', '1', {});
    const history = await store.getSubjectHistory('s');
    assert.deepEqual(
      history.map((h) => [h.version, h.schemaId, h.deleted, h.semver]),
      [
        [1, 1, true, '1.0.0'],
        [2, 2, false, '2.0.0'],
      ],
    );
    assert.equal(history[0]?.schema, SCHEMA);
    assert.match(history[0]?.crc64 ?? '', /^[0-9a-f]{16}$/);
    assert.equal((await store.getSchemaRecord(1))?.original, SCHEMA);
  });

  test("the service's clock stamps created_at", async () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    const store = new SqliteSchemaStore(db, { clock: new ManualClock(1) });
    const registry = new RegistryService({
      store,
      clock: new ManualClock(5_000),
      defaultCompatibility: 'NONE',
    });
    await registry.register('s', { schema: SCHEMA }, {});
    assert.equal((await registry.getVersionDetail('s', '1', {})).createdAt, 5_000);
    assert.equal((await store.getSchemaRecord(1))?.createdAt, 5_000);
  });
});

describe('SqliteSchemaStore locked history', () => {
  // The decision's history reads schema columns from a memo by id; whether the memo is cold (a new
  // connection: one joined read), nearly warm (point reads of the few new ids) or warm, a decision
  // must see exactly what a plain read of the subject shows, including versions shared with another
  // subject and soft-deleted ones.
  test('a decision sees the same history as a full read, cold and warm', async () => {
    const { db, store } = setup();
    const create = (subject: string, id: number) =>
      store.register(subject, { ...prepared(`identity-${id}`), sha256: `sha-${id}` }, (state) => ({
        kind: 'create',
        schemaId: state.identityMatch?.id ?? id,
        insertSchema: state.identityMatch === undefined,
        version: state.versions.length + 1,
        semver: `1.${state.versions.length}.0`,
        tombstones: [],
        highWaterId: Math.max(state.highWaterId, id),
      }));
    for (let i = 1; i <= 40; i++) await create('a', i);
    await create('b', 7); // shares id 7 with subject a
    await store.deleteVersions('a', () => ({
      kind: 'delete-version',
      versions: [3],
      permanent: false,
      force: false,
    }));
    const seenBy = async (s: SqliteSchemaStore, subject: string) => {
      let seen: unknown;
      await s.register(subject, prepared('identity-1'), (state) => {
        seen = state.versions.map((v) => ({ ...v }));
        return { kind: 'existing', id: 0, version: 0 };
      });
      return seen;
    };
    const expected = async (subject: string) =>
      (await store.getSubjectHistory(subject)).map((v) => ({ ...v }));
    const cold = new SqliteSchemaStore(db, { clock: new ManualClock() });
    assert.deepEqual(await seenBy(cold, 'a'), await expected('a'));
    await create('a', 41);
    await create('a', 42);
    assert.deepEqual(await seenBy(cold, 'a'), await expected('a'));
    assert.deepEqual(await seenBy(cold, 'b'), await expected('b'));
    assert.deepEqual(await seenBy(store, 'a'), await expected('a'));
  });
});
