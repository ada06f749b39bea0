/**
 * Reader/writer cases for the checker, derived by hand from Java Avro 1.12.1 `SchemaCompatibility`
 * (/work/shared/reference/avro-compatibility.md §1). Each expected list is Java's exact output:
 * order, duplicates and locations included. This file holds the shared shapes and builders plus the
 * per-type groups; records/names and unions/recursion live in the two sibling files.
 */
import type { Incompatibility } from '../../../src/avro/types.js';

export interface CompatibilityCase {
  readonly name: string;
  /** Schema texts (JSON). */
  readonly reader: string;
  readonly writer: string;
  /** Parse both sides with the lenient (stored-schema) rules: inputs Java accepts only on that path. */
  readonly lenient?: boolean;
  readonly expected: {
    readonly compatible: boolean;
    readonly incompatibilities: readonly Incompatibility[];
    readonly exception?: string;
  };
}

// ---- schema text builders (plain string concatenation, so the texts stay exactly as written) ----

export const NULL = '"null"';
export const BOOLEAN = '"boolean"';
export const INT = '"int"';
export const LONG = '"long"';
export const FLOAT = '"float"';
export const DOUBLE = '"double"';
export const BYTES = '"bytes"';
export const STRING = '"string"';

function attrs(extra: Record<string, unknown> | undefined): string {
  if (extra === undefined) return '';
  const text = JSON.stringify(extra);
  return text === '{}' ? '' : `,${text.slice(1, -1)}`;
}

export function rec(name: string, fields: readonly string[], extra?: Record<string, unknown>): string {
  return `{"type":"record","name":${JSON.stringify(name)}${attrs(extra)},"fields":[${fields.join(',')}]}`;
}

export function fld(name: string, type: string, extra?: Record<string, unknown>): string {
  return `{"name":${JSON.stringify(name)},"type":${type}${attrs(extra)}}`;
}

export function enm(name: string, symbols: readonly string[], extra?: Record<string, unknown>): string {
  return `{"type":"enum","name":${JSON.stringify(name)}${attrs(extra)},"symbols":${JSON.stringify(symbols)}}`;
}

export function fixed(name: string, size: number, extra?: Record<string, unknown>): string {
  return `{"type":"fixed","name":${JSON.stringify(name)}${attrs(extra)},"size":${size}}`;
}

export function arr(items: string): string {
  return `{"type":"array","items":${items}}`;
}

export function map(values: string): string {
  return `{"type":"map","values":${values}}`;
}

export function union(...branches: string[]): string {
  return `[${branches.join(',')}]`;
}

export function logical(type: string, logicalType: string, extra?: Record<string, unknown>): string {
  return `{"type":${JSON.stringify(type)},"logicalType":${JSON.stringify(logicalType)}${attrs(extra)}}`;
}

// ---- expected incompatibility builders ----

export function typeMismatch(location: string, reader: string, writer: string): Incompatibility {
  return {
    type: 'TYPE_MISMATCH',
    location,
    message: `reader type: ${reader} not compatible with writer type: ${writer}`,
  };
}

export function missingDefault(location: string, field: string): Incompatibility {
  return { type: 'READER_FIELD_MISSING_DEFAULT_VALUE', location, message: field };
}

export function nameMismatch(location: string, writerFullName: string): Incompatibility {
  return { type: 'NAME_MISMATCH', location, message: `expected: ${writerFullName}` };
}

export function missingSymbols(location: string, symbols: string): Incompatibility {
  return { type: 'MISSING_ENUM_SYMBOLS', location, message: symbols };
}

export function missingBranch(location: string, writerType: string): Incompatibility {
  return {
    type: 'MISSING_UNION_BRANCH',
    location,
    message: `reader union lacking writer type: ${writerType}`,
  };
}

export function sizeMismatch(location: string, expected: number, found: number): Incompatibility {
  return { type: 'FIXED_SIZE_MISMATCH', location, message: `expected: ${expected}, found: ${found}` };
}

export const OK = { compatible: true, incompatibilities: [] } as const;

