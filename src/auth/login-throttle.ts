/**
 * Throttling of failed logins, per client address and per user name: a token bucket per key holding
 * `limit` failures that refills at `limit` per `windowMs`. Only FAILURES take a token; an empty bucket
 * makes the next attempts under that key wait (429 with Retry-After) before any password is checked,
 * so guessing costs the attacker time and the server no scrypt. Which credentials are let through a
 * throttled key without waiting (those already verified) is the caller's decision (see auth.ts).
 *
 * Memory: a bucket that has refilled carries no information and is dropped; when more than `maxKeys`
 * keys hold recent failures, the ones whose last failure is oldest go first.
 */
import type { Clock } from '../clock.js';

export interface LoginThrottleOptions {
  /** Failures a key may have in a burst; 0 turns throttling off. */
  readonly limit: number;
  /** Time for an empty bucket to refill completely. */
  readonly windowMs: number;
  readonly clock: Clock;
  /** Keys with recent failures remembered per bucket map (default 100,000). */
  readonly maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

class Buckets {
  private map = new Map<string, Bucket>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  private level(bucket: Bucket, now: number): number {
    const refill = ((now - bucket.at) / this.windowMs) * this.limit;
    return Math.min(this.limit, bucket.tokens + Math.max(0, refill));
  }

  /** Milliseconds until `key` may try again (0: now). */
  waitMs(key: string, now: number): number {
    const bucket = this.map.get(key);
    if (bucket === undefined) return 0;
    const tokens = this.level(bucket, now);
    if (tokens >= 1) return 0;
    // The epsilon keeps floating-point dust from adding a whole millisecond (and so a second).
    return Math.ceil(((1 - tokens) * this.windowMs) / this.limit - 1e-6);
  }

  fail(key: string, now: number): void {
    const bucket = this.map.get(key);
    const tokens = bucket === undefined ? this.limit : this.level(bucket, now);
    // Re-inserted so the map's order is the order of last failure.
    this.map.delete(key);
    this.map.set(key, { tokens: Math.max(0, tokens - 1), at: now });
    if (this.map.size > this.maxKeys) this.prune(now);
  }

  get size(): number {
    return this.map.size;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.map) {
      if (this.level(bucket, now) >= this.limit) this.map.delete(key);
    }
    // Still full of recent failures: forget the oldest tenth in one pass.
    let excess = this.map.size - Math.floor(this.maxKeys * 0.9);
    for (const key of this.map.keys()) {
      if (excess-- <= 0) break;
      this.map.delete(key);
    }
  }
}

/** A client address as a throttling key: IPv4-mapped IPv6 as IPv4, IPv6 by its /64 (one host's range). */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%', 1)[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class LoginThrottle {
  readonly enabled: boolean;
  private readonly clock: Clock;
  private readonly byAddress: Buckets;
  private readonly byName: Buckets;

  constructor(options: LoginThrottleOptions) {
    this.enabled = options.limit > 0;
    this.clock = options.clock;
    const maxKeys = options.maxKeys ?? 100_000;
    const limit = Math.max(1, options.limit);
    this.byAddress = new Buckets(limit, options.windowMs, maxKeys);
    this.byName = new Buckets(limit, options.windowMs, maxKeys);
  }

  /** Whole seconds to wait before an attempt from `address` (for user `name`, if any) is checked; 0: go. */
  retryAfterSeconds(address: string, name?: string): number {
    if (!this.enabled) return 0;
    const now = this.clock.now();
    const wait = Math.max(
      this.byAddress.waitMs(addressKey(address), now),
      name === undefined ? 0 : this.byName.waitMs(name, now),
    );
    return wait === 0 ? 0 : Math.max(1, Math.ceil(wait / 1000));
  }

  /** Counts a failed attempt against the address and, when one was given, the user name. */
  recordFailure(address: string, name?: string): void {
    if (!this.enabled) return;
    const now = this.clock.now();
    this.byAddress.fail(addressKey(address), now);
    if (name !== undefined) this.byName.fail(name, now);
  }

  /** Keys remembered (addresses, names): for tests and diagnostics. */
  get tracked(): { readonly addresses: number; readonly names: number } {
    return { addresses: this.byAddress.size, names: this.byName.size };
  }
}
