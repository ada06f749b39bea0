/**
 * The SDK corpus (test/fixtures/sdk-corpus/), TypeScript side: validateDatum (which also answers the
 * registry's /validate endpoint) and the lean-record builders must give exactly the recorded results.
 * The Python client checks the same files (clients/python/tests/test_corpus.py), so both SDKs agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AutoGenerator } from '../../src/avro/autogen.js';
import { validateDatum } from '../../src/avro/datum.js';
import { parseSchema } from '../../src/avro/parser.js';
import {
  createRecord,
  createVectorRecord,
  RecordValidationError,
  toLeanJson,
  type VectorRecordInput,
} from '../../src/sdk/lean-records.js';
import {
  asJson,
  corpusGenerator,
  corpusSchema,
  differingPointers,
  expand,
  type LeanRecordCase,
  loadCorpus,
  matchesKind,
  type Outcome,
  type ValidationCase,
} from './sdk-corpus.js';

const validation = loadCorpus<ValidationCase>('validation.json');
const leanRecords = loadCorpus<LeanRecordCase>('lean-records.json');

function validate(c: ValidationCase, generator: AutoGenerator): unknown {
  const options = c.options ?? {};
  const result = validateDatum(
    parseSchema(corpusSchema(validation, c.schema), { mode: 'lenient' }),
    expand(c.datum),
    {
      applyDefaults: options.applyDefaults,
      maxErrors: options.maxErrors,
      maxDepth: options.maxDepth,
      unknownFields: options.unknownFields,
      generator: options.generator === null ? null : generator,
      output: 'json',
    },
  );
  return asJson(
    result.valid ? { valid: true, datum: result.datum } : { valid: false, errors: result.errors },
  );
}

function build(c: LeanRecordCase, generator: AutoGenerator): unknown {
  try {
    const record =
      c.call === 'createVectorRecord'
        ? createVectorRecord(expand(c.input) as unknown as VectorRecordInput, {
            generator,
            output: 'json',
            ...(c.schema === undefined ? {} : { schema: corpusSchema(leanRecords, c.schema) }),
          })
        : createRecord<Record<string, unknown>>(
            corpusSchema(leanRecords, c.schema ?? 'core'),
            expand(c.input) as object,
            { generator, output: 'json', ...(c.type === undefined ? {} : { type: c.type }) },
          );
    return asJson({ record, lean: toLeanJson(record as unknown as Record<string, unknown>) });
  } catch (error) {
    if (error instanceof RecordValidationError) return asJson({ errors: error.errors });
    throw error;
  }
}

/**
 * The recorded outcome, and `generated` names exactly the values that come from the generator: run
 * again on another clock and other random bytes, those pointers (and only those) change.
 */
function check<C extends { expect: Outcome; generated?: Record<string, string> }>(
  c: C,
  corpus: { clock: number; randomByte: number },
  run: (c: C, generator: AutoGenerator) => unknown,
): void {
  const actual = run(c, corpusGenerator(corpus.clock, corpus.randomByte));
  assert.deepEqual(actual, c.expect);
  const other = run(c, corpusGenerator(corpus.clock + 1, corpus.randomByte + 1));
  const generated = c.generated ?? {};
  assert.deepEqual(differingPointers(actual, other).sort(), Object.keys(generated).sort());
  for (const [pointer, kind] of Object.entries(generated)) {
    const value = pointer
      .split('/')
      .slice(1)
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], actual);
    assert.ok(matchesKind(kind, value), `${pointer} = ${String(value)} is a ${kind}`);
  }
}

describe('SDK corpus: datum validation (validation.json)', () => {
  it('holds cases of every kind', () => {
    assert.ok(validation.cases.length >= 50);
    assert.ok(validation.cases.some((c) => c.expect.valid === true && c.generated !== undefined));
  });
  for (const c of validation.cases) {
    it(c.name, () => check(c, validation, validate));
  }
});

describe('SDK corpus: lean records (lean-records.json)', () => {
  for (const c of leanRecords.cases) {
    it(c.name, () => {
      if (c.call === 'createVectorRecord') {
        // In Python a keyword left at None means "not given": such inputs would differ between the SDKs.
        assert.ok(!Object.values(c.input).includes(null), 'createVectorRecord inputs hold no null');
      }
      check(c, leanRecords, build);
    });
  }
});
