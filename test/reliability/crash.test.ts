/**
 * Durability under kill -9: a server process takes a burst of concurrent registrations and is
 * SIGKILLed at a (seeded) random moment, several times over, on the same database file. After each
 * restart every registration it acknowledged must be there with the same id and version, ids and
 * versions must stay consistent, and the file must pass the integrity check.
 *
 * Seed: CRASH_SEED env (printed on failure) so a failing run can be replayed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { quickCheck } from '../../src/storage/sqlite/integrity.js';
import { seededRandom } from '../support/prng.js';
import {
  call,
  type ServerProcess,
  schemaNumber,
  startServerProcess,
  stopServerProcess,
} from './process-harness.js';

const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const CYCLES = 3;
const SUBJECTS = ['crash-a', 'crash-b', 'crash-c'];

interface Acked {
  subject: string;
  schema: string;
  id: number;
  version: number | undefined;
}

test(`acknowledged registrations survive SIGKILL at a random moment (seed ${SEED})`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'registry.db');
  const random = seededRandom(SEED);
  const acked: Acked[] = [];
  let schemaCounter = 0;
  let server: ServerProcess | undefined;
  t.after(async () => {
    if (server) await stopServerProcess(server);
  });

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    server = await startServerProcess({ DATABASE_PATH: dbPath });
    const base = server.url;
    await verifyAcked(base, acked, SEED);
    if (cycle === 0)
      assert.equal((await call(base, 'PUT', '/config', { compatibility: 'NONE' })).status, 200);

    // Kill once a seeded number of new acknowledgements arrived, with requests still in flight.
    const killAfter = 15 + Math.floor(random() * 60);
    let ackedThisCycle = 0;
    let killed = false;
    const current = server;
    const kill = () => {
      if (killed) return;
      killed = true;
      current.child.kill('SIGKILL');
    };
    const client = async () => {
      while (!killed) {
        const subject = SUBJECTS[Math.floor(random() * SUBJECTS.length)] ?? 'crash-a';
        // Mostly new schemas, sometimes one already acknowledged (idempotent path, other subject).
        const reuse = acked.length > 0 && random() < 0.25;
        const schema = reuse
          ? (acked[Math.floor(random() * acked.length)]?.schema ?? schemaNumber(schemaCounter++))
          : schemaNumber(schemaCounter++);
        let id: number;
        try {
          const res = await call(base, 'POST', `/subjects/${subject}/versions`, { schema });
          assert.ok(res.status < 500, `no 5xx under load: ${res.status} ${res.text}`);
          if (res.status !== 200) continue;
          id = (res.body as { id: number }).id;
        } catch {
          return; // connection cut by the kill: not acknowledged
        }
        const entry: Acked = { subject, schema, id, version: undefined };
        acked.push(entry);
        ackedThisCycle++;
        if (ackedThisCycle >= killAfter) kill();
        try {
          const found = await call(base, 'POST', `/subjects/${subject}`, { schema });
          if (found.status === 200) entry.version = (found.body as { version: number }).version;
        } catch {
          // killed between the two calls: the id is still checked, the version is not known
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => client()));
    const { signal } = await server.exited;
    assert.equal(signal, 'SIGKILL');
    assert.ok(ackedThisCycle >= killAfter, `cycle ${cycle}: ${ackedThisCycle} acknowledged before the kill`);
  }

  server = await startServerProcess({ DATABASE_PATH: dbPath });
  await verifyAcked(server.url, acked, SEED);
  await auditSubjects(server.url, SEED);
  await stopServerProcess(server, 'SIGTERM');
  const db = new Database(dbPath, { readonly: true });
  try {
    assert.deepEqual(quickCheck(db), [], `integrity check after ${CYCLES} kills (seed ${SEED})`);
  } finally {
    db.close();
  }
});

async function verifyAcked(base: string, acked: readonly Acked[], seed: number): Promise<void> {
  for (const a of acked) {
    const byId = await call(base, 'GET', `/schemas/ids/${a.id}`);
    assert.equal(byId.status, 200, `seed ${seed}: acknowledged id ${a.id} resolves after restart`);
    assert.equal(
      (byId.body as { schema: string }).schema,
      JSON.stringify(JSON.parse(a.schema)),
      `seed ${seed}: id ${a.id} still names the acknowledged schema`,
    );
    const found = await call(base, 'POST', `/subjects/${a.subject}`, { schema: a.schema });
    assert.equal(found.status, 200, `seed ${seed}: ${a.subject} still holds the acknowledged schema`);
    const view = found.body as { id: number; version: number };
    assert.equal(view.id, a.id, `seed ${seed}: same id under ${a.subject}`);
    if (a.version !== undefined) assert.equal(view.version, a.version, `seed ${seed}: same version`);
  }
}

/** Versions 1..n without gaps per subject, one id per distinct schema across subjects. */
async function auditSubjects(base: string, seed: number): Promise<void> {
  const idBySchema = new Map<string, number>();
  const subjects = (await call(base, 'GET', '/subjects')).body as string[];
  for (const subject of subjects) {
    const versions = (await call(base, 'GET', `/subjects/${subject}/versions`)).body as number[];
    assert.deepEqual(
      versions,
      versions.map((_, i) => i + 1),
      `seed ${seed}: ${subject} versions have no gap`,
    );
    const seen = new Set<string>();
    for (const v of versions) {
      const view = (await call(base, 'GET', `/subjects/${subject}/versions/${v}`)).body as {
        id: number;
        schema: string;
      };
      assert.ok(!seen.has(view.schema), `seed ${seed}: ${subject} holds a schema twice`);
      seen.add(view.schema);
      const known = idBySchema.get(view.schema);
      if (known !== undefined) assert.equal(view.id, known, `seed ${seed}: one id per schema`);
      idBySchema.set(view.schema, view.id);
    }
  }
}

test('SIGTERM drains in-flight registrations, closes the database cleanly and exits 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'drain-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'registry.db');
  const server = await startServerProcess({ DATABASE_PATH: dbPath });
  t.after(async () => {
    await stopServerProcess(server);
  });
  assert.equal((await call(server.url, 'PUT', '/config', { compatibility: 'NONE' })).status, 200);
  const acked: Acked[] = [];
  let signalled = false;
  const statuses: number[] = [];
  const attempts = Array.from({ length: 40 }, async (_, i) => {
    const schema = schemaNumber(10_000 + i);
    let res: Awaited<ReturnType<typeof call>>;
    try {
      res = await call(server.url, 'POST', '/subjects/drain/versions', { schema });
    } catch {
      return; // refused once the listener closed: never acknowledged
    }
    statuses.push(res.status);
    if (res.status !== 200) return;
    acked.push({ subject: 'drain', schema, id: (res.body as { id: number }).id, version: undefined });
    if (!signalled) {
      signalled = true;
      server.child.kill('SIGTERM');
    }
  });
  await Promise.all(attempts);
  assert.ok(
    statuses.every((s) => s === 200),
    `every answered request finished normally: ${statuses.join(',')}`,
  );
  const { code } = await server.exited;
  assert.equal(code, 0, 'graceful shutdown exits 0');
  assert.ok(acked.length >= 1);
  assert.equal(
    existsSync(`${dbPath}-wal`),
    false,
    'the last connection closed cleanly (WAL checkpointed away)',
  );
  const again = await startServerProcess({ DATABASE_PATH: dbPath });
  t.after(async () => {
    await stopServerProcess(again);
  });
  await verifyAcked(again.url, acked, 0);
});
