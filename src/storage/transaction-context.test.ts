import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransactionContext } from './transaction-context.js';

interface Tx {
  readonly name: string;
}

/** A promise and the function that settles it (to hold code at an await until the test says so). */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

test('code inside run() sees its transaction, across awaits; code outside sees none', async () => {
  const context = new TransactionContext<Tx>();
  const tx = { name: 'a' };
  assert.equal(context.current(), undefined);
  const seen = await context.run(tx, async () => {
    const before = context.current();
    await new Promise((resolve) => setImmediate(resolve));
    return [before, context.current()];
  });
  assert.deepEqual(seen, [tx, tx]);
  assert.equal(context.current(), undefined);
});

test('concurrent transactions each see their own', async () => {
  const context = new TransactionContext<Tx>();
  const a = { name: 'a' };
  const b = { name: 'b' };
  const gateA = gate();
  const runA = context.run(a, async () => {
    await gateA.opened;
    return context.current();
  });
  const seenB = await context.run(b, async () => context.current());
  gateA.open();
  assert.equal(await runA, a);
  assert.equal(seenB, b);
});

test('a callback made inside a finished transaction does not join the one open now', async () => {
  const context = new TransactionContext<Tx>();
  const first = { name: 'first' };
  const second = { name: 'second' };
  const later = gate();
  let seenLater: Tx | undefined | 'not run' = 'not run';
  let callbackDone!: Promise<void>;
  await context.run(first, async () => {
    // Registered in the first transaction's context, runs after it has committed.
    callbackDone = later.opened.then(() => {
      seenLater = context.current();
    });
  });
  await context.run(second, async () => {
    later.open();
    await callbackDone;
  });
  assert.equal(seenLater, undefined);
});

test('a transaction that throws is closed too', async () => {
  const context = new TransactionContext<Tx>();
  await assert.rejects(
    context.run({ name: 'failing' }, async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(context.current(), undefined);
  const tx = { name: 'next' };
  assert.equal(await context.run(tx, () => context.current()), tx);
});