export function bad(...incompatibilities: Incompatibility[]): CompatibilityCase['expected'] {
  return { compatible: false, incompatibilities };
}

// ---- primitives: the full promotion matrix, written out as Java's switch defines it ----

const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;

// Rows: reader; columns: writer in PRIMITIVES order. 'Y' = the reader decodes the writer's data.
const PROMOTION_MATRIX: Readonly<Record<(typeof PRIMITIVES)[number], string>> = {
  null: 'Y-------',
  boolean: '-Y------',
  int: '--Y-----',
  long: '--YY----',
  float: '--YYY---',
  double: '--YYYY--',
  bytes: '------YY',
  string: '------YY',
};

const primitiveMatrix: CompatibilityCase[] = PRIMITIVES.flatMap((r) =>
  PRIMITIVES.map((w, column): CompatibilityCase => {
    const compatible = PROMOTION_MATRIX[r][column] === 'Y';
    return {
      name: `primitive: reader ${r} / writer ${w}`,
      reader: JSON.stringify(r),
      writer: JSON.stringify(w),
      expected: compatible ? OK : bad(typeMismatch('/', r.toUpperCase(), w.toUpperCase())),
    };
  }),
);

const R1 = rec('R', [fld('a', INT)]);
const E1 = enm('E', ['A']);
const F4 = fixed('F', 4);

const complexMismatches: CompatibilityCase[] = [
  {
    name: 'array vs map',
    reader: arr(INT),
    writer: map(INT),
    expected: bad(typeMismatch('/', 'ARRAY', 'MAP')),
  },
  {
    name: 'map vs array',
    reader: map(INT),
    writer: arr(INT),
    expected: bad(typeMismatch('/', 'MAP', 'ARRAY')),
  },
  { name: 'record vs enum', reader: R1, writer: E1, expected: bad(typeMismatch('/', 'RECORD', 'ENUM')) },
  {
    name: 'fixed vs bytes (no promotion)',
    reader: F4,
    writer: BYTES,
    expected: bad(typeMismatch('/', 'FIXED', 'BYTES')),
  },
  {
    name: 'bytes vs fixed (no promotion)',
    reader: BYTES,
    writer: F4,
    expected: bad(typeMismatch('/', 'BYTES', 'FIXED')),
  },
  {
    name: 'enum vs string (no promotion)',
    reader: E1,
    writer: STRING,
    expected: bad(typeMismatch('/', 'ENUM', 'STRING')),
  },
  {
    name: 'string vs enum (no promotion)',
    reader: STRING,
    writer: E1,
    expected: bad(typeMismatch('/', 'STRING', 'ENUM')),
  },
  { name: 'record vs map', reader: R1, writer: map(INT), expected: bad(typeMismatch('/', 'RECORD', 'MAP')) },
  { name: 'int vs array', reader: INT, writer: arr(INT), expected: bad(typeMismatch('/', 'INT', 'ARRAY')) },
  { name: 'null vs record', reader: NULL, writer: R1, expected: bad(typeMismatch('/', 'NULL', 'RECORD')) },
  { name: 'fixed vs enum', reader: F4, writer: E1, expected: bad(typeMismatch('/', 'FIXED', 'ENUM')) },
  {
    name: 'literal message text for a top-level mismatch',
    reader: BOOLEAN,
    writer: INT,
    expected: bad({
      type: 'TYPE_MISMATCH',
      location: '/',
      message: 'reader type: BOOLEAN not compatible with writer type: INT',
    }),
  },
];

