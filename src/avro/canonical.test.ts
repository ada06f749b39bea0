/**
 * Canonical string vectors are hand-derived from Java `Schema.toString()` (Avro 1.12, Jackson writer) as
 * described in the reference (§3.4); the PCF vectors from Avro's own test data are run by
 * test/avro/canonical-vectors.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalString, normalizedString, parsingCanonicalForm } from './canonical.js';
import { parseSchema } from './parser.js';
import type { SchemaReference } from './types.js';

const canon = (text: string) => canonicalString(parseSchema(text, { mode: 'lenient' }));
const norm = (text: string) => normalizedString(parseSchema(text, { mode: 'lenient' }));

/** [name, input, expected Java toString()] */
const CANONICAL: Array<[string, string, string]> = [
  ['plain primitive', '"int"', '"int"'],
  ['primitive object without props', '{"type":"int"}', '"int"'],
  [
    'annotated primitive keeps props, drops reserved keys',
    '{"type":"string","doc":"x","name":"n","avro.java.string":"String"}',
    '{"type":"string","avro.java.string":"String"}',
  ],
  [
    'logical type stays a property in written order',
    '{"logicalType":"timestamp-millis","type":"long"}',
    '{"type":"long","logicalType":"timestamp-millis"}',
  ],
  [
    'record key order: type, name, namespace, doc, fields, props, aliases',
    '{"aliases":["Old"],"p":1,"fields":[{"type":"int","name":"a"}],"doc":"d","namespace":"com.x","name":"R","type":"record"}',
    '{"type":"record","name":"R","namespace":"com.x","doc":"d","fields":[{"name":"a","type":"int"}],"p":1,"aliases":["Old"]}',
  ],
  [
    'a dotted name overrides the namespace attribute',
    '{"type":"record","name":"a.b.R","namespace":"x.y","fields":[]}',
    '{"type":"record","name":"R","namespace":"a.b","fields":[]}',
  ],
  [
    'a nested type in the same namespace omits it',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}',
  ],
  [
    'a nested type in another namespace writes it',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"m.E","symbols":["A"]}}]}',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","namespace":"m","symbols":["A"]}}]}',
  ],
  [
    'a null-namespace type inside a namespace writes "namespace":""',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","namespace":"","symbols":["A"]}}]}',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","namespace":"","symbols":["A"]}}]}',
  ],
  [
    'name references relative to the current namespace',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":2}},{"name":"b","type":"F"},{"name":"c","type":{"type":"record","name":"m.S","fields":[{"name":"d","type":"n.F"}]}}]}',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":2}},{"name":"b","type":"F"},{"name":"c","type":{"type":"record","name":"S","namespace":"m","fields":[{"name":"d","type":"n.F"}]}}]}',
  ],
  [
    'a nested record switches the namespace for its own fields',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"s","type":{"type":"record","name":"m.S","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}},{"name":"t","type":"m.E"}]}',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"s","type":{"type":"record","name":"S","namespace":"m","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}},{"name":"t","type":"m.E"}]}',
  ],
  [
    'a name equal to a type keyword is always written in full',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"record","size":1}},{"name":"b","type":"n.record"}]}',
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"record","size":1}},{"name":"b","type":"n.record"}]}',
  ],
  [
    'recursion becomes a name reference',
    '{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}',
    '{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}',
  ],
  [
    'field key order: name, type, doc, default, order, aliases, props',
    '{"type":"record","name":"R","fields":[{"x":1,"aliases":["b"],"order":"descending","doc":"d","default":1,"type":"int","name":"a"}]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":"int","doc":"d","default":1,"order":"descending","aliases":["b"],"x":1}]}',
  ],
  [
    'field order: ascending omitted, any case accepted',
    '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"ascending"},{"name":"b","type":"int","order":"IGNORE"}]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","order":"ignore"}]}',
  ],
  [
    'enum key order: type, name, namespace, doc, symbols, default, props, aliases',
    '{"p":true,"aliases":["F"],"default":"A","symbols":["A","B"],"doc":"d","name":"E","type":"enum"}',
    '{"type":"enum","name":"E","doc":"d","symbols":["A","B"],"default":"A","p":true,"aliases":["F"]}',
  ],
  [
    'fixed key order: type, name, namespace, doc, size, props, aliases',
    '{"precision":4,"logicalType":"decimal","aliases":["G"],"size":16,"namespace":"n","name":"F","type":"fixed"}',
    '{"type":"fixed","name":"F","namespace":"n","size":16,"precision":4,"logicalType":"decimal","aliases":["G"]}',
  ],
  [
    'array: type, items, props',
    '{"p":1,"items":"int","type":"array"}',
    '{"type":"array","items":"int","p":1}',
  ],
  [
    'map: type, values, props',
    '{"p":[1],"values":{"type":"long"},"type":"map"}',
    '{"type":"map","values":"long","p":[1]}',
  ],
  [
    'aliases written relative to the type namespace',
    '{"type":"record","name":"R","namespace":"n","aliases":["S","m.T","n.U","S"],"fields":[]}',
    '{"type":"record","name":"R","namespace":"n","fields":[],"aliases":["S","m.T","U"]}',
  ],
  [
    'error records keep their keyword',
    '{"type":"error","name":"Err","fields":[]}',
    '{"type":"error","name":"Err","fields":[]}',
  ],
  [
    'Jackson string escaping',
    '{"type":"record","name":"R","doc":"\\"q\\" \\\\ \\n\\t\\u0001 é \\/","fields":[]}',
    '{"type":"record","name":"R","doc":"\\"q\\" \\\\ \\n\\t\\u0001 é /","fields":[]}',
  ],
  [
    'numbers: 1 vs 1.0, and Jackson double formatting',
    '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":1},{"name":"b","type":"double","default":1.0},{"name":"c","type":"double","default":1.50},{"name":"d","type":"double","default":1e3},{"name":"e","type":"long","default":-0}]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":1},{"name":"b","type":"double","default":1.0},{"name":"c","type":"double","default":1.5},{"name":"d","type":"double","default":1000.0},{"name":"e","type":"long","default":0}]}',
  ],
  [
    'unions',
    '["null",{"type":"string"},{"type":"array","items":"int"}]',
    '["null","string",{"type":"array","items":"int"}]',
  ],
  [
    'null default and nested-object props keep their written order',
    '{"type":"record","name":"R","fields":[{"name":"a","type":["null","string"],"default":null,"meta":{"z":1,"a":[2.0,"x"]}}]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":["null","string"],"default":null,"meta":{"z":1,"a":[2.0,"x"]}}]}',
  ],
  [
    'object-form name reference drops its other attributes',
    '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":{"type":"E","doc":"ignored"}}]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":"E"}]}',
  ],
  [
    'a forward reference is written in full at its first use',
    '{"type":"record","name":"R","fields":[{"name":"a","type":"E"},{"name":"b","type":{"type":"enum","name":"E","symbols":["A"]}}]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"b","type":"E"}]}',
  ],
  [
    'record defaults and float-string defaults',
    '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"record","name":"S","fields":[{"name":"x","type":"int"}]},"default":{"x":1}},{"name":"b","type":"float","default":"2.5"},{"name":"c","type":"double","default":"NaN"}]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"record","name":"S","fields":[{"name":"x","type":"int"}]},"default":{"x":1}},{"name":"b","type":"float","default":2.5},{"name":"c","type":"double","default":"NaN"}]}',
  ],
];

