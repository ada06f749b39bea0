/**
 * Applies `migrations/postgres/NNN_name.sql` at start-up: every pending migration in ONE transaction
 * under an advisory lock, so several instances starting at the same moment migrate exactly once (the
 * others wait for the lock, then find everything recorded). Each is recorded with its checksum; a
 * database recording a migration this build does not know (a newer binary migrated it: a rolling
 * upgrade must not let an old one write into a newer schema) or knows differently is refused.
 */
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import { DomainError, isDomainError } from '../../errors.js';
import {
  assertKnownMigrations,
  defaultMigrationsDir,
  loadMigrations,
  type Migration,
  type RecordedMigration,
} from '../migration-files.js';
import { lockKey, type PgDatabase } from './database.js';

export interface PgMigrationOptions {
  readonly dir?: string;
  readonly migrations?: readonly Migration[];
  readonly clock?: Clock;
}

const MIGRATION_LOCK = lockKey('registry:migrations');

export async function migratePostgres(db: PgDatabase, options: PgMigrationOptions = {}): Promise<number[]> {
  const migrations = options.migrations ?? loadMigrations(options.dir ?? defaultMigrationsDir('postgres'));
  const clock = options.clock ?? systemClock;
  return db.transaction('migrating the database', [{ key: MIGRATION_LOCK }], async () => {
    await assertRegistryDatabase(db);
    await db.query(
      'creating the migrations table',
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         name       text    NOT NULL,
         checksum   text    NOT NULL,
         applied_at bigint  NOT NULL
       )`,
    );
    const recorded = await db.query<RecordedMigration>(
      'reading applied migrations',
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    assertKnownMigrations(recorded, migrations, 'DATABASE_URL');
    const applied: number[] = [];
    for (const migration of migrations) {
      if (recorded.some((r) => r.version === migration.version)) continue;
      try {
        await db.query(`applying migration ${migration.name}`, migration.sql);
      } catch (e) {
        const cause = isDomainError(e) ? e.message : (e as Error).message;
        throw new DomainError('STORE_ERROR', `Migration ${migration.name} failed: ${cause}`);
      }
      await db.query(
        'recording a migration',
        'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)',
        [migration.version, migration.name, migration.checksum, clock.now()],
      );
      applied.push(migration.version);
    }
    return applied;
  });
}

/**
 * A database (schema) that holds tables but no `schema_migrations` belongs to something else: refuse
 * it untouched rather than create the registry's tables among another application's.
 */
async function assertRegistryDatabase(db: PgDatabase): Promise<void> {
  const [row] = await db.query<{ tables: number; ours: boolean }>(
    'checking the database',
    `SELECT count(*)::int AS tables, bool_or(table_name = 'schema_migrations') AS ours
     FROM information_schema.tables WHERE table_schema = current_schema()`,
  );
  if (row !== undefined && row.tables > 0 && row.ours !== true) {
    throw new DomainError(
      'STORE_ERROR',
      `Refusing to serve: the PostgreSQL database already holds ${row.tables} table(s) of something else and no schema_migrations: point DATABASE_URL at an empty database or a registry's`,
    );
  }
}