const logicalTypes: CompatibilityCase[] = [
  {
    name: 'logical: decimal precision and scale are ignored (bytes 10,4 vs 5,2)',
    reader: logical('bytes', 'decimal', { precision: 10, scale: 4 }),
    writer: logical('bytes', 'decimal', { precision: 5, scale: 2 }),
    expected: OK,
  },
  {
    name: 'logical: timestamp-millis reads timestamp-micros (both long)',
    reader: logical('long', 'timestamp-millis'),
    writer: logical('long', 'timestamp-micros'),
    expected: OK,
  },
  {
    name: 'logical: date (int) cannot read timestamp-millis (long)',
    reader: logical('int', 'date'),
    writer: logical('long', 'timestamp-millis'),
    expected: bad(typeMismatch('/', 'INT', 'LONG')),
  },
  {
    name: 'logical: timestamp-millis (long) reads date (int) by promotion',
    reader: logical('long', 'timestamp-millis'),
    writer: logical('int', 'date'),
    expected: OK,
  },
  {
    name: 'logical: decimal on bytes vs decimal on fixed',
    reader: logical('bytes', 'decimal', { precision: 4, scale: 2 }),
    writer: `{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":4,"scale":2}`,
    expected: bad(typeMismatch('/', 'BYTES', 'FIXED')),
  },
  {
    name: 'logical: uuid reads plain string',
    reader: logical('string', 'uuid'),
    writer: STRING,
    expected: OK,
  },
  {
    name: 'logical: plain long reads local-timestamp-millis',
    reader: LONG,
    writer: logical('long', 'local-timestamp-millis'),
    expected: OK,
  },
  {
    name: 'logical: field message shows the underlying type',
    reader: rec('R', [fld('t', logical('int', 'time-millis'))]),
    writer: rec('R', [fld('t', STRING)]),
    expected: bad(typeMismatch('/fields/0/type', 'INT', 'STRING')),
  },
  {
    name: 'logical: decimal on fixed keeps the fixed size rule',
    reader: `{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":4}`,
    writer: `{"type":"fixed","name":"D","size":16,"logicalType":"decimal","precision":4}`,
    expected: bad(sizeMismatch('/size', 16, 8)),
  },
  {
    name: 'logical: a uuid string reads bytes by promotion',
    reader: logical('string', 'uuid'),
    writer: BYTES,
    expected: OK,
  },
];

const arrays: CompatibilityCase[] = [
  { name: 'array: same items', reader: arr(INT), writer: arr(INT), expected: OK },
  { name: 'array: items promoted int -> long', reader: arr(LONG), writer: arr(INT), expected: OK },
  {
    name: 'array: items demoted',
    reader: arr(INT),
    writer: arr(LONG),
    expected: bad(typeMismatch('/items', 'INT', 'LONG')),
  },
  {
    name: 'array: nested arrays locate /items/items',
    reader: arr(arr(STRING)),
    writer: arr(arr(INT)),
    expected: bad(typeMismatch('/items/items', 'STRING', 'INT')),
  },
  {
    name: 'array: record items missing a default',
    reader: arr(rec('R', [fld('a', INT), fld('b', INT)])),
    writer: arr(rec('R', [fld('a', INT)])),
    expected: bad(missingDefault('/items/fields/1', 'b')),
  },
  {
    name: 'array: nullable items read plain items',
    reader: arr(union(NULL, STRING)),
    writer: arr(STRING),
    expected: OK,
  },
  {
    name: 'array: plain items cannot read nullable items (writer branch index)',
    reader: arr(STRING),
    writer: arr(union(NULL, STRING)),
    expected: bad(typeMismatch('/items/0', 'STRING', 'NULL')),
  },
  {
    name: 'array: 6 levels deep',
    reader: arr(arr(arr(arr(arr(arr(DOUBLE)))))),
    writer: arr(arr(arr(arr(arr(arr(BOOLEAN)))))),
    expected: bad(typeMismatch('/items/items/items/items/items/items', 'DOUBLE', 'BOOLEAN')),
  },
];