describe('canonicalString (Java Schema.toString)', () => {
  for (const [name, input, expected] of CANONICAL) {
    it(name, () => assert.equal(canon(input), expected));
  }

  it('is the identity Confluent dedups on: same text for equivalent spellings', () => {
    const a = canon('{"type":"record","name":"a.b.R","fields":[{"name":"x","type":{"type":"int"}}]}');
    const b = canon(
      '{ "fields": [ {"type": "int", "name": "x"} ], "namespace": "a.b", "name": "R", "type": "record" }',
    );
    assert.equal(a, b);
    assert.notEqual(
      canon('{"type":"record","name":"R","doc":"x","fields":[]}'),
      canon('{"type":"record","name":"R","fields":[]}'),
    );
    assert.notEqual(canon('{"type":"string","a":1,"b":2}'), canon('{"type":"string","b":2,"a":1}'));
  });

  it('writes imported (referenced) types as names, nested imported types in full', () => {
    const refs: Record<string, string> = {
      addr: '{"type":"record","name":"com.x.Address","fields":[{"name":"kind","type":{"type":"enum","name":"Kind","symbols":["HOME"]}}]}',
    };
    const references: SchemaReference[] = [{ name: 'com.x.Address', subject: 'addr', version: 1 }];
    const parsed = parseSchema(
      '{"type":"record","name":"Person","namespace":"com.x","fields":[{"name":"home","type":"Address"},{"name":"k","type":"Kind"}]}',
      { mode: 'strict', references, lookup: (r) => ({ schema: refs[r.subject] as string, references: [] }) },
    );
    assert.equal(
      canonicalString(parsed),
      '{"type":"record","name":"Person","namespace":"com.x","fields":[{"name":"home","type":"Address"},{"name":"k","type":{"type":"enum","name":"Kind","symbols":["HOME"]}}]}',
    );
    assert.equal(
      parsingCanonicalForm(parsed),
      '{"name":"com.x.Person","type":"record","fields":[{"name":"home","type":{"name":"com.x.Address","type":"record","fields":[{"name":"kind","type":{"name":"com.x.Kind","type":"enum","symbols":["HOME"]}}]}},{"name":"k","type":"com.x.Kind"}]}',
    );
  });

  it('round-trips: parsing the canonical string gives the same canonical string', () => {
    for (const [, input] of CANONICAL) {
      const once = canon(input);
      assert.equal(canon(once), once);
    }
  });
});

