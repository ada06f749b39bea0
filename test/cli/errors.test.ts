/**
 * Bad input through the real process: each failure is one clear line on stderr with its documented exit
 * code (2 invalid input or usage, 3 registry unreachable), never a stack trace.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { oneLineError, runCli, tempDir } from './cli-process.js';

const VALID = '{"type": "record", "name": "Point", "fields": [{"name": "x", "type": "int"}]}';

/** A loopback port with nothing listening: bind one, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('bad input', () => {
  const dir = tempDir('pdb-cli-errors');
  const cwd = join(dir.path, 'work');
  before(() => {
    // A `.git` marker stops the config search here instead of wandering up through /tmp.
    mkdirSync(join(cwd, '.git'), { recursive: true });
    writeFileSync(join(cwd, 'valid.avsc'), VALID);
    writeFileSync(join(cwd, 'broken.avsc'), '{"type": "record",\n  "name": "Point"\n  "fields": []}');
    writeFileSync(join(cwd, 'unknown-type.avsc'), VALID.replace('"int"', '"integer"'));
  });
  after(() => dir.remove());

  const cases: ReadonlyArray<{ name: string; args: string[]; exit: number; message: RegExp }> = [
    { name: 'a missing file', args: ['check', 'nope.avsc'], exit: 2, message: /nope\.avsc: file not found/ },
    { name: 'invalid JSON', args: ['check', 'broken.avsc'], exit: 2, message: /broken\.avsc: .*line 3/ },
    {
      name: 'invalid Avro',
      args: ['check', 'unknown-type.avsc'],
      exit: 2,
      message: /unknown-type\.avsc: .*integer/,
    },
    {
      name: 'an unknown level',
      args: ['check', 'valid.avsc', '--against', 'file:valid.avsc', '--level', 'sideways'],
      exit: 2,
      message: /--level 'sideways': Invalid compatibility level/,
    },
    {
      name: 'a bad --against',
      args: ['check', 'valid.avsc', '--against', 'svn:1'],
      exit: 2,
      message: /git:REF or file:PATH/,
    },
    {
      name: 'an unknown option',
      args: ['check', 'valid.avsc', '--colour'],
      exit: 2,
      message: /unknown option '--colour'/,
    },
    { name: 'an unknown command', args: ['chek'], exit: 2, message: /unknown command 'chek'/ },
    {
      name: 'a git baseline outside a repository',
      args: ['check', 'valid.avsc', '--against', 'git:HEAD'],
      exit: 2,
      message: /valid\.avsc: not inside a git repository/,
    },
    {
      name: '--subject without a registry',
      args: ['check', 'valid.avsc', '--subject', 's'],
      exit: 2,
      message: /--subject needs --registry URL/,
    },
    { name: 'no sync config', args: ['sync', '--check'], exit: 2, message: /no schema-sync\.json found/ },
    {
      name: 'a missing --config',
      args: ['sync', '--config', 'none.json'],
      exit: 2,
      message: /config file not found: none\.json/,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: exit ${c.exit}, one line`, async () => {
      const run = await runCli(c.args, { cwd });
      assert.equal(run.code, c.exit, run.stderr);
      assert.match(oneLineError(run), c.message);
    });
  }

  test('an invalid sync config: bad JSON, then an unknown key', async () => {
    writeFileSync(join(cwd, 'schema-sync.json'), '{"master": "valid.avsc",}');
    const badJson = await runCli(['sync'], { cwd });
    assert.equal(badJson.code, 2);
    assert.match(oneLineError(badJson), /schema-sync\.json: invalid JSON/);
    writeFileSync(join(cwd, 'schema-sync.json'), JSON.stringify({ master: 'valid.avsc', copy: ['x.avsc'] }));
    const unknownKey = await runCli(['sync'], { cwd });
    assert.equal(unknownKey.code, 2);
    assert.match(oneLineError(unknownKey), /unknown key "copy"/);
  });

  test('an unreachable registry: exit 3, one line, and a JSON error document with --format json', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(
      ['check', 'valid.avsc', '--registry', url, '--subject', 's', '--format', 'json'],
      {
        cwd,
      },
    );
    assert.equal(run.code, 3);
    assert.match(oneLineError(run), /registry http:\/\/127\.0\.0\.1:\d+ unreachable/);
    const doc = JSON.parse(run.stdout) as { ok: boolean; error: { code: string } };
    assert.deepEqual([doc.ok, doc.error.code], [false, 'REGISTRY_UNREACHABLE']);
  });

  test('invalid input is reported before the registry is contacted', async () => {
    const run = await runCli(['check', 'broken.avsc', '--registry', 'http://127.0.0.1:1', '--subject', 's'], {
      cwd,
    });
    assert.equal(run.code, 2);
  });
});
