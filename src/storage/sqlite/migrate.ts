/**
 * Applies `migrations/sqlite/NNN_name.sql` in numeric order, each in its own transaction, and records
 * them with their checksums in `schema_migrations` (see ../migration-files.ts for the refusals).
 */
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import { DomainError } from '../../errors.js';
import {
  assertKnownMigrations,
  defaultMigrationsDir,
  loadMigrations as loadFrom,
  type Migration,
  type RecordedMigration,
} from '../migration-files.js';
import type { SqliteDatabase } from './database.js';
import { assertRegistryFile } from './integrity.js';

export type { Migration };

export interface MigrationOptions {
  /** Directory holding the `.sql` files; defaults to the repository's `migrations/sqlite/`. */
  readonly dir?: string;
  /** Explicit list (tests); overrides `dir`. */
  readonly migrations?: readonly Migration[];
  readonly clock?: Clock;
}

export function loadMigrations(dir: string = defaultMigrationsDir('sqlite')): Migration[] {
  return loadFrom(dir);
}

function hasChecksumColumn(db: SqliteDatabase): boolean {
  return db
    .prepare('SELECT name FROM pragma_table_info(?)')
    .pluck()
    .all('schema_migrations')
    .includes('checksum');
}

/**
 * The migrations `schema_migrations` records, oldest first, without changing anything (a file from
 * before checksums were recorded reads as null checksums): what start-up and `move-to-postgres` check.
 */
export function recordedMigrations(db: SqliteDatabase): RecordedMigration[] {
  const checksum = hasChecksumColumn(db) ? 'checksum' : 'NULL AS checksum';
  return db
    .prepare(`SELECT version, name, ${checksum} FROM schema_migrations ORDER BY version`)
    .all() as RecordedMigration[];
}

/** Brings the database up to date; returns the versions applied by this call. */
export function runMigrations(db: SqliteDatabase, options: MigrationOptions = {}): number[] {
  const migrations = options.migrations ?? loadMigrations(options.dir);
  const clock = options.clock ?? systemClock;
  assertRegistryFile(
    db,
    migrations.map((m) => m.name),
  );
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version    INTEGER PRIMARY KEY,
       name       TEXT    NOT NULL,
       applied_at INTEGER NOT NULL,
       checksum   TEXT
     )`,
  );
  // Databases from before checksums were recorded get the column; their rows are checked from now on.
  if (!hasChecksumColumn(db)) db.exec('ALTER TABLE schema_migrations ADD COLUMN checksum TEXT');
  const recorded = recordedMigrations(db);
  assertKnownMigrations(recorded, migrations, 'DATABASE_PATH');
  const backfill = db.prepare(
    'UPDATE schema_migrations SET checksum = ? WHERE version = ? AND checksum IS NULL',
  );
  for (const row of recorded) {
    if (row.checksum === null)
      backfill.run(migrations.find((m) => m.version === row.version)?.checksum, row.version);
  }

  const applied: number[] = [];
  const insert = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (?, ?, ?, ?)',
  );
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const migration of migrations) {
    // IMMEDIATE takes the write lock before re-checking, so two processes starting together on one
    // file apply each migration exactly once.
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return false;
      db.exec(migration.sql);
      insert.run(migration.version, migration.name, clock.now(), migration.checksum);
      return true;
    });
    let done: boolean;
    try {
      done = apply.immediate();
    } catch (e) {
      throw new DomainError('STORE_ERROR', `Migration ${migration.name} failed: ${(e as Error).message}`);
    }
    if (done) applied.push(migration.version);
  }
  return applied;
}
