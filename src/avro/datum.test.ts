import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ManualClock } from '../clock.js';
import { AutoGenerator } from './autogen.js';
import { type DatumResult, formatDatumError, validateDatum } from './datum.js';
import { parseSchema } from './parser.js';
import type { AvroNode } from './types.js';

const master = parseSchema(
  readFileSync(new URL('../../schemas/proximadb_core.avsc', import.meta.url), 'utf8'),
  {
    mode: 'strict',
  },
);
const vectorRecord = master.named.get('ai.proximadb.VectorRecord') as AvroNode;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
const generator = () => new AutoGenerator({ clock: new ManualClock(NOW), randomFill: (b) => b.fill(7) });
const schema = (text: string) => parseSchema(text, { mode: 'strict' });

function errorsOf(result: DatumResult): string[] {
  assert.equal(result.valid, false, 'expected the datum to be invalid');
  return result.valid ? [] : result.errors.map(formatDatumError);
}

function datumOf(result: DatumResult): unknown {
  if (!result.valid) assert.fail(`expected valid, got ${result.errors.map(formatDatumError).join('; ')}`);
  return result.datum;
}

describe('validateDatum on the ProximaDB VectorRecord', () => {
  it('completes a lean record: auto-generated id and timestamp, nulls for unset optional fields', () => {
    const datum = datumOf(validateDatum(vectorRecord, { vector: [0.5, -1, 2] }, { generator: generator() }));
    assert.deepEqual(datum, {
      id: `${NOW.toString(16)
        .padStart(12, '0')
        .replace(/^(.{8})(.{4})$/, '$1-$2')}-7707-8707-070707070707`,
      vector: [0.5, -1, 2],
      metadata: null,
      timestamp: NOW * 1000,
      expires_at: null,
    });
  });

  it('keeps values the caller set, including an explicit null', () => {
    const input = { id: 'mine', vector: [1], metadata: { k: 'v' }, timestamp: 5, expires_at: null };
    assert.deepEqual(datumOf(validateDatum(vectorRecord, input, { generator: generator() })), input);
  });

  it('names the path of a bad vector element exactly', () => {
    const result = validateDatum(vectorRecord, { vector: [1, 2, 3, 'x'] });
    assert.deepEqual(errorsOf(result), ['/vector/3: expected float, got "x"']);
  });

  it('reports every error, not just the first', () => {
    const result = validateDatum(master, {
      vector: [1, 'a', null],
      metadata: { ok: 'v', bad: 3 },
      colour: 'red',
    });
    assert.deepEqual(errorsOf(result), [
      '/vector/1: expected float, got "a"',
      '/vector/2: expected float, got null',
      '/metadata/bad: expected string, got 3',
      '/colour: unknown field (record ai.proximadb.VectorRecord has no such field)',
    ]);
  });

  it('resolves the top-level union by shape: a SearchResult is recognised, a bad one is explained', () => {
    assert.deepEqual(datumOf(validateDatum(master, { score: 0.9 })), {
      score: 0.9,
      id: null,
      vector: null,
      metadata: null,
    });
    assert.deepEqual(errorsOf(validateDatum(master, 'nope')), [
      '/: expected one of [ai.proximadb.VectorRecord, ai.proximadb.SearchResult], got "nope"',
    ]);
  });

  it('reports a missing required field, and with applyDefaults false every absent field', () => {
    assert.deepEqual(errorsOf(validateDatum(vectorRecord, {})), ['/vector: missing required field']);
    assert.deepEqual(errorsOf(validateDatum(vectorRecord, { vector: [] }, { applyDefaults: false })), [
      '/id: missing field (applyDefaults would fill it)',
      '/metadata: missing field (applyDefaults would fill it)',
      '/timestamp: missing field (applyDefaults would fill it)',
      '/expires_at: missing field (applyDefaults would fill it)',
    ]);
  });

  it('with auto-generation off, falls back on the default (null)', () => {
    const datum = datumOf(validateDatum(vectorRecord, { vector: [] }, { generator: null })) as Record<
      string,
      unknown
    >;
    assert.equal(datum.id, null);
    assert.equal(datum.timestamp, null);
  });

  it('can ignore unknown fields instead of rejecting them', () => {
    const datum = datumOf(validateDatum(vectorRecord, { vector: [], extra: 1 }, { unknownFields: 'ignore' }));
    assert.equal(Object.hasOwn(datum as object, 'extra'), false);
  });
});

