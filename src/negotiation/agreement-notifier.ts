/**
 * Wake-ups for agreement long-polls: a write that may have moved a subject's agreement (in this
 * process, or announced by another instance) calls `notify`, and every waiter on that subject
 * re-checks at once instead of at its next poll interval. A wake-up is only a hint (the waiter
 * re-reads the agreement), so spurious ones, e.g. from a transaction that later rolled back, are
 * harmless.
 *
 * Parked requests are bounded per subject and in total: each one holds a socket and a little memory,
 * and a read user could otherwise park thousands of them. Over a bound, `wait` refuses at once with a
 * retryable error instead of queueing.
 */
import { DomainError } from '../errors.js';

export interface WaiterLimits {
  /** Parked long-polls on one subject. */
  readonly perSubject: number;
  /** Parked long-polls in this process. */
  readonly total: number;
}

export const DEFAULT_WAITER_LIMITS: WaiterLimits = { perSubject: 1_000, total: 10_000 };

export class AgreementNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();
  private count = 0;
  private closed = false;

  constructor(private readonly limits: WaiterLimits = DEFAULT_WAITER_LIMITS) {}

  notify(subject: string): void {
    const set = this.waiters.get(subject);
    if (set === undefined) return;
    this.waiters.delete(subject);
    for (const wake of set) wake();
  }

  /**
   * Shutdown: wakes every waiter now and lets none park from here on, so long-polls answer the current
   * agreement at once instead of holding the drain (or a closing database) for up to their wait.
   */
  close(): void {
    this.closed = true;
    for (const subject of [...this.waiters.keys()]) this.notify(subject);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Throws the refusal when a new waiter on `subject` would exceed a bound. */
  admit(subject: string): void {
    if (this.count >= this.limits.total) {
      throw new DomainError(
        'TOO_MANY_WAITERS',
        `This server already holds ${this.count} agreement long-polls (limit ${this.limits.total}, NEGOTIATION_MAX_WAITERS); retry shortly, or poll without waitSeconds`,
        undefined,
        1,
      );
    }
    const here = this.waiters.get(subject)?.size ?? 0;
    if (here >= this.limits.perSubject) {
      throw new DomainError(
        'TOO_MANY_SUBJECT_WAITERS',
        `Subject '${subject}' already has ${here} agreement long-polls waiting (limit ${this.limits.perSubject}, NEGOTIATION_MAX_WAITERS_PER_SUBJECT); retry shortly, or poll without waitSeconds`,
        undefined,
        1,
      );
    }
  }

  /**
   * Resolves on the next notify for `subject`, after `ms`, or when `signal` aborts, whichever first.
   * Call `admit` first: `wait` itself never refuses (a waiter re-parking after a wake-up keeps its place).
   */
  wait(subject: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(subject);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(subject, set);
      }
      const registered = set;
      this.count++;
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        this.count--;
        clearTimeout(timer);
        registered.delete(finish);
        if (registered.size === 0 && this.waiters.get(subject) === registered) this.waiters.delete(subject);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, ms));
      registered.add(finish);
      if (signal?.aborted) finish();
      else signal?.addEventListener('abort', finish, { once: true });
    });
  }

  /** Number of pending waiters (for tests and metrics). */
  get pending(): number {
    return this.count;
  }
}
