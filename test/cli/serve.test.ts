/** `serve` starts the registry in the CLI process; SIGTERM drains and exits 0. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, runCli } from './cli-process.js';

test('serve listens, answers the other commands, and stops cleanly on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'bin', 'proximadb-registry.js'),
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--db',
      ':memory:',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('close', () => reject(new Error(`serve exited early: ${out}`)));
    });
    const config = await runCli(['config', '--registry', url]);
    assert.equal(config.code, 0, config.stderr);
    assert.equal(config.stdout, 'global: BACKWARD\n');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});