describe('validateDatum rules per type', () => {
  const all = schema(`{"type":"record","name":"T","namespace":"n","fields":[
    {"name":"i","type":"int","default":7},
    {"name":"l","type":"long","default":-3},
    {"name":"f","type":"float","default":1.5},
    {"name":"b","type":"bytes","default":"\\u00ff\\u0000"},
    {"name":"x","type":{"type":"fixed","name":"F","size":2},"default":"ab"},
    {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]},"default":"B"},
    {"name":"s","type":["string","null"],"default":"dflt"},
    {"name":"r","type":{"type":"record","name":"In","fields":[{"name":"z","type":"int","default":1}]},"default":{}}
  ]}`);

  it('applies defaults of every kind, bytes as ISO-8859-1 strings in JSON and Buffers for avsc', () => {
    assert.deepEqual(datumOf(validateDatum(all, {})), {
      i: 7,
      l: -3,
      f: 1.5,
      b: '\u00ff\u0000',
      x: 'ab',
      e: 'B',
      s: 'dflt',
      r: { z: 1 },
    });
    const forAvsc = datumOf(validateDatum(all, {}, { output: 'avsc' })) as Record<string, unknown>;
    assert.deepEqual(forAvsc.b, Buffer.from([0xff, 0]));
    assert.deepEqual(forAvsc.x, Buffer.from('ab'));
  });

  it('checks ranges and shapes with precise messages', () => {
    const result = validateDatum(all, {
      i: 2 ** 31,
      l: 2 ** 60,
      f: 1e39,
      b: '\u0100',
      x: 'abc',
      e: 'C',
      s: 5,
      r: { z: 1.5 },
    });
    assert.deepEqual(errorsOf(result), [
      '/i: expected int, got 2147483648 (out of int32 range)',
      '/l: expected long, got 1152921504606847000 (beyond ±(2^53-1), not exact)',
      '/f: expected float, got 1e+39 (out of float range)',
      '/b: expected bytes, got "Ā"',
      '/x: expected 2 bytes for fixed n.F, got 3',
      '/e: expected a symbol of enum n.E [A, B], got "C"',
      '/s: expected one of [string, null], got 5',
      '/r/z: expected int, got 1.5',
    ]);
  });

  it('accepts bigints that fit and Buffers for bytes', () => {
    const datum = datumOf(validateDatum(all, { l: 12n, i: 3n, b: Buffer.from([1, 2]) })) as Record<
      string,
      unknown
    >;
    assert.equal(datum.l, 12);
    assert.equal(datum.i, 3);
    assert.equal(datum.b, '\u0001\u0002');
  });

  it("accepts Avro's JSON encoding of unions and unwraps it", () => {
    const datum = datumOf(validateDatum(all, { s: { string: 'w' } })) as Record<string, unknown>;
    assert.equal(datum.s, 'w');
  });

  const twoRecords = schema(`[{"type":"record","name":"A","fields":[{"name":"a","type":"int"}]},
    {"type":"record","name":"B","fields":[{"name":"b","type":"string"}]}]`);

  it('wraps unions avsc cannot tell apart for avsc output, and leaves them plain for JSON', () => {
    assert.deepEqual(datumOf(validateDatum(twoRecords, { b: 'x' }, { output: 'avsc' })), { B: { b: 'x' } });
    assert.deepEqual(datumOf(validateDatum(twoRecords, { b: 'x' })), { b: 'x' });
    assert.deepEqual(datumOf(validateDatum(twoRecords, { A: { a: 1 } }, { output: 'avsc' })), {
      A: { a: 1 },
    });
    const nullable = schema('["null","string"]');
    assert.equal(datumOf(validateDatum(nullable, 'x', { output: 'avsc' })), 'x');
  });

  it('explains a value no branch accepts through the closest branch of its shape', () => {
    assert.deepEqual(errorsOf(validateDatum(twoRecords, { b: 5 })), ['/b: expected string, got 5']);
    assert.deepEqual(errorsOf(validateDatum(twoRecords, { a: 'x' })), ['/a: expected int, got "x"']);
  });

  it('keeps a __proto__ map key as data', () => {
    const map = schema('{"type":"map","values":"int"}');
    const input = JSON.parse('{"__proto__": 1, "a": 2}');
    const datum = datumOf(validateDatum(map, input)) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(datum), Object.prototype);
    assert.deepEqual(Object.keys(datum), ['__proto__', 'a']);
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    const list = schema(
      '{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"],"default":null}]}',
    );
    let deep: unknown = { next: null };
    for (let i = 0; i < 1_000; i++) deep = { next: deep };
    const result = validateDatum(list, deep, { maxDepth: 100 });
    assert.equal(result.valid, false);
    assert.match(errorsOf(result)[0] ?? '', /nesting deeper than 100 levels/);
    assert.equal(validateDatum(list, { next: { next: null } }).valid, true);
  });

  it('stops collecting after maxErrors', () => {
    const result = validateDatum(vectorRecord, { vector: Array(500).fill('x') }, { maxErrors: 10 });
    const errors = errorsOf(result);
    assert.equal(errors.length, 11);
    assert.equal(errors[10], '/: more errors not shown (limit 10)');
  });

  it('refuses an auto-generation kind the field type cannot hold, and names unknown kinds', () => {
    const bad = schema(
      '{"type":"record","name":"R","fields":[{"name":"n","type":"int","proximadb.autogen":"uuid"}]}',
    );
    assert.deepEqual(errorsOf(validateDatum(bad, {})), [
      '/n: cannot auto-generate "uuid": the field\'s type has no string branch',
    ]);
    const unknown = schema(
      '{"type":"record","name":"R","fields":[{"name":"n","type":"string","proximadb.autogen":"snowflake"}]}',
    );
    assert.deepEqual(errorsOf(validateDatum(unknown, {})), [
      '/n: missing required field (unsupported proximadb.autogen "snowflake")',
    ]);
  });

  it('honours autogen declared on the type, and ulid / now_millis kinds', () => {
    const onType = schema(`{"type":"record","name":"R","fields":[
      {"name":"u","type":{"type":"string","proximadb.autogen":"ulid"}},
      {"name":"t","type":["null",{"type":"long","proximadb.autogen":"now_millis"}]}]}`);
    const datum = datumOf(validateDatum(onType, {}, { generator: generator() })) as Record<string, unknown>;
    assert.match(String(datum.u), /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(datum.t, NOW);
  });
});
