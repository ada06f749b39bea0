/**
 * The agreement view shows what each participant declared it supports (for people watching a
 * rollout), with a declared schema text flagged rather than copied into every answer.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eventSchema, neg, register, startHarness } from './harness.js';

const h = await startHarness();
after(() => h.close());

test('participants carry their declared supports in the agreement view', async () => {
  await register(h, 'wal-value', eventSchema());
  await h.http
    .put(neg('wal-value', '/participants/wal'))
    .send({ role: 'writer', supports: { range: '^1.0.0' }, ttlSeconds: 30 })
    .expect(200);
  await h.http
    .put(neg('wal-value', '/participants/old-reader'))
    .send({ role: 'reader', supports: { versions: [1], schema: eventSchema() }, ttlSeconds: 30 })
    .expect(200);
  const res = await h.http.get(neg('wal-value', '/agreement')).expect(200);
  const byId = new Map(
    (res.body.participants as Array<{ id: string; supports: unknown }>).map((p) => [p.id, p.supports]),
  );
  assert.deepEqual(byId.get('wal'), { range: '^1.0.0' });
  assert.deepEqual(byId.get('old-reader'), { versions: [1], schema: true });
});
