/** The lease helper against the real negotiation endpoints, with a hand-moved clock and hand-fired timers. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { VECTOR_RECORD_SCHEMA } from '../../src/sdk/lean-records.js';
import { ParticipantLease, realTimers, startParticipant, type Timers } from '../../src/sdk/participant.js';
import { RegistryClient } from '../../src/sdk/registry-client.js';
import type { ParticipantAnswer } from '../../src/sdk/registry-types.js';
import { startRegistry, type TestRegistry } from './registry-harness.js';

class FakeTimers implements Timers {
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 0;

  setTimeout(callback: () => void, ms: number): unknown {
    this.next += 1;
    this.pending.set(this.next, { callback, ms });
    return this.next;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** The single scheduled delay (the helper never keeps more than one timer). */
  only(): number {
    assert.equal(this.pending.size, 1, 'exactly one timer scheduled');
    return [...this.pending.values()][0]?.ms as number;
  }

  fire(): void {
    const [handle, timer] = [...this.pending.entries()][0] ?? assert.fail('no timer to fire');
    this.pending.delete(handle);
    timer.callback();
  }
}

/** Resolves on the next callback the lease makes (renewed, error, expired). */
class Events {
  readonly log: string[] = [];
  readonly answers: ParticipantAnswer[] = [];
  private waiter: (() => void) | undefined;
  record(event: string): void {
    this.log.push(event);
    this.waiter?.();
  }
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

describe('ParticipantLease', () => {
  const NOW = Date.UTC(2026, 0, 10);
  const clock = new ManualClock(NOW);
  let registry: TestRegistry;
  let failing = 0;
  let client: RegistryClient;
  const requests: string[] = [];

  before(async () => {
    registry = await startRegistry(clock);
    client = new RegistryClient({
      url: registry.url,
      retry: { maxRetries: 0 },
      fetch: (input, init) => {
        requests.push(`${init?.method} ${new URL(String(input)).pathname}`);
        if (failing > 0) {
          failing -= 1;
          return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));
        }
        return fetch(input, init);
      },
    });
    await client.register('wal', VECTOR_RECORD_SCHEMA);
  });
  after(() => registry.stop());

  const options = (timers: Timers, events: Events) => ({
    subject: 'wal',
    participantId: 'reader-1',
    role: 'reader' as const,
    supports: { versions: [1] },
    ttlSeconds: 30,
    retryDelayMs: 1_000,
    clock,
    timers,
    onRenewed: (answer: ParticipantAnswer) => {
      events.answers.push(answer);
      events.record('renewed');
    },
    onError: () => events.record('error'),
    onExpired: () => events.record('expired'),
  });

  it('registers, renews at half the TTL, retries failures before expiry, reports expiry, stops cleanly', async () => {
    const timers = new FakeTimers();
    const events = new Events();
    const lease = await startParticipant(client, options(timers, events));
    assert.deepEqual(events.log, ['renewed']);
    assert.equal(events.answers[0]?.agreement.version, 1);
    assert.equal(lease.expiresAt, NOW + 30_000);
    assert.equal(timers.only(), 15_000, 'renews when half the TTL has passed');

    clock.advance(15_000);
    let next = events.next();
    timers.fire();
    await next;
    assert.deepEqual(events.log, ['renewed', 'renewed']);
    assert.equal(lease.expiresAt, NOW + 45_000);

    failing = 100;
    clock.advance(15_000);
    next = events.next();
    timers.fire();
    await next;
    assert.equal(events.log.at(-1), 'error');
    assert.equal(timers.only(), 1_000, 'retries soon, well before the lease runs out');
    assert.equal(lease.active, true);

    clock.advance(15_000); // past expiry (NOW + 45 s)
    next = events.next();
    timers.fire();
    await next;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events.log.slice(-2), ['error', 'expired']);
    assert.equal(lease.active, false);

    failing = 0;
    next = events.next();
    timers.fire();
    await next;
    assert.equal(events.log.at(-1), 'renewed', 'a lapsed lease is re-registered once the registry answers');
    assert.equal(lease.active, true);

    requests.length = 0;
    await lease.stop();
    assert.equal(timers.pending.size, 0, 'no timer left behind');
    assert.deepEqual(requests, ['DELETE /negotiation/subjects/wal/participants/reader-1']);
    const agreement = await client.getAgreement('wal');
    assert.equal(
      agreement.participants?.some((p) => p.id === 'reader-1'),
      false,
    );
    await lease.stop();
    assert.equal(requests.length, 2, 'a second stop does nothing (the GET above is the other request)');
  });

  it('update() renews at once with the new capabilities', async () => {
    const timers = new FakeTimers();
    const events = new Events();
    const lease = new ParticipantLease(client, { ...options(timers, events), participantId: 'reader-2' });
    await lease.start();
    requests.length = 0;
    await lease.update({ range: '>=1.0.0' });
    assert.deepEqual(requests, ['PUT /negotiation/subjects/wal/participants/reader-2']);
    assert.equal(timers.only(), 15_000);
    await lease.stop({ remove: false });
    assert.equal(timers.pending.size, 0);
  });

  it('fails start() when the first registration fails, leaving nothing scheduled', async () => {
    const timers = new FakeTimers();
    failing = 1;
    await assert.rejects(
      startParticipant(client, { ...options(timers, new Events()), participantId: 'reader-3' }),
    );
    assert.equal(timers.pending.size, 0);
  });

  it('rejects a bad TTL up front', () => {
    assert.throws(
      () => new ParticipantLease(client, { ...options(new FakeTimers(), new Events()), ttlSeconds: 0 }),
    );
  });

  it('real timers are unref’d so a forgotten lease never keeps the process alive', () => {
    const handle = realTimers.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    assert.equal(handle.hasRef(), false);
    realTimers.clearTimeout(handle);
  });
});
