/**
 * Start-up on PostgreSQL: a malformed DATABASE_URL stops with one line naming the variable (exit 2);
 * an unreachable database is retried until DATABASE_CONNECT_TIMEOUT_S, then one clear line (exit 1);
 * a database migrated by a newer build is refused (a rolling upgrade must not let an old binary write
 * into a newer schema). No message ever carries the password.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { test } from 'node:test';
import pg from 'pg';
import { ROOT } from '../reliability/process-harness.js';
import { freshPgDatabase } from '../support/test-store.js';

async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

test('a malformed DATABASE_URL: one line naming the variable, exit 2, no password', async () => {
  const { code, stderr } = await start({ DATABASE_URL: 'mysql://root:hunter2@db/registry' });
  assert.equal(code, 2);
  assert.match(stderr, /^Invalid DATABASE_URL: .*\n$/);
  assert.ok(!stderr.includes('hunter2'));
});

test('an unreachable database: retried until DATABASE_CONNECT_TIMEOUT_S, then one line and exit 1', async () => {
  // A port nobody listens on: take one, then free it.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  const { code, stderr } = await start({
    DATABASE_URL: `postgres://registry:hunter2@127.0.0.1:${port}/registry`,
    DATABASE_CONNECT_TIMEOUT_S: '1',
  });
  assert.equal(code, 1);
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.match(stderr, /unreachable after 1 s \(DATABASE_CONNECT_TIMEOUT_S\)/);
  assert.match(stderr, /postgres:\/\/registry:\*\*\*@127\.0\.0\.1/);
  assert.ok(!stderr.includes('hunter2'));
});

test('a database migrated by a newer build is refused', async () => {
  const url = await freshPgDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL);
     INSERT INTO schema_migrations VALUES (999, '999_future', 'x', 0)`,
  );
  await client.end();
  const { code, stderr } = await start({ DATABASE_URL: url });
  assert.notEqual(code, 0);
  assert.match(stderr, /records migration 999_future, which this build does not know/);
});

test("someone else's PostgreSQL database is refused untouched", async () => {
  const url = await freshPgDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE customers (id integer PRIMARY KEY, name text)');
  await client.end();
  const { code, stderr } = await start({ DATABASE_URL: url });
  assert.notEqual(code, 0);
  assert.match(stderr, /already holds 1 table\(s\) of something else and no schema_migrations/);
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  const tables = await check.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
  );
  await check.end();
  assert.deepEqual(
    tables.rows.map((r) => r.table_name),
    ['customers'],
  );
});