describe('normalizedString (Confluent normalize=true)', () => {
  it('writes full names, no namespace attribute', () => {
    assert.equal(
      norm(
        '{"type":"record","name":"R","namespace":"n","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"f","type":"E"}]}',
      ),
      '{"type":"record","name":"n.R","fields":[{"name":"e","type":{"type":"enum","name":"n.E","symbols":["A"]}},{"name":"f","type":"n.E"}]}',
    );
  });
  it('sorts props and aliases, so their order no longer matters', () => {
    const a =
      '{"type":"record","name":"R","namespace":"n","aliases":["Z","a.B"],"z":1,"a":2,"fields":[{"name":"f","type":"int","aliases":["y","x"],"q":1,"p":2}]}';
    const b =
      '{"type":"record","name":"R","namespace":"n","a":2,"z":1,"aliases":["a.B","Z"],"fields":[{"name":"f","type":"int","p":2,"q":1,"aliases":["x","y"]}]}';
    const expected =
      '{"type":"record","name":"n.R","fields":[{"name":"f","type":"int","aliases":["x","y"],"p":2,"q":1}],"a":2,"z":1,"aliases":["a.B","n.Z"]}';
    assert.equal(norm(a), expected);
    assert.equal(norm(b), expected);
  });
  it('writes decimal precision and scale explicitly, scale only when not 0', () => {
    assert.equal(
      norm('{"type":"bytes","x":1,"scale":2,"precision":10,"logicalType":"decimal"}'),
      '{"type":"bytes","logicalType":"decimal","precision":10,"scale":2,"x":1}',
    );
    assert.equal(
      norm('{"type":"bytes","scale":0,"precision":10,"logicalType":"decimal"}'),
      '{"type":"bytes","logicalType":"decimal","precision":10}',
    );
    // Invalid decimals (scale > precision) are plain properties: only sorted.
    assert.equal(
      norm('{"type":"bytes","scale":5,"precision":2,"logicalType":"decimal"}'),
      '{"type":"bytes","logicalType":"decimal","precision":2,"scale":5}',
    );
  });
});

describe('parsingCanonicalForm', () => {
  it('strips logical types, props, doc, defaults, aliases; error records are records', () => {
    const p = parseSchema(
      '{"type":"error","name":"E","namespace":"n","aliases":["X"],"doc":"d","fields":[{"name":"t","type":{"type":"long","logicalType":"timestamp-millis"},"default":0,"order":"ignore"}]}',
      { mode: 'strict' },
    );
    assert.equal(
      parsingCanonicalForm(p),
      '{"name":"n.E","type":"record","fields":[{"name":"t","type":"long"}]}',
    );
  });
});
