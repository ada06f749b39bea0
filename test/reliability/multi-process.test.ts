/**
 * Several server processes on ONE database file, hundreds of concurrent overlapping registrations
 * spread across them (the same schema under the same subject sent to different processes at once, the
 * same schema under several subjects), then an audit: no 5xx (a busy database is retried, not
 * surfaced), no duplicate version, no version gap, exactly one id per schema, ids without gaps, and
 * every answer the processes gave agrees with what is stored. Also WORKERS=N (node:cluster).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../support/prng.js';
import {
  call,
  pool,
  type ServerProcess,
  schemaNumber,
  startServerProcess,
  stopServerProcess,
  waitForLines,
} from './process-harness.js';

const SEED = Number(process.env.MULTI_SEED ?? 4242);

test(`three processes on one file: overlapping concurrent registrations stay consistent (seed ${SEED})`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'multi-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'registry.db');
  const servers: ServerProcess[] = [];
  t.after(async () => {
    await Promise.all(servers.map((s) => stopServerProcess(s, 'SIGKILL')));
  });
  // Started together: migrations race too, and must apply exactly once.
  servers.push(...(await Promise.all([0, 1, 2].map(() => startServerProcess({ DATABASE_PATH: dbPath })))));
  assert.equal((await call(servers[0]!.url, 'PUT', '/config', { compatibility: 'NONE' })).status, 200);

  const random = seededRandom(SEED);
  const subjects = ['mp-a', 'mp-b', 'mp-c', 'mp-d'];
  const schemas = Array.from({ length: 40 }, (_, i) => schemaNumber(i));
  // Every (subject, schema) pair is sent twice or three times, to random processes, in random order.
  const jobs: Array<{ subject: string; schema: string; server: string }> = [];
  for (const subject of subjects) {
    for (const schema of schemas.filter(() => random() < 0.7)) {
      const copies = 2 + Math.floor(random() * 2);
      for (let c = 0; c < copies; c++) {
        jobs.push({ subject, schema, server: servers[Math.floor(random() * servers.length)]!.url });
      }
    }
  }
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
  }
  assert.ok(jobs.length >= 200, `${jobs.length} registrations`);

  const answers = await pool(
    jobs.map((job) => async () => {
      const res = await call(job.server, 'POST', `/subjects/${job.subject}/versions`, { schema: job.schema });
      return {
        ...job,
        status: res.status,
        id: (res.body as { id?: number } | undefined)?.id,
        text: res.text,
      };
    }),
    24,
  );
  const serverErrors = () =>
    servers
      .flatMap((s) => s.lines)
      .filter((l) => /"level":(50|60)/.test(l))
      .slice(0, 3)
      .join('\n');
  for (const a of answers) {
    assert.equal(a.status, 200, `seed ${SEED}: ${a.subject} got ${a.status} ${a.text}\n${serverErrors()}`);
  }

  // One id per schema across every answer, subject and process.
  const idOf = new Map<string, number>();
  for (const a of answers) {
    const known = idOf.get(a.schema);
    if (known !== undefined) assert.equal(a.id, known, `seed ${SEED}: a schema got two ids`);
    idOf.set(a.schema, a.id!);
  }
  const ids = [...new Set(idOf.values())].sort((x, y) => x - y);
  assert.equal(ids.length, idOf.size, 'distinct schemas have distinct ids');
  assert.deepEqual(
    ids,
    ids.map((_, i) => i + 1),
    'ids have no gap',
  );

  // The stored state, read through a different process than the one that wrote most of it.
  const reader = servers[2]!.url;
  for (const subject of subjects) {
    const expected = new Set(answers.filter((a) => a.subject === subject).map((a) => a.schema));
    const versions = (await call(reader, 'GET', `/subjects/${subject}/versions`)).body as number[];
    assert.deepEqual(
      versions,
      Array.from({ length: expected.size }, (_, i) => i + 1),
      `seed ${SEED}: ${subject} has one version per distinct schema, no gap`,
    );
    const stored = new Set<string>();
    for (const v of versions) {
      const view = (await call(reader, 'GET', `/subjects/${subject}/versions/${v}`)).body as {
        id: number;
        schema: string;
      };
      assert.ok(!stored.has(view.schema), `seed ${SEED}: duplicate version of one schema in ${subject}`);
      stored.add(view.schema);
      assert.equal(view.id, idOf.get(view.schema), `seed ${SEED}: stored id matches the answered id`);
    }
    assert.equal(stored.size, expected.size);
  }
});

test('WORKERS=2 serves the API from two processes and stops cleanly on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'workers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startServerProcess({ DATABASE_PATH: join(dir, 'registry.db'), WORKERS: '2' });
  t.after(async () => {
    await stopServerProcess(server, 'SIGKILL');
  });
  await waitForLines(server, (l) => l.includes('"url":'), 2);
  const results = await pool(
    Array.from({ length: 60 }, (_, i) => async () => {
      const res = await call(
        server.url,
        'POST',
        '/subjects/workers/versions',
        { schema: schemaNumber(i % 20) },
        {
          Connection: 'close',
        },
      );
      return res.status;
    }),
    8,
  );
  assert.ok(
    results.every((s) => s === 200 || s === 409),
    `statuses: ${[...new Set(results)].join(',')}\n${server.lines.filter((l) => /"level":(50|60)/.test(l)).join('\n')}`,
  );
  const versions = (await call(server.url, 'GET', '/subjects/workers/versions')).body as number[];
  assert.deepEqual(
    versions,
    versions.map((_, i) => i + 1),
  );
  const pids = new Set(
    server.lines.filter((l) => l.includes('"reqId"')).map((l) => (JSON.parse(l) as { pid: number }).pid),
  );
  assert.ok(pids.size >= 2, `requests were served by ${pids.size} process(es)`);
  server.child.kill('SIGTERM');
  const { code } = await server.exited;
  assert.equal(code, 0, 'the primary exits 0 once every worker shut down');
});
