/** The AST the parser builds: names, namespaces, identity, attributes, references and positions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { fromPlain, positionOf } from './json.js';
import { parseSchema } from './parser.js';
import type {
  ArrayNode,
  EnumNode,
  FixedNode,
  ParsedSchema,
  RecordNode,
  ReferenceLookup,
  SchemaReference,
  UnionNode,
} from './types.js';

const strict = (text: string): ParsedSchema => parseSchema(text, { mode: 'strict' });
const root = <T>(p: ParsedSchema) => p.root as T;
const typeOf = <T>(r: RecordNode, i: number): T => {
  const f = r.fields[i];
  assert.ok(f, `no field #${i}`);
  return f.type as T;
};

describe('names and namespaces', () => {
  const p = strict(`{"type":"record","name":"R","namespace":"com.x","aliases":["Old","a.b.Older"],"fields":[
    {"name":"inherit","type":{"type":"enum","name":"E","symbols":["A"]}},
    {"name":"dotted","type":{"type":"fixed","name":"other.F","namespace":"ignored","size":1}},
    {"name":"reset","type":{"type":"record","name":"N","namespace":"","fields":[
      {"name":"inner","type":{"type":"enum","name":"InNull","symbols":["B"]}}]}}
  ]}`);
  const r = root<RecordNode>(p);

  it('qualifies the root and its aliases with its namespace', () => {
    assert.equal(r.fullName, 'com.x.R');
    assert.equal(r.namespace, 'com.x');
    assert.deepEqual(r.aliases, ['com.x.Old', 'a.b.Older']);
  });
  it('lets nested types inherit the namespace', () => {
    assert.equal(typeOf<EnumNode>(r, 0).fullName, 'com.x.E');
  });
  it('lets a dotted name override the namespace attribute', () => {
    const f = r.fields[1]?.type as FixedNode;
    assert.equal(f.fullName, 'other.F');
    assert.equal(f.name, 'F');
  });
  it('treats "namespace": "" as the null namespace, inherited further down', () => {
    const n = r.fields[2]?.type as RecordNode;
    assert.equal(n.namespace, null);
    assert.equal(n.fullName, 'N');
    assert.equal(typeOf<EnumNode>(n, 0).fullName, 'InNull');
  });
  it('lists every named type by full name', () => {
    assert.deepEqual([...p.named.keys()].sort(), ['InNull', 'N', 'com.x.E', 'com.x.R', 'other.F']);
  });
  it('resolves an unqualified reference in the current namespace, then in the null namespace', () => {
    const q = strict(`{"type":"record","name":"R","namespace":"n","fields":[
      {"name":"a","type":{"type":"enum","name":"G","namespace":"","symbols":["A"]}},
      {"name":"b","type":"G"}]}`);
    const fields = root<RecordNode>(q).fields;
    assert.equal(fields[1]?.type, fields[0]?.type);
  });
});

describe('identity', () => {
  it('shares one node per named type: recursion and re-use are the same object', () => {
    const r = root<RecordNode>(
      strict(`{"type":"record","name":"Node","fields":[
        {"name":"children","type":{"type":"array","items":"Node"}},
        {"name":"next","type":["null","Node"]}]}`),
    );
    assert.equal(typeOf<ArrayNode>(r, 0).items, r);
    assert.equal(typeOf<UnionNode>(r, 1).branches[1], r);
  });
  it('gives every anonymous occurrence its own node', () => {
    const r = root<RecordNode>(
      strict('{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}'),
    );
    assert.notEqual(r.fields[0]?.type, r.fields[1]?.type);
    assert.deepEqual(r.fields[0]?.type, r.fields[1]?.type);
  });
  it('resolves forward references (Avro 1.12) to the later definition', () => {
    const r = root<RecordNode>(
      strict(`{"type":"record","name":"R","fields":[{"name":"a","type":"E"},
        {"name":"b","type":{"type":"enum","name":"E","symbols":["X"]}}]}`),
    );
    assert.equal(r.fields[0]?.type, r.fields[1]?.type);
    assert.equal(r.fields[0]?.type.kind, 'enum');
  });
});

describe('attributes', () => {
  const r = root<RecordNode>(
    strict(`{"type":"error","name":"Err","doc":"rec doc","x-rec":1,"fields":[
      {"name":"t","type":{"type":"long","logicalType":"timestamp-millis","x":true},"doc":"d","order":"descending",
       "aliases":["time","time"],"default":0,"x-field":"v"},
      {"name":"n","type":["null","string"],"default":null},
      {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"default":"B"}}]}`),
  );
  it('keeps record kind, doc and props', () => {
    assert.equal(r.isError, true);
    assert.equal(r.doc, 'rec doc');
    assert.deepEqual(
      r.props.map(([k]) => k),
      ['x-rec'],
    );
  });
  it('keeps field position, doc, order, de-duplicated aliases, default and props', () => {
    const t = r.fields[0];
    assert.equal(t?.position, 0);
    assert.equal(t?.doc, 'd');
    assert.equal(t?.order, 'descending');
    assert.deepEqual(t?.aliases, ['time']);
    assert.equal(t?.hasDefault, true);
    assert.deepEqual(
      t?.props.map(([k]) => k),
      ['x-field'],
    );
    assert.equal(r.fields[2]?.position, 2);
    assert.equal(r.fields[2]?.hasDefault, false);
    assert.equal(r.fields[2]?.default, undefined);
  });
  it('keeps logical types as props plus logicalType, uninterpreted', () => {
    const t = r.fields[0]?.type;
    assert.equal(t?.kind, 'primitive');
    if (t?.kind !== 'primitive') return;
    assert.equal(t.type, 'long');
    assert.equal(t.logicalType, 'timestamp-millis');
    assert.deepEqual(
      t.props.map(([k]) => k),
      ['logicalType', 'x'],
    );
  });
  it('tells "default": null from no default', () => {
    assert.equal(r.fields[1]?.hasDefault, true);
    assert.equal(r.fields[1]?.default, null);
  });
  it('keeps the enum-level default', () => {
    assert.equal(typeOf<EnumNode>(r, 2).default, 'B');
  });
  it('accepts empty unions and empty symbol lists, as Java does', () => {
    assert.deepEqual(root<UnionNode>(strict('[]')).branches, []);
    assert.deepEqual(root<EnumNode>(strict('{"type":"enum","name":"E","symbols":[]}')).symbols, []);
  });
  it('accepts already-parsed JSON', () => {
    const p = parseSchema(
      fromPlain({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int', default: 1 }] }),
      {
        mode: 'strict',
      },
    );
    assert.equal(root<RecordNode>(p).fields[0]?.hasDefault, true);
  });
});

describe('positions', () => {
  it('records where each named type and field definition starts', () => {
    const text =
      '{\n  "type": "record", "name": "R",\n  "fields": [\n    {"name": "a",\n     "type": {"type": "enum", "name": "E", "symbols": []}}\n  ]\n}';
    const r = root<RecordNode>(strict(text));
    assert.deepEqual(positionOf(r), { line: 1, column: 1 });
    assert.deepEqual(positionOf(r.fields[0] as object), { line: 4, column: 5 });
    assert.deepEqual(positionOf(typeOf<object>(r, 0)), { line: 5, column: 14 });
  });
});

describe('references', () => {
  const store: Record<string, { schema: string; references: SchemaReference[] }> = {
    'kind-1': { schema: '{"type":"enum","name":"com.x.Kind","symbols":["HOME","WORK"]}', references: [] },
    'addr-1': {
      schema:
        '{"type":"record","name":"com.x.Address","fields":[{"name":"kind","type":"Kind"},{"name":"zip","type":"string"}]}',
      references: [{ name: 'com.x.Kind', subject: 'kind', version: 1 }],
    },
    // Stored under older rules: a non-ASCII name and a bad default, so it must be parsed leniently.
    'old-1': {
      schema: '{"type":"record","name":"com.x.Straße","fields":[{"name":"n","type":"int","default":1.5}]}',
      references: [],
    },
    'cyc-1': { schema: '"string"', references: [{ name: 'x', subject: 'cyc', version: 1 }] },
  };
  const lookup: ReferenceLookup = (ref) => store[`${ref.subject}-${ref.version}`];
  const main =
    '{"type":"record","name":"Person","namespace":"com.x","fields":[{"name":"home","type":"Address"},{"name":"k","type":"Kind"}]}';

  it('resolves references recursively into the same name table', () => {
    const p = parseSchema(main, {
      mode: 'strict',
      lookup,
      references: [{ name: 'com.x.Address', subject: 'addr', version: 1 }],
    });
    const r = root<RecordNode>(p);
    const address = r.fields[0]?.type as RecordNode;
    assert.equal(address.fullName, 'com.x.Address');
    assert.equal(r.fields[1]?.type, address.fields[0]?.type);
    assert.deepEqual([...p.imported].sort(), ['com.x.Address', 'com.x.Kind']);
    assert.deepEqual([...(p.importedRoots ?? [])].sort(), ['com.x.Address', 'com.x.Kind']);
    assert.equal(p.named.get('com.x.Person'), r);
  });
  it('parses referenced schemas leniently', () => {
    const p = parseSchema('{"type":"record","name":"U","fields":[{"name":"s","type":"com.x.Straße"}]}', {
      mode: 'strict',
      lookup,
      references: [{ name: 'old', subject: 'old', version: 1 }],
    });
    assert.equal(typeOf<RecordNode>(root<RecordNode>(p), 0).name, 'Straße');
  });
  it('survives reference cycles', () => {
    const p = parseSchema('"int"', {
      mode: 'strict',
      lookup,
      references: [{ name: 'x', subject: 'cyc', version: 1 }],
    });
    assert.equal(p.root.kind, 'primitive');
  });
  it('fails clearly when a reference is missing, or its type is undefined without it', () => {
    assert.throws(
      () =>
        parseSchema(main, {
          mode: 'strict',
          lookup,
          references: [{ name: 'com.x.Address', subject: 'addr', version: 9 }],
        }),
      (e: unknown) =>
        e instanceof DomainError &&
        e.code === 'INVALID_SCHEMA' &&
        e.message === 'reference "com.x.Address" (subject "addr" version 9) not found',
    );
    assert.throws(() => parseSchema(main, { mode: 'strict' }), /unknown type "Address"/);
  });
  it('names the reference in errors inside it', () => {
    store['bad-1'] = { schema: '{"type":"record","name":"B"}', references: [] };
    assert.throws(
      () =>
        parseSchema('"int"', {
          mode: 'strict',
          lookup,
          references: [{ name: 'b', subject: 'bad', version: 1 }],
        }),
      (e: unknown) =>
        e instanceof DomainError &&
        e.message === 'reference "b" (subject "bad" version 1): record "B" has no "fields" array',
    );
  });
  it('rejects redefining an imported type differently', () => {
    const text =
      '{"type":"record","name":"R","fields":[{"name":"k","type":{"type":"enum","name":"com.x.Kind","symbols":["X"]}}]}';
    assert.throws(
      () =>
        parseSchema(text, {
          mode: 'strict',
          lookup,
          references: [{ name: 'k', subject: 'kind', version: 1 }],
        }),
      /can't redefine enum "com.x.Kind" differently/,
    );
  });
});

describe('scale', () => {
  it('parses a 1,000-field record', () => {
    const fields = Array.from(
      { length: 1000 },
      (_, i) => `{"name":"f${i}","type":["null","string"],"default":null}`,
    );
    const p = strict(`{"type":"record","name":"Wide","fields":[${fields.join(',')}]}`);
    assert.equal(root<RecordNode>(p).fields.length, 1000);
  });
});
