import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fromPlain,
  isJsonNumber,
  isJsonObject,
  JsonSyntaxError,
  jsonEntries,
  jsonEquals,
  jsonNumber,
  positionOf,
  toPlain,
} from './json.js';
import { parseJson } from './json-reader.js';
import { javaDoubleString, javaNumberText, quoteJson, stringifyJson } from './json-write.js';
import type { JsonNumber, JsonObject, JsonValue } from './types.js';

const obj = (v: JsonValue): JsonObject => {
  assert.ok(isJsonObject(v), 'expected an object');
  return v;
};
const num = (v: JsonValue | undefined): JsonNumber => {
  assert.ok(isJsonNumber(v), 'expected a number');
  return v;
};

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJson(text);
  } catch (e) {
    assert.ok(e instanceof JsonSyntaxError, `expected JsonSyntaxError, got ${e}`);
    return e;
  }
  assert.fail(`parsed: ${text}`);
}

describe('parseJson numbers', () => {
  it('keeps the literal and tells integral from fractional', () => {
    const v = parseJson('[1, 1.0, -0, 1e2, 3000000000, 12345678901234567890123, -1.5E-3]') as JsonValue[];
    const nums = v.map(num);
    assert.deepEqual(
      nums.map((n) => [n.raw, n.isIntegral]),
      [
        ['1', true],
        ['1.0', false],
        ['-0', true],
        ['1e2', false],
        ['3000000000', true],
        ['12345678901234567890123', true],
        ['-1.5E-3', false],
      ],
    );
    assert.equal(nums[4]?.value, 3000000000);
    assert.equal(nums[6]?.value, -0.0015);
  });

  it('rejects what RFC 8259 does not allow', () => {
    for (const bad of ['01', '1.', '.5', '+1', '1e', '-', '0x10', 'NaN', 'Infinity']) {
      syntaxError(bad);
    }
  });

  it('formats numbers as Jackson writes a tree back (Java Double.toString)', () => {
    const cases: Array<[string, string]> = [
      ['1', '1'],
      ['-0', '0'],
      ['1.0', '1.0'],
      ['1.50', '1.5'],
      ['1e2', '100.0'],
      ['1e7', '1.0E7'],
      ['12345678.9', '1.23456789E7'],
      ['0.001', '0.001'],
      ['0.0001', '1.0E-4'],
      ['-2.5e-10', '-2.5E-10'],
      ['-0.0', '-0.0'],
      ['3000000000', '3000000000'],
      ['1e400', '"Infinity"'],
    ];
    for (const [raw, want] of cases) assert.equal(javaNumberText(jsonNumber(raw)), want, raw);
    assert.equal(javaDoubleString(0.1 + 0.2), '0.30000000000000004');
  });
});

