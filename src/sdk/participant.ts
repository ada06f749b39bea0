import { type Clock, systemClock } from '../clock.js';
import type { RegistryClient } from './registry-client.js';
import { isRegistryError } from './registry-error.js';
import type { ParticipantAnswer, Role, Supports } from './registry-types.js';

/** The two timer calls the helper needs, injectable so tests fire renewals by hand. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers, unref'd: a forgotten lease must never keep the process alive. */
export const realTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface ParticipantOptions {
  subject: string;
  participantId: string;
  role: Role;
  supports: Supports;
  ttlSeconds: number;
  /** Renew once this fraction of the TTL has passed (default 0.5: two chances before expiry). */
  renewFraction?: number;
  /** Delay before retrying a failed renewal (default a tenth of the TTL, at most 5 s). */
  retryDelayMs?: number;
  clock?: Clock;
  timers?: Timers;
  /** Called with the server's answer (lease and current agreement) after every registration or renewal. */
  onRenewed?: (answer: ParticipantAnswer) => void;
  /** Called when a renewal fails; the helper keeps retrying until stopped. */
  onError?: (error: unknown) => void;
  /** Called once when the lease lapsed because renewals kept failing. */
  onExpired?: () => void;
}

/**
 * Keeps one participant's lease alive in the registry's agreement: registers it, renews it before it
 * expires, retries failed renewals without letting them pile up, and on stop() cancels the timer and
 * (by default) removes the participant so that the agreement need not wait for the lease to run out.
 */
export class ParticipantLease {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private supports: Supports;
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private expiredReported = false;
  private expiry: number | undefined;

  constructor(
    private readonly client: RegistryClient,
    private readonly options: ParticipantOptions,
  ) {
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds < 1) {
      throw new RangeError(`ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
    }
    const fraction = options.renewFraction ?? 0.5;
    if (!(fraction > 0 && fraction < 1)) {
      throw new RangeError(`renewFraction must be in (0, 1), got ${fraction}`);
    }
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? realTimers;
    this.supports = options.supports;
  }

  /** When the lease runs out unless renewed (ms since the epoch, by the injected clock). */
  get expiresAt(): number | undefined {
    return this.expiry;
  }

  get active(): boolean {
    return !this.stopped && this.expiry !== undefined && this.clock.now() < this.expiry;
  }

  /** Registers the participant; rejects if the first registration fails (nothing is scheduled then). */
  async start(): Promise<void> {
    if (this.stopped) throw new Error('participant lease was stopped');
    await this.renewNow(true);
  }

  /** Declares new capabilities (e.g. after an upgrade) and renews at once so the agreement moves. */
  async update(supports: Supports): Promise<void> {
    this.supports = supports;
    this.cancelTimer();
    await this.renewNow(true);
  }

  /** Stops renewing; waits for a renewal in flight, then removes the participant unless told not to. */
  async stop(options: { remove?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer();
    await this.inFlight?.catch(() => undefined);
    if (options.remove === false) return;
    try {
      await this.client.deleteParticipant(this.options.subject, this.options.participantId);
    } catch (error) {
      if (!(isRegistryError(error) && error.code === 'PARTICIPANT_NOT_FOUND')) throw error;
    } finally {
      this.expiry = undefined;
    }
  }

  private async renewNow(throwOnError: boolean): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    const attempt = this.putLease(throwOnError);
    this.inFlight = attempt;
    try {
      await attempt;
    } finally {
      if (this.inFlight === attempt) this.inFlight = undefined;
    }
  }

  private async putLease(throwOnError: boolean): Promise<void> {
    const { subject, participantId, role, ttlSeconds } = this.options;
    const sentAt = this.clock.now();
    try {
      const answer = await this.client.putParticipant(subject, participantId, {
        role,
        supports: this.supports,
        ttlSeconds,
      });
      if (this.stopped) return;
      // Count from when the request left: the server's lease started no earlier than that.
      this.expiry = sentAt + ttlSeconds * 1000;
      this.expiredReported = false;
      this.schedule(ttlSeconds * 1000 * (this.options.renewFraction ?? 0.5));
      this.options.onRenewed?.(answer);
    } catch (error) {
      if (this.stopped) throw error;
      // A failed first registration schedules nothing: the caller learns of it and decides.
      if (this.expiry === undefined && throwOnError) throw error;
      if (!throwOnError) this.options.onError?.(error);
      const now = this.clock.now();
      if (this.expiry !== undefined && now >= this.expiry && !this.expiredReported) {
        this.expiredReported = true;
        this.options.onExpired?.();
      }
      const retry = this.options.retryDelayMs ?? Math.min(5_000, ttlSeconds * 100);
      // Aim the retry before expiry when there is still room, so one failure does not cost the lease.
      const untilExpiry = this.expiry === undefined ? retry : Math.max(0, this.expiry - now - 1);
      this.schedule(untilExpiry > 0 ? Math.min(retry, untilExpiry) : retry);
      if (throwOnError) throw error;
    }
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        if (!this.stopped) void this.renewNow(false).catch(() => undefined);
      },
      Math.max(0, Math.floor(ms)),
    );
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

/** Creates and starts a lease in one call. */
export async function startParticipant(
  client: RegistryClient,
  options: ParticipantOptions,
): Promise<ParticipantLease> {
  const lease = new ParticipantLease(client, options);
  await lease.start();
  return lease;
}
