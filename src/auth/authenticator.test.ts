import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Authenticator } from './authenticator.js';
import { hashPassword, hashToken, parseCredentials } from './credentials.js';

const FAST = { N: 1024 };

async function file(password: string, token: string) {
  return parseCredentials({
    users: [
      { name: 'alice', role: 'write', password: await hashPassword(password, FAST) },
      { name: 'bot', role: 'read', tokens: [hashToken(token)] },
    ],
  });
}

test('replace() swaps users, tokens and remembered logins in one step', async () => {
  const auth = new Authenticator(await file('one', 't1'));
  assert.equal((await auth.checkPassword('alice', 'one', 'enc-one'))?.name, 'alice');
  assert.equal(auth.knownGood('enc-one')?.name, 'alice');
  assert.equal(auth.verifiedCount, 1);
  auth.replace(await file('two', 't2'));
  assert.equal(auth.verifiedCount, 0, 'every remembered login dropped with the old credentials');
  assert.equal(auth.knownGood('enc-one'), undefined);
  assert.equal(await auth.checkPassword('alice', 'one', 'enc-one'), undefined);
  assert.equal((await auth.checkPassword('alice', 'two'))?.name, 'alice');
  assert.equal(auth.checkToken('t1'), undefined);
  assert.equal(auth.checkToken('t2')?.name, 'bot');
});

test('a password check running across a swap is judged again by the new credentials', async () => {
  const auth = new Authenticator(await file('one', 't1'));
  const [two, three] = [await file('two', 't2'), await file('two', 't3')];
  const pending = auth.checkPassword('alice', 'one', 'enc');
  auth.replace(two);
  assert.equal(await pending, undefined, 'the old password no longer holds');
  assert.equal(auth.verifiedCount, 0, 'nothing remembered for the old credentials');
  const again = auth.checkPassword('alice', 'two', 'enc2');
  auth.replace(three);
  assert.equal((await again)?.name, 'alice', 'checked again under the newer file, where it still holds');
  assert.equal(auth.knownGood('enc2')?.name, 'alice');
});

test('remembered logins are found by the text the client sent, never by a wrong one', async () => {
  const auth = new Authenticator(await file('one', 't1'));
  await auth.checkPassword('alice', 'one', 'YWxpY2U6b25l');
  assert.equal(auth.knownGood('YWxpY2U6b25l')?.name, 'alice');
  assert.equal(auth.knownGood('YWxpY2U6b25m'), undefined);
  assert.equal(auth.knownGood(''), undefined);
});
