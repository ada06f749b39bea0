/**
 * Access control end to end: every role, the subject-prefix rules, each failure mode (401 with a
 * challenge, 403, malformed headers, wrong and unknown credentials), public health endpoints, and no
 * secret in anything logged (the request log and start-up messages are captured).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { CredentialsError, generateToken, hashPassword } from '../../src/auth/credentials.js';
import { DEFAULT_CONFIG, type RegistryConfig } from '../../src/config.js';
import { createRegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

const dir = mkdtempSync(join(tmpdir(), 'auth-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORDS = { admin: 'admin-Pa55!', writer: 'writer-Pa55!', deploy: 'deploy-Pa55!' };
const readerToken = generateToken();
const FAST = { N: 1024 };
const authFile = join(dir, 'credentials.json');
writeFileSync(
  authFile,
  JSON.stringify({
    users: [
      { name: 'admin', role: 'admin', password: await hashPassword(PASSWORDS.admin, FAST) },
      {
        name: 'writer',
        role: 'write',
        password: await hashPassword(PASSWORDS.writer, FAST),
        permissions: [{ prefix: 'secret-', access: 'none' }],
      },
      { name: 'reader', role: 'read', tokens: [readerToken.hash] },
      {
        name: 'deploy',
        role: 'read',
        password: await hashPassword(PASSWORDS.deploy, FAST),
        permissions: [{ prefix: 'proximadb-*', access: 'write' }],
      },
    ],
    defaultPermissions: [{ prefix: 'proximadb-', access: 'read' }],
  }),
);

const logged: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logged.push(chunk.toString('utf8'));
    done();
  },
});
// Every request comes from 127.0.0.1: failed-login throttling is tested on its own (login-throttle.test.ts).
const config: RegistryConfig = await testConfig({
  host: '0.0.0.0',
  logLevel: 'info',
  authFile,
  loginFailureLimit: 0,
});
const server = checkResponses(await createRegistryServer(config, { logger: pino({ level: 'trace' }, sink) }));
after(() => server.close());
const app = server.app;
const CT = 'application/vnd.schemaregistry.v1+json';
const SCHEMA = JSON.stringify({ schema: '"string"' });

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const as = {
  admin: basic('admin', PASSWORDS.admin),
  writer: basic('writer', PASSWORDS.writer),
  deploy: basic('deploy', PASSWORDS.deploy),
  reader: `Bearer ${readerToken.token}`,
};

function registerAs(auth: string, subject: string) {
  return request(app)
    .post(`/subjects/${subject}/versions`)
    .set('Authorization', auth)
    .set('Content-Type', CT)
    .send(SCHEMA);
}

function assertRefused(res: request.Response, status: 401 | 403) {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(res.body, { error_code: status, message: res.body.message });
  if (status === 401) {
    const challenge = String(res.headers['www-authenticate']);
    assert.match(challenge, /Basic realm="proximadb-registry"/);
    assert.match(challenge, /Bearer/);
  }
}

describe('authentication failures', () => {
  it('no credentials: 401 with a Basic and Bearer challenge, in the envelope', async () => {
    assertRefused(await request(app).get('/subjects'), 401);
    assertRefused(await request(app).post('/subjects/x/versions').set('Content-Type', CT).send(SCHEMA), 401);
    assertRefused(await request(app).get('/metrics'), 401);
  });

  it('health endpoints stay public', async () => {
    assert.equal((await request(app).get('/health/live')).status, 200);
    assert.equal((await request(app).get('/health/ready')).status, 200);
  });

  it('wrong password, unknown user, bad token and malformed headers: 401', async () => {
    for (const header of [
      basic('admin', 'wrong'),
      basic('admin', ''),
      basic('nobody', PASSWORDS.admin),
      basic('reader', ''),
      `Bearer ${readerToken.token}x`,
      'Bearer ',
      'Bearer',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Digest username="admin"',
      'admin:admin',
    ]) {
      assertRefused(await request(app).get('/subjects').set('Authorization', header), 401);
    }
  });
});

describe('roles and prefix rules', () => {
  it('read: reads, lookups and compatibility checks; no writes', async () => {
    assert.equal((await request(app).get('/subjects').set('Authorization', as.reader)).status, 200);
    assert.equal((await request(app).get('/metrics').set('Authorization', as.reader)).status, 200);
    assertRefused(await registerAs(as.reader, 'orders'), 403);
    const lookup = await request(app)
      .post('/subjects/orders')
      .set('Authorization', as.reader)
      .set('Content-Type', CT)
      .send(SCHEMA);
    assert.notEqual(lookup.status, 403);
    const compat = await request(app)
      .post('/compatibility/subjects/orders/versions/latest')
      .set('Authorization', as.reader)
      .set('Content-Type', CT)
      .send(SCHEMA);
    assert.equal(compat.status, 200);
    assertRefused(await request(app).delete('/subjects/orders').set('Authorization', as.reader), 403);
    assertRefused(
      await request(app)
        .put('/config/orders')
        .set('Authorization', as.reader)
        .set('Content-Type', CT)
        .send('{"compatibility":"NONE"}'),
      403,
    );
  });

  it('write: registers and sets subject config; global config and modes need admin', async () => {
    assert.equal((await registerAs(as.writer, 'orders')).status, 200);
    const cfg = await request(app)
      .put('/config/orders')
      .set('Authorization', as.writer)
      .set('Content-Type', CT)
      .send('{"compatibility":"FULL"}');
    assert.equal(cfg.status, 200, cfg.text);
    for (const [method, path, body] of [
      ['put', '/config', '{"compatibility":"NONE"}'],
      ['delete', '/config', undefined],
      ['put', '/mode', '{"mode":"READONLY"}'],
      ['put', '/mode/orders', '{"mode":"IMPORT"}'],
      ['delete', '/mode/orders', undefined],
    ] as const) {
      const req = request(app)[method](path).set('Authorization', as.writer).set('Content-Type', CT);
      const res = body === undefined ? await req : await req.send(body);
      assertRefused(res, 403);
      assert.match(res.body.message, /admin/);
    }
  });

  it('the default rule makes proximadb- read-only for everyone but the deploy identity', async () => {
    assertRefused(await registerAs(as.writer, 'proximadb-wal'), 403);
    assert.equal((await registerAs(as.deploy, 'proximadb-wal')).status, 200);
    assert.equal(
      (await request(app).get('/subjects/proximadb-wal/versions').set('Authorization', as.writer)).status,
      200,
    );
    assert.equal(
      (await request(app).get('/subjects/proximadb-wal/versions').set('Authorization', as.reader)).status,
      200,
    );
    // The deploy identity's write grant stops at its prefix.
    assertRefused(await registerAs(as.deploy, 'orders-v2'), 403);
    assertRefused(await request(app).delete('/subjects/proximadb-wal').set('Authorization', as.writer), 403);
  });

  it('a none rule hides a prefix even from reads', async () => {
    assert.equal((await registerAs(as.admin, 'secret-keys')).status, 200);
    assertRefused(
      await request(app).get('/subjects/secret-keys/versions').set('Authorization', as.writer),
      403,
    );
    assertRefused(await registerAs(as.writer, 'secret-keys'), 403);
  });

  it('admin: global config and modes, and any subject', async () => {
    const put = (path: string, body: string) =>
      request(app).put(path).set('Authorization', as.admin).set('Content-Type', CT).send(body);
    assert.equal((await put('/config', '{"compatibility":"NONE"}')).status, 200);
    assert.equal((await put('/mode/orders', '{"mode":"READONLY"}')).status, 200);
    assert.equal((await put('/mode/orders', '{"mode":"READWRITE"}')).status, 200);
    assert.equal((await registerAs(as.admin, 'proximadb-sdk')).status, 200);
  });

  it('a subject path with an undecodable escape is still authenticated first', async () => {
    assertRefused(
      await request(app).post('/subjects/%E0%A4%A/versions').set('Content-Type', CT).send(SCHEMA),
      401,
    );
    // Authenticated, the router cannot decode the subject, so no route (and no guard) runs: 400.
    const res = await registerAs(as.reader, '%E0%A4%A');
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(res.body, { error_code: 400, message: 'HTTP 400 Bad Request: malformed request URL' });
  });
});

describe('secrets stay out of logs and errors', () => {
  it('no password, token or Authorization value appears in any log line', async () => {
    const all = logged.join('');
    assert.match(all, /"user":"writer"/, 'requests are logged with the user name');
    const secrets = [
      ...Object.values(PASSWORDS),
      readerToken.token,
      ...Object.values(as).map((h) => h.split(' ')[1] ?? h),
      'wrong',
    ];
    for (const secret of secrets) assert.ok(!all.includes(secret), `a secret leaked into the logs`);
    assert.ok(!/authorization/i.test(all), 'no Authorization header in the logs');
  });

  it('the exposure warning is logged only when listening beyond loopback without auth', async () => {
    assert.ok(!logged.join('').includes('without access control'));
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const open = checkResponses(
      await createRegistryServer(await testConfig({ host: '0.0.0.0', logLevel: 'info' }), {
        logger: pino({ level: 'info' }, capture),
      }),
    );
    open.close();
    assert.match(lines.join(''), /without access control: set AUTH_FILE/);
  });

  it('a broken credentials file stops start-up with a message that names the place, not the secret', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ users: [{ name: 'x', role: 'write', password: 'hunter2-plaintext' }] }),
    );
    await assert.rejects(
      () => createRegistryServer({ ...DEFAULT_CONFIG, databasePath: ':memory:', authFile: bad }),
      (e: unknown) =>
        e instanceof CredentialsError &&
        /users\[0\]\.password/.test(e.message) &&
        !e.message.includes('hunter2'),
    );
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{"users": [ "hunter2" ');
    await assert.rejects(
      () => createRegistryServer({ ...DEFAULT_CONFIG, databasePath: ':memory:', authFile: notJson }),
      (e: unknown) => e instanceof CredentialsError && !e.message.includes('hunter2'),
    );
    await assert.rejects(
      () =>
        createRegistryServer({
          ...DEFAULT_CONFIG,
          databasePath: ':memory:',
          authFile: join(dir, 'missing.json'),
        }),
      /cannot read AUTH_FILE/,
    );
  });
});
