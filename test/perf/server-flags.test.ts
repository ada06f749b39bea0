/**
 * The server's node flags (`--no-memory-reducer`, see docs/operations.md "Node flags") are given in
 * three places: `npm start`, the Docker image's CMD and the benchmark's children. They must agree, or
 * the benchmark measures a process production does not run; and this Node must accept them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { REGISTRY_ENTRY, ROOT, SERVER_NODE_FLAGS } from '../../bench/processes.js';

const read = (file: string) => readFileSync(new URL(file, `file://${ROOT}`), 'utf8');

test('npm start runs the compiled entry with the benchmark’s node flags', () => {
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.start, ['node', ...SERVER_NODE_FLAGS, REGISTRY_ENTRY].join(' '));
  assert.equal(pkg.scripts.prestart, 'npm run build --silent');
});

test('the Docker image runs the compiled entry with the same flags', () => {
  const cmd = read('Dockerfile')
    .split('\n')
    .find((line) => line.startsWith('CMD '));
  assert.ok(cmd, 'Dockerfile has a CMD');
  assert.deepEqual(JSON.parse(cmd.slice(4)), ['node', ...SERVER_NODE_FLAGS, REGISTRY_ENTRY]);
});

test('this Node accepts the flags', () => {
  const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', '0'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});
