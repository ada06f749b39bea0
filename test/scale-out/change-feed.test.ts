/**
 * The change feed between instances: a write through instance A moves B's change token (its caches drop
 * what may have changed) when A's notice arrives; A's own token moves once, at A's commit, and its own
 * notice does not move it again (that would drop what A cached since, for nothing). A notice wakes
 * long-polls on every instance, A's own included.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ManualClock } from '../../src/clock.js';
import { openStorage, type Storage } from '../../src/storage/open-storage.js';
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
