/**
 * The fast path answers exactly what Express answers. Every request below is sent three times: to the
 * bare Express app (no fast path), then twice through `server.handler` (the first fills the read
 * cache through Express, the second is the one the fast path may answer). Status, Content-Type and
 * body must be identical; the fast path's own counters prove which requests it really served, so a
 * fast path that silently stopped serving fails here too. Also: access control is never bypassed,
 * and the requests it serves are logged and counted like the others.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { hashToken } from '../../src/auth/credentials.js';
import { ManualClock } from '../../src/clock.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { freshServer, MONEY_REFERENCE, MONEY_SCHEMA, ORDER_SCHEMA, record, V1 } from '../http/helpers.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

interface Case {
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Whether the fast path must answer the repeated request itself. */
  readonly served: boolean;
}

async function compare(server: RegistryServer, c: Case): Promise<void> {
  const send = (target: RegistryServer['handler']) => {
    const req = request(target).get(c.path);
    for (const [k, v] of Object.entries(c.headers ?? {})) req.set(k, v);
    return req;
  };
  const viaExpress = await send(server.app);
  await send(server.handler);
  const before = server.fastPath.stats.served;
  const viaHandler = await send(server.handler);
  const label = `${c.path} ${JSON.stringify(c.headers ?? {})}`;
  assert.equal(viaHandler.status, viaExpress.status, label);
  assert.equal(viaHandler.headers['content-type'], viaExpress.headers['content-type'], label);
  assert.equal(viaHandler.headers['content-length'], viaExpress.headers['content-length'], label);
  assert.equal(viaHandler.text, viaExpress.text, label);
  assert.match(String(viaHandler.headers['x-request-id']), /^[A-Za-z0-9._:-]+$/, label);
  assert.equal(server.fastPath.stats.served - before, c.served ? 1 : 0, `served: ${label}`);
}

async function seed(server: RegistryServer): Promise<void> {
  const api = request(server.app);
  const post = async (subject: string, body: object) => {
    const res = await api.post(`/subjects/${encodeURIComponent(subject)}/versions`).send(body);
    assert.equal(res.status, 200, res.text);
  };
  await post('vectors', { schema: record('Vector') }); // id 1, v1
  await post('vectors', { schema: record('Vector', [{ name: 'b', type: 'string', default: 'x' }]) }); // id 2
  await post('vectors', { schema: record('Vector', [{ name: 'c', type: 'long', default: 1 }]) }); // id 3
  await post('a/b', { schema: record('Slashed') }); // id 4
  await post('money', { schema: MONEY_SCHEMA }); // id 5
  await post('order', {
    schema: ORDER_SCHEMA,
    references: [MONEY_REFERENCE],
  }); // id 6
  await post('gone', { schema: record('Gone') }); // id 7
  await post('tail', { schema: record('Tail') }); // id 8, v1
  await post('tail', { schema: record('Tail', [{ name: 't', type: 'int', default: 0 }]) }); // id 9, v2
  assert.equal((await api.delete('/subjects/tail/versions/2')).status, 200); // newest is soft-deleted
  // vectors v2 soft-deleted; gone v1 hard-deleted, so id 7 no longer resolves.
  assert.equal((await api.delete('/subjects/vectors/versions/2')).status, 200);
  assert.equal((await api.delete('/subjects/gone/versions/1')).status, 200);
  assert.equal((await api.delete('/subjects/gone/versions/1?permanent=true')).status, 200);
}

