/**
 * Record, field, name and alias cases (reference §1.4, §1.5, §1.9), including the ambiguous-alias
 * exception, whose message quotes the writer record as Java `Schema.toString()` prints it.
 */
import {
  BOOLEAN,
  bad,
  type CompatibilityCase,
  DOUBLE,
  enm,
  FLOAT,
  fld,
  INT,
  LONG,
  map,
  missingDefault,
  NULL,
  nameMismatch,
  OK,
  rec,
  STRING,
  typeMismatch,
  union,
} from './compatibility-cases.js';

const ab = rec('R', [fld('a', INT), fld('b', INT)]);

function ambiguous(field: string, type: string, pos: number, writer: string): CompatibilityCase['expected'] {
  return {
    compatible: false,
    incompatibilities: [],
    exception: `Reader record field ${field} type:${type} pos:${pos} matches multiple fields in writer record schema ${writer}`,
  };
}

const fields: CompatibilityCase[] = [
  { name: 'record: identical', reader: ab, writer: ab, expected: OK },
  {
    name: 'record: reader adds a field with a default',
    reader: rec('R', [fld('a', INT), fld('b', STRING, { default: 'x' })]),
    writer: rec('R', [fld('a', INT)]),
    expected: OK,
  },
  {
    name: 'record: reader adds a field without a default',
    reader: rec('R', [fld('a', INT), fld('b', STRING)]),
    writer: rec('R', [fld('a', INT)]),
    expected: bad(missingDefault('/fields/1', 'b')),
  },
  { name: 'record: reader drops a field', reader: rec('R', [fld('a', INT)]), writer: ab, expected: OK },
  {
    name: 'record: field order does not matter',
    reader: rec('R', [fld('b', INT), fld('a', INT)]),
    writer: ab,
    expected: OK,
  },
  {
    name: 'record: locations use the reader field position',
    reader: rec('R', [fld('b', STRING), fld('a', INT)]),
    writer: rec('R', [fld('a', LONG), fld('b', STRING)]),
    expected: bad(typeMismatch('/fields/1/type', 'INT', 'LONG')),
  },
  {
    name: 'record: several missing fields reported in reader order',
    reader: rec('R', [fld('a', INT), fld('x', INT), fld('y', STRING), fld('b', INT)]),
    writer: ab,
    expected: bad(missingDefault('/fields/1', 'x'), missingDefault('/fields/2', 'y')),
  },
  {
    name: 'record: a nullable type is not a default',
    reader: rec('R', [fld('a', INT), fld('note', union(NULL, STRING))]),
    writer: rec('R', [fld('a', INT)]),
    expected: bad(missingDefault('/fields/1', 'note')),
  },
  {
    name: 'record: "default": null on a string counts as a default (lenient/stored path)',
    lenient: true,
    reader: rec('R', [fld('a', INT), fld('note', STRING, { default: null })]),
    writer: rec('R', [fld('a', INT)]),
    expected: OK,
  },
  {
    name: 'record: nullable field with default null',
    reader: rec('R', [fld('a', INT), fld('note', union(NULL, STRING), { default: null })]),
    writer: rec('R', [fld('a', INT)]),
    expected: OK,
  },
  {
    name: 'record: rename through a reader field alias',
    reader: rec('R', [fld('full_name', STRING, { aliases: ['name'] })]),
    writer: rec('R', [fld('name', STRING)]),
    expected: OK,
  },
  {
    name: 'record: writer field aliases are never consulted',
    reader: rec('R', [fld('full_name', STRING)]),
    writer: rec('R', [fld('name', STRING, { aliases: ['full_name'] })]),
    expected: bad(missingDefault('/fields/0', 'full_name')),
  },
  {
    name: 'record: an alias naming nothing does not matter',
    reader: rec('R', [fld('a', INT, { aliases: ['zzz'] })]),
    writer: rec('R', [fld('a', INT)]),
    expected: OK,
  },
  {
    name: 'record: alias match still checks the type',
    reader: rec('R', [fld('total', LONG, { aliases: ['amount'] })]),
    writer: rec('R', [fld('amount', STRING)]),
    expected: bad(typeMismatch('/fields/0/type', 'LONG', 'STRING')),
  },
  {
    name: 'record: alias match with promotion',
    reader: rec('R', [fld('total', DOUBLE, { aliases: ['amount'] })]),
    writer: rec('R', [fld('amount', FLOAT)]),
    expected: OK,
  },
  {
    name: 'record: name and alias both hit writer fields -> Java exception',
    reader: rec('R', [fld('a', INT, { aliases: ['b'] })]),
    writer: '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
    expected: ambiguous(
      'a',
      'INT',
      0,
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
    ),
  },
  {
    name: 'record: a self-alias hits the same writer field twice -> Java exception',
    reader: rec('R', [fld('x', BOOLEAN), fld('a', STRING, { aliases: ['a'] })]),
    writer: '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":"string"}]}',
    expected: ambiguous(
      'a',
      'STRING',
      1,
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":"string"}]}',
    ),
  },
  {
    name: 'record: two aliases both hit -> Java exception (field of union type)',
    reader: rec('R', [fld('a', union(NULL, INT), { aliases: ['b', 'c'] })]),
    writer: '{"type":"record","name":"R","fields":[{"name":"b","type":"int"},{"name":"c","type":"long"}]}',
    expected: ambiguous(
      'a',
      'UNION',
      0,
      '{"type":"record","name":"R","fields":[{"name":"b","type":"int"},{"name":"c","type":"long"}]}',
    ),
  },
  {
    name: 'record: ambiguity in a nested record quotes that record',
    reader: rec('Outer', [fld('in', rec('In', [fld('a', INT, { aliases: ['b'] })]))], { namespace: 'ns' }),
    writer:
      '{"type":"record","name":"Outer","namespace":"ns","fields":[{"name":"in","type":' +
      '{"type":"record","name":"In","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}}]}',
    expected: ambiguous(
      'a',
      'INT',
      0,
      '{"type":"record","name":"In","namespace":"ns","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
    ),
  },
  {
    name: 'record: a repeated alias counts once (Java keeps field aliases in a set)',
    lenient: true,
    reader: rec('R', [fld('a', INT, { aliases: ['b', 'b'] })]),
    writer: rec('R', [fld('b', INT)]),
    expected: OK,
  },
  {
    name: 'record: name mismatch first, then field problems',
    reader: rec('R1', [fld('a', INT), fld('b', INT)]),
    writer: rec('R2', [fld('a', INT)]),
    expected: bad(nameMismatch('/name', 'R2'), missingDefault('/fields/1', 'b')),
  },
  {
    name: 'record: nested record locations',
    reader: rec('Outer', [fld('a', INT), fld('inner', rec('In', [fld('x', INT), fld('y', STRING)]))]),
    writer: rec('Outer', [fld('a', INT), fld('inner', rec('In', [fld('x', LONG)]))]),
    expected: bad(
      typeMismatch('/fields/1/type/fields/0/type', 'INT', 'LONG'),
      missingDefault('/fields/1/type/fields/1', 'y'),
    ),
  },
  {
    name: 'record: traversal is depth first in reader field order',
    reader: rec('R', [fld('a', rec('In', [fld('q', INT)])), fld('b', INT)]),
    writer: rec('R', [fld('b', STRING), fld('a', rec('In', []))]),
    expected: bad(
      missingDefault('/fields/0/type/fields/0', 'q'),
      typeMismatch('/fields/1/type', 'INT', 'STRING'),
    ),
  },
  {
    name: 'record: error records are records',
    reader: '{"type":"error","name":"Oops","fields":[{"name":"msg","type":"string"}]}',
    writer: rec('Oops', [fld('msg', STRING)]),
    expected: OK,
  },
  {
    name: 'record: anonymous types get their own locations (same mismatch twice)',
    reader: rec('R', [fld('a', INT), fld('b', INT)]),
    writer: rec('R', [fld('a', LONG), fld('b', LONG)]),
    expected: bad(
      typeMismatch('/fields/0/type', 'INT', 'LONG'),
      typeMismatch('/fields/1/type', 'INT', 'LONG'),
    ),
  },
  {
    name: 'record: a record-typed field added with a default',
    reader: rec('R', [
      fld('a', INT),
      fld('meta', rec('Meta', [fld('k', STRING, { default: '' })]), { default: {} }),
    ]),
    writer: rec('R', [fld('a', INT)]),
    expected: OK,
  },
  { name: 'record: empty records', reader: rec('R', []), writer: rec('R', []), expected: OK },
  { name: 'record: empty reader reads anything named alike', reader: rec('R', []), writer: ab, expected: OK },
  {
    name: 'record: doc, order and custom props do not matter',
    reader: rec('R', [fld('a', INT, { doc: 'new doc', order: 'descending', 'x-prop': 1 })], { doc: 'r' }),
    writer: rec('R', [fld('a', INT)], { 'connect.name': 'R' }),
    expected: OK,
  },
  {
    name: 'record: four levels of nesting',
    reader: rec('A', [fld('b', rec('B', [fld('c', rec('C', [fld('d', rec('D', [fld('v', INT)]))]))]))]),
    writer: rec('A', [fld('b', rec('B', [fld('c', rec('C', [fld('d', rec('D', [fld('v', STRING)]))]))]))]),
    expected: bad(typeMismatch('/fields/0/type/fields/0/type/fields/0/type/fields/0/type', 'INT', 'STRING')),
  },
  {
    name: 'record: two-digit field positions',
    reader: rec('R', [...'abcdefghijk'.split('').map((n) => fld(n, INT)), fld('zz', STRING)]),
    writer: rec(
      'R',
      'abcdefghijk'.split('').map((n) => fld(n, INT)),
    ),
    expected: bad(missingDefault('/fields/11', 'zz')),
  },
  {
    name: 'record: map field whose record values lost a field',
    reader: rec('R', [fld('m', map(rec('V', [fld('x', INT), fld('y', INT)])))]),
    writer: rec('R', [fld('m', map(rec('V', [fld('x', INT)])))]),
    expected: bad(missingDefault('/fields/0/type/values/fields/1', 'y')),
  },
];

