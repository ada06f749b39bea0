import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCount, formatRemaining, formatVersionList, plural } from './format.js';

test('remaining lease time counts down in h/min/s and says expired at zero', () => {
  assert.equal(formatRemaining(60_000), '1 min 00 s');
  assert.equal(formatRemaining(59_001), '1 min 00 s');
  assert.equal(formatRemaining(42_000), '42 s');
  assert.equal(formatRemaining(249_000), '4 min 09 s');
  assert.equal(formatRemaining(3_900_000), '1 h 05 min');
  assert.equal(formatRemaining(0), 'expired');
  assert.equal(formatRemaining(-5), 'expired');
});

test('version lists collapse runs', () => {
  assert.equal(formatVersionList([]), 'none');
  assert.equal(formatVersionList([3]), '3');
  assert.equal(formatVersionList([1, 2]), '1, 2');
  assert.equal(formatVersionList([12, 1, 2, 5, 6, 7, 8, 9]), '1, 2, 5–9, 12');
});

test('counts and plurals', () => {
  assert.equal(formatCount(10000), '10,000');
  assert.equal(plural(1, 'version'), '1 version');
  assert.equal(plural(2, 'version'), '2 versions');
});