describe('fast path answers exactly what Express answers', async () => {
  const server = await freshServer();

  it('schemas by id', async () => {
    await seed(server);
    const cases: Case[] = [
      { path: '/schemas/ids/1', served: true },
      { path: '/schemas/ids/1/', served: true },
      { path: '/schemas/ids/0001', served: true },
      { path: '/schemas/ids/2', served: true }, // soft-deleted everywhere: still resolves
      { path: '/schemas/ids/6', served: true }, // with references
      { path: '/schemas/ids/6?format=resolved', served: false }, // inlines Money: Express renders it
      { path: '/schemas/ids/6?format=%20Resolved', served: false },
      { path: '/schemas/ids/1?fetchMaxId=true', served: true },
      { path: '/schemas/ids/1?fetchMaxId=TRUE&subject=vectors', served: true },
      { path: '/schemas/ids/1?fetchMaxId=false&subject=', served: true },
      { path: '/schemas/ids/1?fetchMaxId=yes', served: true },
      { path: '/schemas/ids/1?fetchMaxId=true&fetchMaxId=false', served: true },
      { path: '/schemas/ids/1?subject=other&format=resolved&whatever=1', served: true },
      { path: '/schemas/ids/1', headers: { accept: 'application/json' }, served: true },
      { path: '/schemas/ids/1', headers: { accept: 'application/vnd.schemaregistry+json' }, served: true },
      { path: '/schemas/ids/1', headers: { accept: '*/*' }, served: true },
      {
        path: '/schemas/ids/1',
        headers: { accept: 'application/json;q=0.9, application/vnd.schemaregistry.v1+json;q=0.1' },
        served: true,
      },
      { path: '/schemas/ids/1', headers: { accept: 'text/html' }, served: false }, // 406
      { path: '/schemas/ids/7', served: false }, // hard-deleted: 404
      { path: '/schemas/ids/999', served: false },
      { path: '/schemas/ids/abc', served: false },
      { path: '/schemas/ids/-1', served: false },
      { path: '/schemas/ids/2147483648', served: false },
      { path: '/schemas/ids/+1', served: false },
      { path: '/SCHEMAS/IDS/1', served: false },
      { path: '/schemas/ids/1/schema', served: false },
      { path: '/schemas/ids/1/versions', served: false },
    ];
    for (const c of cases) await compare(server, c);
  });

  it('subject versions', async () => {
    const cases: Case[] = [
      { path: '/subjects/vectors/versions/1', served: true },
      { path: '/subjects/vectors/versions/3', served: true },
      { path: '/subjects/vectors/versions/latest', served: true },
      { path: '/subjects/vectors/versions/latest/', served: true },
      { path: '/subjects/vectors/versions/2?deleted=true', served: true },
      { path: '/subjects/vectors/versions/latest?deleted=true&format=x', served: true },
      { path: '/subjects/a%2Fb/versions/1', served: true },
      { path: '/subjects/order/versions/1', served: true },
      { path: '/subjects/order/versions/1?format=resolved', served: false },
      // `latest` is the newest LIVE version even with deleted=true: v1 here, not the soft-deleted v2.
      { path: '/subjects/tail/versions/latest?deleted=true', served: true },
      { path: '/subjects/tail/versions/2?deleted=true', served: true },
      { path: '/subjects/vectors/versions/1', headers: { accept: 'application/json' }, served: true },
      { path: '/subjects/vectors/versions/2', served: false }, // soft-deleted: 40402
      { path: '/subjects/vectors/versions/4', served: false },
      { path: '/subjects/vectors/versions/-1', served: true }, // -1 is latest
      { path: '/subjects/vectors/versions/LATEST', served: false },
      { path: '/subjects/vectors/versions/0', served: false },
      { path: '/subjects/vectors/versions/x', served: false },
      { path: '/subjects/vectors/versions/2147483648', served: false },
      { path: '/subjects/gone/versions/latest', served: false }, // 40401
      { path: '/subjects/nobody/versions/1', served: false },
      { path: '/subjects/%E0%A4%A/versions/1', served: false }, // undecodable: 400
      { path: '/subjects/vectors/versions/1/schema', served: false },
      { path: '/subjects/vectors/versions', served: false },
    ];
    for (const c of cases) await compare(server, c);
  });

  it('leaves other methods, bodies and an echoed request id to the usual path', async () => {
    const head = await request(server.handler).head('/schemas/ids/1');
    assert.equal(head.status, 200);
    const before = server.fastPath.stats.served;
    const withBody = await request(server.handler)
      .get('/schemas/ids/1')
      .set('content-type', 'text/plain')
      .send('x');
    assert.equal(withBody.status, 415);
    assert.equal(server.fastPath.stats.served, before);
    const echoed = await request(server.handler).get('/schemas/ids/1').set('x-request-id', 'trace-42');
    assert.equal(echoed.headers['x-request-id'], 'trace-42');
    assert.equal(server.fastPath.stats.served, before + 1);
  });

  it('counts and logs what it serves like the middleware does', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const logged = checkResponses(
      await createRegistryServer(await testConfig({ logLevel: 'info' }), {
        clock: new ManualClock(),
        logger: pino({ level: 'info' }, sink),
      }),
    );
    await request(logged.app)
      .post('/subjects/s/versions')
      .send({ schema: record('Logged') });
    await request(logged.handler).get('/schemas/ids/1');
    await request(logged.handler).get('/schemas/ids/1').set('x-request-id', 'fast-1');
    assert.equal(logged.fastPath.stats.served, 1);
    const line = lines.find((l) => l.reqId === 'fast-1');
    assert.ok(line, 'the served request is logged');
    assert.equal(line.route, '/schemas/ids/:id');
    assert.equal(line.status, 200);
    assert.equal(line.path, '/schemas/ids/1');
    const metrics = (await request(logged.handler).get('/metrics')).text;
    assert.match(metrics, /http_requests_total\{method="GET",route="\/schemas\/ids\/:id",status="200"\} 2\b/);
    logged.close();
  });
});

describe('with access control the fast path checks credentials first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fast-auth-'));
  const authFile = join(dir, 'auth.json');
  writeFileSync(
    authFile,
    JSON.stringify({
      users: [
        { name: 'reader', role: 'read', tokens: [hashToken('reader-token')] },
        {
          name: 'limited',
          role: 'read',
          tokens: [hashToken('limited-token')],
          permissions: [{ prefix: 'secret', access: 'none' }],
        },
        { name: 'admin', role: 'admin', tokens: [hashToken('admin-token')] },
      ],
    }),
  );
  const server = await freshServer({ authFile });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses what auth refuses, even once the answer is cached', async () => {
    assert.notEqual(server.handler, server.app, 'the fast path runs in front of Express');
    const api = request(server.handler);
    const post = await api
      .post('/subjects/secret-things/versions')
      .set(bearer('admin-token'))
      .send({ schema: record('Secret') });
    assert.equal(post.status, 200, post.text);
    for (const path of ['/schemas/ids/1', '/subjects/secret-things/versions/1']) {
      // Filled and served for an allowed caller (a cache may be dropped at any moment, e.g. by a change
      // notice on PostgreSQL: the next request fills it again)...
      let servedHere = false;
      for (let attempt = 0; attempt < 5 && !servedHere; attempt++) {
        const before = server.fastPath.stats.served;
        const ok = await api.get(path).set(bearer('reader-token'));
        assert.equal(ok.status, 200);
        assert.equal(ok.headers['content-type'], V1);
        servedHere = server.fastPath.stats.served === before + 1;
      }
      assert.ok(servedHere, `${path} is answered by the fast path once cached`);
      // ...and still refused to everyone else, by the fast path itself.
      const refused = server.fastPath.stats.refused;
      assert.equal((await api.get(path)).status, 401, path);
      assert.equal((await api.get(path).set(bearer('wrong'))).status, 401, path);
      assert.equal(server.fastPath.stats.refused, refused + 2, path);
    }
    assert.equal(
      (await api.get('/subjects/secret-things/versions/1').set(bearer('limited-token'))).status,
      403,
    );
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
