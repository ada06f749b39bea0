/** Validation rules of the strict (new schema) and lenient (stored schema) modes, one test per rule. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { parseSchema } from './parser.js';
import type { EnumNode, ParsedSchema, ParseMode, RecordNode } from './types.js';

const strict = (text: string): ParsedSchema => parseSchema(text, { mode: 'strict' });
const lenient = (text: string): ParsedSchema => parseSchema(text, { mode: 'lenient' });

function rejects(text: string, message: string, mode: ParseMode = 'strict', code = 'INVALID_SCHEMA'): void {
  assert.throws(
    () => parseSchema(text, { mode }),
    (e: unknown) => {
      assert.ok(e instanceof DomainError, `not a DomainError: ${e}`);
      assert.equal(e.message, message);
      assert.equal(e.code, code);
      return true;
    },
  );
}

/** A record R with the given fields (JSON text). */
const rec = (...fields: string[]) => `{"type":"record","name":"R","fields":[${fields.join(',')}]}`;
const field = (type: string, extra = '') => `{"name":"f","type":${type}${extra}}`;
const withDefault = (type: string, def: string) => rec(field(type, `,"default":${def}`));
const firstField = (p: ParsedSchema) => (p.root as RecordNode).fields[0];

const ASCII = ' (names must start with [A-Za-z_] and contain only [A-Za-z0-9_])';

describe('strict names', () => {
  it('rejects a record name outside [A-Za-z_][A-Za-z0-9_]*', () => {
    rejects('{"type":"record","name":"1abc","fields":[]}', `record name "1abc" is invalid${ASCII}`);
  });
  it('rejects a non-ASCII name', () => {
    rejects('{"type":"enum","name":"Café","symbols":[]}', `enum name "Café" is invalid${ASCII}`);
  });
  it('checks each namespace part', () => {
    rejects(
      '{"type":"fixed","name":"F","namespace":"com.1x","size":1}',
      `fixed "com.1x.F": namespace part "1x" is invalid${ASCII}`,
    );
    rejects(
      '{"type":"record","name":"a..R","fields":[]}',
      `record "a..R": namespace part "" is invalid${ASCII}`,
    );
  });
  it('checks field names', () => {
    rejects(rec('{"name":"my-field","type":"int"}'), `record "R": field name "my-field" is invalid${ASCII}`);
  });
  it('checks enum symbols', () => {
    rejects('{"type":"enum","name":"E","symbols":["A","b c"]}', `enum "E": symbol "b c" is invalid${ASCII}`);
  });
  it('checks type aliases, each part', () => {
    rejects(
      '{"type":"record","name":"R","aliases":["1abc"],"fields":[]}',
      `record "R": alias "1abc" is invalid${ASCII}`,
    );
    rejects(
      '{"type":"record","name":"R","aliases":["a.1b.C"],"fields":[]}',
      `record "R": alias "a.1b.C" is invalid${ASCII}`,
    );
  });
  it('checks field aliases', () => {
    rejects(
      rec(field('"int"', ',"aliases":["ok","no way"]')),
      `field "f" of record "R": alias "no way" is invalid${ASCII}`,
    );
  });
  it('rejects types named after primitives', () => {
    rejects(
      '{"type":"record","name":"string","fields":[]}',
      'record "string": types may not be named after primitive types',
    );
    assert.equal(strict('{"type":"record","name":"com.string","fields":[]}').named.size, 1);
  });
  it('rejects a missing name', () => {
    rejects('{"type":"enum","symbols":[]}', 'enum has no "name"');
  });
});

