/**
 * `hash-password`: reads the password from standard input (never argv), prints a scrypt hash that
 * verifies; `--token` mints a token whose printed hash matches it. Run as a real process so stdin is
 * real.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { hashToken, parseScryptHash, verifyPassword } from '../../src/auth/credentials.js';
import { ROOT } from './process-harness.js';

const SCRIPT = `
import { parseArgs } from './src/cli/args.ts';
import { COMMON_OPTIONS } from './src/cli/command.ts';
import { hashPasswordCommand as c } from './src/cli/commands/hash-password.ts';
const args = parseArgs(process.argv.slice(1), [...c.options, ...COMMON_OPTIONS]);
const io = { cwd: process.cwd(), env: {}, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
try {
  process.exitCode = await c.run({ io, args, format: args.strings.get('format')?.[0] ?? 'human' });
} catch (e) {
  process.stderr.write(e.message + '\\n');
  process.exitCode = e.exitCode ?? 9;
}
`;

function run(argv: string[], input: string) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, '--', ...argv],
    {
      cwd: ROOT,
      input,
      encoding: 'utf8',
    },
  );
}

test('hash-password hashes the first stdin line into a verifiable scrypt string', async () => {
  const res = run(['--cost', '1024'], 'correct horse battery\nignored second line\n');
  assert.equal(res.status, 0, res.stderr);
  const hash = res.stdout.trim();
  assert.match(hash, /^scrypt\$1024\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse battery', parseScryptHash(hash)), true);
  assert.equal(await verifyPassword('ignored second line', parseScryptHash(hash)), false);
});

test('hash-password refuses an empty password and a bad cost', () => {
  const empty = run([], '');
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /no password/);
  const cost = run(['--cost', '1000'], 'pw\n');
  assert.equal(cost.status, 2);
  assert.match(cost.stderr, /power of two/);
});

test('hash-password --token mints a token and the hash to store', () => {
  const res = run(['--token', '--format', 'json'], '');
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout) as { token: string; hash: string };
  assert.ok(out.token.length >= 43);
  assert.equal(out.hash, hashToken(out.token));
});
