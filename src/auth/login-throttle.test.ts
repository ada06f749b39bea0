import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../clock.js';
import { addressKey, LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('lets `limit` failures through, then makes the key wait one refill step', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle({ limit: 3, windowMs: 60_000, clock });
    for (let i = 0; i < 3; i++) {
      assert.equal(t.retryAfterSeconds('10.0.0.1', 'ann'), 0);
      t.recordFailure('10.0.0.1', 'ann');
    }
    assert.equal(t.retryAfterSeconds('10.0.0.1', 'ann'), 20);
    clock.advance(19_000);
    assert.equal(t.retryAfterSeconds('10.0.0.1', 'ann'), 1);
    clock.advance(1_000);
    assert.equal(t.retryAfterSeconds('10.0.0.1', 'ann'), 0);
  });

  it('keys addresses and names apart: another user from another address is never held back', () => {
    const t = new LoginThrottle({ limit: 2, windowMs: 60_000, clock: new ManualClock() });
    t.recordFailure('10.0.0.1', 'ann');
    t.recordFailure('10.0.0.1', 'ann');
    assert.ok(t.retryAfterSeconds('10.0.0.1', 'bob') > 0, 'the address is held back');
    assert.ok(t.retryAfterSeconds('10.0.0.2', 'ann') > 0, 'the name is held back');
    assert.equal(t.retryAfterSeconds('10.0.0.2', 'bob'), 0);
    assert.equal(t.retryAfterSeconds('10.0.0.2'), 0);
  });

  it('is off with limit 0', () => {
    const t = new LoginThrottle({ limit: 0, windowMs: 60_000, clock: new ManualClock() });
    for (let i = 0; i < 100; i++) t.recordFailure('10.0.0.1', 'ann');
    assert.equal(t.retryAfterSeconds('10.0.0.1', 'ann'), 0);
    assert.deepEqual(t.tracked, { addresses: 0, names: 0 });
  });

  it('remembers a bounded number of keys, dropping refilled buckets first', () => {
    const clock = new ManualClock();
    const t = new LoginThrottle({ limit: 5, windowMs: 1_000, clock, maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) {
      t.recordFailure(`10.0.${i >> 8}.${i & 255}`, `user${i}`);
      clock.advance(10);
    }
    assert.ok(t.tracked.addresses <= 100 && t.tracked.names <= 100, JSON.stringify(t.tracked));
    // A key failing right now is kept.
    for (let i = 0; i < 5; i++) t.recordFailure('192.168.1.1', 'target');
    for (let i = 0; i < 300; i++) t.recordFailure(`172.16.0.${i & 255}`, `spray${i}`);
    assert.ok(t.tracked.names <= 100);
  });
});

describe('addressKey', () => {
  it('keeps IPv4, unmaps IPv4-mapped IPv6, and keys IPv6 by its /64', () => {
    assert.equal(addressKey('10.1.2.3'), '10.1.2.3');
    assert.equal(addressKey('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey(undefined), 'unknown');
  });
});
