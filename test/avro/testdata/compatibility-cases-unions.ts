/**
 * Union, recursion and memoisation cases (reference §1.2, §1.3, §1.9): writer-branch index locations
 * (Avro 1.12), union-vs-union reasons dropped, empty unions, recursive and mutually recursive types,
 * and the locations the identity-keyed memo repeats.
 */
import {
  arr,
  BOOLEAN,
  BYTES,
  bad,
  type CompatibilityCase,
  DOUBLE,
  enm,
  FLOAT,
  fixed,
  fld,
  INT,
  LONG,
  logical,
  map,
  missingBranch,
  missingDefault,
  missingSymbols,
  NULL,
  OK,
  rec,
  STRING,
  typeMismatch,
  union,
} from './compatibility-cases.js';

const unions: CompatibilityCase[] = [
  {
    name: 'union: reader union contains the writer type',
    reader: union(NULL, STRING),
    writer: STRING,
    expected: OK,
  },
  {
    name: 'union: reader union lacks the writer type (current location, no index)',
    reader: union(NULL, STRING),
    writer: INT,
    expected: bad(missingBranch('/', 'INT')),
  },
  { name: 'union: reader branch accepts by promotion', reader: union(NULL, LONG), writer: INT, expected: OK },
  {
    name: 'union: later reader branch accepts by promotion',
    reader: union(NULL, DOUBLE, STRING),
    writer: FLOAT,
    expected: OK,
  },
  {
    name: 'union: top-level writer union vs plain reader locates /0 (Avro 1.12)',
    reader: STRING,
    writer: union(NULL, STRING),
    expected: bad(typeMismatch('/0', 'STRING', 'NULL')),
  },
  {
    name: 'union: field writer union vs plain reader locates /fields/0/type/0',
    reader: rec('R', [fld('u', STRING)]),
    writer: rec('R', [fld('u', union(NULL, STRING))]),
    expected: bad(typeMismatch('/fields/0/type/0', 'STRING', 'NULL')),
  },
  {
    name: 'union: writer union every branch of which fails',
    reader: BOOLEAN,
    writer: union(NULL, INT, STRING),
    expected: bad(
      typeMismatch('/0', 'BOOLEAN', 'NULL'),
      typeMismatch('/1', 'BOOLEAN', 'INT'),
      typeMismatch('/2', 'BOOLEAN', 'STRING'),
    ),
  },
  {
    name: 'union: plain reader reads every writer branch by promotion',
    reader: LONG,
    writer: union(INT, LONG),
    expected: OK,
  },
  {
    name: 'union: plain reader fails on one writer branch',
    reader: INT,
    writer: union(INT, LONG),
    expected: bad(typeMismatch('/1', 'INT', 'LONG')),
  },
  {
    name: 'union vs union: writer branch missing in reader, at the writer branch index',
    reader: union(NULL, STRING),
    writer: union(NULL, STRING, INT),
    expected: bad(missingBranch('/2', 'INT')),
  },
  {
    name: 'union vs union: several writer branches missing',
    reader: union(NULL, STRING),
    writer: union(INT, NULL, BOOLEAN),
    expected: bad(missingBranch('/0', 'INT'), missingBranch('/2', 'BOOLEAN')),
  },
  {
    name: 'union vs union: branch order does not matter',
    reader: union(STRING, NULL),
    writer: union(NULL, STRING),
    expected: OK,
  },
  {
    name: 'union vs union: promotion within branches',
    reader: union(NULL, LONG),
    writer: union(NULL, INT),
    expected: OK,
  },
  {
    name: 'union vs union: bytes -> string promotion',
    reader: union(NULL, STRING),
    writer: union(NULL, BYTES),
    expected: OK,
  },
  {
    name: 'union vs union: single branches, demotion',
    reader: union(INT),
    writer: union(LONG),
    expected: bad(missingBranch('/0', 'LONG')),
  },
  {
    name: 'union vs union: the nested reasons are dropped',
    reader: union(NULL, rec('R', [fld('a', INT), fld('b', INT)])),
    writer: union(NULL, rec('R', [fld('a', INT)])),
    expected: bad(missingBranch('/1', 'RECORD')),
  },
  {
    name: 'union vs union: array branch demoted',
    reader: union(NULL, arr(INT)),
    writer: union(NULL, arr(LONG)),
    expected: bad(missingBranch('/1', 'ARRAY')),
  },
  {
    name: 'union vs union: missing fixed branch names FIXED',
    reader: union(NULL, STRING),
    writer: union(NULL, fixed('F', 2)),
    expected: bad(missingBranch('/1', 'FIXED')),
  },
  { name: 'union: empty writer union is vacuously readable', reader: INT, writer: union(), expected: OK },
  {
    name: 'union: empty reader union vs a plain writer',
    reader: union(),
    writer: INT,
    expected: bad(missingBranch('/', 'INT')),
  },
  { name: 'union: both empty', reader: union(), writer: union(), expected: OK },
  {
    name: 'union: empty reader union vs a one-branch writer union',
    reader: union(),
    writer: union(INT),
    expected: bad(missingBranch('/0', 'INT')),
  },
  {
    name: 'union: one-branch reader union vs empty writer union',
    reader: union(INT),
    writer: union(),
    expected: OK,
  },
  {
    name: 'union: plain record reader vs nullable record writer keeps nested reasons under /1',
    reader: rec('R', [fld('a', INT), fld('b', INT)]),
    writer: union(NULL, rec('R', [fld('a', INT)])),
    expected: bad(typeMismatch('/0', 'RECORD', 'NULL'), missingDefault('/1/fields/1', 'b')),
  },
  {
    name: 'union: nullable record reader vs plain writer record it cannot read',
    reader: union(NULL, rec('R', [fld('a', INT), fld('b', INT)])),
    writer: rec('R', [fld('a', INT)]),
    expected: bad(missingBranch('/', 'RECORD')),
  },
  {
    name: 'union: a reader branch matching only through an alias counts',
    reader: union(NULL, rec('Person', [fld('id', LONG)], { aliases: ['User'] })),
    writer: rec('User', [fld('id', LONG)]),
    expected: OK,
  },
  {
    name: 'union: map of unions gains a branch',
    reader: map(union(NULL, INT)),
    writer: map(union(NULL, INT, STRING)),
    expected: bad(missingBranch('/values/2', 'STRING')),
  },
  {
    name: 'union: array of unions in a field',
    reader: rec('R', [fld('xs', arr(union(NULL, INT)))]),
    writer: rec('R', [fld('xs', arr(union(NULL, LONG)))]),
    expected: bad(missingBranch('/fields/0/type/items/1', 'LONG')),
  },
  {
    name: 'union: reader union with an enum missing symbols',
    reader: union(NULL, enm('E', ['A'])),
    writer: enm('E', ['A', 'B']),
    expected: bad(missingBranch('/', 'ENUM')),
  },
  {
    name: 'union: logical writer branch promoted into a reader branch',
    reader: union(NULL, LONG),
    writer: union(NULL, logical('int', 'date')),
    expected: OK,
  },
  {
    name: 'union: nullable map reads a plain map by promotion',
    reader: union(NULL, map(LONG)),
    writer: map(INT),
    expected: OK,
  },
  {
    name: 'union: top-level writer union with one unreadable branch',
    reader: union(NULL, STRING),
    writer: union(STRING, INT),
    expected: bad(missingBranch('/1', 'INT')),
  },
];

