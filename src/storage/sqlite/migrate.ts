/**
 * Applies `migrations/sqlite/NNN_name.sql` in numeric order, each in its own transaction, and records them in
 * `schema_migrations`. A database that records a migration this build does not know was written by a
 * newer version: running on it could silently misread or corrupt data, so start-up is refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import { DomainError } from '../../errors.js';
import type { SqliteDatabase } from './database.js';
import { assertRegistryFile } from './integrity.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface MigrationOptions {
  /** Directory holding the `.sql` files; defaults to the repository's `migrations/sqlite/`. */
  readonly dir?: string;
  /** Explicit list (tests); overrides `dir`. */
  readonly migrations?: readonly Migration[];
  readonly clock?: Clock;
}

const FILE_PATTERN = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

/** `migrations/sqlite/` sits three levels above both `src/storage/sqlite/` and `dist/storage/sqlite/`. */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('../../../migrations/sqlite/', import.meta.url));
}

export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (e) {
    throw new DomainError(
      'STORE_ERROR',
      `Cannot read the migrations directory ${dir}: ${(e as Error).message}`,
    );
  }
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) continue;
    const version = Number(match[1]);
    const name = file.slice(0, -'.sql'.length);
    if (migrations.some((m) => m.version === version)) {
      throw new DomainError('STORE_ERROR', `Two migrations share number ${version} in ${dir}`);
    }
    migrations.push({ version, name, sql: readFileSync(`${dir}/${file}`, 'utf8') });
  }
  return migrations.sort((a, b) => a.version - b.version);
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
       applied_at INTEGER NOT NULL
     )`,
  );
  const recorded = () =>
    db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{
      version: number;
      name: string;
    }>;
  assertKnown(recorded(), migrations);

  const applied: number[] = [];
  const insert = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const migration of migrations) {
    // IMMEDIATE takes the write lock before re-checking, so two processes starting together on one
    // file apply each migration exactly once.
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return false;
      db.exec(migration.sql);
      insert.run(migration.version, migration.name, clock.now());
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

function assertKnown(
  recorded: ReadonlyArray<{ version: number; name: string }>,
  known: readonly Migration[],
): void {
  for (const row of recorded) {
    const match = known.find((m) => m.version === row.version);
    if (match === undefined || match.name !== row.name) {
      throw new DomainError(
        'STORE_ERROR',
        `The database records migration ${row.name}, which this build does not know: it was written by a ` +
          'newer version of the registry. Refusing to start; run the newer version or point DATABASE_PATH ' +
          'at another file.',
      );
    }
  }
}
