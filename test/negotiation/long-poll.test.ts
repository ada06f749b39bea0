/**
 * Agreement long-polls: woken by writes, by lease expiry noticed on a re-check, or answered unchanged
 * when the wait (measured on the injected clock) ends. No timing assertions: tests move the clock or
 * trigger the change and wait for the answer.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  eventSchema,
  getAgreement,
  type Harness,
  neg,
  putParticipant,
  register,
  startHarness,
  until,
} from './harness.js';

const S = 'poll-value';

describe('agreement long-poll', () => {
  let h: Harness;
  let epoch: number;
  beforeEach(async () => {
    h = await startHarness({ pollIntervalMs: 5 });
    await register(h, S, eventSchema());
    epoch = (
      await putParticipant(h, S, 'old', { role: 'reader', supports: { versions: [1] }, ttlSeconds: 30 })
    ).epoch;
    await register(h, S, eventSchema('{"name":"tag","type":"string","default":""}'));
    assert.equal((await getAgreement(h, S)).epoch, epoch);
  });
  afterEach(() => h.close());

  // `.then` starts the request now; the test acts while it is parked.
  const poll = (query: string) => h.http.get(neg(S, `/agreement${query}`)).then((r) => r);

  it('answers at once when the epoch already passed afterEpoch, or without afterEpoch', async () => {
    const res = await poll(`?afterEpoch=${epoch - 1}&waitSeconds=60`);
    assert.equal(res.body.epoch, epoch);
    assert.equal((await poll('?waitSeconds=0&afterEpoch=999')).body.epoch, epoch, 'no wait, no parking');
    assert.equal((await poll('')).body.epoch, epoch);
    assert.equal(h.server.negotiation.pendingWaiters, 0);
  });

  it('wakes up on a write that moves the agreement', async () => {
    const waiting = poll(`?afterEpoch=${epoch}&waitSeconds=60`);
    await until(() => h.server.negotiation.pendingWaiters === 1, 'the long-poll to park');
    // The old reader widens its support: the agreement moves to version 2.
    await putParticipant(h, S, 'old', { role: 'reader', supports: { versions: [1, 2] }, ttlSeconds: 30 });
    const res = await waiting;
    assert.equal(res.status, 200);
    assert.equal(res.body.version, 2);
    assert.equal(res.body.epoch, epoch + 1);
  });

  it('wakes up when a blocking lease expires (noticed by the periodic re-check)', async () => {
    const waiting = poll(`?afterEpoch=${epoch}&waitSeconds=60`);
    await until(() => h.server.negotiation.pendingWaiters === 1, 'the long-poll to park');
    h.clock.advance(30_000);
    const res = await waiting;
    assert.equal(res.body.version, 2);
    assert.equal(res.body.epoch, epoch + 1);
    assert.deepEqual(res.body.participants, []);
  });

  it('answers the unchanged agreement when the wait ends', async () => {
    const waiting = poll(`?afterEpoch=${epoch}&waitSeconds=5`);
    await until(() => h.server.negotiation.pendingWaiters === 1, 'the long-poll to park');
    // A renewal that changes nothing leaves the epoch alone: the poll keeps waiting.
    await putParticipant(h, S, 'old', { role: 'reader', supports: { versions: [1] }, ttlSeconds: 30 });
    h.clock.advance(5_000);
    const res = await waiting;
    assert.equal(res.status, 200);
    assert.equal(res.body.version, 1);
    assert.equal(res.body.epoch, epoch);
  });

  it('caps the wait instead of rejecting a long one', { timeout: 20_000 }, async () => {
    // A lease that outlives the wait, so only the cap can end it.
    await putParticipant(h, S, 'old', { role: 'reader', supports: { versions: [1] }, ttlSeconds: 3600 });
    const waiting = poll(`?afterEpoch=${epoch}&waitSeconds=3600`);
    await until(() => h.server.negotiation.pendingWaiters === 1, 'the long-poll to park');
    h.clock.advance(60_000);
    const res = await waiting;
    assert.equal(res.status, 200);
    assert.equal(res.body.epoch, epoch, 'answered at the 60 s cap, unchanged');
  });

  it('stops waiting when the client hangs up', async () => {
    const listener = h.server.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    const { port } = listener.address() as AddressInfo;
    const req = request({
      host: '127.0.0.1',
      port,
      path: neg(S, `/agreement?afterEpoch=${epoch}&waitSeconds=60`),
    });
    req.on('error', () => undefined);
    req.end();
    await until(() => h.server.negotiation.pendingWaiters === 1, 'the long-poll to park');
    req.destroy();
    await until(() => h.server.negotiation.pendingWaiters === 0, 'the waiter to be released');
    await new Promise((resolve) => listener.close(resolve));
  });
});
