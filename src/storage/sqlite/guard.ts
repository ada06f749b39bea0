import { DomainError, isDomainError } from '../../errors.js';

/** Attempts of one operation while another process holds the write lock (each waits busy_timeout). */
const BUSY_ATTEMPTS = 3;

/**
 * Domain errors (including listener vetoes) pass through; anything SQLite throws becomes STORE_ERROR.
 * SQLITE_BUSY (another process kept the lock past busy_timeout) is retried: the operation is a whole
 * transaction that decides afresh, so running it again is safe. Still busy after that is a 503 a
 * client may retry, never a 500.
 */
export function guard<T>(what: string, fn: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (isDomainError(e)) throw e;
      const code = (e as { code?: unknown }).code;
      const busy =
        typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
      if (busy && attempt < BUSY_ATTEMPTS) continue;
      if (busy) throw new DomainError('SERVICE_UNAVAILABLE', `The database is busy (${what}); try again`);
      throw new DomainError('STORE_ERROR', `Store error while ${what}: ${(e as Error).message}`);
    }
  }
}
