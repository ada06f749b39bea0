import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMAND_NAMES, runCli } from './cli.js';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: process.cwd(),
    env: {},
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

test('every command has --help with its synopsis and the common options', async () => {
  for (const name of COMMAND_NAMES) {
    const { code, stdout, stderr } = await run([name, '--help']);
    assert.equal(code, 0, `${name}: ${stderr}`);
    assert.match(stdout, new RegExp(`^Usage: proximadb-registry ${name}\\b`), name);
    assert.match(stdout, /--format human\|json\|github/, name);
    assert.equal(stderr, '');
  }
});

test('program help lists every command; no command at all is a usage error', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  // Exit 3 also covers a registry that answers 5xx, not only one that cannot be reached.
  assert.match(help.stdout, /3 registry unreachable or failing\.$/m);
  for (const name of COMMAND_NAMES) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
  const none = await run([]);
  assert.equal(none.code, 2);
  assert.equal((await run(['help', 'check'])).code, 0);
});

test('an unknown --format is a usage error, reported in one line', async () => {
  const { code, stderr } = await run(['check', 'x.avsc', '--format', 'xml']);
  assert.equal(code, 2);
  assert.equal(stderr, "proximadb-registry: unknown --format 'xml' (expected human, json or github)\n");
});
