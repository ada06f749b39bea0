/**
 * The read caches never serve a stale answer when another connection (another server process) writes
 * the same database file. Two registry servers share one temporary file, each with its own SQLite
 * connection, read cache and fast path, exactly as two processes would; process A first reads (and
 * caches: the fast path counters prove it served the repeat from memory), process B writes, and A's
 * next read must show B's write. The last test does the same with two real server processes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { record } from '../http/helpers.js';
import { call, startServerProcess, stopServerProcess } from '../reliability/process-harness.js';
import { checkResponses } from '../support/openapi-responses.js';

const dir = mkdtempSync(join(tmpdir(), 'coherence-'));
const databasePath = join(dir, 'registry.db');
const open = async (): Promise<RegistryServer> =>
  checkResponses(
    await createRegistryServer(
      { ...DEFAULT_CONFIG, logLevel: 'silent', databasePath },
      { clock: new ManualClock(1_700_000_000_000) },
    ),
  );
const A = await open();
const B = await open();
after(async () => {
  await A.close();
  await B.close();
  rmSync(dir, { recursive: true, force: true });
});

const a = () => request(A.handler);
const b = () => request(B.handler);
const json = 'application/vnd.schemaregistry.v1+json';

/** GETs twice on A and checks that the second one came from the fast path (so it really was cached). */
async function cachedOnA(path: string): Promise<request.Response> {
  await a().get(path);
  const before = A.fastPath.stats.served;
  const res = await a().get(path);
  assert.equal(A.fastPath.stats.served, before + 1, `A serves ${path} from memory`);
  return res;
}

async function register(api: request.Agent | ReturnType<typeof request>, subject: string, schema: string) {
  const res = await api.post(`/subjects/${subject}/versions`).set('content-type', json).send({ schema });
  assert.equal(res.status, 200, res.text);
  return res.body.id as number;
}