const maps: CompatibilityCase[] = [
  { name: 'map: values promoted float -> double', reader: map(DOUBLE), writer: map(FLOAT), expected: OK },
  {
    name: 'map: values demoted',
    reader: map(FLOAT),
    writer: map(DOUBLE),
    expected: bad(typeMismatch('/values', 'FLOAT', 'DOUBLE')),
  },
  {
    name: 'map: nested maps string -> bytes',
    reader: map(map(BYTES)),
    writer: map(map(STRING)),
    expected: OK,
  },
  {
    name: 'map: array inside map',
    reader: map(arr(INT)),
    writer: map(arr(BOOLEAN)),
    expected: bad(typeMismatch('/values/items', 'INT', 'BOOLEAN')),
  },
  {
    name: 'map: extra writer field in record values is skipped',
    reader: map(rec('R', [fld('x', INT)])),
    writer: map(rec('R', [fld('x', INT), fld('y', INT)])),
    expected: OK,
  },
  {
    name: 'map: enum values missing symbols',
    reader: map(enm('E', ['A'])),
    writer: map(enm('E', ['A', 'B'])),
    expected: bad(missingSymbols('/values/symbols', '[B]')),
  },
  {
    name: 'map: record values with a missing default',
    reader: map(rec('R', [fld('z', STRING)])),
    writer: map(rec('R', [])),
    expected: bad(missingDefault('/values/fields/0', 'z')),
  },
];

const enums: CompatibilityCase[] = [
  { name: 'enum: same symbols', reader: enm('E', ['A', 'B']), writer: enm('E', ['A', 'B']), expected: OK },
  {
    name: 'enum: reader has extra symbols',
    reader: enm('E', ['A', 'B', 'C']),
    writer: enm('E', ['A']),
    expected: OK,
  },
  {
    name: 'enum: symbol order does not matter',
    reader: enm('E', ['B', 'A']),
    writer: enm('E', ['A', 'B']),
    expected: OK,
  },
  {
    name: 'enum: missing symbols listed sorted',
    reader: enm('E', ['A', 'B']),
    writer: enm('E', ['D', 'A', 'C', 'B']),
    expected: bad(missingSymbols('/symbols', '[C, D]')),
  },
  {
    name: 'enum: missing symbols sorted by UTF-16 code units (B < _x < a1 < b)',
    reader: enm('E', ['A']),
    writer: enm('E', ['b', 'B', '_x', 'a1', 'A']),
    expected: bad(missingSymbols('/symbols', '[B, _x, a1, b]')),
  },
  {
    name: 'enum: supplementary letters sort by UTF-16 units, not code points',
    lenient: true,
    reader: enm('E', ['z']),
    writer: enm('E', ['\uFF21', '\u{1D400}', 'z']),
    expected: bad(missingSymbols('/symbols', '[\u{1D400}, \uFF21]')),
  },
  {
    name: 'enum: reader enum default accepts unknown symbols',
    reader: enm('E', ['A', 'B'], { default: 'A' }),
    writer: enm('E', ['A', 'B', 'C']),
    expected: OK,
  },
  {
    name: 'enum: the writer enum default is irrelevant',
    reader: enm('E', ['A', 'B']),
    writer: enm('E', ['A', 'B', 'C'], { default: 'A' }),
    expected: bad(missingSymbols('/symbols', '[C]')),
  },
  {
    name: 'enum: a field default does not help with missing symbols',
    reader: rec('R', [fld('e', enm('E', ['A', 'B']), { default: 'A' })]),
    writer: rec('R', [fld('e', enm('E', ['A', 'B', 'C']))]),
    expected: bad(missingSymbols('/fields/0/type/symbols', '[C]')),
  },
  {
    name: 'enum: name and symbols both reported, name first',
    reader: enm('E1', ['A']),
    writer: enm('E2', ['A', 'B']),
    expected: bad(nameMismatch('/name', 'E2'), missingSymbols('/symbols', '[B]')),
  },
  {
    name: 'enum: renamed with a reader alias',
    reader: enm('E2', ['A'], { aliases: ['E1'] }),
    writer: enm('E1', ['A']),
    expected: OK,
  },
  {
    name: 'enum: namespace change is compatible',
    reader: enm('E', ['A'], { namespace: 'a' }),
    writer: enm('E', ['A'], { namespace: 'b' }),
    expected: OK,
  },
  { name: 'enum: empty symbol lists', reader: enm('E', []), writer: enm('E', []), expected: OK },
  {
    name: 'enum: empty reader symbols',
    reader: enm('E', []),
    writer: enm('E', ['A']),
    expected: bad(missingSymbols('/symbols', '[A]')),
  },
  {
    name: 'enum-default field quirk: missing field with an enum-level default gives ENUM vs RECORD',
    reader: rec('R', [fld('a', INT), fld('e', enm('E', ['A', 'B'], { default: 'A' }))]),
    writer: rec('R', [fld('a', INT)]),
    expected: bad(typeMismatch('/fields/1/type', 'ENUM', 'RECORD')),
  },
  {
    name: 'enum-default field quirk twice: the memo repeats the first location',
    reader: rec('R', [fld('e1', enm('E', ['A'], { default: 'A' })), fld('e2', '"E"')]),
    writer: rec('R', []),
    expected: bad(
      typeMismatch('/fields/0/type', 'ENUM', 'RECORD'),
      typeMismatch('/fields/0/type', 'ENUM', 'RECORD'),
    ),
  },
  {
    name: 'enum-default field quirk does not apply when the field has a default',
    reader: rec('R', [fld('e', enm('E', ['A'], { default: 'A' }), { default: 'A' })]),
    writer: rec('R', []),
    expected: OK,
  },
  {
    name: 'enum-default field quirk inside a nested record',
    reader: rec('Outer', [fld('in', rec('In', [fld('e', enm('E', ['A'], { default: 'A' }))]))]),
    writer: rec('Outer', [fld('in', rec('In', []))]),
    expected: bad(typeMismatch('/fields/0/type/fields/0/type', 'ENUM', 'RECORD')),
  },
  {
    name: 'enum: missing field of enum type without any default',
    reader: rec('R', [fld('e', enm('E', ['A']))]),
    writer: rec('R', []),
    expected: bad(missingDefault('/fields/0', 'e')),
  },
  {
    name: 'enum: namespaced name mismatch names the writer full name',
    reader: enm('E1', ['A'], { namespace: 'a' }),
    writer: enm('E2', ['A'], { namespace: 'b.c' }),
    expected: bad(nameMismatch('/name', 'b.c.E2')),
  },
];

