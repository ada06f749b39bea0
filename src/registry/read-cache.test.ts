import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CachingSchemaStore, type ChangeToken } from './read-cache.js';
import type { SchemaRecord, SchemaStore, StoredVersion, VersionSummary } from './schema-store.js';

/** An inner store that counts its reads and whose answers the test changes at will. */
function fakeStore() {
  const calls = { records: 0, holders: 0, summaries: 0, maxId: 0 };
  const state = {
    records: new Map<number, SchemaRecord>(),
    holders: new Map<number, StoredVersion[]>(),
    summaries: new Map<string, VersionSummary[]>(),
    maxId: 1,
  };
  const store = {
    async getSchemaRecord(id: number) {
      calls.records++;
      return state.records.get(id);
    },
    async getVersionsBySchemaId(id: number) {
      calls.holders++;
      return state.holders.get(id) ?? [];
    },
    async listVersionSummaries(subject: string) {
      calls.summaries++;
      return state.summaries.get(subject) ?? [];
    },
    async maxSchemaId() {
      calls.maxId++;
      return state.maxId;
    },
  } as unknown as SchemaStore;
  return { store, calls, state };
}

function manualToken(): ChangeToken & { value: number } {
  return {
    value: 1,
    read() {
      return this.value;
    },
  };
}

const record = (id: number): SchemaRecord => ({
  id,
  identity: `i${id}`,
  schemaType: 'AVRO',
  schema: '"int"',
  original: '"int"',
  references: [],
  pcf: '"int"',
  crc64: '0',
  md5: '0',
  sha256: '0',
  createdAt: 0,
});

const holder = { subject: 's', version: 1, schemaId: 1, deleted: false } as StoredVersion;

describe('CachingSchemaStore', () => {
  it('keeps immutable schema rows across token moves, never caches their absence', async () => {
    const { store, calls, state } = fakeStore();
    const token = manualToken();
    const cache = new CachingSchemaStore(store, token);
    assert.equal(await cache.getSchemaRecord(1), undefined);
    state.records.set(1, record(1));
    assert.deepEqual(await cache.getSchemaRecord(1), record(1));
    token.value = 2;
    await cache.getSchemaRecord(1);
    assert.equal(calls.records, 2, 'absent once, loaded once, then served from memory');
  });

  it('drops every mutable fact when the token moves, and only then', async () => {
    const { store, calls, state } = fakeStore();
    const token = manualToken();
    const cache = new CachingSchemaStore(store, token);
    state.summaries.set('s', [{ version: 1, schemaId: 1, deleted: false, identity: 'i1' }]);
    await cache.listVersionSummaries('s');
    await cache.listVersionSummaries('s');
    assert.equal(await cache.maxSchemaId(), 1);
    assert.equal(await cache.maxSchemaId(), 1);
    assert.deepEqual(calls, { records: 0, holders: 0, summaries: 1, maxId: 1 });
    state.summaries.set('s', []);
    state.maxId = 7;
    token.value = 3;
    assert.deepEqual(await cache.listVersionSummaries('s'), []);
    assert.equal(await cache.maxSchemaId(), 7);
    assert.deepEqual(calls, { records: 0, holders: 0, summaries: 2, maxId: 2 });
  });

  it('peeks answer only what is cached in the scope of the last refresh', async () => {
    const { store, state } = fakeStore();
    const token = manualToken();
    const cache = new CachingSchemaStore(store, token);
    state.records.set(1, record(1));
    state.holders.set(1, [holder]);
    cache.refresh();
    assert.equal(cache.peekResolvableSchema(1), undefined, 'nothing loaded yet');
    await cache.getSchemaRecord(1);
    assert.equal(cache.peekResolvableSchema(1), undefined, 'existence not known yet');
    await cache.getVersionsBySchemaId(1);
    assert.equal(cache.peekResolvableSchema(1)?.id, 1);
    token.value = 4;
    cache.refresh();
    assert.equal(cache.peekResolvableSchema(1), undefined, 'existence must be re-read after a change');
    state.holders.set(1, []);
    await cache.getVersionsBySchemaId(1);
    assert.equal(cache.peekResolvableSchema(1), undefined, 'no holder left: the id does not resolve');
  });

  it('stores a value under the token read BEFORE loading it', async () => {
    const { store, state } = fakeStore();
    const token = manualToken();
    const cache = new CachingSchemaStore(store, token);
    // A commit elsewhere lands while the load runs: the value is newer than the token it is filed
    // under, so the next read (which sees the new token) must load again rather than trust it.
    const inner = store.listVersionSummaries.bind(store);
    let loads = 0;
    store.listVersionSummaries = async (subject: string) => {
      loads++;
      token.value++;
      return inner(subject);
    };
    state.summaries.set('s', []);
    await cache.listVersionSummaries('s');
    await cache.listVersionSummaries('s');
    assert.equal(loads, 2);
  });

  it('falls back to the inner store when the token cannot be read', async () => {
    const { store, calls } = fakeStore();
    const cache = new CachingSchemaStore(store, {
      read() {
        throw new Error('The database connection is not open');
      },
    });
    await cache.maxSchemaId();
    await cache.maxSchemaId();
    assert.equal(calls.maxId, 2, 'nothing is cached without a token');
  });

  it('shares one read among concurrent misses of a fact, and starts a new one once the token moved', async () => {
    const { store, calls, state } = fakeStore();
    const token = manualToken();
    const cache = new CachingSchemaStore(store, token);
    state.records.set(1, record(1));
    state.holders.set(1, [holder]);
    state.summaries.set('s', []);
    const [rows, holders, lists] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, () => cache.getSchemaRecord(1))),
      Promise.all(Array.from({ length: 50 }, () => cache.getVersionsBySchemaId(1))),
      Promise.all(Array.from({ length: 50 }, () => cache.listVersionSummaries('s'))),
    ]);
    assert.deepEqual(
      { records: calls.records, holders: calls.holders, summaries: calls.summaries },
      { records: 1, holders: 1, summaries: 1 },
    );
    assert.ok(rows.every((r) => r?.id === 1) && holders.every((h) => h.length === 1) && lists.length === 50);
    // Misses under a new token never join a load that began under the old one.
    state.holders.set(2, [{ ...holder, schemaId: 2 }]);
    const first = cache.getVersionsBySchemaId(2);
    token.value++;
    const second = cache.getVersionsBySchemaId(2);
    await Promise.all([first, second]);
    assert.equal(calls.holders, 3, 'id 2 was read once per token');
  });

  it('a failed shared read fails every request that joined it, and the next one reads again', async () => {
    const { store, calls, state } = fakeStore();
    const cache = new CachingSchemaStore(store, manualToken());
    state.summaries.set('s', []);
    const inner = store.listVersionSummaries.bind(store);
    let fail = true;
    store.listVersionSummaries = async (subject: string) => {
      calls.summaries++;
      if (fail) throw new Error('connection lost');
      return inner(subject);
    };
    const results = await Promise.allSettled([
      cache.listVersionSummaries('s'),
      cache.listVersionSummaries('s'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(calls.summaries, 1);
    fail = false;
    assert.deepEqual(await cache.listVersionSummaries('s'), []);
  });
});
