/**
 * Negotiation under hostile load (issue #17): participants per subject and parked long-polls (per
 * subject and per process) are bounded with clear, retryable refusals; every waiter woken by a write is
 * answered from ONE shared, already-serialised agreement; lease answers do not grow with the number of
 * participants. And a lease belongs to its owner: with access control, only the identity that created a
 * participant (or an admin) may renew or remove it, and joining as a writer needs write access.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { hashToken } from '../../src/auth/credentials.js';
import { assertError } from '../http/helpers.js';
import { eventSchema, type Harness, neg, register, startHarness, until } from './harness.js';

const S = 'limits-value';
const reader = { role: 'reader', supports: { range: '^1.0.0' }, ttlSeconds: 60 };

describe('bounds on participants and parked long-polls', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('refuses the participant beyond the limit with 429 and Retry-After until the earliest lease runs out', async () => {
    h = await startHarness({ config: { maxParticipants: 3 } });
    await register(h, S, eventSchema());
    for (const [id, ttl] of [
      ['a', 30],
      ['b', 60],
      ['c', 90],
    ] as const) {
      assert.equal(
        (await h.http.put(neg(S, `/participants/${id}`)).send({ ...reader, ttlSeconds: ttl })).status,
        200,
      );
    }
    const refused = await h.http.put(neg(S, '/participants/d')).send(reader);
    assertError(refused, 429, 42950, /already has 3 participants \(limit 3, NEGOTIATION_MAX_PARTICIPANTS\)/);
    assert.equal(refused.headers['retry-after'], '30');
    // Renewing an existing participant is never refused.
    assert.equal((await h.http.put(neg(S, '/participants/b')).send(reader)).status, 200);
    // Once a lease has run out, a newcomer takes its place (the expired one is purged).
    h.clock.advance(31_000);
    assert.equal((await h.http.put(neg(S, '/participants/d')).send(reader)).status, 200);
    const view = await h.http.get(neg(S, '/agreement'));
    assert.deepEqual(
      view.body.participants.map((p: { id: string }) => p.id),
      ['b', 'c', 'd'],
    );
  });

  it('refuses parked long-polls beyond the per-subject and per-process limits (429, then 503)', async () => {
    h = await startHarness({ config: { maxWaitersPerSubject: 2, maxWaiters: 3 } });
    await register(h, S, eventSchema());
    await register(h, 'other', eventSchema());
    const epoch = (await h.http.get(neg(S, '/agreement'))).body.epoch as number;
    const park = (subject: string) =>
      h.http.get(neg(subject, `/agreement?afterEpoch=${epoch}&waitSeconds=30`)).then((r) => r);
    const parked = [park(S), park(S)];
    await until(() => h.server.negotiation.pendingWaiters === 2, 'two waiters parked');
    const bySubject = await park(S);
    assertError(bySubject, 429, 42951, /already has 2 agreement long-polls waiting/);
    assert.equal(bySubject.headers['retry-after'], '1');
    parked.push(park('other'));
    await until(() => h.server.negotiation.pendingWaiters === 3, 'three waiters parked');
    const total = await park('other');
    assertError(total, 503, 50350, /limit 3, NEGOTIATION_MAX_WAITERS/);
    // A plain read (no waitSeconds) is never refused, and the parked ones are answered when time runs out.
    assert.equal((await h.http.get(neg(S, '/agreement'))).status, 200);
    h.clock.advance(31_000);
    for (const res of await Promise.all(parked)) assert.equal(res.status, 200);
  });

  it('a draining server answers its parked long-polls at once and parks no new ones', async () => {
    h = await startHarness();
    await register(h, S, eventSchema());
    const epoch = (await h.http.get(neg(S, '/agreement'))).body.epoch as number;
    const parked = h.http.get(neg(S, `/agreement?afterEpoch=${epoch}&waitSeconds=30`)).then((r) => r);
    await until(() => h.server.negotiation.pendingWaiters === 1, 'parked');
    h.server.startDraining();
    const answered = await parked;
    assert.equal(answered.status, 200);
    assert.equal(answered.body.epoch, epoch, 'the current agreement, unchanged, without waiting 30 s');
    const late = await h.http.get(neg(S, `/agreement?afterEpoch=${epoch}&waitSeconds=30`));
    assert.equal(late.status, 200);
    assert.equal(h.server.negotiation.pendingWaiters, 0);
  });

  it('wakes every waiter from one shared, already-serialised agreement', async () => {
    h = await startHarness();
    await register(h, S, eventSchema());
    for (let i = 0; i < 50; i++) {
      await h.http.put(neg(S, `/participants/p${String(i).padStart(2, '0')}`)).send(reader);
    }
    const service = h.server.negotiation;
    const epoch = (await service.getAgreement(S)).view.epoch;
    const waiting = Array.from({ length: 200 }, () =>
      service.getAgreement(S, { afterEpoch: String(epoch), waitSeconds: '30' }),
    );
    await until(() => service.pendingWaiters === 200, 'all parked');
    await register(h, S, eventSchema('{"name":"tag","type":"string","default":""}'));
    const answers = await Promise.all(waiting);
    assert.ok(
      answers.every((a) => a === answers[0]),
      'one answer object, serialised once, for every waiter',
    );
    assert.equal(answers[0]?.view.epoch, epoch + 1);
    assert.equal(answers[0]?.view.participants.length, 50);
  });

  it('answers a lease write with a summary that does not list the participants', async () => {
    h = await startHarness();
    await register(h, S, eventSchema());
    for (let i = 0; i < 20; i++) await h.http.put(neg(S, `/participants/p${i}`)).send(reader);
    const res = await h.http.put(neg(S, '/participants/last')).send(reader);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.agreement).sort(), [
      'degraded',
      'epoch',
      'id',
      'liveParticipants',
      'semver',
      'subject',
      'version',
    ]);
    assert.equal(res.body.agreement.liveParticipants, 21);
  });
});

describe('participants belong to their owner (access control on)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'owners-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const authFile = join(dir, 'credentials.json');
  writeFileSync(
    authFile,
    JSON.stringify({
      users: [
        { name: 'admin', role: 'admin', tokens: [hashToken('admin-token')] },
        { name: 'wal', role: 'write', tokens: [hashToken('wal-token')] },
        { name: 'alice', role: 'read', tokens: [hashToken('alice-token')] },
        { name: 'mallory', role: 'read', tokens: [hashToken('mallory-token')] },
      ],
    }),
  );
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  let h: Harness;
  afterEach(() => h.close());

  it('only the owner or an admin may renew or remove a lease; writers need write access', async () => {
    h = await startHarness({ config: { authFile } });
    const created = await h.http
      .post(`/subjects/${S}/versions`)
      .set(as('wal-token'))
      .send({ schema: eventSchema() });
    assert.equal(created.status, 200);
    const writer = { role: 'writer', supports: { range: '^1.0.0' }, ttlSeconds: 60 };
    assert.equal(
      (await h.http.put(neg(S, '/participants/wal')).set(as('wal-token')).send(writer)).status,
      200,
    );

    // A read user can neither overwrite nor delete the WAL's lease, nor join as a writer.
    const hijack = await h.http.put(neg(S, '/participants/wal')).set(as('mallory-token')).send(reader);
    assertError(hijack, 403, 403, /may not change participant 'wal'.*only its owner or an admin/);
    assertError(await h.http.delete(neg(S, '/participants/wal')).set(as('mallory-token')), 403, 403);
    const asWriter = await h.http.put(neg(S, '/participants/fake-wal')).set(as('mallory-token')).send(writer);
    assertError(asWriter, 403, 403, /may not join subject .* as a writer: that needs write access/);

    // A read user's own reader lease is its own; another reader cannot touch it.
    assert.equal(
      (await h.http.put(neg(S, '/participants/alice')).set(as('alice-token')).send(reader)).status,
      200,
    );
    assert.equal(
      (await h.http.put(neg(S, '/participants/alice')).set(as('alice-token')).send(reader)).status,
      200,
    );
    assertError(await h.http.delete(neg(S, '/participants/alice')).set(as('mallory-token')), 403, 403);

    // Nothing changed hands: the agreement still has the WAL as a writer.
    const view = await h.http.get(neg(S, '/agreement')).set(as('alice-token'));
    assert.deepEqual(
      view.body.participants.map((p: { id: string; role: string }) => `${p.id}:${p.role}`),
      ['alice:reader', 'wal:writer'],
    );
    // An admin may remove anyone's lease.
    assert.equal((await h.http.delete(neg(S, '/participants/wal')).set(as('admin-token'))).status, 200);
    assert.equal((await h.http.delete(neg(S, '/participants/alice')).set(as('alice-token'))).status, 200);
  });
});
