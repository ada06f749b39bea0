/**
 * `GET /users/me`: what the caller may do, as the access middleware itself would decide it, with and
 * without access control; and the web UI's page stays public when credentials are required.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import request from 'supertest';
import { generateToken, hashPassword } from '../../src/auth/credentials.js';
import { assertError, freshServer } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'access-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FAST = { N: 1024 };
const readerToken = generateToken();
const authFile = join(dir, 'credentials.json');
writeFileSync(
  authFile,
  JSON.stringify({
    users: [
      { name: 'root', role: 'admin', password: await hashPassword('root-pw', FAST) },
      {
        name: 'dev',
        role: 'write',
        password: await hashPassword('dev-pw', FAST),
        permissions: [{ prefix: 'secret-', access: 'none' }],
      },
      { name: 'viewer', role: 'read', tokens: [readerToken.hash] },
    ],
    defaultPermissions: [{ prefix: 'proximadb-', access: 'read' }],
  }),
);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('GET /users/me without access control', () => {
  test('no user, everything allowed', async () => {
    const server = await freshServer();
    try {
      const res = await request(server.app).get('/users/me?subject=a&subject=b%2Fc').expect(200);
      assert.deepEqual(res.body, {
        accessControl: false,
        user: null,
        role: null,
        global: { writeConfig: true, writeMode: true },
        subjects: ['a', 'b/c'].map((subject) => ({
          subject,
          read: true,
          register: true,
          delete: true,
          writeConfig: true,
          writeMode: true,
        })),
      });
    } finally {
      await server.close();
    }
  });
});

describe('GET /users/me with access control', async () => {
  const server = await freshServer({ authFile });
  after(() => server.close());
  const me = (auth: string, query = '') =>
    request(server.app).get(`/users/me${query}`).set('Authorization', auth);

  test('an admin may do everything', async () => {
    const res = await me(basic('root', 'root-pw'), '?subject=secret-x').expect(200);
    assert.deepEqual(
      [res.body.accessControl, res.body.user, res.body.role, res.body.global],
      [true, 'root', 'admin', { writeConfig: true, writeMode: true }],
    );
    assert.deepEqual(res.body.subjects[0], {
      subject: 'secret-x',
      read: true,
      register: true,
      delete: true,
      writeConfig: true,
      writeMode: true,
    });
  });

  test('a writer writes its subjects, not global settings nor modes, nothing where a rule says none', async () => {
    const res = await me(
      basic('dev', 'dev-pw'),
      '?subject=orders&subject=secret-x&subject=proximadb-core',
    ).expect(200);
    assert.deepEqual(res.body.global, { writeConfig: false, writeMode: false });
    const [orders, secret, core] = res.body.subjects;
    assert.deepEqual(orders, {
      subject: 'orders',
      read: true,
      register: true,
      delete: true,
      writeConfig: true,
      writeMode: false,
    });
    assert.deepEqual(secret, {
      subject: 'secret-x',
      read: false,
      register: false,
      delete: false,
      writeConfig: false,
      writeMode: false,
    });
    assert.deepEqual([core.read, core.register], [true, false]);
  });

  test('a reader (bearer token) reads, nothing else', async () => {
    const res = await me(`Bearer ${readerToken.token}`, '?subject=orders').expect(200);
    assert.deepEqual([res.body.user, res.body.role], ['viewer', 'read']);
    assert.deepEqual(res.body.subjects[0], {
      subject: 'orders',
      read: true,
      register: false,
      delete: false,
      writeConfig: false,
      writeMode: false,
    });
  });

  test('the answers are what the middleware enforces', async () => {
    const dev = basic('dev', 'dev-pw');
    await request(server.app)
      .put('/config/orders')
      .set('Authorization', dev)
      .send({ compatibility: 'FULL' })
      .expect(200);
    assertError(
      await request(server.app).put('/mode/orders').set('Authorization', dev).send({ mode: 'READONLY' }),
      403,
      403,
    );
    assertError(
      await request(server.app).put('/config').set('Authorization', dev).send({ compatibility: 'FULL' }),
      403,
      403,
    );
  });

  test('without or with wrong credentials: 401 in the envelope', async () => {
    assertError(await request(server.app).get('/users/me'), 401, 401, 'Authentication required');
    assertError(await me(basic('dev', 'nope')), 401, 401, 'Invalid credentials');
  });

  test('more than 100 subjects in one request is 400', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `subject=s${i}`).join('&');
    assertError(await me(basic('root', 'root-pw'), `?${many}`), 400, 400, /At most 100/);
  });

  test('the web UI page is served without credentials; its data is not', async () => {
    const page = await request(server.app).get('/ui/').expect(200);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    assertError(await request(server.app).get('/catalog/subjects'), 401, 401);
  });
});
