/**
 * The change token the read caches validate against, one tiny query per request. It moves whenever
 * anything in the database file may have changed, whoever wrote it:
 * - `PRAGMA data_version` changes when ANOTHER connection (another server process, the CLI) commits;
 * - `total_changes()` counts the rows this connection itself changed (data_version ignores those).
 * Both only ever grow, so their sum is a token that changes whenever either moves and never comes
 * back to an earlier value. It is read outside any transaction, so it sees the latest commit.
 */
import type { ChangeToken } from '../registry/read-cache.js';
import type { SqliteDatabase } from './sqlite.js';

export function sqliteChangeToken(db: SqliteDatabase): ChangeToken {
  const statement = db.prepare('SELECT data_version + total_changes() FROM pragma_data_version()').pluck();
  return { read: () => statement.get() as number };
}
