import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { checkReaderWriter, DEFAULT_MAX_COMPARISONS, renderLocation } from './compatibility.js';
import { parseSchema } from './parser.js';
import type { AvroNode, FieldNode, ParsedSchema, RecordNode } from './types.js';

function parse(text: string, lenient: boolean | undefined): ParsedSchema {
  return parseSchema(text, { mode: lenient ? 'lenient' : 'strict' });
}

describe('checkReaderWriter: mechanics', () => {
  it('escapes location tokens like a JSON pointer (~ -> ~0, / -> ~1) and drops the root token', () => {
    assert.equal(renderLocation(['']), '/');
    assert.equal(renderLocation(['', 'fields', '0', 'type']), '/fields/0/type');
    assert.equal(renderLocation(['', 'a/b', 'c~d', '~/']), '/a~1b/c~0d/~0~1');
  });

  it('uses a fresh memo per call: the second check of the same pair reports the same locations', () => {
    const reader = parse('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}', false);
    const writer = parse('{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}', false);
    const first = checkReaderWriter(reader.root, writer.root);
    const second = checkReaderWriter(reader.root, writer.root);
    assert.deepEqual(second, first);
    assert.equal(first.incompatibilities[0]?.location, '/fields/0/type');
  });

  it('is pure on the node graph: the parsed schemas are not mutated', () => {
    const text = '{"type":"record","name":"N","fields":[{"name":"n","type":["null","N"]}]}';
    const reader = parse(text, false);
    const before = JSON.stringify(reader.root, (k, v) => (k === 'type' && typeof v === 'object' ? '…' : v));
    checkReaderWriter(reader.root, parse(text, false).root);
    assert.equal(
      JSON.stringify(reader.root, (k, v) => (k === 'type' && typeof v === 'object' ? '…' : v)),
      before,
    );
  });

  it('survives a 10,000-long chain of distinct named types without overflowing the stack', () => {
    // Built directly as nodes: each record's only field refers to the previous one, so Java would
    // recurse 10,000 pairs deep; the explicit frame stack must not care.
    const chain = (leaf: AvroNode): AvroNode => {
      let prev: AvroNode = leaf;
      for (let i = 0; i < 10_000; i++) {
        const r: RecordNode = {
          kind: 'record',
          name: `T${i}`,
          namespace: null,
          fullName: `T${i}`,
          aliases: [],
          doc: undefined,
          props: [],
          logicalType: undefined,
          isError: false,
          fields: [],
        };
        const f: FieldNode = {
          name: 'p',
          position: 0,
          type: prev,
          doc: undefined,
          hasDefault: false,
          default: undefined,
          order: 'ascending',
          aliases: [],
          props: [],
        };
        r.fields.push(f);
        prev = r;
      }
      return prev;
    };
    const prim = (type: 'int' | 'long'): AvroNode => ({
      kind: 'primitive',
      type,
      props: [],
      logicalType: undefined,
    });
    const ok = checkReaderWriter(chain(prim('long')), chain(prim('int')));
    assert.equal(ok.compatible, true);
    const bad = checkReaderWriter(chain(prim('int')), chain(prim('long')));
    assert.equal(bad.compatible, false);
    assert.equal(bad.incompatibilities.length, 1);
    assert.equal(bad.incompatibilities[0]?.location, `/${'fields/0/type/'.repeat(10_000)}`.slice(0, -1));
  });

  it('checks a 64-deep nested schema (the parser depth cap) in both directions', () => {
    let reader = '"int"';
    let writer = '"long"';
    for (let i = 0; i < 30; i++) {
      reader = `{"type":"array","items":${reader}}`;
      writer = `{"type":"array","items":${writer}}`;
    }
    const r = parse(reader, false);
    const w = parse(writer, false);
    assert.equal(checkReaderWriter(w.root, r.root).compatible, true);
    const res = checkReaderWriter(r.root, w.root);
    assert.deepEqual(res.incompatibilities, [
      {
        type: 'TYPE_MISMATCH',
        location: `/${Array(30).fill('items').join('/')}`,
        message: 'reader type: INT not compatible with writer type: LONG',
      },
    ]);
  });

  it("counts a repeated field alias once, as Java's alias set does (node built by hand)", () => {
    const reader = parse('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}', false);
    const writer = parse('{"type":"record","name":"R","fields":[{"name":"b","type":"int"}]}', false);
    const root = reader.root as RecordNode;
    const field = root.fields[0]!;
    const withRepeatedAlias: RecordNode = { ...root, fields: [{ ...field, aliases: ['b', 'b'] }] };
    assert.deepEqual(checkReaderWriter(withRepeatedAlias, writer.root), {
      compatible: true,
      incompatibilities: [],
    });
    const withSelfAlias: RecordNode = { ...root, fields: [{ ...field, aliases: ['a', 'a'] }] };
    const ambiguous = parse('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}', false);
    assert.equal(
      checkReaderWriter(withSelfAlias, ambiguous.root).exception?.includes('matches multiple fields'),
      true,
    );
  });

  it('bounds the work on hostile input: unions of 1,000 distinct records (quadratic in Java)', () => {
    // Enum-typed fields keep every trial on the general path (no deferral possible).
    const union = (prefix: string): string =>
      `[${Array.from({ length: 1000 }, (_, i) => `{"type":"record","name":"${prefix}${i}","fields":[{"name":"e","type":{"type":"enum","name":"${prefix}E${i}","symbols":["A"]}}]}`).join(',')}]`;
    const reader = parse(union('R'), false);
    assert.throws(
      () => checkReaderWriter(reader.root, parse(union('W'), false).root, { maxComparisons: 200_000 }),
      (err: unknown) =>
        err instanceof DomainError &&
        err.code === 'SCHEMA_TOO_LARGE' &&
        err.message === 'compatibility check exceeds the limit of 200000 type comparisons',
    );
    assert.equal(DEFAULT_MAX_COMPARISONS, 2_000_000);
  });

  it('keeps a 1,000-branch union of flat records checked against itself cheap (deferred trials)', () => {
    const union = `[${Array.from({ length: 1000 }, (_, i) => `{"type":"record","name":"R${i}","fields":[{"name":"a","type":"int"}]}`).join(',')}]`;
    // ~500,000 failing trials; evaluated in full they would exceed this budget several times over.
    const res = checkReaderWriter(parse(union, false).root, parse(union, false).root, {
      maxComparisons: 600_000,
    });
    assert.deepEqual(res, { compatible: true, incompatibilities: [] });
  });

  it('computes a deferred trial on demand with its fresh-stack locations', () => {
    // Field u's union trials fail R2 (name) before accepting R1; field v meets (R2, R1) directly and
    // must see what Java memoised during the trial: /name and /fields/0 relative to the trial.
    const reader = parse(
      '{"type":"record","name":"O","fields":[{"name":"u","type":[{"type":"record","name":"R2","fields":[{"name":"z","type":"int"}]},{"type":"record","name":"R1","fields":[{"name":"x","type":"int"}]}]},{"name":"v","type":"R2"}]}',
      false,
    );
    const writer = parse(
      '{"type":"record","name":"O","fields":[{"name":"u","type":{"type":"record","name":"R1","fields":[{"name":"x","type":"int"}]}},{"name":"v","type":"R1"}]}',
      false,
    );
    assert.deepEqual(checkReaderWriter(reader.root, writer.root).incompatibilities, [
      { type: 'NAME_MISMATCH', location: '/name', message: 'expected: R1' },
      { type: 'READER_FIELD_MISSING_DEFAULT_VALUE', location: '/fields/0', message: 'z' },
    ]);
  });

  it('counts every compared pair and scanned writer enum symbol against maxComparisons', () => {
    const reader = parse(
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
      false,
    );
    // root pair + 2 field pairs = 3 comparisons
    assert.equal(checkReaderWriter(reader.root, reader.root, { maxComparisons: 3 }).compatible, true);
    assert.throws(() => checkReaderWriter(reader.root, reader.root, { maxComparisons: 2 }), DomainError);
    const e = parse('{"type":"enum","name":"E","symbols":["A","B","C"]}', false);
    assert.equal(checkReaderWriter(e.root, e.root, { maxComparisons: 4 }).compatible, true);
    assert.throws(() => checkReaderWriter(e.root, e.root, { maxComparisons: 3 }), DomainError);
  });

  it('quotes the writer record with the injected describer in the ambiguous-alias exception', () => {
    const reader = parse(
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["b"]}]}',
      false,
    );
    const writer = parse(
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
      false,
    );
    const res = checkReaderWriter(reader.root, writer.root, { describeSchema: () => '<writer>' });
    assert.equal(res.compatible, false);
    assert.equal(
      res.exception,
      'Reader record field a type:INT pos:0 matches multiple fields in writer record schema <writer>',
    );
  });
});
