/**
 * Java SchemaCompatibility's verdicts, case by case: the hand-derived table in testdata/ run through
 * the checker (verdict, every incompatibility in order, and the exception message).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkReaderWriter } from '../../src/avro/compatibility.js';
import { parseSchema } from '../../src/avro/parser.js';
import type { ParsedSchema } from '../../src/avro/types.js';
import { type CompatibilityCase, TYPE_CASES } from './testdata/compatibility-cases.js';
import { RECORD_CASES } from './testdata/compatibility-cases-records.js';
import { UNION_CASES } from './testdata/compatibility-cases-unions.js';

const ALL_CASES: readonly CompatibilityCase[] = [...TYPE_CASES, ...RECORD_CASES, ...UNION_CASES];

function parse(text: string, lenient: boolean | undefined): ParsedSchema {
  return parseSchema(text, { mode: lenient ? 'lenient' : 'strict' });
}

describe('checkReaderWriter: Java SchemaCompatibility case table', () => {
  it('has at least 150 cases with unique names', () => {
    assert.ok(ALL_CASES.length >= 150, `only ${ALL_CASES.length} cases`);
    assert.equal(new Set(ALL_CASES.map((c) => c.name)).size, ALL_CASES.length);
  });

  for (const c of ALL_CASES) {
    it(c.name, () => {
      const reader = parse(c.reader, c.lenient);
      const writer = parse(c.writer, c.lenient);
      const result = checkReaderWriter(reader.root, writer.root);
      assert.deepEqual(
        {
          compatible: result.compatible,
          incompatibilities: result.incompatibilities,
          exception: result.exception,
        },
        {
          compatible: c.expected.compatible,
          incompatibilities: c.expected.incompatibilities,
          exception: c.expected.exception,
        },
      );
    });
  }
});
