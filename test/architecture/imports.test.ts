/**
 * Keeps src/'s import graph the shape the README describes: no import cycles, and no floor importing
 * one above it (http/ -> services -> avro/ and storage interfaces; the SDK and the CLI never load the
 * server). Type-only imports count too: a type import still ties the lower floor to the higher one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  findCycles,
  type ImportEdge,
  type ImportStatement,
  readImportGraph,
  readImports,
} from '../support/import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** What makes up the server: the CLI and the SDK must not load any of it (bar the exceptions below). */
const SERVER = ['http/', 'storage/', 'server.ts', 'index.ts', 'cluster.ts', 'config.ts'];

interface Rule {
  /** Files under this folder (or this file)... */
  readonly from: string;
  /** ...may import only these (their own folder included), or... */
  readonly only?: readonly string[];
  /** ...must not import these. */
  readonly never?: readonly string[];
  readonly why: string;
}

const RULES: readonly Rule[] = [
  {
    from: 'avro/',
    only: ['avro/', 'errors.ts', 'clock.ts', 'cache/'],
    why: 'the Avro engine is pure and imports nothing of ours above it (cache/ is a floor below: plain data structures)',
  },
  {
    from: 'cache/',
    only: ['cache/'],
    why: 'cache/ holds plain data structures every floor may use: it imports nothing of ours',
  },
  {
    from: 'registry/',
    never: ['negotiation/', 'cli/', 'sdk/', ...SERVER],
    why: 'the registry floor sits under negotiation (which reads its labels) and under http/',
  },
  {
    from: 'negotiation/',
    never: ['cli/', 'sdk/', ...SERVER],
    why: 'services sit under http/ and above the storage interfaces they declare',
  },
  {
    from: 'storage/',
    never: ['http/', 'cli/', 'sdk/', 'server.ts', 'index.ts'],
    why: 'storage is wired by server.ts',
  },
  {
    from: 'http/',
    never: ['cli/', 'sdk/', 'server.ts', 'index.ts'],
    why: 'server.ts composes http/, not the reverse',
  },
  { from: 'sdk/', never: ['cli/', ...SERVER], why: 'the SDK is a client library: it never loads the server' },
  { from: 'cli/', never: SERVER, why: 'the CLI reuses avro/ and the SDK, never the server' },
];

/** Each exception is a file the CLI loads only lazily (`import()`), so other commands never pay for it. */
const LAZY_EXCEPTIONS: ReadonlyArray<{ readonly from: string; readonly to: string }> = [
  { from: 'cli/commands/backup.ts', to: 'storage/sqlite/integrity.ts' }, // offline backup of a database file
  // offline copy of a SQLite registry into PostgreSQL, row for row
  { from: 'cli/commands/move-to-postgres.ts', to: 'storage/move-to-postgres.ts' },
  { from: 'cli/commands/serve.ts', to: 'index.ts' }, // `serve` starts the server in this process
];

const under = (path: string, prefix: string): boolean =>
  prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix;
const isTest = (path: string): boolean => path.endsWith('.test.ts');

/** Every edge of shipped code that breaks a rule, as `from -> to (kind): why`. */
function layerViolations(edges: readonly ImportEdge[]): string[] {
  const lazilyLoaded = (file: string): boolean => {
    const importers = edges.filter((e) => e.to === file && !isTest(e.from));
    return importers.length > 0 && importers.every((e) => e.kind === 'lazy');
  };
  const excepted = (e: ImportEdge): boolean =>
    LAZY_EXCEPTIONS.some(
      (x) => x.from === e.from && x.to === e.to && (e.kind === 'lazy' || lazilyLoaded(e.from)),
    );
  const found: string[] = [];
  for (const e of edges) {
    if (isTest(e.from)) continue; // tests use real components from any floor
    for (const rule of RULES) {
      if (!under(e.from, rule.from)) continue;
      const outside = rule.only !== undefined && !rule.only.some((p) => under(e.to, p));
      const banned = rule.never?.some((p) => under(e.to, p)) === true;
      if ((outside || banned) && !excepted(e)) found.push(`${e.from} -> ${e.to} (${e.kind}): ${rule.why}`);
    }
  }
  return found;
}

/** Packages only one floor may load (`types`: files that may name the package's types and no more). */
const PACKAGE_RULES: ReadonlyArray<{ pkg: string; only: readonly string[]; types?: readonly string[] }> = [
  { pkg: 'express', only: ['http/'], types: ['server.ts'] }, // http/ is the only code that speaks Express
  { pkg: 'better-sqlite3', only: ['storage/'] }, // SQL and database drivers only under storage/
  { pkg: 'pg', only: ['storage/'] },
];

