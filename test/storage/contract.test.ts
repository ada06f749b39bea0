/**
 * The storage contract, run on the backend of the test run (SQLite, then PostgreSQL: test/run.ts).
 * Everything the registry and negotiation services rely on from a store: atomic critical sections
 * around a pure decision, listeners inside the transaction and vetoes that roll everything back, no
 * uncommitted write visible to another connection, ids never reused and one id per content under
 * concurrency, IMPORT ids moving the high-water mark, deletes, references, settings, leases and
 * agreements.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { DomainError, isDomainError } from '../../src/errors.js';
import type { ParticipantRecord } from '../../src/negotiation/negotiation-store.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import type { PreparedSchema, RegisterOutcome, RegisterState } from '../../src/registry/schema-store.js';
import { openStorage, type Storage } from '../../src/storage/open-storage.js';
import { TEST_STORE, testConfig } from '../support/test-store.js';

const dir = mkdtempSync(join(tmpdir(), 'contract-'));
const opened: Storage[] = [];
after(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** Two storages on one database (two connections, or two instances on PostgreSQL). */
async function pair(): Promise<[Storage, Storage]> {
  const config = await testConfig({ databasePath: join(dir, `db-${++files}.db`) });
  const clock = new ManualClock(1_000);
  const a = await openStorage(config, { clock });
  const b = await openStorage(config, { clock });
  opened.push(a, b);
  return [a, b];
}

async function single(): Promise<{ storage: Storage; registry: RegistryService; clock: ManualClock }> {
  const clock = new ManualClock(1_000);
  const storage = await openStorage(await testConfig(), { clock });
  opened.push(storage);
  const registry = new RegistryService({ store: storage.store, clock, defaultCompatibility: 'NONE' });
  return { storage, registry, clock };
}

function prepared(identity: string, extra: Partial<PreparedSchema> = {}): PreparedSchema {
  return {
    identity,
    schemaType: 'AVRO',
    canonical: `{"type":"fixed","name":"F${identity}","size":1}`,
    original: `{"type":"fixed","name":"F${identity}","size":1}`,
    references: [],
    pcf: `{"name":"F${identity}","type":"fixed","size":1}`,
    crc64: '0000000000000000',
    md5: 'md5',
    sha256: `sha-${identity}`,
    ...extra,
  };
}

/** The decision the registry makes for plain registrations, reduced to what a store must honour. */
function create(state: RegisterState, requestedId?: number): RegisterOutcome {
  const match = state.identityMatch;
  const schemaId = requestedId ?? match?.id ?? state.highWaterId + 1;
  return {
    kind: 'create',
    schemaId,
    insertSchema: requestedId === undefined ? match === undefined : state.requestedIdSchema === undefined,
    version: state.versions.reduce((m, v) => Math.max(m, v.version), 0) + 1,
    semver: `1.${state.versions.length}.0`,
    tombstones: [],
    highWaterId: Math.max(state.highWaterId, schemaId),
  };
}

const SCHEMA = '{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}';
const OTHER = '{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}';

