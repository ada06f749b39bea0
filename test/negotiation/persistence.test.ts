/** Participants, leases and the agreement (version + epoch) survive a restart on a file database. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { eventSchema, getAgreement, putParticipant, register, startHarness } from './harness.js';

const S = 'durable-value';

describe('restart persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'negotiation-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reopens with the same participants, agreement and epoch; expired leases stop counting', async () => {
    const path = join(dir, 'registry.db');
    const clock = new ManualClock();
    const first = await startHarness({ path, clock });
    await register(first, S, eventSchema());
    await putParticipant(first, S, 'wal', { role: 'writer', supports: { range: '^1.0.0' }, ttlSeconds: 600 });
    await putParticipant(first, S, 'old', { role: 'reader', supports: { versions: [1] }, ttlSeconds: 60 });
    await register(first, S, eventSchema('{"name":"tag","type":"string","default":""}'));
    const before = await getAgreement(first, S);
    assert.equal(before.version, 1);
    first.close();

    const second = await startHarness({ path, clock });
    try {
      const reopened = await getAgreement(second, S);
      assert.equal(reopened.version, 1);
      assert.equal(reopened.epoch, before.epoch);
      assert.deepEqual(reopened.participants, before.participants);

      // Leases are judged by the clock, across the restart too.
      clock.advance(60_000);
      const moved = await getAgreement(second, S);
      assert.equal(moved.version, 2);
      assert.equal(moved.epoch, before.epoch + 1);
      assert.deepEqual(
        moved.participants.map((p) => p.id),
        ['wal'],
      );
      const hs = await second.http
        .post(`/negotiation/subjects/${S}`)
        .send({ role: 'reader', supports: { range: '^1.0.0' } });
      assert.equal(hs.body.version, 2);
      assert.equal(hs.body.epoch, before.epoch + 1);
    } finally {
      second.close();
    }
  });

  it('keeps two server instances on one file coherent (WORKERS > 1): no stale memo', async () => {
    const path = join(dir, 'shared.db');
    const clock = new ManualClock();
    const a = await startHarness({ path, clock });
    const b = await startHarness({ path, clock });
    try {
      await register(a, S, eventSchema());
      const body = { role: 'reader', supports: { range: '^1.0.0' } };
      const shake = () => b.http.post(`/negotiation/subjects/${S}`).send(body);
      assert.equal((await shake()).body.version, 1);
      assert.equal((await shake()).body.version, 1, 'warm');
      await register(a, S, eventSchema('{"name":"tag","type":"string","default":""}'));
      assert.equal((await shake()).body.version, 2, "b sees a's registration");

      const viewB = await getAgreement(b, S);
      assert.equal(viewB.version, 2);
      await putParticipant(a, S, 'old', { role: 'reader', supports: { versions: [1] }, ttlSeconds: 60 });
      const after = await getAgreement(b, S);
      assert.equal(after.version, 1, "b sees a's participant");
      assert.equal(after.epoch, viewB.epoch + 1);
      assert.equal((await shake()).body.epoch, viewB.epoch + 1);
    } finally {
      a.close();
      b.close();
    }
  });
});