describe('parseJson objects', () => {
  it('creates prototype-less objects so __proto__ is a plain key', () => {
    const v = obj(parseJson('{"__proto__": {"polluted": true}, "constructor": 1}'));
    assert.equal(Object.getPrototypeOf(v), null);
    assert.deepEqual(Object.keys(v), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const plain = toPlain(v) as Record<string, unknown>;
    assert.ok(Object.hasOwn(plain, '__proto__'));
    assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  });

  it('lets the last duplicate key win, keeping the first position', () => {
    const v = obj(parseJson('{"a": 1, "b": 2, "a": 3}'));
    assert.deepEqual(
      jsonEntries(v).map(([k, x]) => [k, num(x).raw]),
      [
        ['a', '3'],
        ['b', '2'],
      ],
    );
  });

  it('keeps source order for integer-like keys', () => {
    const v = obj(parseJson('{"b": 1, "2": 2, "a": 3, "1": 4}'));
    assert.deepEqual(
      jsonEntries(v).map(([k]) => k),
      ['b', '2', 'a', '1'],
    );
    assert.equal(stringifyJson(v), '{"b":1,"2":2,"a":3,"1":4}');
  });

  it('does not mistake an object with kind "number" for a number', () => {
    const v = obj(parseJson('{"kind": "number", "raw": "1"}'));
    assert.equal(isJsonNumber(v), false);
    assert.equal(stringifyJson(v), '{"kind":"number","raw":"1"}');
  });
});

describe('parseJson syntax errors', () => {
  it('say where, with 1-based line and column', () => {
    const e = syntaxError('{\n  "a": 1,\n  "b": 2,}');
    assert.equal(e.message, "line 3, column 10: expected a string key, got '}'");
    assert.equal(e.line, 3);
    assert.equal(e.column, 10);
  });

  it('cover the usual mistakes', () => {
    assert.match(syntaxError('').message, /unexpected end of input/);
    assert.match(syntaxError('{"a" 1}').message, /expected ':' after key/);
    assert.match(syntaxError('[1 2]').message, /expected ',' or '\]'/);
    assert.match(syntaxError('"abc').message, /unterminated string/);
    assert.match(syntaxError('"a\tb"').message, /unescaped character U\+0009/);
    assert.match(syntaxError('"\\x"').message, /invalid escape/);
    assert.match(syntaxError('{} {}').message, /after the end of the value/);
    assert.match(syntaxError("{'a': 1}").message, /expected a string key/);
    assert.match(syntaxError('[1,]').message, /unexpected '\]'/);
    assert.match(syntaxError('tru').message, /unexpected 't'/);
  });

  it('reject 100k-deep nesting cleanly instead of overflowing the stack', () => {
    const e = syntaxError('['.repeat(100_000));
    assert.equal(e.reason, 'depth');
    assert.match(e.message, /nesting depth exceeds 1000/);
    const shallow = parseJson('['.repeat(50) + ']'.repeat(50), { maxDepth: 50 });
    assert.ok(Array.isArray(shallow));
    assert.equal(
      (() => {
        try {
          parseJson('['.repeat(51) + ']'.repeat(51), { maxDepth: 50 });
        } catch (err) {
          return (err as JsonSyntaxError).reason;
        }
      })(),
      'depth',
    );
  });
});

describe('strings', () => {
  it('unescapes all RFC 8259 escapes, surrogate pairs included', () => {
    assert.equal(parseJson('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"'), '"\\/\b\f\n\r\té😀');
  });

  it('escape like Jackson: quotes, backslash and control characters only', () => {
    assert.equal(quoteJson('a"b\\c/d'), '"a\\"b\\\\c/d"');
    assert.equal(quoteJson('\n\t\r\b\f\u0001\u001f'), '"\\n\\t\\r\\b\\f\\u0001\\u001F"');
    assert.equal(quoteJson('é€😀\u007f\u2028'), '"é€😀\u007f\u2028"');
  });
});

describe('positionOf', () => {
  it('gives the line and column where each object and array starts', () => {
    const text = '{\n  "type": "record",\n  "fields": [\n    {"name": "a"},\n      {"name": "b"}\n  ]\n}';
    const root = obj(parseJson(text));
    assert.deepEqual(positionOf(root), { line: 1, column: 1 });
    const fields = root.fields as JsonValue[];
    assert.deepEqual(positionOf(fields), { line: 3, column: 13 });
    assert.deepEqual(positionOf(obj(fields[0] as JsonValue)), { line: 4, column: 5 });
    assert.deepEqual(positionOf(obj(fields[1] as JsonValue)), { line: 5, column: 7 });
    assert.equal(positionOf({}), undefined);
  });

  it('keeps positions invisible to keys, JSON and deep equality', () => {
    const a = parseJson('{"a": [1, {"b": 2}]}');
    const b = parseJson('\n\n   {"a": [1, {"b": 2}]}');
    assert.notDeepEqual(positionOf(obj(a)), positionOf(obj(b)));
    assert.deepStrictEqual(a, b);
    assert.deepEqual(Object.keys(obj(a)), ['a']);
    assert.equal(JSON.stringify(toPlain(a)), '{"a":[1,{"b":2}]}');
  });
});

describe('conversions', () => {
  it('stringifyJson is compact and writes numbers by their literal', () => {
    const text = '{ "a" : [ 1.0 , 2 , true , null , "x" ] , "b" : { } }';
    assert.equal(stringifyJson(parseJson(text)), '{"a":[1.0,2,true,null,"x"],"b":{}}');
  });

  it('toPlain gives plain JS values', () => {
    assert.deepEqual(toPlain(parseJson('{"a": [1.5, 2], "b": {"c": null}}')), {
      a: [1.5, 2],
      b: { c: null },
    });
  });

  it('fromPlain builds JsonValues that round-trip', () => {
    const v = fromPlain({ a: 1, b: 1.5, c: [true, null, 'x'], d: { e: 10n }, u: undefined });
    assert.equal(stringifyJson(v), '{"a":1,"b":1.5,"c":[true,null,"x"],"d":{"e":10}}');
    assert.equal(num(obj(v).a).isIntegral, true);
    assert.equal(num(obj(v).b).isIntegral, false);
    assert.throws(() => fromPlain({ x: Number.NaN }), /not representable/);
    let deep: unknown = 1;
    for (let i = 0; i < 2000; i++) deep = [deep];
    assert.throws(() => fromPlain(deep), JsonSyntaxError);
  });

  it('jsonEquals compares like Jackson nodes: 1 and 1.0 differ, key order does not matter', () => {
    assert.ok(jsonEquals(parseJson('{"a":1,"b":[2.50]}'), parseJson('{"b":[2.5],"a":1}')));
    assert.ok(!jsonEquals(parseJson('1'), parseJson('1.0')));
    assert.ok(jsonEquals(parseJson('-0'), parseJson('0')));
    assert.ok(!jsonEquals(parseJson('{"a":1}'), parseJson('{"a":1,"b":2}')));
  });
});
