/**
 * In-process wake-ups for agreement long-polls: a write that may have moved a subject's agreement
 * calls `notify`, and every waiter on that subject re-checks at once instead of at its next poll
 * interval. A wake-up is only a hint (the waiter re-reads the persisted epoch), so spurious ones,
 * e.g. from a transaction that later rolled back, are harmless.
 */
export class AgreementNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  notify(subject: string): void {
    const set = this.waiters.get(subject);
    if (set === undefined) return;
    this.waiters.delete(subject);
    for (const wake of set) wake();
  }

  /** Resolves on the next notify for `subject`, after `ms`, or when `signal` aborts, whichever first. */
  wait(subject: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(subject);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(subject, set);
      }
      const registered = set;
      const finish = (): void => {
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
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }
}
