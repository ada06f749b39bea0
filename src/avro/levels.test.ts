import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import {
  CompatibilityCache,
  checkAgainstOne,
  checkLevel,
  incompatibleSchemaMessage,
  javaFormat,
  type PreviousVersion,
  parseCompatibilityLevel,
  type SchemaForCheck,
} from './levels.js';
import { parseSchema } from './parser.js';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from './types.js';

// Schema texts are written exactly as Java's Schema.toString() prints them, so they double as the
// Confluent canonical string of the {oldSchema: '...'} line.
function schema(text: string): SchemaForCheck {
  return { parsed: parseSchema(text, { mode: 'lenient' }), key: text, canonical: text };
}

function version(text: string, n: number): PreviousVersion {
  return { ...schema(text), version: n };
}

const V1 = '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"}]}';
const V2 =
  '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"},{"name":"f2","type":"string","default":"foo"}]}';
const V3 =
  '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"},{"name":"f2","type":"string"}]}';

const F2_NEW_VS_OLD =
  "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new " +
  "schema has no default value and is missing in the old schema', additionalInfo:'f2'}";
const F2_OLD_VS_NEW =
  "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the old " +
  "schema has no default value and is missing in the new schema', additionalInfo:'f2'}";

function trailer(level: CompatibilityLevel, validateFields = false): string {
  return `{validateFields: '${validateFields}', compatibility: '${level}'}`;
}

describe('checkLevel: the v1/v2/v3 worked example (Confluent AvroCompatibilityTest)', () => {
  const history = [version(V1, 1), version(V2, 2)];
  const expected: Record<CompatibilityLevel, string[]> = {
    NONE: [],
    BACKWARD: [], // only v2 is checked
    FORWARD: [],
    FULL: [],
    FORWARD_TRANSITIVE: [], // v1 and v2 both read v3 (they ignore f2 / have it)
    BACKWARD_TRANSITIVE: [
      F2_NEW_VS_OLD,
      '{oldSchemaVersion: 1}',
      `{oldSchema: '${V1}'}`,
      trailer('BACKWARD_TRANSITIVE'),
    ],
    // old-as-reader passes, so only the new-as-reader list (with the two appended lines) remains.
    FULL_TRANSITIVE: [
      F2_NEW_VS_OLD,
      '{oldSchemaVersion: 1}',
      `{oldSchema: '${V1}'}`,
      trailer('FULL_TRANSITIVE'),
    ],
  };
  for (const level of COMPATIBILITY_LEVELS) {
    it(`v3 against [v1, v2] under ${level}`, () => {
      const result = checkLevel(level, schema(V3), history);
      assert.deepEqual(result, { compatible: expected[level].length === 0, messages: expected[level] });
    });
  }

  it('FORWARD_TRANSITIVE: v1 against [v2, v3] fails because v3 cannot read v1 data', () => {
    const result = checkLevel('FORWARD_TRANSITIVE', schema(V1), [version(V2, 2), version(V3, 3)]);
    assert.deepEqual(result.messages, [
      F2_OLD_VS_NEW,
      '{oldSchemaVersion: 3}',
      `{oldSchema: '${V3}'}`,
      trailer('FORWARD_TRANSITIVE'),
    ]);
  });

  it('BACKWARD_TRANSITIVE with v1 soft-deleted (not passed in): v3 against [v2] is compatible', () => {
    assert.deepEqual(checkLevel('BACKWARD_TRANSITIVE', schema(V3), [version(V2, 2)]), {
      compatible: true,
      messages: [],
    });
  });

  it('transitive levels report the FIRST failing version walking newest to oldest', () => {
    const A = '{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}';
    const B = '{"type":"record","name":"r","fields":[{"name":"b","type":"int"}]}';
    const AB = '{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}';
    // The candidate needs a and b: version 3 passes, versions 2 (no a) and 1 (no b) both fail.
    const result = checkLevel('BACKWARD_TRANSITIVE', schema(AB), [
      version(A, 1),
      version(B, 2),
      version(AB, 3),
    ]);
    assert.deepEqual(result.messages, [
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'a' at path '/fields/0' in the new schema has no default value and is missing in the old schema', additionalInfo:'a'}",
      '{oldSchemaVersion: 2}',
      `{oldSchema: '${B}'}`,
      trailer('BACKWARD_TRANSITIVE'),
    ]);
  });

  it('an empty history is compatible under every level', () => {
    for (const level of COMPATIBILITY_LEVELS) {
      assert.deepEqual(checkLevel(level, schema(V3), []), { compatible: true, messages: [] });
    }
  });
});

