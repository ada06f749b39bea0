import assert from 'node:assert/strict';
import { test } from 'node:test';
import { href, parseRoute } from '../router.js';

test('routes: pages, encoded subjects and parameters', () => {
  assert.equal(parseRoute('').page, 'subjects');
  assert.equal(parseRoute('#/subjects?q=ord').params.get('q'), 'ord');
  const subject = parseRoute('#/subjects/a%2Fb%20c?v=3');
  assert.equal(subject.page, 'subject');
  assert.equal(subject.subject, 'a/b c');
  assert.equal(subject.params.get('v'), '3');
  assert.deepEqual(
    [parseRoute('#/rollout/wal-value').page, parseRoute('#/rollout/wal-value').subject],
    ['rollout', 'wal-value'],
  );
  assert.equal(parseRoute('#/check?subject=x').page, 'check');
  assert.equal(parseRoute('#/nope').page, 'not-found');
  assert.equal(parseRoute('#/subjects/%E0%A4%A').page, 'not-found');
});

test('href encodes the subject and leaves out empty parameters', () => {
  assert.equal(href('subjects', 'a/b', { v: 2, from: undefined, q: '' }), '#/subjects/a%2Fb?v=2');
  assert.equal(href('check', undefined, { subject: 'x y' }), '#/check?subject=x+y');
  assert.equal(parseRoute(href('rollout', 'a?b#c')).subject, 'a?b#c');
});
