/**
 * Start-up integrity check and online backup. A registry that serves from a damaged file could hand
 * out wrong ids forever, so a failed check stops the process with a message saying what to do.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';

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

/**
 * An online, consistent copy of a live database (SQLite's backup API: writers keep going meanwhile).
 * Written to a temporary name and renamed, so `destPath` is either the old file or a complete copy,
 * and checked before it is handed over.
 */
export async function backup(db: Database.Database, destPath: string, opts: { overwrite?: boolean } = {}) {
  if (!opts.overwrite && existsSync(destPath)) {
    throw new Error(`Backup destination ${destPath} already exists (pass overwrite to replace it)`);
  }
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
