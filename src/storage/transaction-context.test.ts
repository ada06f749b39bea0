import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransactionContext } from './transaction-context.js';

interface Tx {
  readonly name: string;
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
  let releaseA!: () => void;
  const gateA = new Promise<void>((resolve) => {
    releaseA = resolve;
  });
  const runA = context.run(a, async () => {
    await gateA;
    return context.current();
  });
  const seenB = await context.run(b, async () => context.current());
  releaseA();
  assert.equal(await runA, a);
  assert.equal(seenB, b);
});

test('a callback made inside a finished transaction does not join the one open now', async () => {
  const context = new TransactionContext<Tx>();
  const first = { name: 'first' };
  const second = { name: 'second' };
  let settle!: () => void;
  const later = new Promise<void>((resolve) => {
    settle = resolve;
  });
  let seenLater: Tx | undefined | 'not run' = 'not run';
  let callbackDone!: Promise<void>;
  await context.run(first, async () => {
    // Registered in the first transaction's context, runs after it has committed.
    callbackDone = later.then(() => {
      seenLater = context.current();
    });
  });
  await context.run(second, async () => {
    settle();
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