// Node {value, next: ["null", "Node"]}, the classic recursive list.
function node(value: string, extra: readonly string[] = []): string {
  return rec('Node', [fld('value', value), ...extra, fld('next', union(NULL, '"Node"'))]);
}

const recursion: CompatibilityCase[] = [
  { name: 'recursion: identical recursive list', reader: node(INT), writer: node(INT), expected: OK },
  {
    name: 'recursion: promotion inside a recursive type',
    reader: node(LONG),
    writer: node(INT),
    expected: OK,
  },
  {
    name: 'recursion: demotion reported once, at the direct field',
    reader: node(INT),
    writer: node(LONG),
    expected: bad(typeMismatch('/fields/0/type', 'INT', 'LONG')),
  },
  {
    name: 'recursion: missing default reported once',
    reader: node(INT, [fld('tag', STRING)]),
    writer: node(INT),
    expected: bad(missingDefault('/fields/1', 'tag')),
  },
  {
    name: 'recursion: mutually recursive A <-> B with promotions',
    reader: rec('A', [
      fld('x', LONG),
      fld('b', union(NULL, rec('B', [fld('y', DOUBLE), fld('a', union(NULL, '"A"'))]))),
    ]),
    writer: rec('A', [
      fld('x', INT),
      fld('b', union(NULL, rec('B', [fld('y', FLOAT), fld('a', union(NULL, '"A"'))]))),
    ]),
    expected: OK,
  },
  {
    name: 'recursion: mutually recursive A <-> B with demotions (B reasons dropped in the union)',
    reader: rec('A', [
      fld('x', INT),
      fld('b', union(NULL, rec('B', [fld('y', INT), fld('a', union(NULL, '"A"'))]))),
    ]),
    writer: rec('A', [
      fld('x', LONG),
      fld('b', union(NULL, rec('B', [fld('y', LONG), fld('a', union(NULL, '"A"'))]))),
    ]),
    expected: bad(typeMismatch('/fields/0/type', 'INT', 'LONG'), missingBranch('/fields/1/type/1', 'RECORD')),
  },
  {
    name: 'recursion: tree through an array, identical',
    reader: rec('Tree', [fld('v', INT), fld('children', arr('"Tree"'))]),
    writer: rec('Tree', [fld('v', INT), fld('children', arr('"Tree"'))]),
    expected: OK,
  },
  {
    name: 'recursion: tree through an array with a new field reported once',
    reader: rec('Tree', [fld('v', INT), fld('children', arr('"Tree"')), fld('label', STRING)]),
    writer: rec('Tree', [fld('v', INT), fld('children', arr('"Tree"'))]),
    expected: bad(missingDefault('/fields/2', 'label')),
  },
  {
    name: 'recursion: through a map with a demotion reported once',
    reader: rec('Dir', [fld('size', INT), fld('entries', map('"Dir"'))]),
    writer: rec('Dir', [fld('size', LONG), fld('entries', map('"Dir"'))]),
    expected: bad(typeMismatch('/fields/0/type', 'INT', 'LONG')),
  },
];

