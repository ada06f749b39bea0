/**
 * The three generators on an awkward schema (quotes, backslashes, control and astral characters,
 * comment terminators, 2^53+1, a `__proto__` field, two types sharing a simple name, names clashing
 * with keywords and generated constants): the output must compile in each language and carry the exact
 * values, and the TypeScript must be exactly what Biome would format.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { canonicalString, parseSchema, schemaFingerprints } from '../../avro/index.js';
import { digestOf } from '../schema-files.js';
import { buildSchemaModel } from './model.js';
import { generatePython } from './python.js';
import { generateRust } from './rust.js';
import { generateTypeScript } from './typescript.js';

const RAW_DEFAULT = 'it\'s "quoted" \\ é 😀\n\u0001';
const EDGE = JSON.stringify({
  type: 'record',
  name: 'Edge',
  namespace: 'com.example',
  doc: 'Quotes \' " and a */ comment closer,\nbackslash \\ and unicode é 😀',
  fields: [
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'], default: 'A' }, default: 'B' },
    { name: 'raw', type: 'string', default: RAW_DEFAULT, 'x-note': { a: [1, 2] } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16 } },
    { name: 'ratio', type: 'double', default: 1.5 },
    {
      name: 'nested',
      type: {
        type: 'record',
        name: 'Edge',
        namespace: 'org.other',
        fields: [{ name: '__proto__', type: 'int', default: 0 }],
      },
    },
    { name: 'list', type: { type: 'array', items: 'int' }, default: [1, 2, 3] },
    { name: 'obj', type: { type: 'map', values: 'string' }, default: { k: 'v', kind: 'number', raw: '1' } },
    { name: 'self', type: { type: 'enum', name: 'type', symbols: ['X'] } },
    { name: 'clash', type: { type: 'record', name: 'NAMED_TYPES', fields: [] }, default: {} },
  ],
}).replace('"default":1.5', '"default":1.50},{"name":"big","type":"long","default":9007199254740993');

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const parsed = parseSchema(EDGE, { mode: 'strict' });
const model = buildSchemaModel('schemas/edge.avsc', parsed, digestOf(parsed));
const fp = schemaFingerprints(parsed);