function packageViolations(imports: readonly ImportStatement[]): string[] {
  const found: string[] = [];
  for (const i of imports) {
    if (isTest(i.from)) continue;
    const rule = PACKAGE_RULES.find((r) => i.specifier === r.pkg || i.specifier.startsWith(`${r.pkg}/`));
    if (rule === undefined || rule.only.some((p) => under(i.from, p))) continue;
    if (i.kind === 'type' && rule.types?.some((p) => under(i.from, p))) continue;
    found.push(`${i.from} imports ${i.specifier} (${i.kind}), allowed only under ${rule.only.join(', ')}`);
  }
  return found;
}

const edge = (from: string, to: string, kind: ImportEdge['kind'] = 'value'): ImportEdge => ({
  from,
  to,
  kind,
});

describe('import graph of src/', () => {
  const edges = readImportGraph(SRC);

  it('is read in full: value, type-only and lazy imports, across folders', () => {
    assert.ok(edges.length > 300, `only ${edges.length} imports found`);
    const has = (e: ImportEdge): boolean =>
      edges.some((x) => x.from === e.from && x.to === e.to && x.kind === e.kind);
    assert.ok(has(edge('server.ts', 'http/app.ts')));
    assert.ok(has(edge('cli/cli.ts', 'cli/commands/backup.ts', 'lazy')));
    assert.ok(edges.some((e) => e.kind === 'type' && e.from.startsWith('storage/')));
    // Every import statement of a file is seen, multi-line ones included.
    const text = readFileSync(new URL('../../src/server.ts', import.meta.url), 'utf8');
    const statements = text.match(/^import\s[^;]*?from\s*'\.[^']*'/gm) ?? [];
    assert.equal(edges.filter((e) => e.from === 'server.ts' && e.kind !== 'lazy').length, statements.length);
  });

  it('has no import cycle', () => {
    assert.deepEqual(findCycles(edges), []);
  });

  it('has no floor importing one above it', () => {
    assert.deepEqual(layerViolations(edges), []);
  });

  it('loads Express only in http/ and database drivers only in storage/', () => {
    const imports = readImports(SRC);
    assert.ok(imports.some((i) => i.specifier === 'express' && i.from.startsWith('http/')));
    assert.deepEqual(packageViolations(imports), []);
  });
});

describe('the checks themselves', () => {
  it('find a cycle, a self-import and nothing in a tree', () => {
    const cyclic = [
      edge('a.ts', 'b.ts'),
      edge('b.ts', 'c.ts', 'type'),
      edge('c.ts', 'a.ts'),
      edge('c.ts', 'd.ts'),
    ];
    assert.deepEqual(findCycles(cyclic), [['a.ts', 'b.ts', 'c.ts']]);
    assert.deepEqual(findCycles([edge('s.ts', 's.ts')]), [['s.ts']]);
    assert.deepEqual(findCycles([edge('a.ts', 'b.ts'), edge('a.ts', 'c.ts'), edge('b.ts', 'c.ts')]), []);
  });

  it('flag a lower floor importing a higher one, type-only imports included', () => {
    assert.equal(layerViolations([edge('registry/x.ts', 'negotiation/y.ts', 'type')]).length, 1);
    assert.equal(layerViolations([edge('avro/x.ts', 'registry/y.ts')]).length, 1);
    assert.equal(layerViolations([edge('sdk/x.ts', 'storage/sqlite/y.ts')]).length, 1);
    assert.equal(layerViolations([edge('negotiation/x.ts', 'registry/y.ts', 'type')]).length, 0);
    assert.equal(layerViolations([edge('registry/x.test.ts', 'storage/sqlite/y.ts')]).length, 0);
  });

  it('flag Express or a database driver outside its floor', () => {
    const statement = (from: string, specifier: string, kind: ImportEdge['kind'] = 'value') => ({
      from,
      specifier,
      kind,
    });
    assert.equal(packageViolations([statement('registry/x.ts', 'express', 'type')]).length, 1);
    assert.equal(packageViolations([statement('server.ts', 'express')]).length, 1);
    assert.equal(packageViolations([statement('negotiation/x.ts', 'better-sqlite3')]).length, 1);
    assert.deepEqual(
      packageViolations([
        statement('server.ts', 'express', 'type'),
        statement('http/app.ts', 'express'),
        statement('storage/sqlite/db.ts', 'better-sqlite3'),
        statement('avro/x.ts', 'node:fs'),
      ]),
      [],
    );
  });

  it('let the CLI reach storage only from a lazily loaded command', () => {
    const backup = edge('cli/commands/backup.ts', 'storage/sqlite/integrity.ts');
    assert.deepEqual(layerViolations([edge('cli/cli.ts', 'cli/commands/backup.ts', 'lazy'), backup]), []);
    assert.equal(layerViolations([edge('cli/cli.ts', 'cli/commands/backup.ts'), backup]).length, 1);
    assert.equal(layerViolations([edge('cli/commands/check.ts', 'storage/sqlite/integrity.ts')]).length, 1);
  });
});
