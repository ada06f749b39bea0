/**
 * Three registry processes on one PostgreSQL database, as behind a load balancer: they start at the
 * same moment (migrations apply exactly once), take hundreds of concurrent overlapping registrations
 * (the same content under several subjects, the same pair sent to different instances at once), and
 * one is killed mid-burst. Then an audit: no 5xx, no duplicate or missing version, one id per content,
 * every acknowledged write readable through every surviving instance. Also what crosses instances at
 * once (a new id, with no negative caching), what crosses through the change feed (latest, config),
 * and a long-poll woken by a registration made through another instance.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, test } from 'node:test';
import pg from 'pg';
import {
  call,
  pool,
  ROOT,
  type ServerProcess,
  schemaNumber,
  startServerProcess,
  stopServerProcess,
} from '../reliability/process-harness.js';
import { seededRandom } from '../support/prng.js';
import { freshPgDatabase } from '../support/test-store.js';

const SEED = Number(process.env.MULTI_SEED ?? 2026);
const servers: ServerProcess[] = [];
after(async () => {
  await Promise.all(servers.map((s) => stopServerProcess(s, 'SIGKILL')));
});

async function sql<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Polls `probe` until it returns true: for what travels through the change feed (milliseconds). */
async function eventually(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`${what} did not show within 2 s`);
}

test(`three instances on one PostgreSQL: concurrent overlapping registrations, one killed mid-burst (seed ${SEED})`, async () => {
  const url = await freshPgDatabase();
  // Started together: the migration runs under an advisory lock, exactly once.
  const started = await Promise.all(
    [0, 1, 2].map(() => startServerProcess({ DATABASE_URL: url, LOG_LEVEL: 'info' })),
  );
  servers.push(...started);
  const migrations = readdirSync(`${ROOT}/migrations/postgres`).filter((f) => f.endsWith('.sql'));
  const applied = await sql<{ version: number; n: number }>(
    url,
    'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
  );
  assert.equal(applied.length, migrations.length);
  assert.ok(applied.every((row) => row.n === 1));
  assert.equal((await call(started[0]!.url, 'PUT', '/config', { compatibility: 'NONE' })).status, 200);

  const random = seededRandom(SEED);
  const subjects = ['mi-a', 'mi-b', 'mi-c', 'mi-d', 'mi-e'];
  const contents = Array.from({ length: 12 }, (_, i) => schemaNumber(i));
  const jobs: Array<{ subject: string; content: number; server: number }> = [];
  for (const subject of subjects) {
    for (let content = 0; content < contents.length; content++) {
      // Every pair goes to two or three instances.
      for (let c = 0; c < 2 + Math.floor(random() * 2); c++)
        jobs.push({ subject, content, server: Math.floor(random() * 3) });
    }
  }
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
  }
  const killAt = Math.floor(jobs.length / 2);
  let done = 0;
  const acks = await pool(
    jobs.map((job) => async () => {
      if (++done === killAt) await stopServerProcess(started[2]!, 'SIGKILL');
      try {
        const res = await call(started[job.server]!.url, 'POST', `/subjects/${job.subject}/versions`, {
          schema: contents[job.content],
        });
        assert.ok(res.status < 500, `no 5xx: ${res.status} ${res.text}`);
        return { ...job, id: res.status === 200 ? (res.body as { id: number }).id : undefined };
      } catch {
        // The killed instance's connections fail: nothing was acknowledged there.
        assert.equal(job.server, 2, 'only the killed instance may fail to answer');
        return { ...job, id: undefined };
      }
    }),
    20,
  );
  const acknowledged = acks.filter((a) => a.id !== undefined);
  assert.ok(acknowledged.length > jobs.length / 2, `${acknowledged.length} of ${jobs.length} acknowledged`);

  // One id per content, whoever registered it first and wherever.
  const idOf = new Map<number, number>();
  for (const a of acknowledged) {
    const known = idOf.get(a.content);
    assert.ok(known === undefined || known === a.id, `content ${a.content} got ids ${known} and ${a.id}`);
    idOf.set(a.content, a.id!);
  }
  const rows = await sql<{ subject: string; version: number; id: number }>(
    url,
    'SELECT subject, version, schema_id AS id FROM subject_versions ORDER BY subject, version',
  );
  for (const subject of subjects) {
    const mine = rows.filter((r) => r.subject === subject);
    assert.deepEqual(
      mine.map((r) => r.version),
      mine.map((_, i) => i + 1),
      `dense versions for ${subject}`,
    );
    assert.equal(new Set(mine.map((r) => r.id)).size, mine.length, `no content twice in ${subject}`);
    for (const a of acknowledged.filter((x) => x.subject === subject)) {
      assert.ok(
        mine.some((r) => r.id === a.id),
        `acknowledged ${subject} → id ${a.id} is stored`,
      );
    }
  }
  // Every acknowledged write reads back through every surviving instance.
  for (const server of started.slice(0, 2)) {
    for (const a of acknowledged) {
      const res = await call(server.url, 'GET', `/schemas/ids/${a.id}`);
      assert.equal(res.status, 200, `${server.url} id ${a.id}`);
      assert.equal(JSON.parse((res.body as { schema: string }).schema).fields[1].name, `f${a.content}`);
    }
    for (const subject of subjects) {
      const versions = await call(server.url, 'GET', `/subjects/${subject}/versions`);
      assert.deepEqual(
        versions.body,
        rows.filter((r) => r.subject === subject).map((r) => r.version),
      );
    }
  }
});