describe('two servers on one database file', () => {
  it('an id hard-deleted by B stops resolving on A; re-registered, it resolves again', async () => {
    const id = await register(b(), 'orders', record('Order'));
    assert.equal((await cachedOnA(`/schemas/ids/${id}`)).status, 200);
    assert.equal((await b().delete('/subjects/orders/versions/1')).status, 200);
    // Soft-deleted: ids still resolve (consumers decode old records).
    assert.equal((await a().get(`/schemas/ids/${id}`)).status, 200);
    assert.equal((await b().delete('/subjects/orders/versions/1?permanent=true')).status, 200);
    const gone = await a().get(`/schemas/ids/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error_code, 40403);
    assert.equal(await register(b(), 'orders', record('Order')), id, 'same content, same id');
    assert.equal((await a().get(`/schemas/ids/${id}`)).status, 200);
  });

  it('versions/latest and fetchMaxId follow B registrations', async () => {
    const first = await register(b(), 'events', record('Event'));
    const latest = await cachedOnA('/subjects/events/versions/latest');
    assert.equal(latest.body.id, first);
    assert.equal((await cachedOnA(`/schemas/ids/${first}?fetchMaxId=true`)).body.maxId, first);
    const second = await register(b(), 'events', record('Event', [{ name: 'b', type: 'int', default: 0 }]));
    const now = await a().get('/subjects/events/versions/latest');
    assert.equal(now.body.version, 2);
    assert.equal(now.body.id, second);
    assert.equal((await a().get(`/schemas/ids/${first}?fetchMaxId=true`)).body.maxId, second);
    assert.deepEqual((await a().get('/subjects/events/versions')).body, [1, 2]);
  });

  it('a version number reused after a hard delete shows the new content on A', async () => {
    await register(b(), 'reuse', record('Reuse'));
    const old = await register(b(), 'reuse', record('Reuse', [{ name: 'x', type: 'int', default: 1 }]));
    assert.equal((await cachedOnA('/subjects/reuse/versions/2')).body.id, old);
    assert.equal((await b().delete('/subjects/reuse/versions/2')).status, 200);
    assert.equal((await a().get('/subjects/reuse/versions/2')).status, 404);
    assert.equal((await a().get('/subjects/reuse/versions/latest')).body.version, 1);
    assert.equal((await b().delete('/subjects/reuse/versions/2?permanent=true')).status, 200);
    const fresh = await register(b(), 'reuse', record('Reuse', [{ name: 'y', type: 'int', default: 2 }]));
    const now = await a().get('/subjects/reuse/versions/2');
    assert.equal(now.body.version, 2);
    assert.equal(now.body.id, fresh);
    assert.notEqual(fresh, old);
  });

  it('lookups follow B soft deletes', async () => {
    const schema = record('Looked');
    const id = await register(b(), 'lookup', schema);
    const ask = () => a().post('/subjects/lookup').set('content-type', json).send({ schema });
    assert.equal((await ask()).body.id, id);
    assert.equal((await ask()).body.id, id);
    assert.equal((await b().delete('/subjects/lookup/versions/1')).status, 200);
    const after = await ask();
    assert.equal(after.status, 404);
    assert.equal(after.body.error_code, 40401);
    const withDeleted = await a()
      .post('/subjects/lookup?deleted=true')
      .set('content-type', json)
      .send({ schema });
    assert.equal(withDeleted.body.id, id);
  });

  it('config and mode changes made by B apply on A at once', async () => {
    await register(b(), 'cfg', record('Cfg'));
    const breaking = JSON.stringify({
      type: 'record',
      name: 'Cfg',
      namespace: 'ai.proximadb.test',
      fields: [],
    });
    const breakingWithField = record('Cfg', [{ name: 'z', type: 'string' }]);
    // BACKWARD (default): a new field without default is refused on A.
    assert.equal((await a().get('/config/cfg?defaultToGlobal=true')).body.compatibilityLevel, 'BACKWARD');
    const refused = await a()
      .post('/subjects/cfg/versions')
      .set('content-type', json)
      .send({ schema: breakingWithField });
    assert.equal(refused.status, 409);
    assert.equal(
      (await b().put('/config/cfg').set('content-type', json).send({ compatibility: 'NONE' })).status,
      200,
    );
    assert.equal((await a().get('/config/cfg')).body.compatibilityLevel, 'NONE');
    assert.equal(
      (await a().post('/subjects/cfg/versions').set('content-type', json).send({ schema: breakingWithField }))
        .status,
      200,
    );
    assert.equal(
      (await b().put('/mode/cfg').set('content-type', json).send({ mode: 'READONLY' })).status,
      200,
    );
    assert.equal((await a().get('/mode/cfg')).body.mode, 'READONLY');
    const readOnly = await a()
      .post('/subjects/cfg/versions')
      .set('content-type', json)
      .send({ schema: breaking });
    assert.equal(readOnly.status, 422);
    assert.equal(readOnly.body.error_code, 42205);
  });

  it('A sees its own writes (the token counts this connection too)', async () => {
    const id = await register(a(), 'own', record('Own'));
    assert.equal((await cachedOnA('/subjects/own/versions/latest')).body.id, id);
    assert.equal((await a().delete('/subjects/own/versions/1')).status, 200);
    assert.equal((await a().get('/subjects/own/versions/latest')).status, 404);
    assert.deepEqual((await a().get('/subjects/own/versions?deleted=true')).body, [1]);
    assert.ok(!(await a().get('/subjects')).body.includes('own'));
  });

  it('the cache really is used while nothing changes', async () => {
    const id = await register(b(), 'steady', record('Steady'));
    await a().get(`/schemas/ids/${id}`);
    const before = A.fastPath.stats.served;
    for (let i = 0; i < 20; i++) assert.equal((await a().get(`/schemas/ids/${id}`)).status, 200);
    assert.equal(A.fastPath.stats.served, before + 20);
  });
});

describe('two real server processes on one database file', () => {
  it('a hard delete and a new version on one are seen by the other immediately', async (t) => {
    const procDir = mkdtempSync(join(tmpdir(), 'coherence-proc-'));
    const path = join(procDir, 'registry.db');
    const [p1, p2] = await Promise.all([
      startServerProcess({ DATABASE_PATH: path }),
      startServerProcess({ DATABASE_PATH: path }),
    ]);
    t.after(async () => {
      await Promise.all([stopServerProcess(p1), stopServerProcess(p2)]);
      rmSync(procDir, { recursive: true, force: true });
    });
    const reg = await call(p1.url, 'POST', '/subjects/x/versions', { schema: record('X') });
    const id = (reg.body as { id: number }).id;
    for (let i = 0; i < 3; i++) {
      assert.equal((await call(p2.url, 'GET', `/schemas/ids/${id}`)).status, 200);
      assert.equal((await call(p2.url, 'GET', '/subjects/x/versions/latest')).status, 200);
    }
    const v2 = await call(p1.url, 'POST', '/subjects/x/versions', {
      schema: record('X', [{ name: 'n', type: 'int', default: 0 }]),
    });
    const latest = await call(p2.url, 'GET', '/subjects/x/versions/latest');
    assert.equal((latest.body as { id: number }).id, (v2.body as { id: number }).id);
    assert.equal((await call(p1.url, 'DELETE', '/subjects/x?permanent=false')).status, 200);
    assert.equal((await call(p1.url, 'DELETE', '/subjects/x?permanent=true')).status, 200);
    const gone = await call(p2.url, 'GET', `/schemas/ids/${id}`);
    assert.equal(gone.status, 404);
    assert.equal((await call(p2.url, 'GET', '/subjects/x/versions/latest')).status, 404);
  });
});
