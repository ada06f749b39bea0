import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../clock.js';
import { isDomainError } from '../../errors.js';
import { openDatabase } from './database.js';
import { loadMigrations, runMigrations } from './migrate.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'registry-migrate-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tables(db: ReturnType<typeof openDatabase>): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
}

describe('migrations', () => {
  test('the repository migrations are numbered and start with 001_init', () => {
    const migrations = loadMigrations();
    assert.equal(migrations[0]?.name, '001_init');
    const versions = migrations.map((m) => m.version);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
    );
  });

  test('a fresh database gets every table and the records of what was applied', () => {
    const db = openDatabase(':memory:');
    const clock = new ManualClock(1234);
    const applied = runMigrations(db, { clock });
    assert.ok(applied.includes(1));
    for (const table of [
      'schemas',
      'subject_versions',
      'schema_references',
      'configs',
      'modes',
      'counters',
    ]) {
      assert.ok(tables(db).includes(table), table);
    }
    const row = db.prepare('SELECT name, applied_at AS at FROM schema_migrations WHERE version = 1').get();
    assert.deepEqual({ ...(row as object) }, { name: '001_init', at: 1234 });
    assert.deepEqual({ ...(db.prepare('SELECT value FROM counters').get() as object) }, { value: 0 });
  });

  test('re-running is a no-op', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    db.prepare("UPDATE counters SET value = 7 WHERE name = 'schema_id'").run();
    assert.deepEqual(runMigrations(db), []);
    assert.deepEqual({ ...(db.prepare('SELECT value FROM counters').get() as object) }, { value: 7 });
  });

  test('only the migrations not yet applied run, in numeric order', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(dir, '010_c.sql'), 'INSERT INTO b VALUES (10);');
    writeFileSync(join(dir, '002_b.sql'), 'CREATE TABLE b (x INTEGER);');
    writeFileSync(join(dir, 'README.md'), 'not a migration');
    const db = openDatabase(':memory:');
    assert.deepEqual(runMigrations(db, { migrations: loadMigrations(dir).slice(0, 1) }), [1]);
    assert.deepEqual(runMigrations(db, { dir }), [2, 10]);
    assert.deepEqual({ ...(db.prepare('SELECT x FROM b').get() as object) }, { x: 10 });
  });

  test('a failing migration rolls back entirely and is not recorded', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001_ok.sql'), 'CREATE TABLE ok (x INTEGER);');
    writeFileSync(join(dir, '002_bad.sql'), 'CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);');
    const db = openDatabase(':memory:');
    assert.throws(
      () => runMigrations(db, { dir }),
      (e: unknown) => isDomainError(e) && e.code === 'STORE_ERROR' && e.message.includes('002_bad'),
    );
    assert.ok(tables(db).includes('ok'));
    assert.ok(!tables(db).includes('half'));
    assert.equal((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, 1);
  });

  test('a database written by a newer version (unknown migration recorded) is refused', () => {
    const path = join(tempDir(), 'newer.db');
    const db = openDatabase(path);
    runMigrations(db);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future', 0)",
    ).run();
    db.close();
    const reopened = openDatabase(path);
    assert.throws(
      () => runMigrations(reopened),
      (e: unknown) =>
        isDomainError(e) &&
        e.code === 'STORE_ERROR' &&
        e.message.includes('999_future') &&
        e.message.includes('newer version'),
    );
    reopened.close();
  });

  test('an edited landed migration is refused (checksums), and old records get one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    const db = openDatabase(':memory:');
    runMigrations(db, { dir });
    // A record from before checksums were kept is backfilled, not refused.
    db.prepare('UPDATE schema_migrations SET checksum = NULL').run();
    assert.deepEqual(runMigrations(db, { dir }), []);
    assert.match(
      db.prepare('SELECT checksum FROM schema_migrations').pluck().get() as string,
      /^[0-9a-f]{64}$/,
    );
    writeFileSync(join(dir, '001_a.sql'), 'CREATE TABLE a (x INTEGER, y TEXT);');
    assert.throws(
      () => runMigrations(db, { dir }),
      (e: unknown) => isDomainError(e) && e.code === 'STORE_ERROR' && /001_a.*was edited/.test(e.message),
    );
  });

  test('a file database uses WAL and synchronous=FULL', () => {
    const db = openDatabase(join(tempDir(), 'nested', 'dir', 'r.db'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 2);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    db.close();
  });

  test('a file that is not a database is a clear STORE_ERROR', () => {
    const path = join(tempDir(), 'garbage.db');
    writeFileSync(path, 'this is not sqlite'.repeat(100));
    assert.throws(
      () => openDatabase(path),
      (e: unknown) => isDomainError(e) && e.code === 'STORE_ERROR' && e.message.includes(path),
    );
  });
});