describe('strict defaults (Java isValidDefault)', () => {
  it('int: integral and within int32', () => {
    rejects(withDefault('"int"', '1.5'), 'field "f" of record "R": invalid default 1.5: not an "int"');
    rejects(withDefault('"int"', '1.0'), 'field "f" of record "R": invalid default 1.0: not an "int"');
    rejects(
      withDefault('"int"', '3000000000'),
      'field "f" of record "R": invalid default 3000000000: not an "int"',
    );
    rejects(withDefault('"int"', '"1"'), 'field "f" of record "R": invalid default "1": not an "int"');
    strict(withDefault('"int"', '2147483647'));
    strict(withDefault('"int"', '-2147483648'));
  });
  it('long: integral and within int64, 1.0 rejected', () => {
    rejects(withDefault('"long"', '1.0'), 'field "f" of record "R": invalid default 1.0: not a "long"');
    rejects(
      withDefault('"long"', '9223372036854775808'),
      'field "f" of record "R": invalid default 9223372036854775808: not a "long"',
    );
    assert.equal(firstField(strict(withDefault('"long"', '-9223372036854775808')))?.hasDefault, true);
  });
  it('float/double: any number', () => {
    strict(withDefault('"float"', '1'));
    strict(withDefault('"double"', '-1.5e300'));
    rejects(withDefault('"double"', 'true'), 'field "f" of record "R": invalid default true: not a "double"');
  });
  it('"default": null on a non-nullable type', () => {
    rejects(withDefault('"string"', 'null'), 'field "f" of record "R": invalid default null: not a "string"');
  });
  it('boolean, null, string, bytes', () => {
    rejects(
      withDefault('"boolean"', '"true"'),
      'field "f" of record "R": invalid default "true": not a "boolean"',
    );
    rejects(withDefault('"null"', '0'), 'field "f" of record "R": invalid default 0: not a "null"');
    rejects(withDefault('"bytes"', '[1]'), 'field "f" of record "R": invalid default [1]: not a "bytes"');
    strict(withDefault('"bytes"', '"\\u00ff"'));
  });
  it('a union default may match any branch (Avro 1.12)', () => {
    strict(withDefault('["null","string"]', '"x"'));
    strict(withDefault('["null","string"]', 'null'));
    rejects(
      withDefault('["null","string"]', '1'),
      'field "f" of record "R": invalid default 1: not a union ["null", "string"]',
    );
  });
  it('arrays and maps check every element', () => {
    strict(withDefault('{"type":"array","items":"int"}', '[1,2]'));
    rejects(
      withDefault('{"type":"array","items":"int"}', '[1,2.5]'),
      'field "f" of record "R": invalid default [1,2.5]: not an array of "int"',
    );
    rejects(
      withDefault('{"type":"map","values":"long"}', '{"a":1,"b":"x"}'),
      'field "f" of record "R": invalid default {"a":1,"b":"x"}: not a map of "long"',
    );
  });
  it('enum and fixed defaults are any string (Java checks neither symbol nor length)', () => {
    strict(withDefault('{"type":"enum","name":"E","symbols":["A"]}', '"Z"'));
    strict(withDefault('{"type":"fixed","name":"F","size":4}', '"x"'));
    rejects(
      withDefault('{"type":"enum","name":"E","symbols":["A"]}', '0'),
      'field "f" of record "R": invalid default 0: not an enum "E"',
    );
  });
  it('record defaults need every sub-field valid or defaulted', () => {
    const sub =
      '{"type":"record","name":"S","fields":[{"name":"a","type":"int"},{"name":"b","type":"bytes","default":""}]}';
    strict(withDefault(sub, '{"a":1}'));
    rejects(
      withDefault(sub, '{"b":"x"}'),
      'field "f" of record "R": invalid default {"b":"x"}: not a record "S"',
    );
    rejects(
      withDefault(sub, '{"a":1.5}'),
      'field "f" of record "R": invalid default {"a":1.5}: not a record "S"',
    );
  });
  it('a default chain through a recursive record fails instead of looping', () => {
    const text = rec(
      '{"name":"g","type":{"type":"record","name":"L","fields":[{"name":"next","type":"L","default":{}}]},"default":{}}',
    );
    rejects(text, 'field "next" of record "L": invalid default {}: not a record "L"');
  });
});

