import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KeyedDigest, sha256 } from './keyed-digest.js';

test('KeyedDigest is HMAC-SHA256 of the message UTF-8, exactly as createHmac computes it', () => {
  for (let round = 0; round < 20; round++) {
    const key = Buffer.from(randomBytes(1 + (round % 64)).map((b) => b & 0x7f));
    const digest = new KeyedDigest(key);
    for (const message of ['', 'a', 'reader:pw', 'ünïcødé\u0000pässwörd 🔑', 'x'.repeat(1000), '\uD800']) {
      assert.equal(digest.digest(message), createHmac('sha256', key).update(message).digest('base64'));
    }
  }
});

test('two processes (instances) key differently; keys must be below 0x80', () => {
  assert.notEqual(new KeyedDigest().digest('x'), new KeyedDigest().digest('x'));
  assert.throws(() => new KeyedDigest(Buffer.from([0x80])), RangeError);
  assert.throws(() => new KeyedDigest(Buffer.alloc(65)), RangeError);
});

test('sha256 is SHA-256 in the asked encoding', () => {
  for (const data of ['', 'token', Buffer.from([0, 255, 1])]) {
    assert.equal(sha256(data, 'hex'), createHash('sha256').update(data).digest('hex'));
    assert.equal(sha256(data, 'base64'), createHash('sha256').update(data).digest('base64'));
    assert.deepEqual(
      Buffer.from(sha256(data, 'binary'), 'latin1'),
      createHash('sha256').update(data).digest(),
    );
  }
});
