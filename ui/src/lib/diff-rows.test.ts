import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines } from 'diff';
import { countChanges, sideBySide, unified } from './diff-rows.js';

const OLD = ['{', '  "a": 1,', '  "b": 2', '}'].join('\n');
const NEW = ['{', '  "a": 1,', '  "b": 3,', '  "c": 4', '}'].join('\n');

test('side by side: unchanged lines face each other, a changed run is paired line by line', () => {
  const rows = sideBySide(diffLines(OLD, NEW));
  const shape = rows.map((r) => [
    r.left?.kind ?? '-',
    r.left?.line ?? 0,
    r.right?.kind ?? '-',
    r.right?.line ?? 0,
  ]);
  assert.deepEqual(shape, [
    ['same', 1, 'same', 1],
    ['same', 2, 'same', 2],
    ['removed', 3, 'added', 3],
    ['-', 0, 'added', 4],
    ['same', 4, 'same', 5],
  ]);
  assert.equal(rows[2]?.left?.text, '  "b": 2');
  assert.equal(rows[2]?.right?.text, '  "b": 3,');
});

test('unified: every line once, numbered on the side(s) it exists on', () => {
  const rows = unified(diffLines(OLD, NEW));
  assert.deepEqual(
    rows.map((r) => [r.kind, r.oldLine ?? 0, r.newLine ?? 0]),
    [
      ['same', 1, 1],
      ['same', 2, 2],
      ['removed', 3, 0],
      ['added', 0, 3],
      ['added', 0, 4],
      ['same', 4, 5],
    ],
  );
  assert.deepEqual(countChanges(diffLines(OLD, NEW)), { added: 2, removed: 1 });
});

test('identical texts give no change; a pure removal leaves the right side empty', () => {
  assert.deepEqual(countChanges(diffLines(OLD, OLD)), { added: 0, removed: 0 });
  const rows = sideBySide(diffLines('a\nb\nc\n', 'a\nc\n'));
  assert.deepEqual(
    rows.map((r) => [r.left?.text, r.right?.text]),
    [
      ['a', 'a'],
      ['b', undefined],
      ['c', 'c'],
    ],
  );
});