describe('strict structure', () => {
  it('enum default must be one of its symbols (in both modes)', () => {
    const text = '{"type":"enum","name":"E","symbols":["A","B"],"default":"C"}';
    rejects(text, 'enum "E": default "C" is not one of its symbols');
    rejects(text, 'enum "E": default "C" is not one of its symbols', 'lenient');
  });
  it('duplicate field', () => {
    rejects(
      '{"type":"record","name":"R","namespace":"com.x","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}',
      'record "com.x.R": duplicate field "a"',
    );
  });
  it('duplicate enum symbol', () => {
    rejects('{"type":"enum","name":"E","symbols":["A","B","A"]}', 'enum "E": duplicate symbol "A"');
  });
  it('nested union', () => {
    rejects(
      rec(field('["null",["int","long"]]')),
      'field "f" of record "R": union branch #1 is itself a union: unions may not be nested',
    );
  });
  it('duplicate union members by Java full name', () => {
    const dup = (u: string, what: string) =>
      rejects(rec(field(u)), `field "f" of record "R": union has more than one "${what}" branch`);
    dup('["int","int"]', 'int');
    dup('[{"type":"array","items":"int"},{"type":"array","items":"long"}]', 'array');
    dup('[{"type":"map","values":"int"},{"type":"map","values":"long"}]', 'map');
    dup('["long",{"type":"long","logicalType":"timestamp-millis"}]', 'long');
    dup('[{"type":"enum","name":"E","symbols":["A"]},"E"]', 'E');
    strict(rec(field('["null","int","long",{"type":"array","items":"int"},{"type":"map","values":"int"}]')));
  });
  it('fixed size must be a non-negative integer', () => {
    rejects(
      '{"type":"fixed","name":"F","size":-1}',
      'fixed "F": "size" must be a non-negative integer, got -1',
    );
    rejects(
      '{"type":"fixed","name":"F","size":1.5}',
      'fixed "F": "size" must be a non-negative integer, got 1.5',
    );
    rejects(
      '{"type":"fixed","name":"F","size":"4"}',
      'fixed "F": "size" must be a non-negative integer, got "4"',
    );
    rejects('{"type":"fixed","name":"F"}', 'fixed "F": "size" must be a non-negative integer, got none');
    assert.equal(strict('{"type":"fixed","name":"F","size":0}').root.kind, 'fixed');
  });
  it('undefined named reference', () => {
    rejects(
      rec(field('"Missing"')),
      'field "f" of record "R": unknown type "Missing" (not a primitive type nor a defined named type)',
    );
  });
  it('unknown type keyword', () => {
    rejects('{"type":"integer"}', 'unknown type "integer" (not a primitive type nor a defined named type)');
  });
  it('missing "type"', () => {
    rejects(rec('{"name":"f"}'), 'field "f" of record "R": field has no "type"');
    rejects(rec(field('{"logicalType":"uuid"}')), 'field "f" of record "R": schema has no "type"');
  });
  it('array without items, map without values (the path names the union branch)', () => {
    rejects(
      '{"type":"record","name":"VectorRecord","fields":[{"name":"metadata","type":["null",{"type":"map"}]}]}',
      'field "metadata" of record "VectorRecord": union branch "map" has no "values"',
    );
    rejects(rec(field('{"type":"array"}')), 'field "f" of record "R": array has no "items"');
  });
  it('records need a fields array, enums a symbols array', () => {
    rejects('{"type":"record","name":"R"}', 'record "R" has no "fields" array');
    rejects('{"type":"enum","name":"E","symbols":"A"}', 'enum "E" has no "symbols" array');
  });
  it('invalid field order', () => {
    rejects(
      rec(field('"int"', ',"order":"up"')),
      'field "f" of record "R": invalid "order" "up": must be ascending, descending or ignore',
    );
  });
  it('a different redefinition of a name fails, an identical one is accepted (Avro 1.12)', () => {
    const e1 = '{"type":"enum","name":"E","symbols":["A"]}';
    const e2 = '{"type":"enum","name":"E","symbols":["A","B"]}';
    rejects(
      rec('{"name":"a","type":' + e1 + '}', '{"name":"b","type":' + e2 + '}'),
      'field "b" of record "R": can\'t redefine enum "E" differently',
    );
    const p = strict(rec('{"name":"a","type":' + e1 + '}', '{"name":"b","type":' + e1 + ',"doc":"same"}'));
    const r = p.root as RecordNode;
    assert.equal(r.fields[0]?.type, r.fields[1]?.type);
  });
  it('new schemas get told about non-string doc/namespace/enum default; stored ones ignore them like Java', () => {
    rejects('{"type":"record","name":"R","doc":5,"fields":[]}', 'record "R": "doc" must be a string');
    rejects(
      '{"type":"record","name":"R","namespace":5,"fields":[]}',
      'record "R": "namespace" must be a string',
    );
    rejects('{"type":"enum","name":"E","symbols":["A"],"default":1}', 'enum "E": "default" must be a string');
    assert.equal(
      (lenient('{"type":"record","name":"R","doc":5,"fields":[]}').root as RecordNode).doc,
      undefined,
    );
    assert.equal(
      (strict('{"type":"record","name":"R","doc":null,"fields":[]}').root as RecordNode).doc,
      undefined,
    );
    assert.equal(
      (strict('{"type":"enum","name":"E","symbols":["A"],"default":null}').root as EnumNode).default,
      undefined,
    );
  });
  it('invalid JSON says where', () => {
    rejects(
      '{"type":"record",\n "name": "R",\n "fields": [}',
      "invalid JSON: line 3, column 13: unexpected '}'",
    );
  });
  it('a float default given as a string is read as Java Double.valueOf would', () => {
    rejects(
      withDefault('"double"', '"abc"'),
      'field "f" of record "R": invalid default "abc": not a number',
      'lenient',
    );
  });
});

