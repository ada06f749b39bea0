/**
 * A database locked by another process is retried and, if it stays locked, reported as 503 (retryable),
 * never as a 500; once the lock is released the same call goes through.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/clock.js';
import { DomainError } from '../../src/errors.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import { openDatabase } from '../../src/storage/sqlite/database.js';
import { runMigrations } from '../../src/storage/sqlite/migrate.js';
import { SqliteSchemaStore } from '../../src/storage/sqlite/schema-store.js';

test('SQLITE_BUSY past busy_timeout becomes a retryable 503, never a 500', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'busy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'registry.db');
  const db = openDatabase(path, { busyTimeoutMs: 10 });
  runMigrations(db);
  const registry = new RegistryService({
    store: new SqliteSchemaStore(db),
    clock: new ManualClock(),
    defaultCompatibility: 'BACKWARD',
  });
  // Another "process" holds the write lock.
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  await assert.rejects(
    registry.register('busy', { schema: '"string"' }, {}),
    (e: unknown) => e instanceof DomainError && e.code === 'SERVICE_UNAVAILABLE' && e.status === 503,
  );
  await assert.rejects(
    registry.setConfig(null, { compatibility: 'NONE' }),
    (e: unknown) => e instanceof DomainError && e.status === 503,
  );
  other.exec('ROLLBACK');
  other.close();
  assert.deepEqual(await registry.register('busy', { schema: '"string"' }, {}), { id: 1 });
  db.close();
});