const pt = (extra: readonly string[]) => rec('Pt', [fld('x', INT), ...extra]);

const memo: CompatibilityCase[] = [
  {
    name: 'memo: Outer {a: Pt, b: Pt} reports the first location twice',
    reader: rec('Outer', [fld('a', pt([fld('y', INT)])), fld('b', '"Pt"')]),
    writer: rec('Outer', [fld('a', pt([])), fld('b', '"Pt"')]),
    expected: bad(
      missingDefault('/fields/0/type/fields/1', 'y'),
      missingDefault('/fields/0/type/fields/1', 'y'),
    ),
  },
  {
    name: 'memo: Outer {u: [R, S], v: R} keeps the branch-relative location of the failed trial',
    reader: rec('Outer', [
      fld(
        'u',
        union(rec('R', [fld('x', INT), fld('z', INT)]), rec('S', [fld('x', INT)], { aliases: ['R'] })),
      ),
      fld('v', '"R"'),
    ]),
    writer: rec('Outer', [fld('u', rec('R', [fld('x', INT)])), fld('v', '"R"')]),
    expected: bad(missingDefault('/fields/1', 'z')),
  },
  {
    name: 'memo: a named enum used twice repeats its first location',
    reader: rec('Outer', [fld('a', enm('E', ['A'])), fld('b', '"E"')]),
    writer: rec('Outer', [fld('a', enm('E', ['A', 'B'])), fld('b', '"E"')]),
    expected: bad(
      missingSymbols('/fields/0/type/symbols', '[B]'),
      missingSymbols('/fields/0/type/symbols', '[B]'),
    ),
  },
  {
    name: 'memo: a named fixed used twice repeats its first location',
    reader: rec('Outer', [fld('a', fixed('H', 4)), fld('b', '"H"')]),
    writer: rec('Outer', [fld('a', fixed('H', 8)), fld('b', '"H"')]),
    expected: bad(
      { type: 'FIXED_SIZE_MISMATCH', location: '/fields/0/type/size', message: 'expected: 8, found: 4' },
      { type: 'FIXED_SIZE_MISMATCH', location: '/fields/0/type/size', message: 'expected: 8, found: 4' },
    ),
  },
  {
    name: 'memo: pair first met under a writer-union branch keeps that location',
    reader: rec('Outer', [fld('a', pt([fld('y', INT)])), fld('b', '"Pt"')]),
    writer: rec('Outer', [fld('a', union(NULL, pt([]))), fld('b', '"Pt"')]),
    expected: bad(
      typeMismatch('/fields/0/type/0', 'RECORD', 'NULL'),
      missingDefault('/fields/0/type/1/fields/1', 'y'),
      missingDefault('/fields/0/type/1/fields/1', 'y'),
    ),
  },
  {
    name: 'memo: pair first met in a union-vs-union trial is reused with its fresh-stack location',
    reader: rec('Outer', [fld('a', union(NULL, pt([fld('y', INT)]))), fld('b', '"Pt"')]),
    writer: rec('Outer', [fld('a', union(NULL, pt([]))), fld('b', '"Pt"')]),
    expected: bad(missingBranch('/fields/0/type/1', 'RECORD'), missingDefault('/fields/1', 'y')),
  },
];

export const UNION_CASES: readonly CompatibilityCase[] = [...unions, ...recursion, ...memo];
