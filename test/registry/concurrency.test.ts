import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/clock.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { runMigrations } from '../../src/storage/sqlite/migrate.js';
import { SqliteSchemaStore } from '../../src/storage/sqlite/schema-store.js';
import { runWorkload, SCHEMAS, SUBJECTS, schemaText } from './concurrency-workload.js';

const dirs: string[] = [];
function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'registry-concurrency-'));
  dirs.push(dir);
  return join(dir, 'registry.db');
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function service(db: SqliteDatabase, onCreate: () => void): RegistryService {
  return new RegistryService({
    store: new SqliteSchemaStore(db, {
      clock: new ManualClock(),
      onSubjectWrite: (e) => {
        if (e.kind === 'register') onCreate();
      },
    }),
    clock: new ManualClock(),
    defaultCompatibility: 'NONE',
  });
}

/** No duplicate versions, no gaps, one id per schema content, every expected schema present. */
function audit(db: SqliteDatabase): void {
  const schemas = db.prepare('SELECT id, canonical FROM schemas ORDER BY id').all() as Array<{
    id: number;
    canonical: string;
  }>;
  assert.equal(schemas.length, SCHEMAS, 'one schema row per distinct content');
  assert.equal(new Set(schemas.map((s) => s.canonical)).size, SCHEMAS, 'no content under two ids');
  assert.deepEqual(
    schemas.map((s) => s.id),
    Array.from({ length: SCHEMAS }, (_, i) => i + 1),
    'ids are dense: no id was taken and lost',
  );
  const idOf = new Map(schemas.map((s) => [s.canonical, s.id]));
  for (let s = 0; s < SUBJECTS; s++) {
    const rows = db
      .prepare('SELECT version, schema_id AS id FROM subject_versions WHERE subject = ? ORDER BY version')
      .all(`subject-${s}`) as Array<{ version: number; id: number }>;
    assert.deepEqual(
      rows.map((r) => r.version),
      Array.from({ length: SCHEMAS }, (_, i) => i + 1),
      'versions 1..n without gaps or duplicates',
    );
    const ids = rows.map((r) => r.id).sort((a, b) => a - b);
    const expected = Array.from({ length: SCHEMAS }, (_, k) => idOf.get(schemaText(k))!).sort(
      (a, b) => a - b,
    );
    assert.deepEqual(ids, expected, 'each schema registered exactly once per subject');
  }
  assert.equal(
    (db.prepare("SELECT value FROM counters WHERE name = 'schema_id'").get() as { value: number }).value,
    SCHEMAS,
  );
}

describe('concurrent registrations on one database file', () => {
  test('two connections in one process, interleaved', async () => {
    const path = tempDbPath();
    const a = openDatabase(path);
    runMigrations(a);
    const b = openDatabase(path);
    const created = [0, 0];
    const [idsA, idsB] = await Promise.all([
      runWorkload(
        service(a, () => created[0]!++),
        1,
      ),
      runWorkload(
        service(b, () => created[1]!++),
        2,
      ),
    ]);
    assert.equal(idsA.length + idsB.length, 2 * SUBJECTS * SCHEMAS);
    // Each subject-version was created by exactly one side; the other side got the idempotent answer.
    assert.equal(created[0]! + created[1]!, SUBJECTS * SCHEMAS);
    assert.ok(created[0]! > 0 && created[1]! > 0, `both connections created versions (${created})`);
    audit(a);
    a.close();
    b.close();
  });

  test('two processes, each migrating and registering at the same time', { timeout: 120_000 }, async (t) => {
    const path = tempDbPath();
    const worker = fileURLToPath(new URL('./concurrency-worker.ts', import.meta.url));
    const children = [11, 12].map((seed) =>
      fork(worker, [path, String(seed)], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
    const results = children.map(
      (child) =>
        new Promise<{ ok: boolean; error?: string; created?: number }>((resolve, reject) => {
          child.once('message', (m) => resolve(m as { ok: boolean; error?: string; created?: number }));
          child.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
        }),
    );
    for (const child of children) child.send('go');
    const answers = await Promise.all(results);
    for (const result of answers) assert.equal(result.ok, true, result.error);
    const created = answers.map((r) => r.created ?? 0);
    assert.equal(created[0]! + created[1]!, SUBJECTS * SCHEMAS, 'every version created exactly once');
    t.diagnostic(`versions created per process: ${created.join(' / ')}`);
    const db = openDatabase(path);
    assert.equal(
      (db.prepare('SELECT count(*) AS n FROM schema_migrations WHERE version = 1').get() as { n: number }).n,
      1,
    );
    audit(db);
    db.close();
  });
});
