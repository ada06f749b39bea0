import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Authenticator } from './authenticator.js';
import {
  CredentialsError,
  generateToken,
  hashPassword,
  hashToken,
  parseCredentials,
  parseScryptHash,
  subjectAccess,
  verifyPassword,
} from './credentials.js';

const FAST = { N: 1024 };

test('scrypt hashes have the documented shape and verify only the right password', async () => {
  const hash = await hashPassword('s3cret', FAST);
  assert.match(hash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
  const parsed = parseScryptHash(hash);
  assert.equal(await verifyPassword('s3cret', parsed), true);
  assert.equal(await verifyPassword('s3cret ', parsed), false);
  assert.equal(await verifyPassword('', parsed), false);
  // Same password, fresh salt: a different hash.
  assert.notEqual(await hashPassword('s3cret', FAST), hash);
});

test('malformed hashes and absurd scrypt parameters are refused', () => {
  for (const bad of [
    'plain',
    'scrypt$1024$8$1$abc',
    'bcrypt$1024$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    'scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    'scrypt$4294967296$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    'scrypt$1024$0$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    'scrypt$1024$8$1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA',
  ]) {
    assert.throws(() => parseScryptHash(bad), CredentialsError, bad);
  }
});

test('credentials documents are validated with messages that name the place, not the secret', async () => {
  const pw = await hashPassword('pw', FAST);
  assert.throws(() => parseCredentials([]), /must be a JSON object/);
  assert.throws(
    () => parseCredentials({ users: [{ name: 'a', role: 'root', password: pw }] }),
    /users\[0\]\.role/,
  );
  assert.throws(
    () => parseCredentials({ users: [{ name: 'a', role: 'read' }] }),
    /neither a password nor a token/,
  );
  assert.throws(
    () => parseCredentials({ users: [{ name: 'a', role: 'read', passwd: 'x' }] }),
    /users\[0\]: unknown key "passwd"/,
  );
  assert.throws(
    () => parseCredentials({ users: [{ name: 'a', role: 'read', tokens: ['abc'] }] }),
    /users\[0\]\.tokens\[0\]/,
  );
  assert.throws(
    () =>
      parseCredentials({
        users: [
          { name: 'a', role: 'read', password: pw },
          { name: 'a', role: 'write', password: pw },
        ],
      }),
    /duplicate user "a"/,
  );
  assert.throws(
    () =>
      parseCredentials({
        users: [{ name: 'a', role: 'read', password: pw, permissions: [{ prefix: 'x' }] }],
      }),
    /permissions\[0\]\.access/,
  );
  try {
    parseCredentials({ users: [{ name: 'a', role: 'read', password: 'scrypt$12$8$1$c2VjcmV0$c2VjcmV0' }] });
    assert.fail('expected a refusal');
  } catch (e) {
    assert.ok(!(e as Error).message.includes('c2VjcmV0'), 'the stored hash is not echoed');
  }
});

test('JSON keys like __proto__ in the credentials file do not pollute prototypes', () => {
  const doc = JSON.parse(
    `{"users":[{"name":"a","role":"read","tokens":["${hashToken('t')}"],"__proto__":{"role":"admin"}}]}`,
  );
  assert.throws(() => parseCredentials(doc), /unknown key "__proto__"/);
  assert.equal(({} as Record<string, unknown>).role, undefined);
});

test('subject access: admin writes everywhere, longest prefix wins, own rule wins a tie, else the role', async () => {
  const pw = await hashPassword('pw', FAST);
  const creds = parseCredentials({
    users: [
      { name: 'admin', role: 'admin', password: pw },
      {
        name: 'deploy',
        role: 'read',
        password: pw,
        permissions: [{ prefix: 'proximadb-*', access: 'write' }],
      },
      {
        name: 'ci',
        role: 'write',
        password: pw,
        permissions: [
          { prefix: 'secret-', access: 'none' },
          { prefix: 'proximadb-sdk-', access: 'write' },
        ],
      },
      { name: 'reader', role: 'read', password: pw },
    ],
    defaultPermissions: [{ prefix: 'proximadb-', access: 'read' }],
  });
  const user = (name: string) => {
    const u = creds.users.find((x) => x.name === name);
    assert.ok(u);
    return u;
  };
  assert.equal(subjectAccess(creds, user('admin'), 'proximadb-wal'), 'write');
  assert.equal(subjectAccess(creds, user('deploy'), 'proximadb-wal'), 'write');
  assert.equal(subjectAccess(creds, user('deploy'), 'orders-value'), 'read');
  assert.equal(subjectAccess(creds, user('ci'), 'proximadb-wal'), 'read');
  assert.equal(subjectAccess(creds, user('ci'), 'proximadb-sdk-py'), 'write');
  assert.equal(subjectAccess(creds, user('ci'), 'secret-keys'), 'none');
  assert.equal(subjectAccess(creds, user('ci'), 'orders-value'), 'write');
  assert.equal(subjectAccess(creds, user('reader'), 'orders-value'), 'read');
  assert.equal(subjectAccess(creds, user('reader'), 'proximadb-wal'), 'read');
});

test('the authenticator accepts right passwords and tokens only, and caches only successes', async () => {
  const { token, hash } = generateToken();
  const creds = parseCredentials({
    users: [
      { name: 'alice', role: 'write', password: await hashPassword('correct horse', FAST) },
      { name: 'bot', role: 'read', tokens: [hash, hashToken('other-token')] },
    ],
  });
  const auth = new Authenticator(creds, 2);
  assert.equal((await auth.checkPassword('alice', 'correct horse'))?.name, 'alice');
  assert.equal((await auth.checkPassword('alice', 'correct horse'))?.name, 'alice');
  assert.equal(await auth.checkPassword('alice', 'Correct horse'), undefined);
  assert.equal(await auth.checkPassword('mallory', 'correct horse'), undefined);
  assert.equal(await auth.checkPassword('bot', ''), undefined, 'a token-only user has no password');
  assert.equal(auth.checkToken(token)?.name, 'bot');
  assert.equal(auth.checkToken('other-token')?.name, 'bot');
  assert.equal(auth.checkToken(`${token}x`), undefined);
  assert.equal(auth.checkToken(''), undefined);
  // The cache is bounded: filling it past its size still verifies correctly.
  for (const pw of ['a', 'b', 'c']) assert.equal(await auth.checkPassword('alice', pw), undefined);
  assert.equal((await auth.checkPassword('alice', 'correct horse'))?.name, 'alice');
});

test('secrets are compared with crypto.timingSafeEqual on equal-length digests', async (t) => {
  const crypto = (await import('node:crypto')).default;
  const { syncBuiltinESMExports } = await import('node:module');
  const calls: Array<[number, number]> = [];
  const original = crypto.timingSafeEqual;
  t.mock.method(crypto, 'timingSafeEqual', (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    calls.push([a.byteLength, b.byteLength]);
    return original(a, b);
  });
  // Named imports of builtins are live bindings updated from the default export on sync.
  syncBuiltinESMExports();
  t.after(() => {
    t.mock.restoreAll();
    syncBuiltinESMExports();
  });
  const creds = parseCredentials({
    users: [
      { name: 'alice', role: 'read', password: await hashPassword('pw', FAST) },
      { name: 'bot', role: 'read', tokens: [hashToken('t1'), hashToken('t2')] },
    ],
  });
  const auth = new Authenticator(creds);
  assert.equal(await auth.checkPassword('alice', 'wrong'), undefined);
  assert.equal(calls.length, 1, 'a password check compares digests once');
  calls.length = 0;
  assert.equal(auth.checkToken('t1')?.name, 'bot');
  assert.equal(calls.length, 2, 'every stored token digest is compared, even after a match');
  for (const [a, b] of calls) assert.equal(a, b);
});
