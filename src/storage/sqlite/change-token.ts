/**
 * The change token the read caches validate against, read once per request. It moves whenever
 * anything in the database file may have changed, whoever wrote it: this connection, another server
 * process, the CLI.
 *
 * Why not `PRAGMA data_version`, the documented way to see other connections' commits? Any statement
 * that reads the database first takes SQLite's file locks (several fcntl system calls): in a loaded
 * server that cost ~25 µs of CPU per request, a third of a cached GET. Every commit in WAL mode
 * rewrites the 48-byte WAL-index header at the start of the `-shm` file (its transaction counter,
 * frame count and checksums: https://www.sqlite.org/walformat.html, a format every SQLite version
 * sharing the file must agree on), so one `pread` of those bytes tells the same thing — for this
 * connection's own commits too. A torn read can only differ from the last one, which merely drops a
 * cache; a commit a client has seen acknowledged has already written its header. The token counts the
 * header changes seen, so it never comes back to an earlier value.
 *
 * Without WAL (`:memory:`, or a file WAL could not be enabled on) it falls back to `PRAGMA
 * data_version` (other connections' commits) plus `total_changes()` (this connection's writes, which
 * data_version does not count); both only grow, so their sum moves on every change.
 */
import { openSync, readSync } from 'node:fs';
import type { ChangeToken } from '../../registry/read-cache.js';
import type { SqliteDatabase } from './database.js';

const HEADER_BYTES = 48;

/**
 * Descriptors of `-shm` files, one per path for the life of the process, NEVER closed: closing any
 * descriptor of a file drops every POSIX lock this process holds on it, including the ones SQLite's
 * own connections hold on the `-shm` file, and another process could then reset the WAL index under
 * them (sqlite.org/howtocorrupt.html §2.2).
 */
const walIndexFiles = new Map<string, number>();

function walIndexFile(db: SqliteDatabase): number | undefined {
  if (db.memory || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal')
    return undefined;
  // A read makes sure this connection has opened (and so created) the WAL index.
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  const path = `${db.name}-shm`;
  let fd = walIndexFiles.get(path);
  if (fd === undefined) {
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    walIndexFiles.set(path, fd);
  }
  return fd;
}

export function sqliteChangeToken(db: SqliteDatabase): ChangeToken {
  const dataVersion = db.prepare('SELECT data_version + total_changes() FROM pragma_data_version()').pluck();
  const fd = walIndexFile(db);
  if (fd === undefined) return { read: () => dataVersion.get() as number };

  const header = Buffer.alloc(HEADER_BYTES);
  const seen = Buffer.alloc(HEADER_BYTES);
  let commits = 0;
  return {
    read(): number {
      if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) {
        // Cannot happen while a connection is open; if it does, count it as a change and move on.
        commits++;
      } else if (!header.equals(seen)) {
        header.copy(seen);
        commits++;
      }
      return commits;
    },
  };
}
