/**
 * The database goes away under light load, then comes back: every request meanwhile is answered within
 * a bounded time, with a retryable 503 in the error envelope (Retry-After) or, for an id already seen,
 * from memory; readiness reports not ready; the instance recovers by itself once the database is back,
 * without a restart; nothing acknowledged is lost. Uses a PostgreSQL of its own (it stops it).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import {
  call,
  type ServerProcess,
  schemaNumber,
  startServerProcess,
  stopServerProcess,
} from '../reliability/process-harness.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../support/embedded-postgres.js';

let database: RunningPostgres | undefined;
let server: ServerProcess | undefined;
after(async () => {
  if (server) await stopServerProcess(server, 'SIGKILL');
  await database?.stop();
});

/** A request that must be answered within `ms` (the bound under test), whatever the answer. */
async function bounded(base: string, method: string, path: string, body?: unknown, ms = 15_000) {
  const started = Date.now();
  const answer = await Promise.race([
    call(base, method, path, body),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${method} ${path}: no answer in ${ms} ms`)), ms),
    ),
  ]);
  return { ...answer, ms: Date.now() - started };
}

test('database stopped and restarted under light load: 503s, answers from memory, recovery, nothing lost', async () => {
  database = await startEmbeddedPostgres();
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query('CREATE DATABASE faults');
  await admin.end();
  const url = new URL(database.url);
  url.pathname = '/faults';
  server = await startServerProcess({ DATABASE_URL: url.toString(), LOG_LEVEL: 'info' });
  const base = server.url;
  assert.equal((await call(base, 'PUT', '/config', { compatibility: 'NONE' })).status, 200);

  // Light load: registrations one after another, each acknowledged one remembered.
  const acknowledged = new Map<number, number>();
  let n = 0;
  let running = true;
  const statuses: number[] = [];
  const load = (async () => {
    while (running) {
      const i = n++;
      const res = await bounded(base, 'POST', '/subjects/load/versions', { schema: schemaNumber(i) });
      statuses.push(res.status);
      if (res.status === 200) acknowledged.set(i, (res.body as { id: number }).id);
      else {
        assert.equal(res.status, 503, res.text);
        assert.deepEqual(Object.keys(res.body as object).sort(), ['error_code', 'message']);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  while (acknowledged.size < 5) await new Promise((resolve) => setTimeout(resolve, 10));
  // Read id 1 twice so it is cached: an immutable answer.
  for (let r = 0; r < 2; r++) assert.equal((await call(base, 'GET', '/schemas/ids/1')).status, 200);

  await database.pause();
  const down = await bounded(base, 'POST', '/subjects/other/versions', { schema: '"string"' });
  assert.equal(down.status, 503, down.text);
  assert.equal((down.body as { error_code: number }).error_code, 503);
  assert.equal(down.headers['retry-after'], '1');
  assert.equal((await bounded(base, 'GET', '/health/ready')).status, 503);
  assert.equal((await bounded(base, 'GET', '/subjects/load/versions')).status, 503);
  const cached = await bounded(base, 'GET', '/schemas/ids/1');
  assert.equal(cached.status, 200, `an id seen before answers from memory: ${cached.text}`);
  assert.equal((await bounded(base, 'GET', '/health/live')).status, 200);
  const metrics = await bounded(base, 'GET', '/metrics');
  assert.match(metrics.text, /registry_database_connections\{state="listening"\} 0/);

  await database.resume();
  // Recovery without a restart: within seconds of the database coming back.
  let ready = false;
  for (let i = 0; i < 300 && !ready; i++) {
    ready = (await bounded(base, 'GET', '/health/ready')).status === 200;
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(ready, 'ready again within 15 s of the database coming back');
  let listening = false;
  for (let i = 0; i < 300 && !listening; i++) {
    listening = /state="listening"\} 1/.test((await bounded(base, 'GET', '/metrics')).text);
    if (!listening) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(listening, 'the change feed listens again');
  const before = acknowledged.size;
  while (acknowledged.size < before + 5) await new Promise((resolve) => setTimeout(resolve, 10));
  running = false;
  await load;
  assert.ok(statuses.includes(503) || statuses.every((s) => s === 200));

  // Nothing acknowledged is lost.
  const versions = (await call(base, 'GET', '/subjects/load/versions')).body as number[];
  assert.equal(versions.length, acknowledged.size);
  for (const [i, id] of acknowledged) {
    const res = await call(base, 'GET', `/schemas/ids/${id}`);
    assert.equal(res.status, 200);
    assert.equal(JSON.parse((res.body as { schema: string }).schema).fields[1].name, `f${i}`);
  }
});
