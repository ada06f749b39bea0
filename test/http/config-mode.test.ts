/**
 * End-to-end `/config` and `/mode` with the real service on a fresh in-memory database: the
 * `compatibilityLevel`/`compatibility` asymmetry, 40408/40409 for unset subject levels, 40401 on
 * deleting what is not set, 42203/42204 for bad values and 42205 for what a mode forbids.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { assertError, freshServer, record } from './helpers.js';

const server = await freshServer({ defaultCompatibility: 'FORWARD' });
const api = () => request(server.app);

describe('/config', () => {
  it('GET /config answers the configured default as compatibilityLevel', async () => {
    const res = await api().get('/config');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { compatibilityLevel: 'FORWARD' });
  });

  it('PUT /config echoes {compatibility}; GET then reflects it', async () => {
    const res = await api().put('/config').send({ compatibility: 'full' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { compatibility: 'FULL' });
    assert.deepEqual((await api().get('/config')).body, { compatibilityLevel: 'FULL' });
  });

  it('422/42203 for an unknown level', async () => {
    assertError(
      await api().put('/config').send({ compatibility: 'SIDEWAYS' }),
      422,
      42203,
      'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
    );
    assertError(await api().put('/config/s').send({ compatibility: 'SIDEWAYS' }), 422, 42203);
  });

  it('GET /config/{s}: 404/40408 until set, unless defaultToGlobal=true', async () => {
    assertError(
      await api().get('/config/orders'),
      404,
      40408,
      "Subject 'orders' does not have subject-level compatibility configured",
    );
    assert.deepEqual((await api().get('/config/orders?defaultToGlobal=true')).body, {
      compatibilityLevel: 'FULL',
    });
  });

  it('PUT /config/{s} for a subject that does not exist yet; GET/DELETE it', async () => {
    assert.deepEqual((await api().put('/config/orders').send({ compatibility: 'NONE' })).body, {
      compatibility: 'NONE',
    });
    assert.deepEqual((await api().get('/config/orders')).body, { compatibilityLevel: 'NONE' });
    assert.deepEqual((await api().delete('/config/orders')).body, { compatibilityLevel: 'NONE' });
    assertError(await api().delete('/config/orders'), 404, 40401, "Subject 'orders' not found.");
    assertError(await api().get('/config/orders'), 404, 40408);
  });

  it('DELETE /config answers the old global level and restores the default', async () => {
    assert.deepEqual((await api().delete('/config')).body, { compatibilityLevel: 'FULL' });
    assert.deepEqual((await api().get('/config')).body, { compatibilityLevel: 'FORWARD' });
  });

  it('422 for a malformed config body', async () => {
    const res = await api().put('/config').send({ compatibility: 7 });
    assert.equal(res.status, 422);
    assert.deepEqual(Object.keys(res.body).sort(), ['error_code', 'message']);
  });
});

describe('/mode', () => {
  it('GET /mode answers READWRITE by default', async () => {
    assert.deepEqual((await api().get('/mode')).body, { mode: 'READWRITE' });
  });

  it('GET /mode/{s}: 404/40409 until set, unless defaultToGlobal=true', async () => {
    assertError(
      await api().get('/mode/orders'),
      404,
      40409,
      "Subject 'orders' does not have subject-level mode configured",
    );
    assert.deepEqual((await api().get('/mode/orders?defaultToGlobal=true')).body, { mode: 'READWRITE' });
  });

  it('422/42204 for an unknown mode', async () => {
    assertError(
      await api().put('/mode/orders').send({ mode: 'WRITEONLY' }),
      422,
      42204,
      'Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.',
    );
  });

  it('READONLY on a subject: new schemas 42205, re-registering the existing one still 200', async () => {
    const v1 = record('Order');
    const { id } = (await api().post('/subjects/orders/versions').send({ schema: v1 })).body;
    assert.deepEqual((await api().put('/mode/orders').send({ mode: 'readonly' })).body, { mode: 'READONLY' });
    assert.deepEqual((await api().get('/mode/orders')).body, { mode: 'READONLY' });
    assertError(
      await api()
        .post('/subjects/orders/versions')
        .send({ schema: record('Order', [{ name: 'b', type: 'int', default: 0 }]) }),
      422,
      42205,
      'Subject orders in context . is in read-only mode',
    );
    assert.deepEqual((await api().post('/subjects/orders/versions').send({ schema: v1 })).body, { id });
    assertError(await api().delete('/subjects/orders/versions/1'), 422, 42205);
    assertError(await api().put('/config/orders').send({ compatibility: 'NONE' }), 422, 42205);
  });

  it('DELETE /mode/{s} answers the old mode; again 40401', async () => {
    assert.deepEqual((await api().delete('/mode/orders')).body, { mode: 'READONLY' });
    assertError(await api().delete('/mode/orders'), 404, 40401);
  });

  it('IMPORT needs an empty registry unless force=true', async () => {
    assertError(
      await api().put('/mode').send({ mode: 'IMPORT' }),
      422,
      42205,
      'Cannot import since found existing subjects',
    );
    assert.deepEqual((await api().put('/mode?force=true').send({ mode: 'IMPORT' })).body, { mode: 'IMPORT' });
    assertError(
      await api()
        .post('/subjects/fresh/versions')
        .send({ schema: record('Fresh') }),
      422,
      42205,
      /is not in read-write mode/,
    );
    const imported = await api()
      .post('/subjects/fresh/versions')
      .send({ schema: record('Fresh'), id: 100, version: 1 });
    assert.deepEqual(imported.body, { id: 100 });
    assert.deepEqual((await api().delete('/mode')).body, { mode: 'IMPORT' });
    assert.deepEqual((await api().get('/mode')).body, { mode: 'READWRITE' });
  });
});