const names: CompatibilityCase[] = [
  {
    name: 'names: namespace change of the top-level record is compatible (simple names compared)',
    reader: rec('User', [fld('id', LONG)], { namespace: 'com.new' }),
    writer: rec('User', [fld('id', LONG)], { namespace: 'com.old' }),
    expected: OK,
  },
  {
    name: 'names: nested named types inheriting the changed namespace',
    reader: rec('User', [fld('addr', rec('Address', [fld('city', STRING)])), fld('k', enm('Kind', ['A']))], {
      namespace: 'com.new',
    }),
    writer: rec('User', [fld('addr', rec('Address', [fld('city', STRING)])), fld('k', enm('Kind', ['A']))], {
      namespace: 'com.old',
    }),
    expected: OK,
  },
  {
    name: 'names: a record inside a union whose namespace changed',
    reader: union(NULL, rec('R', [fld('a', INT)], { namespace: 'a' })),
    writer: union(NULL, rec('R', [fld('a', INT)], { namespace: 'b' })),
    expected: OK,
  },
  {
    name: 'names: unqualified reader alias takes the reader namespace (n1.Customer ~ n1.User != n2.User)',
    reader: rec('Customer', [fld('id', LONG)], { namespace: 'n1', aliases: ['User'] }),
    writer: rec('User', [fld('id', LONG)], { namespace: 'n2' }),
    expected: bad(nameMismatch('/name', 'n2.User')),
  },
  {
    name: 'names: fully qualified reader alias matches',
    reader: rec('Customer', [fld('id', LONG)], { namespace: 'n1', aliases: ['n2.User'] }),
    writer: rec('User', [fld('id', LONG)], { namespace: 'n2' }),
    expected: OK,
  },
  {
    name: 'names: null-namespace reader alias does not match a namespaced writer',
    reader: rec('Customer', [fld('id', LONG)], { aliases: ['User'] }),
    writer: rec('User', [fld('id', LONG)], { namespace: 'ns' }),
    expected: bad(nameMismatch('/name', 'ns.User')),
  },
  {
    name: 'names: null-namespace reader alias matches a null-namespace writer',
    reader: rec('Customer', [fld('id', LONG)], { aliases: ['User'] }),
    writer: rec('User', [fld('id', LONG)]),
    expected: OK,
  },
  {
    name: 'names: reader alias qualified with the same namespace matches',
    reader: rec('Customer', [fld('id', LONG)], { namespace: 'ns', aliases: ['User'] }),
    writer: rec('User', [fld('id', LONG)], { namespace: 'ns' }),
    expected: OK,
  },
  {
    name: 'names: writer aliases are ignored',
    reader: rec('Customer', [fld('id', LONG)]),
    writer: rec('User', [fld('id', LONG)], { aliases: ['Customer'] }),
    expected: bad(nameMismatch('/name', 'User')),
  },
  {
    name: 'names: dotted name overrides namespace; nested mismatch located under the field',
    reader: rec('R', [fld('p', rec('n1.Customer', [fld('id', LONG)]))]),
    writer: rec('R', [fld('p', rec('n2.User', [fld('id', LONG)]))]),
    expected: bad(nameMismatch('/fields/0/type/name', 'n2.User')),
  },
  {
    name: 'names: nested alias resolves against the inherited namespace',
    reader: rec('R', [fld('p', rec('Customer', [fld('id', LONG)], { aliases: ['User'] }))], {
      namespace: 'x',
    }),
    writer: rec('R', [fld('p', rec('User', [fld('id', LONG)]))], { namespace: 'x' }),
    expected: OK,
  },
];

export const RECORD_CASES: readonly CompatibilityCase[] = [...fields, ...names];
