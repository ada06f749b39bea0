import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSchema } from '../avro/index.js';
import { isDomainError } from '../errors.js';
import { schemaErrorPosition } from './schema-error-position.js';

/** The parser's real message for `text`, then where it points. */
function positionFor(text: string) {
  try {
    parseSchema(text, { mode: 'strict' });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return {
      message: e.message,
      position: schemaErrorPosition(text, `Invalid schema x, details: ${e.message}`),
    };
  }
  throw new Error('the schema parsed');
}

const lines = (...l: string[]) => l.join('\n');

test('JSON syntax errors point where the reader stopped', () => {
  const { position } = positionFor(lines('{"type": "record",', '  "name": "R" "fields": []}'));
  assert.deepEqual(position, { line: 2, column: 15 });
});

test('a field named in the message points at that field of that record', () => {
  const text = lines(
    '{"type": "record", "name": "R", "namespace": "ns", "fields": [',
    '  {"name": "a", "type": "int"},',
    '  {"name": "b", "type": {"type": "record", "name": "S", "fields": [',
    '    {"name": "a", "type": "strin"}',
    '  ]}}',
    ']}',
  );
  const { message, position } = positionFor(text);
  assert.match(message, /^field "a" of record "ns\.S"/);
  assert.deepEqual(position, { line: 4, column: 5 });
});

test('a nested named type after a field points at that type', () => {
  const text = lines(
    '{"type": "record", "name": "R", "fields": [',
    '  {"name": "e", "type":',
    '    {"type": "enum", "name": "E", "symbols": ["A", "1"]}}',
    ']}',
  );
  const { message, position } = positionFor(text);
  assert.match(message, /^field "e" of record "R": enum "E"/);
  assert.deepEqual(position, { line: 3, column: 5 });
});

test('a duplicate field points at its second definition', () => {
  const text = lines(
    '{"type": "record", "name": "R", "fields": [',
    '  {"name": "a", "type": "int"},',
    '  {"name": "a", "type": "long"}',
    ']}',
  );
  const { message, position } = positionFor(text);
  assert.match(message, /^record "R": duplicate field "a"/);
  assert.deepEqual(position, { line: 3, column: 3 });
});

test('a message that names no place gives no position rather than a guess', () => {
  assert.equal(
    schemaErrorPosition('"nope"', 'Invalid schema x, details: something without a place'),
    undefined,
  );
  assert.equal(schemaErrorPosition('{', 'Invalid schema x, details: record "R": bad'), undefined);
  const { position } = positionFor('{"type": "record", "name": "1R", "fields": []}');
  assert.equal(position, undefined);
});