describe('code generation on an awkward schema', () => {
  const dir = { path: mkdtempSync(join(tmpdir(), 'pdb-codegen-')) };
  after(() => rmSync(dir.path, { recursive: true, force: true }));

  test('lists every named type once, in definition order', () => {
    assert.deepEqual(
      model.types.map((t) => t.fullName),
      [
        'com.example.Edge',
        'com.example.Kind',
        'com.example.Hash',
        'org.other.Edge',
        'com.example.type',
        'com.example.NAMED_TYPES',
      ],
    );
  });

  test('is deterministic', () => {
    const again = buildSchemaModel(
      'schemas/edge.avsc',
      parseSchema(EDGE, { mode: 'strict' }),
      digestOf(parsed),
    );
    for (const gen of [generateTypeScript, generatePython, generateRust])
      assert.equal(gen(again), gen(model));
  });

  test('TypeScript: type-checks, is Biome-formatted, and holds the exact values', async () => {
    const ts = generateTypeScript(model);
    const file = join(dir.path, 'edge.ts');
    writeFileSync(file, ts);
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--ignoreConfig', file], { stdio: 'pipe' });
    const biome = join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
    const formatted = execFileSync(
      process.execPath,
      [biome, 'format', '--stdin-file-path=src/generated/edge.ts'],
      {
        cwd: REPO_ROOT,
        input: ts,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    assert.equal(formatted, ts);

    // biome-ignore lint/suspicious/noExplicitAny: a freshly generated module has no static type here.
    const m = (await import(pathToFileURL(file).href)) as Record<string, any>;
    assert.equal(m.SCHEMA, canonicalString(parsed));
    assert.deepEqual(m.SCHEMA_FINGERPRINTS, { crc64: fp.crc64Hex, sha256: fp.sha256 });
    const edge = m.com_example_Edge;
    assert.equal(edge.fullName, 'com.example.Edge');
    assert.deepEqual(edge.requiredFields, ['hash', 'nested', 'self']);
    assert.equal(edge.defaults.raw, RAW_DEFAULT);
    assert.equal(edge.defaults.ratio, 1.5);
    assert.deepEqual(edge.defaults.obj, { k: 'v', kind: 'number', raw: '1' });
    assert.deepEqual(edge.fieldProps.raw, { 'x-note': { a: [1, 2] } });
    assert.equal(Object.hasOwn(m.org_other_Edge.defaults, '__proto__'), true);
    assert.deepEqual(m.Kind.symbols, ['A', 'B']);
    assert.equal(m.Hash.size, 16);
    assert.equal(m.NAMED_TYPES_.fullName, 'com.example.NAMED_TYPES');
    assert.equal(m.NAMED_TYPES.length, 6);
  });

  test('Python: imports and holds the exact values (2^53+1 included)', () => {
    writeFileSync(join(dir.path, 'edge_constants.py'), generatePython(model));
    const out = execFileSync(
      'python3',
      [
        '-c',
        'import json, edge_constants as m; print(json.dumps([m.SCHEMA, m.COM_EXAMPLE_EDGE_DEFAULTS, ' +
          'm.COM_EXAMPLE_EDGE_FIELD_PROPS, m.KIND_SYMBOLS, m.KIND_DEFAULT, m.HASH_SIZE, m.TYPE_NAME, ' +
          'm.NAMED_TYPES_NAME, m.ORG_OTHER_EDGE_DEFAULTS, m.SCHEMA_CRC64]))',
      ],
      { cwd: dir.path, encoding: 'utf8' },
    );
    const big = /"big": (\d+)/.exec(out)?.[1];
    assert.equal(big, '9007199254740993');
    const [schema, defaults, props, symbols, enumDefault, size, typeName, clash, nested, crc] =
      JSON.parse(out);
    assert.equal(schema, canonicalString(parsed));
    assert.equal(defaults.raw, RAW_DEFAULT);
    assert.equal(defaults.kind, 'B');
    assert.deepEqual(props, { raw: { 'x-note': { a: [1, 2] } } });
    assert.deepEqual(
      [symbols, enumDefault, size, typeName, clash],
      [['A', 'B'], 'A', 16, 'type', 'NAMED_TYPES'],
    );
    assert.deepEqual(nested, JSON.parse('{"__proto__":0}'));
    assert.equal(crc, fp.crc64Hex);
  });

  test('Rust: compiles without warnings and holds the exact strings', () => {
    writeFileSync(join(dir.path, 'constants.rs'), generateRust(model));
    writeFileSync(
      join(dir.path, 'main.rs'),
      [
        'mod constants;',
        'fn main() {',
        '    println!("{}", constants::SCHEMA);',
        '    for (field, json) in constants::com_example_edge::DEFAULTS { println!("{}={}", field, json); }',
        '    println!("{}", constants::type_::NAME);',
        '    println!("{:?}", constants::kind::DEFAULT);',
        '    println!("{}", constants::hash::SIZE);',
        '}',
        '',
      ].join('\n'),
    );
    const bin = join(dir.path, 'edge-bin');
    execFileSync(
      'rustc',
      ['--edition', '2021', '-D', 'warnings', '-A', 'dead_code', '-o', bin, join(dir.path, 'main.rs')],
      {
        stdio: 'pipe',
      },
    );
    const lines = execFileSync(bin, { encoding: 'utf8' }).split('\n');
    assert.equal(lines[0], canonicalString(parsed));
    const raw = lines.find((l) => l.startsWith('raw='));
    assert.equal(JSON.parse(raw!.slice(4)), RAW_DEFAULT);
    assert.ok(lines.includes('big=9007199254740993'));
    assert.ok(lines.includes('type'));
    assert.ok(lines.includes('Some("A")'));
    assert.ok(lines.includes('16'));
  });
});