const fixedCases: CompatibilityCase[] = [
  { name: 'fixed: same', reader: fixed('F', 4), writer: fixed('F', 4), expected: OK },
  {
    name: 'fixed: size mismatch',
    reader: fixed('F', 8),
    writer: fixed('F', 16),
    expected: bad(sizeMismatch('/size', 16, 8)),
  },
  {
    name: 'fixed: name mismatch',
    reader: fixed('F1', 4),
    writer: fixed('F2', 4),
    expected: bad(nameMismatch('/name', 'F2')),
  },
  {
    name: 'fixed: name and size both reported, name first',
    reader: fixed('F1', 4),
    writer: fixed('F2', 8),
    expected: bad(nameMismatch('/name', 'F2'), sizeMismatch('/size', 8, 4)),
  },
  {
    name: 'fixed: renamed with a reader alias',
    reader: fixed('F2', 4, { aliases: ['F1'] }),
    writer: fixed('F1', 4),
    expected: OK,
  },
  {
    name: 'fixed: namespace change',
    reader: fixed('F', 4, { namespace: 'a' }),
    writer: fixed('F', 4, { namespace: 'b' }),
    expected: OK,
  },
  {
    name: 'fixed: in a field',
    reader: rec('R', [fld('h', fixed('Hash', 32))]),
    writer: rec('R', [fld('h', fixed('Hash', 16))]),
    expected: bad(sizeMismatch('/fields/0/type/size', 16, 32)),
  },
  {
    name: 'fixed: namespaced name mismatch',
    reader: fixed('F1', 4, { namespace: 'a' }),
    writer: fixed('F2', 4, { namespace: 'b' }),
    expected: bad(nameMismatch('/name', 'b.F2')),
  },
  {
    name: 'fixed: literal size message',
    reader: fixed('F', 2),
    writer: fixed('F', 3),
    expected: bad({ type: 'FIXED_SIZE_MISMATCH', location: '/size', message: 'expected: 3, found: 2' }),
  },
];

export const TYPE_CASES: readonly CompatibilityCase[] = [
  ...primitiveMatrix,
  ...complexMismatches,
  ...logicalTypes,
  ...arrays,
  ...maps,
  ...enums,
  ...fixedCases,
];
