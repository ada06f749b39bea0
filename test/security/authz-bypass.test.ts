/**
 * The reproductions of issue #17's authorization bypass, verbatim: a read user `reader` and a write user
 * `writer`, both with `none` on `secret-`, changed the letter case of a path word and were served what
 * the canonical spelling refuses (an admin-only mode change that locks everyone out, IMPORT mode, the id
 * high-water mark, a delete and a read under `secret-`). Each is now a 404 (routes are case-sensitive,
 * as Confluent's), and nothing changed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { hashPassword } from '../../src/auth/credentials.js';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createRegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';

const dir = mkdtempSync(join(tmpdir(), 'bypass-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FAST = { N: 1024 };
const none = [{ prefix: 'secret-', access: 'none' }];
const authFile = join(dir, 'credentials.json');
writeFileSync(
  authFile,
  JSON.stringify({
    users: [
      { name: 'admin', role: 'admin', password: await hashPassword('pw', FAST) },
      { name: 'reader', role: 'read', password: await hashPassword('pw', FAST), permissions: none },
      { name: 'writer', role: 'write', password: await hashPassword('pw', FAST), permissions: none },
    ],
  }),
);
const server = checkResponses(
  await createRegistryServer(
    { ...DEFAULT_CONFIG, logLevel: 'silent', databasePath: ':memory:', authFile },
    { clock: new ManualClock() },
  ),
);
after(() => server.close());
const app = server.app;
const CT = 'application/json';
const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString('base64')}`;
const SCHEMA = JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'a', type: 'int' }] });

const seeded = await request(app)
  .post('/subjects/secret-x/versions')
  .set('Authorization', basic('admin'))
  .set('Content-Type', CT)
  .send({ schema: SCHEMA });
assert.equal(seeded.status, 200, seeded.text);

function assertNoSuchRoute(res: request.Response): void {
  assert.equal(res.status, 404, res.text);
  assert.deepEqual(res.body, { error_code: 404, message: 'HTTP 404 Not Found' });
}

async function state() {
  const as = (path: string) => request(app).get(path).set('Authorization', basic('admin'));
  return {
    mode: (await as('/mode')).body,
    victimMode: (await as('/mode/victim?defaultToGlobal=true')).body,
    admin: (await as('/admin/state')).body,
    versions: (await as('/subjects/secret-x/versions')).body,
  };
}
const before = await state();

describe('issue #17 reproductions: letter case no longer changes what a user may do', () => {
  it('curl -u reader:pw $R/SUBJECTS/secret-x/versions/1 (canonical: 403)', async () => {
    const canonical = await request(app)
      .get('/subjects/secret-x/versions/1')
      .set('Authorization', basic('reader'));
    assert.equal(canonical.status, 403);
    assertNoSuchRoute(
      await request(app).get('/SUBJECTS/secret-x/versions/1').set('Authorization', basic('reader')),
    );
  });

  it('curl -u writer:pw -X PUT $R/Mode -d {"mode":"READONLY"} (admin only)', async () => {
    const res = await request(app)
      .put('/Mode')
      .set('Authorization', basic('writer'))
      .set('Content-Type', CT)
      .send({ mode: 'READONLY' });
    assertNoSuchRoute(res);
    const canonical = await request(app)
      .put('/mode')
      .set('Authorization', basic('writer'))
      .set('Content-Type', CT)
      .send({ mode: 'READONLY' });
    assert.equal(canonical.status, 403);
  });

  it('curl -u writer:pw -X PUT $R/Mode/victim -d {"mode":"IMPORT"}', async () => {
    const res = await request(app)
      .put('/Mode/victim')
      .set('Authorization', basic('writer'))
      .set('Content-Type', CT)
      .send({ mode: 'IMPORT' });
    assertNoSuchRoute(res);
  });

  it('curl -u writer:pw -X PUT $R/ADMIN/max-schema-id -d {"maxSchemaId":2147483647}', async () => {
    const res = await request(app)
      .put('/ADMIN/max-schema-id')
      .set('Authorization', basic('writer'))
      .set('Content-Type', CT)
      .send({ maxSchemaId: 2147483647 });
    assertNoSuchRoute(res);
  });

  it('curl -u writer:pw -X DELETE $R/Subjects/secret-x', async () => {
    assertNoSuchRoute(await request(app).delete('/Subjects/secret-x').set('Authorization', basic('writer')));
  });

  it('nothing changed: modes, id high-water mark and the subject are as before', async () => {
    assert.deepEqual(await state(), before);
    assert.deepEqual(before.mode, { mode: 'READWRITE' });
    assert.deepEqual(before.versions, [1]);
  });
});
