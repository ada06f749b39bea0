import assert from 'node:assert/strict';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { assertIntact, backup, backupFile, IntegrityError, quickCheck } from './integrity.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'integrity-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fill(path: string, rows: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  db.exec('CREATE INDEX t_body ON t(body)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`row-${i}-${'x'.repeat(200)}`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

test('a sound database passes; a damaged one is refused with a message naming the file', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'registry.db');
  fill(path, 2000);
  const db = new Database(path);
  assert.deepEqual(quickCheck(db), []);
  assert.doesNotThrow(() => assertIntact(db, path));
  db.close();

  // Scribble over the middle of the file (pages past the header), as a torn disk write would.
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(16 * 4096, 0xa5), 0, 16 * 4096, 20 * 4096);
  closeSync(fd);
  const broken = new Database(path);
  assert.throws(
    () => assertIntact(broken, path),
    (e: unknown) => e instanceof IntegrityError && e.message.includes(path) && /quick_check/.test(e.message),
  );
  broken.close();
});

test('a file that is not a database at all is refused, not served', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'garbage.db');
  writeFileSync(path, Buffer.alloc(8192, 0x42));
  const db = new Database(path);
  assert.throws(() => assertIntact(db, path), IntegrityError);
  db.close();
});

test('online backup copies a live database consistently and refuses to overwrite by accident', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'live.db');
  fill(src, 500);
  const db = new Database(src);
  db.pragma('journal_mode = WAL');
  // A write after the checkpoint lives only in the WAL: the backup must still see it.
  db.prepare('INSERT INTO t (body) VALUES (?)').run('in-the-wal');
  const dest = join(dir, 'copy.db');
  const { pages } = await backup(db, dest);
  assert.ok(pages > 0);
  await assert.rejects(backup(db, dest), /already exists/);
  await backup(db, dest, { overwrite: true });
  db.close();
  const copy = new Database(dest, { readonly: true });
  assert.equal((copy.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 501);
  assert.deepEqual(quickCheck(copy), []);
  copy.close();
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.includes('partial')),
    [],
    'no temporary file left behind',
  );
});

test('backupFile copies a file another connection is writing to', async (t) => {
  const dir = tempDir(t);
  const src = join(dir, 'served.db');
  fill(src, 100);
  const writer = new Database(src);
  writer.prepare('INSERT INTO t (body) VALUES (?)').run('uncheckpointed');
  const dest = join(dir, 'hot-copy.db');
  await backupFile(src, dest);
  writer.close();
  const copy = new Database(dest, { readonly: true });
  assert.equal((copy.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 101);
  copy.close();
  await assert.rejects(backupFile(join(dir, 'missing.db'), join(dir, 'x.db')), /does not exist/);
  assert.equal(existsSync(join(dir, 'x.db')), false);
});
