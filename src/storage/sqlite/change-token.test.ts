import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sqliteChangeToken } from './change-token.js';
import { openDatabase } from './database.js';

describe('sqliteChangeToken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'change-token-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('moves on commits of another connection and on this one, not on reads or rollbacks', () => {
    const path = join(dir, 'two.db');
    const a = openDatabase(path);
    const b = openDatabase(path);
    a.exec('CREATE TABLE t (x INTEGER)');
    const token = sqliteChangeToken(a);
    const t0 = token.read();
    assert.equal(token.read(), t0);
    b.prepare('SELECT count(*) FROM t').get();
    a.prepare('SELECT count(*) FROM t').get();
    assert.equal(token.read(), t0, 'reads change nothing');
    b.prepare('INSERT INTO t VALUES (1)').run();
    const t1 = token.read();
    assert.ok(t1 > t0, 'another connection committed');
    assert.equal(token.read(), t1);
    a.prepare('INSERT INTO t VALUES (2)').run();
    const t2 = token.read();
    assert.ok(t2 > t1, 'this connection wrote');
    assert.throws(() =>
      b.transaction(() => {
        b.prepare('INSERT INTO t VALUES (3)').run();
        throw new Error('roll back');
      })(),
    );
    assert.equal(token.read(), t2, 'a rolled-back transaction committed nothing');
    // Many commits in a row, then a checkpoint that restarts the WAL: still seen, never repeated.
    let last = t2;
    for (let i = 0; i < 50; i++) {
      b.prepare('INSERT INTO t VALUES (?)').run(i);
      const now = token.read();
      assert.ok(now > last);
      last = now;
    }
    b.pragma('wal_checkpoint(RESTART)');
    b.prepare('INSERT INTO t VALUES (99)').run();
    assert.ok(token.read() > last);
    a.close();
    b.close();
  });

  it('falls back to data_version + total_changes for an in-memory database', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    const token = sqliteChangeToken(db);
    const t0 = token.read();
    db.prepare('SELECT count(*) FROM t').get();
    assert.equal(token.read(), t0);
    db.prepare('INSERT INTO t VALUES (1)').run();
    assert.ok(token.read() > t0);
    db.close();
  });
});