test('what crosses instances: new ids at once, latest and config through the feed, long-poll wake-ups', async () => {
  const url = await freshPgDatabase();
  const [a, b] = await Promise.all(
    [0, 1].map(() => startServerProcess({ DATABASE_URL: url, LOG_LEVEL: 'info' })),
  );
  servers.push(a!, b!);
  const A = a!.url;
  const B = b!.url;
  assert.equal((await call(A, 'PUT', '/config', { compatibility: 'NONE' })).status, 200);
  const first = await call(A, 'POST', '/subjects/x/versions', { schema: schemaNumber(1) });
  const id = (first.body as { id: number }).id;
  // B asks for the next id before it exists: that answer must not be remembered.
  assert.equal((await call(B, 'GET', `/schemas/ids/${id + 1}`)).status, 404);
  const second = await call(A, 'POST', '/subjects/y/versions', { schema: schemaNumber(2) });
  assert.equal((second.body as { id: number }).id, id + 1);
  assert.equal((await call(B, 'GET', `/schemas/ids/${id + 1}`)).status, 200, 'resolves on B at once');

  // latest and config are cached on B; A's change reaches it through the feed.
  assert.equal(
    ((await call(B, 'GET', '/subjects/x/versions/latest')).body as { version: number }).version,
    1,
  );
  await call(A, 'POST', '/subjects/x/versions', { schema: schemaNumber(3) });
  await eventually(
    async () =>
      ((await call(B, 'GET', '/subjects/x/versions/latest')).body as { version: number }).version === 2,
    "A's new version on B",
  );
  assert.equal(
    (await call(B, 'GET', '/config/x?defaultToGlobal=true')).text,
    '{"compatibilityLevel":"NONE"}',
  );
  await call(A, 'PUT', '/config/x', { compatibility: 'FULL' });
  await eventually(
    async () => (await call(B, 'GET', '/config/x')).text === '{"compatibilityLevel":"FULL"}',
    "A's config on B",
  );

  // A long-poll parked on B returns when a registration through A moves the agreement.
  const agreement = await call(B, 'GET', '/negotiation/subjects/x/agreement');
  const epoch = (agreement.body as { epoch: number }).epoch;
  const parked = call(B, 'GET', `/negotiation/subjects/x/agreement?afterEpoch=${epoch}&waitSeconds=30`);
  await call(A, 'PUT', '/config/x', { compatibility: 'NONE' });
  await call(A, 'POST', '/subjects/x/versions', { schema: schemaNumber(4) });
  const woke = await parked;
  assert.equal(woke.status, 200);
  assert.equal((woke.body as { epoch: number; version: number }).epoch, epoch + 1);
  assert.equal((woke.body as { version: number }).version, 3);
});
