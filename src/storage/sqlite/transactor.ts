/**
 * Async transactions on the one better-sqlite3 connection of a process.
 *
 * The registry's critical sections call async code inside their transaction (the negotiation
 * listener recomputes the agreement through the async NegotiationStore, which a PostgreSQL store
 * needs), so better-sqlite3's synchronous `db.transaction()` cannot hold them. Instead a write runs
 * `BEGIN IMMEDIATE … COMMIT` around an async function, and because every request of the process
 * shares the connection, two rules keep transactions isolated from each other:
 * - writes queue behind one another (an async mutex), so a second write never nests in the first;
 * - reads wait while a write is open, so no request ever sees another one's uncommitted rows (which a
 *   rollback, e.g. a vetoed delete, would turn into phantoms in the read caches).
 * Code running inside the open transaction (the listener, nested writes) is recognised through its
 * async context (transaction-context.ts) and joins it directly. Other processes on the same file are isolated by SQLite's
 * own locks, as before: BEGIN IMMEDIATE takes the file's write lock up front. Several connections to
 * one file in ONE process share the write queue: otherwise the second one's BEGIN IMMEDIATE would
 * wait synchronously (busy_timeout blocks the event loop) for a commit that the first one can only
 * reach once the event loop runs again.
 */
import { DomainError, isDomainError } from '../../errors.js';
import { TransactionContext } from '../transaction-context.js';
import type { SqliteDatabase } from './database.js';
import { guard } from './guard.js';

/** The write queue of one database file in this process (or of one private in-memory database). */
interface WriteQueue {
  /** Resolves when every queued write has finished. */
  tail: Promise<void>;
}

const queuesByFile = new Map<string, WriteQueue>();

function queueFor(db: SqliteDatabase): WriteQueue {
  if (db.memory) return { tail: Promise.resolve() };
  let queue = queuesByFile.get(db.name);
  if (queue === undefined) {
    queue = { tail: Promise.resolve() };
    queuesByFile.set(db.name, queue);
  }
  return queue;
}

export class SqliteTransactor {
  private readonly inside = new TransactionContext<object>();
  private readonly queue: WriteQueue;
  /** The write in progress on this connection, if any; reads outside it wait for it. */
  private current: Promise<void> | undefined;

  constructor(private readonly db: SqliteDatabase) {
    this.queue = queueFor(db);
  }

  /** True when the caller runs inside this connection's open transaction. */
  get joined(): boolean {
    return this.inside.current() !== undefined;
  }

  /** A read: runs at once unless another request's transaction is open on this connection. */
  async read<T>(what: string, fn: () => T): Promise<T> {
    while (this.current !== undefined && !this.joined) await this.current;
    return guard(what, fn);
  }

  /**
   * A read-then-write critical section: `BEGIN IMMEDIATE`, `fn`, `COMMIT` (ROLLBACK when it throws).
   * Inside an open transaction it simply joins it.
   */
  async write<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    if (this.joined) return fn();
    const previous = this.queue.tail;
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.queue.tail = previous.then(() => done);
    await previous;
    this.current = done;
    try {
      guard(what, () => this.db.exec('BEGIN IMMEDIATE'));
      let result: T;
      try {
        result = await this.inside.run({}, fn);
        this.db.exec('COMMIT');
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
      return result;
    } catch (e) {
      if (isDomainError(e)) throw e;
      throw new DomainError('STORE_ERROR', `Store error while ${what}: ${(e as Error).message}`);
    } finally {
      this.current = undefined;
      release();
    }
  }
}