describe('lenient mode accepts what the stored-schema path does', () => {
  it('non-ASCII names, fields and symbols (Unicode letters)', () => {
    const text =
      '{"type":"record","name":"Café","fields":[{"name":"größe","type":{"type":"enum","name":"Ñ","symbols":["É"]}}]}';
    assert.throws(() => strict(text));
    assert.equal(lenient(text).root.kind, 'record');
  });
  it('invalid defaults, still counted as defaults', () => {
    const f = firstField(lenient(withDefault('"int"', '1.5')));
    assert.equal(f?.hasDefault, true);
  });
  it('"default": null on a string field counts as a default', () => {
    const f = firstField(lenient(withDefault('"string"', 'null')));
    assert.equal(f?.hasDefault, true);
    assert.equal(f?.default, null);
  });
  it('aliases and namespaces are not checked', () => {
    const p = lenient('{"type":"record","name":"R","namespace":"1x","aliases":["1abc"],"fields":[]}');
    assert.deepEqual((p.root as RecordNode).aliases, ['1x.1abc']);
  });
  it('still rejects names that are not letters, digits and _', () => {
    rejects(
      '{"type":"record","name":"a-b","fields":[]}',
      'record name "a-b" is invalid (names must start with a letter or _ and contain only letters, digits and _)',
      'lenient',
    );
  });
  it('still rejects structural errors', () => {
    rejects(
      rec(field('"Missing"')),
      'field "f" of record "R": unknown type "Missing" (not a primitive type nor a defined named type)',
      'lenient',
    );
    rejects('{"type":"record","name":"R"}', 'record "R" has no "fields" array', 'lenient');
    rejects(
      rec(field('["int","int"]')),
      'field "f" of record "R": union has more than one "int" branch',
      'lenient',
    );
  });
});

describe('limits', () => {
  const tooLarge = (text: string, message: string, limits: Record<string, number> = {}) =>
    assert.throws(
      () => parseSchema(text, { mode: 'strict', limits }),
      (e: unknown) => e instanceof DomainError && e.code === 'SCHEMA_TOO_LARGE' && e.message === message,
    );
  const nestedArrays = (n: number) => '{"type":"array","items":'.repeat(n) + '"int"' + '}'.repeat(n);

  it('type nesting depth', () => {
    strict(nestedArrays(63));
    tooLarge(nestedArrays(64), 'schema nesting depth exceeds the limit of 64');
    tooLarge(nestedArrays(5), 'schema nesting depth exceeds the limit of 3', { maxDepth: 3 });
  });
  it('JSON nesting (100k levels) is a clean size error', () => {
    tooLarge(
      '['.repeat(100_000),
      'schema nesting depth exceeds the limit of 64 (JSON nested deeper than 272 levels at line 1, column 273)',
    );
  });
  it('fields, symbols, union branches, named types, bytes', () => {
    tooLarge(
      rec(field('"int"'), '{"name":"g","type":"int"}'),
      'record "R": field count exceeds the limit of 1',
      { maxFields: 1 },
    );
    tooLarge(
      '{"type":"enum","name":"E","symbols":["A","B","C"]}',
      'enum "E": symbol count exceeds the limit of 2',
      {
        maxSymbols: 2,
      },
    );
    tooLarge(
      rec(field('["null","int","long"]')),
      'field "f" of record "R": union branch count exceeds the limit of 2',
      {
        maxUnionBranches: 2,
      },
    );
    tooLarge(
      rec(field('{"type":"enum","name":"E","symbols":[]}')),
      'number of named types exceeds the limit of 1',
      {
        maxNamedTypes: 1,
      },
    );
    tooLarge(`"${'x'.repeat(100)}"`, 'schema size exceeds the limit of 50 bytes', { maxSchemaBytes: 50 });
    tooLarge('"ééé"', 'schema size exceeds the limit of 7 bytes', { maxSchemaBytes: 7 });
  });
  it('hostile input stays cheap: a 10k-branch union and a 1 MB name', () => {
    const branches = Array.from({ length: 10_000 }, (_, i) => `{"type":"fixed","name":"F${i}","size":1}`);
    const p = parseSchema(`[${branches.join(',')}]`, {
      mode: 'strict',
      limits: { maxUnionBranches: 10_000 },
    });
    assert.equal(p.named.size, 10_000);
    const dupUnion = `[${Array.from({ length: 999 }, () => '"int"').join(',')}]`;
    rejects(dupUnion, 'union has more than one "int" branch');
    const big = 'é'.repeat(1_000_000);
    assert.throws(
      () => parseSchema(`{"type":"record","name":"${big}x-","fields":[]}`, { mode: 'lenient' }),
      (e: unknown) => e instanceof DomainError && e.message.length < 300,
    );
  });
});
