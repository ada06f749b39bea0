/** Same-transaction safety: registrations and deletes recompute the agreement; the agreed version is guarded. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  eventSchema,
  getAgreement,
  type Harness,
  putParticipant,
  register,
  startHarness,
} from './harness.js';

const S = 'wal-value';
const V1 = eventSchema();
const V11 = eventSchema('{"name":"tag","type":"string","default":""}');
const V12 = eventSchema(
  '{"name":"tag","type":"string","default":""}',
  '{"name":"n","type":"int","default":0}',
);

interface AgreementRow {
  version: number | null;
  epoch: number;
}

/** The agreement as the store persisted it (either backend). */
async function persisted(h: Harness): Promise<AgreementRow | undefined> {
  const row = await h.server.storage.negotiationStore.getAgreement(S);
  return row === undefined ? undefined : { version: row.version, epoch: row.epoch };
}

describe('agreement safety', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await register(h, S, V1);
    await register(h, S, V11);
    await putParticipant(h, S, 'wal', { role: 'both', supports: { range: '^1.0.0' }, ttlSeconds: 60 });
  });
  afterEach(() => h.close());

  it('a registration recomputes and persists the agreement in its own transaction', async () => {
    const before = await persisted(h);
    assert.deepEqual(before, { version: 2, epoch: before?.epoch });
    await register(h, S, V12);
    // Read the table directly: no GET in between recomputed anything.
    assert.deepEqual(await persisted(h), { version: 3, epoch: (before?.epoch ?? 0) + 1 });
  });

  it('refuses to soft-delete the agreed version while live participants use it', async () => {
    const res = await h.http.delete(`/subjects/${S}/versions/2`);
    assert.equal(res.status, 422);
    assert.equal(res.body.error_code, 42252);
    assert.match(
      res.body.message,
      /Version 2 \(1\.1\.0\).*agreed version of 1 live participant\(s\) \(wal\)/,
    );
    assert.deepEqual(
      Object.keys(res.body).sort(),
      ['error_code', 'message'],
      'Confluent route: plain envelope',
    );
    // Nothing was deleted: the veto rolled the transaction back.
    const versions = await h.http.get(`/subjects/${S}/versions`);
    assert.deepEqual(versions.body, [1, 2]);
  });

  it('refuses to soft-delete the whole subject while participants use it', async () => {
    const res = await h.http.delete(`/subjects/${S}`);
    assert.equal(res.status, 422);
    assert.equal(res.body.error_code, 42252);
    assert.match(res.body.message, /Retry with force=true/);
  });

  it('a subject delete with force=true overrides the veto, as a version delete does', async () => {
    const epoch = (await persisted(h))?.epoch ?? 0;
    const res = await h.http.delete(`/subjects/${S}?force=true`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, [1, 2]);
    assert.deepEqual((await h.http.get(`/subjects/${S}/versions?deleted=true`)).body, [1, 2]);
    assert.equal((await h.http.get(`/subjects/${S}/versions`)).status, 404);
    // The agreement moved (to "no live version") in the same transaction.
    assert.deepEqual(await persisted(h), { version: null, epoch: epoch + 1 });
  });

  it('allows the delete with force=true and moves the agreement in the same transaction', async () => {
    const epoch = (await persisted(h))?.epoch ?? 0;
    const res = await h.http.delete(`/subjects/${S}/versions/2?force=true`);
    assert.equal(res.status, 200);
    assert.deepEqual(await persisted(h), { version: 1, epoch: epoch + 1 });
    assert.equal((await getAgreement(h, S)).version, 1);
  });

  it('allows deleting a version the agreement does not use, and the agreed one once leases expire', async () => {
    assert.equal((await h.http.delete(`/subjects/${S}/versions/1`)).status, 200);
    h.clock.advance(60_000);
    assert.equal((await h.http.delete(`/subjects/${S}/versions/2`)).status, 200, 'the lease expired');
    assert.deepEqual(await persisted(h), { version: null, epoch: (await persisted(h))?.epoch });
    const gone = await h.http.get(`/negotiation/subjects/${S}/agreement`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error_code, 40401);
    // A stale lease on a subject without live versions can still be removed.
    const removed = await h.http.delete(`/negotiation/subjects/${S}/participants/wal`);
    assert.equal(removed.status, 200);
    assert.equal(removed.body.agreement.version, null);
  });

  it('guards the version the agreement currently uses, even when it held back for a reader', async () => {
    await putParticipant(h, S, 'old', { role: 'reader', supports: { versions: [1] }, ttlSeconds: 60 });
    assert.equal((await h.http.delete(`/subjects/${S}/versions/2`)).status, 200, '1.1.0 is not in use now');
    const res = await h.http.delete(`/subjects/${S}/versions/1`);
    assert.equal(res.status, 422);
  });
});