describe('checkLevel: verbose message lists', () => {
  it('BACKWARD: the reference example, byte for byte', () => {
    const candidate = schema(
      '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"},{"name":"f2","type":"string"}]}',
    );
    const result = checkLevel('BACKWARD', candidate, [version(V1, 1)]);
    assert.deepEqual(result.messages, [
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f2'}",
      '{oldSchemaVersion: 1}',
      '{oldSchema: \'{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"}]}\'}',
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });

  it('BACKWARD: one description per incompatibility type, labels new/old', () => {
    const old = version(
      '{"type":"record","name":"R","fields":[{"name":"h","type":{"type":"fixed","name":"H","size":8}},' +
        '{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},{"name":"u","type":["null","int","string"]},' +
        '{"name":"n","type":"string"},{"name":"r","type":{"type":"record","name":"W","fields":[]}}]}',
      4,
    );
    const candidate = schema(
      '{"type":"record","name":"R","fields":[{"name":"h","type":{"type":"fixed","name":"H","size":4}},' +
        '{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},{"name":"u","type":["null","int"]},' +
        '{"name":"n","type":"int"},{"name":"r","type":{"type":"record","name":"Other","fields":[]}},{"name":"x","type":"int"}]}',
    );
    assert.deepEqual(checkLevel('BACKWARD', candidate, [old]).messages, [
      "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/fields/0/type/size' in the new schema does not match with the old schema', additionalInfo:'expected: 8, found: 4'}",
      "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum symbols '[C]' at path '/fields/1/type/symbols' in the old schema', additionalInfo:'[C]'}",
      "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type inside a union field at path '/fields/2/type/2' in the old schema', additionalInfo:'reader union lacking writer type: STRING'}",
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/3/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
      "{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/fields/4/type/name')', additionalInfo:'expected: W'}",
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'x' at path '/fields/5' in the new schema has no default value and is missing in the old schema', additionalInfo:'x'}",
      '{oldSchemaVersion: 4}',
      `{oldSchema: '${old.canonical}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });

  it('FORWARD: labels swap (old schema is the reader)', () => {
    const old = version(
      '{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"},{"name":"f2","type":"int"}]}',
      7,
    );
    const result = checkLevel('FORWARD', schema(V1), [version(V1, 6), old]);
    assert.deepEqual(result.messages, [
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the old schema has no default value and is missing in the new schema', additionalInfo:'f2'}",
      '{oldSchemaVersion: 7}',
      `{oldSchema: '${old.canonical}'}`,
      "{validateFields: 'false', compatibility: 'FORWARD'}",
    ]);
  });

  it('FULL: old-as-reader list first without appended lines, then new-as-reader with them', () => {
    const old = version(
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}',
      1,
    );
    const candidate = schema(
      '{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"c","type":"string"}]}',
    );
    assert.deepEqual(checkLevel('FULL', candidate, [old]), {
      compatible: false,
      messages: [
        "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path '/fields/1' in the old schema has no default value and is missing in the new schema', additionalInfo:'b'}",
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'c' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'c'}",
        '{oldSchemaVersion: 1}',
        `{oldSchema: '${old.canonical}'}`,
        "{validateFields: 'false', compatibility: 'FULL'}",
      ],
    });
  });

  it('FULL: when only the old-as-reader direction fails, no oldSchema lines appear', () => {
    const old = version('{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}', 1);
    const candidate = schema('{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}');
    assert.deepEqual(checkLevel('FULL', candidate, [old]).messages, [
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
      "{validateFields: 'false', compatibility: 'FULL'}",
    ]);
  });

  it('the ambiguous-alias exception becomes the "Unexpected exception" message', () => {
    const writerText =
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}';
    const candidate = schema(
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","aliases":["b"]}]}',
    );
    const result = checkLevel('BACKWARD', candidate, [version(writerText, 2)]);
    assert.deepEqual(result.messages, [
      `Unexpected exception during compatibility check: Reader record field a type:INT pos:0 matches multiple fields in writer record schema ${writerText}`,
      '{oldSchemaVersion: 2}',
      `{oldSchema: '${writerText}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });

  it('truncates an old schema longer than 10 KiB (10,240 UTF-16 units) and keeps one of exactly 10 KiB', () => {
    const text = (padTo: number): string => {
      const base = '{"type":"record","name":"R","doc":"","fields":[{"name":"a","type":"int"}]}';
      return base.replace('"doc":""', `"doc":"${'x'.repeat(padTo - base.length)}"`);
    };
    const candidate = schema('{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}');
    const exact = text(10_240);
    assert.equal(exact.length, 10_240);
    assert.equal(
      checkLevel('BACKWARD', candidate, [version(exact, 1)]).messages[2],
      `{oldSchema: '${exact}'}`,
    );
    const long = text(10_241);
    assert.equal(
      checkLevel('BACKWARD', candidate, [version(long, 1)]).messages[2],
      `{oldSchema: <truncated to 10240 characters> '${long.slice(0, 10_240)}'}`,
    );
  });

  it('echoes validateFields in the trailing line', () => {
    const result = checkLevel('BACKWARD', schema(V3), [version(V1, 1)], { validateFields: true });
    assert.equal(result.messages.at(-1), trailer('BACKWARD', true));
  });

  it('javaFormat applies %s, %% and %n like String.format and leaves other sequences alone', () => {
    assert.equal(javaFormat('in the %s vs %s', 'new', 'old'), 'in the new vs old');
    assert.equal(javaFormat('expected: a%sb.W then %s', 'new', 'old'), 'expected: anewb.W then old');
    assert.equal(javaFormat('100%% %n%d', 'new', 'old'), '100% \n%d');
  });
});

describe('checkAgainstOne', () => {
  it('checks only the given version, in the level direction, transitivity ignored', () => {
    const candidate = schema(V3);
    assert.deepEqual(checkAgainstOne('BACKWARD_TRANSITIVE', candidate, version(V2, 2)), {
      compatible: true,
      messages: [],
    });
    assert.deepEqual(checkAgainstOne('BACKWARD_TRANSITIVE', candidate, version(V1, 1)).messages, [
      F2_NEW_VS_OLD,
      '{oldSchemaVersion: 1}',
      `{oldSchema: '${V1}'}`,
      trailer('BACKWARD_TRANSITIVE'),
    ]);
    assert.equal(checkAgainstOne('FORWARD', candidate, version(V1, 1)).compatible, true);
    assert.equal(checkAgainstOne('FULL_TRANSITIVE', candidate, version(V1, 1)).compatible, false);
    assert.equal(checkAgainstOne('NONE', candidate, version(V1, 1)).compatible, true);
  });
});

describe('parseCompatibilityLevel and the 409 message', () => {
  it('accepts every level case-insensitively', () => {
    assert.equal(parseCompatibilityLevel('backward'), 'BACKWARD');
    assert.equal(parseCompatibilityLevel('Full_Transitive'), 'FULL_TRANSITIVE');
    for (const level of COMPATIBILITY_LEVELS)
      assert.equal(parseCompatibilityLevel(level.toLowerCase()), level);
  });

  it("rejects anything else with 42203 and Confluent's message", () => {
    for (const raw of ['', 'FULLY', ' backward', 42, null, undefined, ['BACKWARD']]) {
      assert.throws(
        () => parseCompatibilityLevel(raw),
        (err: unknown) =>
          err instanceof DomainError &&
          err.code === 'INVALID_COMPATIBILITY_LEVEL' &&
          err.errorCode === 42203 &&
          err.message ===
            'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
      );
    }
  });

  it('builds the register 409 message', () => {
    assert.equal(
      incompatibleSchemaMessage('orders-value', ['{a}', '{b}']),
      'Schema being registered is incompatible with an earlier schema for subject "orders-value", details: [{a}, {b}]',
    );
  });
});

describe('CompatibilityCache', () => {
  const history = [1, 2, 3].map((n) =>
    version(`{"type":"record","name":"R","fields":[{"name":"f${n}","type":"int","default":${n}}]}`, n),
  );
  const candidate = schema('{"type":"record","name":"R","fields":[{"name":"g","type":"int"}]}');

  it('hits on a repeated check and gives the same answers as without a cache', () => {
    const cache = new CompatibilityCache();
    const uncached = checkLevel('FULL_TRANSITIVE', schema(V3), [version(V1, 1), version(V2, 2)]);
    const first = checkLevel('FULL_TRANSITIVE', schema(V3), [version(V1, 1), version(V2, 2)], { cache });
    assert.deepEqual(first, uncached);
    assert.equal(cache.hits, 0);
    const missesAfterFirst = cache.misses;
    assert.equal(missesAfterFirst, 4); // v2 both ways, v1 both ways
    const second = checkLevel('FULL_TRANSITIVE', schema(V3), [version(V1, 1), version(V2, 2)], { cache });
    assert.deepEqual(second, uncached);
    assert.equal(cache.hits, 4);
    assert.equal(cache.misses, missesAfterFirst);
  });

  it('shares pairs across levels: FORWARD after FULL is all hits', () => {
    const cache = new CompatibilityCache();
    const full = checkLevel('FULL_TRANSITIVE', candidate, history, { cache });
    assert.equal(full.compatible, false); // g has no default: the candidate cannot read v3
    assert.equal(cache.size, 2); // stopped at the first failing (newest) version
    const hitsBefore = cache.hits;
    assert.deepEqual(
      checkLevel('FORWARD', candidate, history, { cache }),
      checkLevel('FORWARD', candidate, history),
    );
    assert.equal(cache.hits, hitsBefore + 1);
  });

  it('is a bounded LRU', () => {
    const cache = new CompatibilityCache(2);
    const r = { compatible: true, incompatibilities: [] };
    cache.set('a', r);
    cache.set('b', r);
    assert.ok(cache.get('a')); // a becomes most recent
    cache.set('c', r); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a'));
    assert.ok(cache.get('c'));
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(cache.hits + cache.misses, 0);
    assert.throws(() => new CompatibilityCache(0), RangeError);
  });

  it('keys pairs by direction', () => {
    assert.notEqual(CompatibilityCache.keyOf('a', 'b'), CompatibilityCache.keyOf('b', 'a'));
  });
});
