import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prettyJson } from './pretty-json.js';

test('indents objects and arrays two spaces per level, keeping key order', () => {
  assert.equal(
    prettyJson('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}'),
    [
      '{',
      '  "type": "record",',
      '  "name": "R",',
      '  "fields": [',
      '    {',
      '      "name": "a",',
      '      "type": "int"',
      '    }',
      '  ]',
      '}',
    ].join('\n'),
  );
});

test('keeps number literals and string escapes exactly as written', () => {
  const text = '{"default":12345678901234567890,"f":1.0,"s":"a\\"b, [c]: {d}"}';
  const pretty = prettyJson(text);
  assert.match(pretty, /"default": 12345678901234567890,/);
  assert.match(pretty, /"f": 1\.0,/);
  assert.match(pretty, /"s": "a\\"b, \[c\]: \{d\}"/);
  assert.deepEqual(JSON.parse(pretty), JSON.parse(text));
});

test('empty containers stay on one line; already pretty text is re-indented the same way', () => {
  assert.equal(prettyJson('{"a":[],"b":{ }}'), '{\n  "a": [],\n  "b": {}\n}');
  assert.equal(prettyJson(prettyJson('[1,[2,3]]')), prettyJson('[1,[2,3]]'));
  assert.equal(prettyJson('"string"'), '"string"');
});

test('text that is not JSON comes back unchanged', () => {
  assert.equal(prettyJson('{"a":'), '{"a":');
});
