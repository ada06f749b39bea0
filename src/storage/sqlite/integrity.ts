/**
 * Start-up integrity check and online backup. A registry that serves from a damaged file could hand
 * out wrong ids forever, so a failed check stops the process with a message saying what to do.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { DomainError } from '../../errors.js';

export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** `PRAGMA quick_check`: the problems found (empty when the file is sound). */
export function quickCheck(db: Database.Database, maxErrors = 20): string[] {
  const rows = db.pragma(`quick_check(${Math.max(1, Math.trunc(maxErrors))})`) as Array<{
    quick_check: string;
  }>;
  const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
  return problems;
}

/** Throws an IntegrityError naming the file when it is not a sound SQLite database. */
export function assertIntact(db: Database.Database, path: string): void {
  let problems: string[];
  try {
    problems = quickCheck(db);
  } catch (e) {
    // SQLITE_NOTADB / SQLITE_CORRUPT surface here rather than as check rows.
    problems = [(e as Error).message];
  }
  if (problems.length > 0) {
    throw new IntegrityError(
      `Refusing to serve: the database file ${path} failed its integrity check (PRAGMA quick_check): ` +
        `${problems.slice(0, 5).join('; ')}. Stop every process using it and restore the latest backup ` +
        '(see docs/operations.md, "Backup and restore").',
    );
  }
}

/** The runner's table, before checksums were recorded and since (migrate.ts adds the column). */
const MIGRATIONS_TABLE_COLUMNS = ['applied_at,name,version', 'applied_at,checksum,name,version'];

function notOurs(db: Database.Database, why: string): DomainError {
  const where = db.name === ':memory:' || db.name === '' ? 'the database' : `the database file ${db.name}`;
  return new DomainError(
    'STORE_ERROR',
    `Refusing to serve: ${where} is not a ProximaDB registry database (${why}). It may belong to another ` +
      "application: point DATABASE_PATH at the registry's own file, or at a new path for an empty registry.",
  );
}

/**
 * A file holding someone else's tables must never be served as an empty registry (nor migrated into a
 * mix of both). Ours is either empty (new) or has our `schema_migrations` table, of our shape, and once
 * any other table exists it records at least one of `knownMigrations` (when given). Opening the file
 * runs this before changing anything in it; a newer version of ours is refused later, by the migration
 * run (which knows every migration name).
 */
export function assertRegistryFile(db: Database.Database, knownMigrations?: readonly string[]): void {
  let tables: string[];
  try {
    tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all() as Array<{ name: string }>
    ).map((r) => r.name);
  } catch {
    return; // Unreadable: the integrity check names the problem.
  }
  if (tables.length === 0) return;
  const others = tables.filter((t) => t !== 'schema_migrations');
  const listed = `${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}`;
  if (!tables.includes('schema_migrations')) {
    throw notOurs(db, `it holds ${tables.length} table(s) (${listed}) but no schema_migrations table`);
  }
  const columns = (db.prepare('PRAGMA table_info(schema_migrations)').all() as Array<{ name: string }>)
    .map((c) => c.name)
    .sort();
  if (!MIGRATIONS_TABLE_COLUMNS.includes(columns.join(','))) {
    throw notOurs(db, `its schema_migrations table has the columns ${columns.join(', ')}, not ours`);
  }
  if (others.length === 0) return; // ours, stopped before its first migration
  const names = (db.prepare('SELECT name FROM schema_migrations').all() as Array<{ name: unknown }>).map(
    (r) => r.name,
  );
  if (names.length === 0) throw notOurs(db, `it holds tables (${listed}) but records no migration`);
  if (knownMigrations !== undefined && !names.some((n) => knownMigrations.includes(n as string))) {
    throw notOurs(db, 'none of the migrations it records is one of ours');
  }
}

/**
 * An online, consistent copy of a live database (SQLite's backup API: writers keep going meanwhile).
 * Written to a temporary name and renamed, so `destPath` is either the old file or a complete copy,
 * and checked before it is handed over.
 */
export async function backup(db: Database.Database, destPath: string, opts: { overwrite?: boolean } = {}) {
  if (!opts.overwrite && existsSync(destPath)) {
    throw new Error(`Backup destination ${destPath} already exists (pass overwrite to replace it)`);
  }
  removeStalePartials(destPath);
  const tmp = `${destPath}.partial-${process.pid}`;
  rmSync(tmp, { force: true });
  try {
    const meta = await db.backup(tmp);
    const copy = new Database(tmp, { fileMustExist: true });
    try {
      // The copy inherits WAL mode; a rollback-journal file is one self-contained file to move around.
      copy.pragma('journal_mode = DELETE');
      assertIntact(copy, tmp);
    } finally {
      copy.close();
    }
    renameSync(tmp, destPath);
    return { pages: meta.totalPages };
  } finally {
    for (const leftover of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`])
      rmSync(leftover, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what earlier, interrupted backups to `destPath` left behind: `DEST.partial-<pid>` (and its
 * -wal/-shm/-journal) of processes that no longer run. A running backup's file (a live pid) is left
 * alone. Returns the files removed.
 */
export function removeStalePartials(destPath: string): string[] {
  const dir = dirname(destPath);
  const prefix = `${basename(destPath)}.partial-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)(?:-wal|-shm|-journal)?$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Backs up a database file that another process may be serving from. */
export async function backupFile(srcPath: string, destPath: string, opts: { overwrite?: boolean } = {}) {
  if (!existsSync(srcPath)) throw new Error(`Database file ${srcPath} does not exist`);
  const db = new Database(srcPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    assertIntact(db, srcPath);
    return await backup(db, destPath, opts);
  } finally {
    db.close();
  }
}
