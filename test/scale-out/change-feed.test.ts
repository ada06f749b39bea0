/**
 * The change feed between instances: a write through instance A moves B's change token (its caches drop
 * what may have changed) when A's notice arrives; A's own token moves once, at A's commit, and its own
 * notice does not move it again (that would drop what A cached since, for nothing). A notice wakes
 * long-polls on every instance, A's own included.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import request from 'supertest';
import { ManualClock } from '../../src/clock.js';
import { createRegistryServer } from '../../src/server.js';
import { openStorage, type Storage } from '../../src/storage/open-storage.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

const opened: Storage[] = [];
after(async () => {
  for (const s of opened) await s.close();
});

async function until(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !probe(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(probe(), `${what} within 2.5 s`);
}

test('a write moves the other instance token on its notice, and its own token once', async () => {
  const config = await testConfig({ databasePath: '/change-feed/shared.db' });
  const clock = new ManualClock();
  const a = await openStorage(config, { clock });
  const b = await openStorage(config, { clock });
  opened.push(a, b);
  const seenByA: string[] = [];
  const seenByB: string[] = [];
  a.onRemoteChange((c) => seenByA.push(`${c.kind}:${c.subject}`));
  b.onRemoteChange((c) => seenByB.push(`${c.kind}:${c.subject}`));

  const a0 = a.changeToken.read();
  const b0 = b.changeToken.read();
  await a.store.setConfig('s', { compatibility: 'FULL', normalize: null }, () => {});
  assert.equal(a.changeToken.read(), a0 + 1, "A's commit moved A's token");
  await until(() => seenByB.includes('config:s'), "A's notice on B");
  assert.ok(b.changeToken.read() > b0, "B's token moved");
  await until(() => seenByA.includes('config:s'), "A's own notice on A");
  assert.equal(a.changeToken.read(), a0 + 1, "A's own notice did not move A's token again");

  // Notices travel with the COMMIT as SQL literals: quotes, backslashes and any text arrive intact.
  const odd = `it's a \\ "subject" \u00e9 ${'x'.repeat(20)}`;
  await a.store.setConfig(odd, { compatibility: 'NONE', normalize: null }, () => {});
  await until(() => seenByB.includes(`config:${odd}`), 'the odd subject on B');
  // A transaction that rolls back announces nothing.
  await assert.rejects(
    a.store.setConfig('vetoed', { compatibility: 'FULL', normalize: null }, () => {
      throw new Error('refused');
    }),
  );
  await a.store.setConfig('after', { compatibility: 'FULL', normalize: null }, () => {});
  await until(() => seenByB.includes('config:after'), 'a later notice on B');
  assert.ok(!seenByB.includes('config:vetoed'));
});

test('after its listening connection drops, an instance serves nothing mutable it may have missed', async () => {
  const config = await testConfig({ databasePath: '/change-feed/reconnect.db' });
  const clock = new ManualClock();
  const a = checkResponses(await createRegistryServer(config, { clock }));
  const b = checkResponses(await createRegistryServer(config, { clock }));
  after(async () => {
    await a.close();
    await b.close();
  });
  const schema = (n: number) =>
    JSON.stringify({
      type: 'record',
      name: 'R',
      fields: [{ name: `f${n}`, type: ['null', 'int'], default: null }],
    });
  const latest = async () =>
    (await request(b.handler).get('/subjects/s/versions/latest')).body.version as number;
  await request(a.handler).put('/config').send({ compatibility: 'NONE' });
  await request(a.handler)
    .post('/subjects/s/versions')
    .send({ schema: schema(1) });
  assert.equal(await latest(), 1, "B reads A's version 1 (and caches it)");

  // B's listening connection is cut: nothing is queued for it while it is gone.
  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  const cut = await admin.query(
    'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1',
    [`proximadb-registry feed ${b.storage.instanceId}`],
  );
  assert.deepEqual(cut.rows, [{ done: true }]);
  await request(a.handler)
    .post('/subjects/s/versions')
    .send({ schema: schema(2) });
  await admin.end();
  // Whether B answers while reconnecting (from the database) or after (caches dropped), never version 1.
  for (let i = 0; i < 100; i++) {
    assert.equal(await latest(), 2, 'B never serves the stale latest');
    await new Promise((r) => setTimeout(r, 10));
  }
});
