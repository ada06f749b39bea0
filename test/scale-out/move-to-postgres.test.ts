/**
 * The documented path from a SQLite registry to PostgreSQL: `move-to-postgres` copies the file into an
 * empty database, and a server on PostgreSQL then answers every read byte for byte as the SQLite one
 * did, negotiation included (leases with their owners and expiry, agreement epochs), and never hands
 * out an id the SQLite registry had used. A second move into the same database is refused.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { moveToPostgresCommand } from '../../src/cli/commands/move-to-postgres.js';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG, type RegistryConfig } from '../../src/config.js';
import { createRegistryServer } from '../../src/server.js';
import { call } from '../reliability/process-harness.js';
import { populate, registryFixture, snapshot } from '../reliability/registry-fixture.js';
import { checkResponses } from '../support/openapi-responses.js';
import { freshPgDatabase } from '../support/test-store.js';

const dir = mkdtempSync(join(tmpdir(), 'move-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const { runCommand } = registryFixture(dir);
const NOW = 1_800_000_000_000;

async function serve(config: Partial<RegistryConfig>) {
  const server = checkResponses(
    await createRegistryServer(
      { ...DEFAULT_CONFIG, host: '127.0.0.1', logLevel: 'silent', ...config },
      { logger: pino({ level: 'silent' }), clock: new ManualClock(NOW) },
    ),
  );
  const http = createServer(server.handler).listen(0, '127.0.0.1');
  await once(http, 'listening');
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => http.close(resolve));
      await server.close();
    },
  };
}

/** The registry's read answers plus what negotiation shows. */
async function everything(url: string): Promise<Map<string, string>> {
  const answers = await snapshot(url);
  for (const path of [
    '/negotiation/subjects/orders-value/agreement',
    '/negotiation/subjects/orders-value/versions?deleted=true',
    '/negotiation/subjects/shared/agreement',
  ]) {
    const res = await call(url, 'GET', path);
    answers.set(path, `${res.status} ${res.text}`);
  }
  return answers;
}

test('move-to-postgres: every answer identical afterwards, ids never reused, a second move refused', async () => {
  const file = join(dir, 'registry.db');
  const sqlite = await serve({ databasePath: file });
  await populate(sqlite.url);
  const lease = (role: string, supports: object, ttlSeconds: number) => ({ role, supports, ttlSeconds });
  const put = (subject: string, id: string, body: object) =>
    call(sqlite.url, 'PUT', `/negotiation/subjects/${subject}/participants/${id}`, body);
  assert.equal((await put('orders-value', 'wal', lease('writer', { range: '^1.0.0' }, 600))).status, 200);
  assert.equal((await put('orders-value', 'old', lease('reader', { versions: [1] }, 60))).status, 200);
  assert.equal((await put('shared', 'r', lease('reader', { range: '>=1.0.0' }, 3600))).status, 200);
  const before = await everything(sqlite.url);
  const maxBefore = (
    (await call(sqlite.url, 'GET', '/schemas/ids/1?fetchMaxId=true')).body as { maxId: number }
  ).maxId;
  await sqlite.close();

  const url = await freshPgDatabase();
  const moved = await runCommand(moveToPostgresCommand, ['--db', file, '--to', url]);
  assert.equal(moved.code, 0, moved.err);
  assert.match(moved.out, /moved .* to PostgreSQL/);
  assert.match(moved.out, /negotiation_participants: 3/);

  const postgres = await serve({ databaseUrl: url });
  try {
    const after = await everything(postgres.url);
    for (const [path, answer] of before) assert.equal(after.get(path), answer, path);
    const next = await call(postgres.url, 'POST', '/subjects/fresh/versions', { schema: '"float"' });
    assert.equal(next.status, 200, next.text);
    assert.equal((next.body as { id: number }).id, maxBefore + 1, 'the next id is above every SQLite id');
  } finally {
    await postgres.close();
  }

  const again = runCommand(moveToPostgresCommand, ['--db', file, '--to', url]);
  await assert.rejects(again, /not empty/);
});

test('move-to-postgres refuses a file written by a newer version (its unknown tables would be lost) and touches nothing', async () => {
  const file = join(dir, 'newer.db');
  const sqlite = await serve({ databasePath: file });
  assert.equal((await call(sqlite.url, 'POST', '/subjects/s/versions', { schema: '"int"' })).status, 200);
  await sqlite.close();
  const db = new Database(file);
  db.prepare(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future.sql', 0)",
  ).run();
  db.close();

  const url = await freshPgDatabase();
  await assert.rejects(
    runCommand(moveToPostgresCommand, ['--db', file, '--to', url]),
    /migration 999_future\.sql, which this build does not know/,
  );
  const target = new pg.Client({ connectionString: url });
  await target.connect();
  try {
    const tables = await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    assert.equal(tables.rows[0].n, 0, 'nothing was created in PostgreSQL');
  } finally {
    await target.end();
  }
});
