/**
 * `check` end to end against a git revision and against another file: verdicts, exit codes, JSON
 * output, and GitHub annotations on the line where the offending definition starts in the new file.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { git, oneLineError, REPO_ROOT, runCli, tempDir } from './cli-process.js';

const MASTER = readFileSync(join(REPO_ROOT, 'schemas', 'proximadb_core.avsc'), 'utf8');

/** 1-based line of the first line matching `pattern` (throws when absent, so a test cannot pass vacuously). */
function lineOf(text: string, pattern: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(pattern));
  if (index < 0) throw new Error(`pattern not found: ${pattern}`);
  return index + 1;
}

/** v2 of the master: a new required `tenant` field in VectorRecord (new readers cannot read old data). */
const V2 = MASTER.replace(
  '      {\n        "name": "expires_at"',
  '      {\n        "name": "tenant",\n        "type": "string"\n      },\n      {\n        "name": "expires_at"',
);

const RECORD_V1 = `{
  "type": "record",
  "name": "Point",
  "fields": [
    {"name": "x", "type": "int"},
    {"name": "label", "type": "string"}
  ]
}
`;

describe('check --against git:REF', () => {
  const dir = tempDir('pdb-check-git');
  const repo = dir.path;
  const schema = join(repo, 'schemas', 'proximadb_core.avsc');
  before(() => {
    git(repo, 'init', '-q');
    mkdirSync(join(repo, 'schemas'));
    writeFileSync(schema, MASTER);
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'v1');
  });
  after(() => dir.remove());

  test('an unchanged schema passes', async () => {
    const run = await runCli(['check', 'schemas/proximadb_core.avsc', '--against', 'git:HEAD'], {
      cwd: repo,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /compatible with git:HEAD under BACKWARD/);
  });

  test('an incompatible v2 exits 1 with an annotation on the new field, path relative to the repo root', async () => {
    assert.notEqual(V2, MASTER);
    writeFileSync(schema, V2);
    // Run from a subdirectory: the annotation path must still be relative to the repository root.
    const run = await runCli(
      ['check', 'proximadb_core.avsc', '--against', 'git:HEAD', '--format', 'github'],
      {
        cwd: join(repo, 'schemas'),
      },
    );
    assert.equal(run.code, 1);
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    assert.equal(annotations.length, 1, run.stdout);
    const fieldStart = lineOf(V2, '"name": "tenant"') - 1; // the field object's `{`
    assert.match(
      annotations[0]!,
      new RegExp(
        `^::error file=schemas/proximadb_core\\.avsc,line=${fieldStart},title=READER_FIELD_MISSING_DEFAULT_VALUE::` +
          "ai\\.proximadb\\.VectorRecord: field 'tenant' has no default at /fields/4 .*MISSING_UNION_BRANCH at /0",
      ),
    );
    assert.match(oneLineError(run), /proximadb_core\.avsc: incompatible \(1 incompatibility\)/);
  });

  test('a compatible change (new optional field with a default) passes', async () => {
    const v3 = MASTER.replace(
      '      {\n        "name": "expires_at"',
      '      {\n        "name": "tenant",\n        "type": ["null", "string"],\n        "default": null\n      },\n      {\n        "name": "expires_at"',
    );
    writeFileSync(schema, v3);
    const run = await runCli(['check', 'schemas/proximadb_core.avsc', '--against', 'git:HEAD'], {
      cwd: repo,
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  test('a file that did not exist at the revision passes (nothing to compare)', async () => {
    writeFileSync(join(repo, 'schemas', 'point.avsc'), RECORD_V1);
    const run = await runCli(['check', 'schemas/point.avsc', '--against', 'git:HEAD'], { cwd: repo });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /new at git:HEAD \(nothing to compare\)/);
  });

  test('an unknown revision is invalid input (exit 2, one line)', async () => {
    const run = await runCli(['check', 'schemas/proximadb_core.avsc', '--against', 'git:no-such-branch'], {
      cwd: repo,
    });
    assert.equal(run.code, 2);
    assert.match(oneLineError(run), /git:no-such-branch: unknown revision/);
  });
});

describe('check --against file:PATH', () => {
  const dir = tempDir('pdb-check-file');
  before(() => writeFileSync(join(dir.path, 'v1.avsc'), RECORD_V1));
  after(() => dir.remove());

  test('a type change is a TYPE_MISMATCH located on the field, in JSON with the registry messages', async () => {
    const v2 = RECORD_V1.replace('{"name": "label", "type": "string"}', '{"name": "label", "type": "int"}');
    writeFileSync(join(dir.path, 'v2.avsc'), v2);
    const run = await runCli(['check', 'v2.avsc', '--against', 'file:v1.avsc', '--format', 'json'], {
      cwd: dir.path,
    });
    assert.equal(run.code, 1);
    const doc = JSON.parse(run.stdout) as {
      ok: boolean;
      files: Array<{ status: string; level: string; incompatibilities: unknown[]; messages: string[] }>;
    };
    assert.equal(doc.ok, false);
    const [file] = doc.files;
    assert.equal(file?.status, 'incompatible');
    assert.equal(file?.level, 'BACKWARD');
    assert.deepEqual(file?.incompatibilities, [
      {
        type: 'TYPE_MISMATCH',
        location: '/fields/1/type',
        message: 'reader type: INT not compatible with writer type: STRING',
        direction: 'backward',
        version: 1,
        source: 'file:v1.avsc',
        line: lineOf(v2, '"label"'),
        column: 5,
      },
    ]);
    assert.match(file?.messages[0] ?? '', /^\{errorType:'TYPE_MISMATCH'/);
    assert.ok(file?.messages.includes('{oldSchemaVersion: 1}'));
  });

  test('--level decides the direction: a removed field breaks FORWARD, not BACKWARD', async () => {
    const v2 = RECORD_V1.replace(',\n    {"name": "label", "type": "string"}', '');
    writeFileSync(join(dir.path, 'v2.avsc'), v2);
    const backward = await runCli(['check', 'v2.avsc', '--against', 'file:v1.avsc'], { cwd: dir.path });
    assert.equal(backward.code, 0, backward.stdout);
    const forward = await runCli(
      ['check', 'v2.avsc', '--against', 'file:v1.avsc', '--level', 'forward', '--format', 'github'],
      { cwd: dir.path },
    );
    assert.equal(forward.code, 1);
    // The field is gone from the new file, so the annotation falls back to the record's definition.
    assert.match(
      forward.stdout,
      /^::error file=v2\.avsc,line=1,title=READER_FIELD_MISSING_DEFAULT_VALUE::label at \/fields\/1; the old schema cannot read data written with the new one \(FORWARD, file:v1\.avsc\)$/m,
    );
  });
});
