/**
 * The numbered SQL migrations of one dialect (`migrations/<dialect>/NNN_name.sql`), with a checksum
 * of each file. Both stores record every applied migration with its checksum: a database that records
 * a migration this build does not know (written by a newer version) or whose checksum differs (a
 * landed migration was edited) is refused at start-up, because running on it could silently misread
 * or corrupt data.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file's text, hex. */
  readonly checksum: string;
}

export type Dialect = 'sqlite' | 'postgres';

const FILE_PATTERN = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

/** `migrations/<dialect>/` sits two levels above both `src/storage/` and `dist/storage/`. */
export function defaultMigrationsDir(dialect: Dialect): string {
  return fileURLToPath(new URL(`../../migrations/${dialect}/`, import.meta.url));
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** A migration from its parts (tests build them in memory). */
export function migration(version: number, name: string, sql: string): Migration {
  return { version, name, sql, checksum: checksumOf(sql) };
}

export function loadMigrations(dir: string): Migration[] {
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
    if (migrations.some((m) => m.version === version)) {
      throw new DomainError('STORE_ERROR', `Two migrations share number ${version} in ${dir}`);
    }
    migrations.push(
      migration(version, file.slice(0, -'.sql'.length), readFileSync(`${dir}/${file}`, 'utf8')),
    );
  }
  return migrations.sort((a, b) => a.version - b.version);
}

export interface RecordedMigration {
  readonly version: number;
  readonly name: string;
  /** Null for rows recorded before checksums were kept (they get one on the next start). */
  readonly checksum: string | null;
}

/** Throws when the database records a migration this build does not know, or knows differently. */
export function assertKnownMigrations(
  recorded: readonly RecordedMigration[],
  known: readonly Migration[],
  whereToPoint: string,
): void {
  for (const row of recorded) {
    const match = known.find((m) => m.version === row.version);
    if (match === undefined || match.name !== row.name) {
      throw new DomainError(
        'STORE_ERROR',
        `The database records migration ${row.name}, which this build does not know: it was written by a ` +
          `newer version of the registry. Refusing to start; run the newer version or point ${whereToPoint} ` +
          'at another database.',
      );
    }
    if (row.checksum !== null && row.checksum !== match.checksum) {
      throw new DomainError(
        'STORE_ERROR',
        `Migration ${row.name} as recorded in the database differs from this build's file (checksum ` +
          `${row.checksum.slice(0, 12)}… vs ${match.checksum.slice(0, 12)}…): a landed migration was edited. ` +
          'Refusing to start.',
      );
    }
  }
}
