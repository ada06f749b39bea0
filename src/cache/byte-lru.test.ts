import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteLru } from './byte-lru.js';
import { CACHE_SHARES, cacheBudget } from './cache-budget.js';
import { PARSED_BYTES_PER_CHAR, parsedBytes, stringBytes } from './size-estimate.js';

describe('ByteLru', () => {
  it('keeps the summed estimates under the bound, evicting least recently used first', () => {
    const evicted: string[] = [];
    const lru = new ByteLru<string, string>({
      maxBytes: 100,
      sizeOf: (value) => value.length,
      onEvict: (key) => evicted.push(key),
    });
    for (const key of ['a', 'b', 'c', 'd']) assert.equal(lru.set(key, 'x'.repeat(20)), true);
    assert.equal(lru.bytes, 80);
    assert.equal(lru.get('a'), 'x'.repeat(20)); // a becomes the most recent
    lru.set('e', 'x'.repeat(30)); // 110 > 100: evict from the oldest until <= 90
    assert.deepEqual(evicted, ['b']);
    assert.deepEqual([...lru.keys()], ['c', 'd', 'a', 'e']);
    assert.equal(lru.bytes, 90);
    lru.set('f', 'x'.repeat(25)); // 115: c and d go (75)
    assert.deepEqual(evicted, ['b', 'c', 'd']);
    assert.equal(lru.bytes, 75);
    assert.ok(lru.bytes <= lru.maxBytes);
    assert.equal(lru.evictions, 3);
  });

  it('never stores an entry larger than the bound, and drops the value it would have replaced', () => {
    const lru = new ByteLru<string, number>({ maxBytes: 10 });
    assert.equal(lru.set('a', 1, 4), true);
    assert.equal(lru.set('b', 2, 4), true);
    assert.equal(lru.set('a', 3, 11), false);
    assert.equal(lru.has('a'), false);
    assert.equal(lru.get('b'), 2, 'the others stay');
    assert.equal(lru.bytes, 4);
  });

  it('keeps an entry just under the bound even when it alone passes the low-water mark', () => {
    const lru = new ByteLru<string, number>({ maxBytes: 100 });
    lru.set('a', 1, 50);
    lru.set('b', 2, 95);
    assert.deepEqual([...lru.keys()], ['b']);
    assert.equal(lru.bytes, 95);
  });

  it('replaces in place with the new size, counts hits and misses, caches undefined as a value', () => {
    const lru = new ByteLru<string, number | undefined>({ maxBytes: 50 });
    lru.set('a', 1, 10);
    lru.set('a', 2, 30);
    assert.equal(lru.bytes, 30);
    assert.equal(lru.size, 1);
    lru.set('none', undefined, 5);
    assert.equal(lru.has('none'), true);
    assert.equal(lru.get('none'), undefined);
    assert.equal(lru.get('missing'), undefined);
    assert.equal(lru.peek('a'), 2);
    assert.deepEqual([lru.hits, lru.misses], [1, 1]);
    assert.equal(lru.delete('a'), true);
    assert.equal(lru.bytes, 5);
    lru.clear();
    assert.deepEqual([lru.size, lru.bytes], [0, 0]);
  });

  it('evictWhile serves bounds of the caller (e.g. a count inside the values), oldest first', () => {
    const lru = new ByteLru<number, number>({ maxBytes: 1000 });
    for (let i = 0; i < 10; i++) lru.set(i, i, 1);
    let count = 10;
    lru.evictWhile(() => count-- > 7);
    assert.deepEqual([...lru.keys()], [3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a bound or a size that is not a sane number', () => {
    assert.throws(() => new ByteLru({ maxBytes: 0 }), RangeError);
    assert.throws(() => new ByteLru({ maxBytes: 1.5 }), RangeError);
    const lru = new ByteLru<string, string>({ maxBytes: 10 });
    assert.throws(() => lru.set('a', 'x'), /needs a finite, non-negative size/);
    assert.throws(() => lru.set('a', 'x', Number.NaN), RangeError);
  });

  it('stays O(1) per operation under churn (no quadratic walk over deleted slots)', () => {
    // 200,000 inserts through a bound of ~1,000 entries; quadratic eviction would take minutes.
    const lru = new ByteLru<number, number>({ maxBytes: 1000 });
    for (let i = 0; i < 200_000; i++) {
      lru.set(i, i, 1);
      if (i % 3 === 0) lru.get(i - 500);
    }
    assert.ok(lru.size <= 1000 && lru.size >= 900, `${lru.size}`);
  });
});

describe('size estimates and the budget', () => {
  it('errs high: 2 bytes per UTF-16 unit, parsed schemas scaled by their text', () => {
    assert.equal(stringBytes(''), 16);
    assert.equal(stringBytes('abcd'), 24);
    assert.equal(parsedBytes(1000) > PARSED_BYTES_PER_CHAR * 1000, true);
  });

  it('gives every cache a share, the shares add up to the whole', () => {
    const total = Object.values(CACHE_SHARES).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `${total}`);
    const budget = cacheBudget(100 * 1024 * 1024);
    const sum = Object.values(budget).reduce((a, b) => a + b, 0);
    assert.ok(sum <= 100 * 1024 * 1024);
    assert.equal(budget.parsedSchemas, Math.floor(100 * 1024 * 1024 * CACHE_SHARES.parsedSchemas));
    assert.equal(cacheBudget(1).validation, 1);
  });
});
