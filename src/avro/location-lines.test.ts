import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkReaderWriter } from './compatibility.js';
import { parseSchema } from './index.js';
import { explain, locationTokens, newSidePosition } from './location-lines.js';

const parse = (text: string) => parseSchema(text, { mode: 'lenient' }).root;

const OLD = `{
  "type": "record",
  "name": "R",
  "fields": [
    {"name": "a", "type": "int"},
    {"name": "u", "type": ["null", "string"], "default": null}
  ]
}`;

// Fields reordered so reader positions differ from writer positions; `b` is new and required.
const NEW = `{
  "type": "record",
  "name": "R",
  "fields": [
    {"name": "u", "type": "string"},
    {
      "name": "b",
      "type": "long"
    },
    {"name": "a", "type": {"type": "array", "items": "int"}}
  ]
}`;

describe('locations mapped to lines of the new file', () => {
  test('pointer tokens are unescaped', () => {
    assert.deepEqual(locationTokens('/'), []);
    assert.deepEqual(locationTokens('/fields/0/type/a~1b~0c'), ['fields', '0', 'type', 'a/b~c']);
  });

  test('backward (new = reader): each incompatibility lands on its field in the new file', () => {
    const reader = parse(NEW);
    const writer = parse(OLD);
    const result = checkReaderWriter(reader, writer);
    const lines = result.incompatibilities.map((inc) => [
      inc.type,
      inc.location,
      newSidePosition(reader, writer, inc.location, 'reader')?.line,
    ]);
    assert.deepEqual(lines, [
      // u: writer union branch 0 (null) cannot be read as string; the reader field is on line 5.
      ['TYPE_MISMATCH', '/fields/0/type/0', 5],
      ['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/1', 6],
      // a: the array type object starts on line 10 (the deepest positioned node).
      ['TYPE_MISMATCH', '/fields/2/type', 10],
    ]);
  });

  test('forward (new = writer): a field missing from the new file falls back to its record', () => {
    const reader = parse(OLD);
    const writer = parse(
      NEW.replace('{"name": "a", "type": {"type": "array", "items": "int"}}', '{"name": "z", "type": "int"}'),
    );
    const result = checkReaderWriter(reader, writer);
    const a = result.incompatibilities.find((i) => i.location === '/fields/0');
    assert.equal(a?.type, 'READER_FIELD_MISSING_DEFAULT_VALUE');
    assert.equal(newSidePosition(reader, writer, '/fields/0', 'writer')?.line, 1);
  });

  test('a union-vs-union miss is explained by re-checking the same-named branches', () => {
    const v1 =
      '[{"type": "record", "name": "A", "fields": []},\n {"type": "record", "name": "B", "fields": []}]';
    const v2 =
      '[{"type": "record", "name": "A", "fields": []},\n {"type": "record", "name": "B", "fields": [\n  {"name": "n", "type": "int"}\n ]}]';
    const reader = parse(v2);
    const writer = parse(v1);
    const [miss] = checkReaderWriter(reader, writer).incompatibilities;
    assert.deepEqual([miss?.type, miss?.location], ['MISSING_UNION_BRANCH', '/1']);
    const explained = explain(reader, writer, miss!, 'reader');
    assert.equal(explained.branch, 'B');
    assert.equal(explained.position?.line, 2);
    assert.deepEqual(
      explained.causes.map((c) => [c.type, c.location, c.message, c.position?.line]),
      [['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/0', 'n', 3]],
    );
  });
});
