/**
 * Which open transaction the running code belongs to, for the stores whose critical sections call
 * async code (the negotiation listener runs inside a registration's transaction and must join it).
 * Built on AsyncLocalStorage, with two rules that plain `als.run` does not give:
 *
 * - Active only while a transaction is open. On Node 20 an AsyncLocalStorage, once run, keeps
 *   async_hooks enabled for the rest of the process: every async resource created afterwards (each
 *   request makes several) pays an init hook. After a single write, a cached GET by id cost 16.6 µs of
 *   server CPU instead of 15.7 µs (~6 % of the fast path's throughput, measured under load at 50
 *   connections). `disable()` when the last open transaction ends turns the hooks off again; the next
 *   `run` turns them on.
 * - A context is current only while its transaction is open. A callback created inside a transaction
 *   (a timer, a promise settled later) that runs after it ended finds no transaction, instead of
 *   "joining" one that is over: on SQLite it would skip the write queue and write outside any
 *   transaction; on PostgreSQL it would use a client already returned to the pool.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class TransactionContext<T extends object> {
  private readonly storage = new AsyncLocalStorage<T>();
  private readonly open = new Set<T>();

  /** The open transaction the caller runs in, if any. */
  current(): T | undefined {
    // Nothing open (the usual case for reads): no async-context lookup at all.
    if (this.open.size === 0) return undefined;
    const tx = this.storage.getStore();
    return tx !== undefined && this.open.has(tx) ? tx : undefined;
  }

  /** Runs `fn` as transaction `tx` (a fresh object per transaction) until its promise settles. */
  async run<R>(tx: T, fn: () => R | Promise<R>): Promise<R> {
    this.open.add(tx);
    try {
      return await this.storage.run(tx, fn);
    } finally {
      this.open.delete(tx);
      if (this.open.size === 0) this.storage.disable();
    }
  }
}
