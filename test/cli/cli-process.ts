/**
 * Runs the real CLI as a child process (through `bin/proximadb-registry.js`, as `npx` would), bounded by
 * a timeout, and a few helpers for temporary repositories.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'proximadb-registry.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    // The CLI reads these as defaults; a developer's shell must not leak into the tests.
    if (options.env?.PROXIMADB_REGISTRY_URL === undefined) delete env.PROXIMADB_REGISTRY_URL;
    if (options.env?.PROXIMADB_REGISTRY_TOKEN === undefined) delete env.PROXIMADB_REGISTRY_TOKEN;
    if (options.env?.SCHEMA_REGISTRY_URL === undefined) delete env.SCHEMA_REGISTRY_URL;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out: ${args.join(' ')}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** git with a fixed identity, so commits work on a machine without a global git config. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** The failure contract: exactly one line on stderr, never a stack trace. */
export function oneLineError(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) throw new Error(`expected one stderr line, got ${lines.length}: ${run.stderr}`);
  if (/\n\s+at /.test(run.stderr) || /\bat .*\.(ts|js):\d+/.test(run.stderr)) {
    throw new Error(`stack trace on stderr: ${run.stderr}`);
  }
  return lines[0]!;
}
