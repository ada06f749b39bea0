/**
 * The worked rollout of docs/negotiation.md, end to end over HTTP: the WAL writes 1.0.0, clients
 * upgrade to 1.1.0, and the WAL moves to 1.1.0 only when the last old reader renews with the new range
 * or its lease expires. Every agreement seen is checked against the live readers (assertSafe).
 */
import assert from 'node:assert/strict';
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

const SUBJECT = 'proxima-wal-value';
const V1 = eventSchema();
const V11 = eventSchema('{"name":"tag","type":"string","default":""}');

describe('rollout: WAL on 1.0.0, clients upgrading to 1.1.0', () => {
  let h: Harness;
  let startEpoch: number;

  beforeEach(async () => {
    h = await startHarness();
    await register(h, SUBJECT, V1);
    await putParticipant(h, SUBJECT, 'wal', {
      role: 'writer',
      supports: { range: '^1.0.0' },
      ttlSeconds: 30,
    });
    await putParticipant(h, SUBJECT, 'reader-a', {
      role: 'reader',
      supports: { range: '1.0.x' },
      ttlSeconds: 60,
    });
    const agreed = await putParticipant(h, SUBJECT, 'reader-b', {
      role: 'reader',
      supports: { range: '1.0.x' },
      ttlSeconds: 60,
    });
    assert.equal(agreed.semver, '1.0.0');
    startEpoch = agreed.epoch;

    // 1.1.0 is registered while old readers are live: the agreement holds, and says who blocks.
    await register(h, SUBJECT, V11);
    const held = await getAgreement(h, SUBJECT);
    assert.equal(held.version, 1);
    assert.equal(held.epoch, startEpoch, 'nothing changed, so the epoch did not move');
    assert.equal(held.degraded, false);
    assert.deepEqual(
      held.blocked.map((b) => [b.semver, b.blockers.map((x) => x.participant)]),
      [['1.1.0', ['reader-a', 'reader-b']]],
    );

    // An upgraded client handshakes on its own: it gets 1.1.0 (it holds it), and can read both.
    const hs = await h.http.post(neg(SUBJECT)).send({ role: 'reader', supports: { schema: V11 } });
    assert.equal(hs.status, 200);
    assert.equal(hs.body.semver, '1.1.0');
    assert.equal(hs.body.match, 'exact');
    assert.equal(hs.body.schema, undefined, 'the client holds the schema: not sent');
    assert.deepEqual(hs.body.readable, [
      { version: 1, semver: '1.0.0' },
      { version: 2, semver: '1.1.0' },
    ]);

    // reader-a upgrades and renews with the new range; reader-b still blocks.
    const partial = await putParticipant(h, SUBJECT, 'reader-a', {
      role: 'reader',
      supports: { range: '^1.0.0' },
      ttlSeconds: 60,
    });
    assert.equal(partial.version, 1);
    assert.equal(partial.epoch, startEpoch);
    assert.deepEqual(
      partial.blocked[0]?.blockers.map((b) => b.participant),
      ['reader-b'],
    );
  });

  afterEach(() => h.close());

  it('moves to 1.1.0 when the last old reader renews with the new range (the WAL long-polls)', async () => {
    const waiting = h.http
      .get(neg(SUBJECT, `/agreement?afterEpoch=${startEpoch}&waitSeconds=30`))
      .then((r) => r);
    await until(() => h.server.negotiation.pendingWaiters === 1, 'the long-poll to park');

    await putParticipant(h, SUBJECT, 'reader-b', {
      role: 'reader',
      supports: { range: '^1.0.0' },
      ttlSeconds: 60,
    });
    const woke = await waiting;
    assert.equal(woke.status, 200);
    assert.equal(woke.body.semver, '1.1.0');
    assert.equal(woke.body.epoch, startEpoch + 1, 'one change, one epoch');
    assert.deepEqual(woke.body.blocked, []);

    // Renewals that change nothing leave the epoch alone.
    const renewed = await putParticipant(h, SUBJECT, 'wal', {
      role: 'writer',
      supports: { range: '^1.0.0' },
      ttlSeconds: 30,
    });
    assert.equal(renewed.epoch, startEpoch + 1);
  });

  it('moves to 1.1.0 when the last old reader lease expires (injected clock, no sleeps)', async () => {
    // Keep the WAL and reader-a alive; reader-b stops renewing.
    h.clock.advance(25_000);
    await putParticipant(h, SUBJECT, 'wal', {
      role: 'writer',
      supports: { range: '^1.0.0' },
      ttlSeconds: 30,
    });
    await putParticipant(h, SUBJECT, 'reader-a', {
      role: 'reader',
      supports: { range: '^1.0.0' },
      ttlSeconds: 60,
    });
    h.clock.advance(25_000);
    await putParticipant(h, SUBJECT, 'wal', {
      role: 'writer',
      supports: { range: '^1.0.0' },
      ttlSeconds: 30,
    });
    const stillHeld = await getAgreement(h, SUBJECT);
    assert.equal(stillHeld.version, 1, 'reader-b lease (60 s) has 10 s left');

    h.clock.advance(10_000);
    const moved = await getAgreement(h, SUBJECT);
    assert.equal(moved.version, 2);
    assert.equal(moved.epoch, startEpoch + 1);
    assert.deepEqual(
      moved.participants.map((p) => p.id),
      ['reader-a', 'wal'],
      'the expired lease no longer counts',
    );
    // GET persisted the change: the next read sees the same epoch.
    assert.equal((await getAgreement(h, SUBJECT)).epoch, startEpoch + 1);
  });

  it('falls back (degraded) when an old reader joins late, and recovers when it leaves', async () => {
    await putParticipant(h, SUBJECT, 'reader-b', {
      role: 'reader',
      supports: { range: '^1.0.0' },
      ttlSeconds: 60,
    });
    const onNew = await getAgreement(h, SUBJECT);
    assert.equal(onNew.version, 2);

    const late = await putParticipant(h, SUBJECT, 'legacy', {
      role: 'reader',
      supports: { versions: [1] },
      ttlSeconds: 60,
    });
    assert.equal(late.version, 1);
    assert.equal(late.degraded, true);
    assert.equal(late.epoch, onNew.epoch + 1);
    assert.deepEqual(late.fallbackFrom, { version: 2, semver: '1.1.0' });
    assert.match(late.reason ?? '', /fell back from 1\.1\.0.*legacy/);

    const gone = await h.http.delete(neg(SUBJECT, '/participants/legacy'));
    assert.equal(gone.status, 200);
    assert.equal(gone.body.agreement.version, 2);
    assert.equal(gone.body.agreement.degraded, false);
    assert.equal(gone.body.agreement.epoch, onNew.epoch + 2);
  });
});
