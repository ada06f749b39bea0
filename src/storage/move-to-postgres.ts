/**
 * Moving a registry from its SQLite file to PostgreSQL: every row, as it is. Ids, versions (soft
 * deleted ones included), registration times, references, configs, modes, participants' leases with
 * their owners, agreements with their epochs, and the id high-water mark (so an id hard-deleted in
 * SQLite is never handed out again) arrive unchanged, which an export/import through the API could
 * not promise for timestamps and epochs. Read in one SQLite read transaction (a consistent snapshot),
 * written in one PostgreSQL transaction into an empty, migrated database: it either all lands or
 * nothing does.
 */
import Database from 'better-sqlite3';
import { DomainError } from '../errors.js';
import { assertKnownMigrations } from './migration-files.js';
import { GLOBAL_LOCK, PgDatabase } from './postgres/database.js';
import { migratePostgres } from './postgres/migrate.js';
import { assertIntact } from './sqlite/integrity.js';
import { loadMigrations, recordedMigrations } from './sqlite/migrate.js';

/** Each table: the SQLite SELECT that reads it in PostgreSQL's column order and types. */
const TABLES: ReadonlyArray<{ name: string; select: string }> = [
  {
    name: 'schemas',
    select: `SELECT id, identity, schema_type, references_json, crc64, md5, sha256, created_at, pcf, canonical,
               original FROM schemas ORDER BY id`,
  },
  { name: 'schema_references', select: 'SELECT * FROM schema_references ORDER BY schema_id, position' },
  {
    name: 'subject_versions',
    select: `SELECT subject, version, schema_id, deleted = 1 AS deleted, semver, created_at
             FROM subject_versions ORDER BY subject, version`,
  },
  {
    name: 'configs',
    select: `SELECT subject, compatibility, CASE WHEN normalize IS NULL THEN NULL ELSE normalize = 1 END AS normalize
             FROM configs`,
  },
  { name: 'modes', select: 'SELECT subject, mode FROM modes' },
  {
    name: 'negotiation_participants',
    select: `SELECT subject, participant_id, role, supports_json, ttl_seconds, expires_at, created_at, updated_at,
               owner FROM negotiation_participants`,
  },
  { name: 'negotiation_agreements', select: 'SELECT * FROM negotiation_agreements' },
  { name: 'negotiation_generations', select: 'SELECT * FROM negotiation_generations' },
];

const BATCH_ROWS = 500;

export interface MoveSummary {
  /** Rows copied per table. */
  readonly rows: Record<string, number>;
  /** The id high-water mark now in PostgreSQL. */
  readonly maxSchemaId: number;
}

export async function moveToPostgres(
  sqlitePath: string,
  url: string,
  timeoutMs = 30_000,
): Promise<MoveSummary> {
  let source: Database.Database;
  try {
    source = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new DomainError(
      'BAD_REQUEST',
      `Cannot open the SQLite registry ${sqlitePath}: ${(e as Error).message}`,
    );
  }
  const target = new PgDatabase({ url, poolMax: 2 });
  try {
    assertIntact(source, sqlitePath);
    const snapshot = readSnapshot(source, sqlitePath);
    await target.waitUntilReachable(timeoutMs);
    await migratePostgres(target);
    return await target.transaction('moving the registry', [{ key: GLOBAL_LOCK }], async () => {
      await assertEmpty(target);
      const rows: Record<string, number> = {};
      for (const table of TABLES) {
        const data = snapshot.tables.get(table.name) ?? [];
        for (let i = 0; i < data.length; i += BATCH_ROWS) {
          await target.query(
            `copying ${table.name}`,
            `INSERT INTO ${table.name} SELECT * FROM json_populate_recordset(NULL::${table.name}, $1::json)`,
            [JSON.stringify(data.slice(i, i + BATCH_ROWS))],
          );
        }
        rows[table.name] = data.length;
      }
      if (snapshot.highWater > 0) {
        await target.query('moving the id sequence', "SELECT setval('schema_ids', $1::int)", [
          snapshot.highWater,
        ]);
      }
      return { rows, maxSchemaId: snapshot.highWater };
    });
  } finally {
    source.close();
    await target.close();
  }
}

function readSnapshot(source: Database.Database, path: string) {
  const migrated = source
    .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'negotiation_participants'")
    .pluck()
    .get();
  const hasOwner = migrated
    ? (source
        .prepare("SELECT count(*) FROM pragma_table_info('negotiation_participants') WHERE name = 'owner'")
        .pluck()
        .get() as number) > 0
    : false;
  if (!migrated || !hasOwner) {
    throw new DomainError(
      'BAD_REQUEST',
      `${path} is not a registry database of this version: start this version of the registry on it once (it migrates the file), then move it`,
    );
  }
  // A file written by a newer version has tables or columns this build does not know: copying it would
  // silently drop them. The same refusal as start-up gives (migration-files.ts).
  assertKnownMigrations(recordedMigrations(source), loadMigrations(), 'the source path');
  // One read transaction: a consistent snapshot even if a server still writes the file.
  return source.transaction(() => {
    const tables = new Map<string, unknown[]>();
    for (const table of TABLES) tables.set(table.name, source.prepare(table.select).all());
    const counter = source
      .prepare("SELECT value FROM counters WHERE name = 'schema_id'")
      .pluck()
      .get() as number;
    const highest = (source.prepare('SELECT coalesce(max(id), 0) FROM schemas').pluck().get() as number) ?? 0;
    return { tables, highWater: Math.max(counter ?? 0, highest) };
  })();
}

async function assertEmpty(target: PgDatabase): Promise<void> {
  for (const table of TABLES) {
    const rows = await target.query('checking the target', `SELECT 1 FROM ${table.name} LIMIT 1`);
    if (rows.length > 0) {
      throw new DomainError(
        'OPERATION_NOT_PERMITTED',
        `The PostgreSQL database is not empty (table ${table.name} has rows): move into a new database`,
      );
    }
  }
}
