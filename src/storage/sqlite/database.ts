/**
 * Opens the registry's SQLite database. Only `src/storage/` touches better-sqlite3; the other storage
 * modules (negotiation, integrity, ...) share the handle this returns so that their writes can join
 * the registry's transactions.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DomainError } from '../../errors.js';
import { assertIntact, assertRegistryFile } from './integrity.js';

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** How long a writer waits for another connection's lock before failing (ms). */
  readonly busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** `migrations/sqlite/001_init.sql`: landed migrations are never renamed. */
const FIRST_MIGRATION = '001_init';

export function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/** Opens (creating if needed) a database file, or a private in-memory database for `:memory:`. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: SqliteDatabase;
  try {
    if (!isMemoryPath(path)) mkdirSync(dirname(path), { recursive: true });
    db = new Database(isMemoryPath(path) ? ':memory:' : path, { timeout: busyTimeoutMs });
  } catch (e) {
    throw new DomainError('STORE_ERROR', `Cannot open the database at ${path}: ${(e as Error).message}`);
  }
  try {
    // Before anything is changed in it: someone else's database is refused, not converted to WAL. Every
    // registry database that recorded a migration recorded the first one (they apply in order).
    assertRegistryFile(db, [FIRST_MIGRATION]);
  } catch (e) {
    try {
      // A damaged file can look like anything: its integrity check is the diagnosis to report.
      if (!isMemoryPath(path)) assertIntact(db, path);
    } finally {
      db.close();
    }
    throw e;
  }
  try {
    // WAL lets readers (other processes, HTTP reads) proceed while one writer commits.
    db.pragma('journal_mode = WAL');
    // In WAL mode, synchronous=NORMAL only fsyncs at checkpoints, so a power cut can lose commits that
    // were already acknowledged. A registered id is written into Kafka records the moment we answer,
    // so "acknowledged" must mean "durable": FULL fsyncs the WAL on every commit.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  } catch (e) {
    db.close();
    throw new DomainError(
      'STORE_ERROR',
      `The file at ${path} cannot be used as the registry database: ${(e as Error).message}`,
    );
  }
  return db;
}