describe(`storage contract (${TEST_STORE})`, () => {
  test('a listener runs inside the transaction: it sees the write, another connection does not yet', async () => {
    const [a, b] = await pair();
    const seen: string[] = [];
    a.store.addSubjectWriteListener(async (event) => {
      const inside = await a.negotiationStore.subjectHistory(event.subject);
      const outside = await b.store.getSubjectHistory(event.subject);
      seen.push(`inside=${inside.length} outside=${outside.length}`);
    });
    await a.store.register('s', prepared('x'), (state) => create(state));
    assert.deepEqual(seen, ['inside=1 outside=0']);
    assert.equal((await b.store.getSubjectHistory('s')).length, 1, 'visible once committed');
  });

  test('a veto rolls everything back: no version, no schema row; ids are still never reused', async () => {
    const { storage, registry } = await single();
    await registry.register('s', { schema: SCHEMA }, {});
    const veto = storage.store.addSubjectWriteListener(() => {
      throw new DomainError('VERSION_IN_USE', 'no');
    });
    await assert.rejects(
      registry.register('s', { schema: OTHER }, {}),
      (e: unknown) => isDomainError(e) && e.code === 'VERSION_IN_USE',
    );
    await assert.rejects(registry.deleteVersion('s', '1', {}), (e: unknown) => isDomainError(e));
    veto();
    assert.deepEqual(await registry.listVersions('s', {}), [1]);
    assert.deepEqual(
      (await storage.store.listAllVersions()).map((v) => v.schemaId),
      [1],
    );
    const { id } = await registry.register('s', { schema: OTHER }, {});
    assert.ok(id > 1, `a new id (${id}) above every id given before`);
  });

  test('a decision that throws writes nothing', async () => {
    const { storage } = await single();
    await assert.rejects(
      storage.store.register('s', prepared('x'), () => {
        throw new DomainError('INCOMPATIBLE_SCHEMA', 'no');
      }),
      (e: unknown) => isDomainError(e) && e.code === 'INCOMPATIBLE_SCHEMA',
    );
    assert.deepEqual(await storage.store.getSubjectHistory('s'), []);
    assert.deepEqual(await storage.store.listSubjectCounts(), []);
  });

  test('concurrent registrations: one id per content across subjects, dense versions per subject', async () => {
    const [a, b] = await pair();
    const contents = ['c1', 'c2', 'c3', 'c4'];
    const jobs: Promise<unknown>[] = [];
    for (const store of [a.store, b.store]) {
      for (const subject of ['x', 'y', 'z']) {
        for (const c of contents)
          jobs.push(
            store.register(subject, prepared(c), (s) =>
              s.identityMatch && s.versions.some((v) => v.identity === c)
                ? {
                    kind: 'existing',
                    id: s.identityMatch.id,
                    version: s.versions.find((v) => v.identity === c)!.version,
                  }
                : create(s),
            ),
          );
      }
    }
    await Promise.all(jobs);
    const all = await a.store.listAllVersions();
    const idOf = new Map<string, Set<number>>();
    for (const v of all) idOf.set(v.identity, (idOf.get(v.identity) ?? new Set()).add(v.schemaId));
    for (const c of contents) assert.equal(idOf.get(c)?.size, 1, `one id for ${c}`);
    assert.equal(new Set([...idOf.values()].map((ids) => [...ids][0])).size, contents.length);
    for (const subject of ['x', 'y', 'z']) {
      const versions = all.filter((v) => v.subject === subject).map((v) => v.version);
      assert.deepEqual(versions, [1, 2, 3, 4], `dense versions of ${subject}`);
    }
  });

  test('IMPORT ids are kept and move the high-water mark; it never goes down', async () => {
    const { storage } = await single();
    await storage.store.register('imp', prepared('big', { requestedId: 500 }), (s) => create(s, 500));
    assert.equal(await storage.store.maxSchemaId(), 500);
    const next = await storage.store.register('s', prepared('after'), (s) => create(s));
    assert.ok(next.id > 500, `next id ${next.id} is above the imported one`);
    assert.equal(await storage.store.raiseMaxSchemaId(10), next.id);
    assert.equal(await storage.store.raiseMaxSchemaId(2_000), 2_000);
    const later = await storage.store.register('s', prepared('later'), (s) => create(s));
    assert.equal(later.id, 2_001);
  });

  test('deletes: soft keeps the row, hard removes it; the last hard delete forgets settings', async () => {
    const { storage, registry } = await single();
    await registry.register('s', { schema: SCHEMA }, {});
    await registry.setConfig('s', { compatibility: 'FULL' });
    await registry.deleteVersion('s', '1', {});
    const soft = await storage.store.getSubjectHistory('s');
    assert.deepEqual(
      soft.map((v) => [v.version, v.deleted]),
      [[1, true]],
    );
    assert.deepEqual(await storage.store.listSubjectCounts(), [{ subject: 's', live: 0, deleted: 1 }]);
    await registry.deleteVersion('s', '1', { permanent: true });
    assert.deepEqual(await storage.store.getSubjectHistory('s'), []);
    assert.equal((await storage.store.getSettings('s')).subjectConfig, undefined);
    // The schema row stays: its id keeps its meaning and comes back for the same content.
    assert.equal((await storage.store.getSchemaRecord(1))?.original, SCHEMA);
    assert.deepEqual(await registry.register('t', { schema: SCHEMA }, {}), { id: 1 });
  });

  test('references and referrers; listings by prefix in byte order', async () => {
    const { storage, registry } = await single();
    await registry.register(
      'money',
      { schema: '{"type":"record","name":"Money","fields":[{"name":"c","type":"long"}]}' },
      {},
    );
    await registry.register(
      'order',
      {
        schema: '{"type":"record","name":"Order","fields":[{"name":"m","type":"Money"}]}',
        references: [{ name: 'Money', subject: 'money', version: 1 }],
      },
      {},
    );
    assert.deepEqual(await storage.store.getReferrers('money', 1), [
      { schemaId: 2, subject: 'order', version: 1, deleted: false },
    ]);
    const closure = await storage.store.resolveReferences([{ name: 'Money', subject: 'money', version: 1 }]);
    assert.deepEqual([...closure.keys()], ['money\u00001']);
    await registry.register('Zeta', { schema: '"int"' }, {});
    await registry.register('mz', { schema: '"long"' }, {});
    assert.deepEqual(
      (await storage.store.listAllVersions()).map((v) => v.subject),
      ['Zeta', 'money', 'mz', 'order'],
    );
    assert.deepEqual(
      (await storage.store.listAllVersions('m')).map((v) => v.subject),
      ['money', 'mz'],
    );
  });

  test('settings: a null field leaves the stored value; modes per scope and recursive delete', async () => {
    const { storage } = await single();
    const none = () => {};
    await storage.store.setConfig(null, { compatibility: 'FORWARD', normalize: true }, none);
    await storage.store.setConfig(null, { compatibility: null, normalize: false }, none);
    assert.deepEqual((await storage.store.getSettings(null)).globalConfig, {
      compatibility: 'FORWARD',
      normalize: false,
    });
    await storage.store.setMode('a', 'READONLY', () => ({ clearSoftDeleted: false }));
    await storage.store.setMode(null, 'IMPORT', () => ({ clearSoftDeleted: false }));
    assert.deepEqual(await storage.store.listSubjectsWithSettings(), ['a']);
    assert.equal(await storage.store.deleteMode(null, true), 'IMPORT');
    const after = await storage.store.getSettings('a');
    assert.equal(after.subjectMode, undefined);
    assert.equal(after.globalMode, undefined);
    assert.deepEqual(await storage.store.deleteConfig(null, none), {
      compatibility: 'FORWARD',
      normalize: false,
    });
  });

  test('leases: upsert keeps createdAt and owner, purge drops expired ones, tokens move', async () => {
    const { storage, registry } = await single();
    await registry.register('s', { schema: SCHEMA }, {});
    const neg = storage.negotiationStore;
    const lease = (id: string, at: number, owner: string | null): ParticipantRecord => ({
      subject: 's',
      id,
      role: 'reader',
      supports: { range: '^1.0.0' },
      ttlSeconds: 10,
      expiresAt: at + 10_000,
      createdAt: at,
      updatedAt: at,
      owner,
    });
    const t0 = await neg.tokens('s');
    await neg.transaction('s', async () => {
      await neg.upsertParticipant(lease('p1', 1_000, 'alice'));
      await neg.upsertParticipant(lease('p2', 1_000, null));
      await neg.touchParticipants('s');
    });
    await neg.upsertParticipant(lease('p1', 5_000, 'mallory'));
    const p1 = await neg.getParticipant('s', 'p1');
    assert.equal(p1?.createdAt, 1_000);
    assert.equal(p1?.owner, 'alice');
    assert.equal(p1?.expiresAt, 15_000);
    assert.equal(await neg.countParticipants('s'), 2);
    assert.equal(await neg.purgeExpired('s', 12_000), 1);
    assert.deepEqual(
      (await neg.listParticipants('s')).map((p) => p.id),
      ['p1'],
    );
    assert.equal(await neg.deleteParticipant('s', 'p1'), true);
    assert.equal(await neg.deleteParticipant('s', 'p1'), false);
    const t1 = await neg.tokens('s');
    assert.notEqual(t1.participants, t0.participants);
  });

  test('agreements persist; a transaction that throws persists nothing', async () => {
    const { storage } = await single();
    const neg = storage.negotiationStore;
    await neg.saveAgreement({ subject: 's', version: 1, epoch: 1, fallbackFrom: null, updatedAt: 7 });
    await assert.rejects(
      neg.transaction('s', async () => {
        await neg.saveAgreement({ subject: 's', version: 2, epoch: 2, fallbackFrom: null, updatedAt: 8 });
        throw new DomainError('VERSION_IN_USE', 'rolled back');
      }),
    );
    assert.deepEqual(await neg.getAgreement('s'), {
      subject: 's',
      version: 1,
      epoch: 1,
      fallbackFrom: null,
      updatedAt: 7,
    });
    assert.equal((await neg.tokens('s')).epoch, 1);
  });
});
