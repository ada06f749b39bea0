/**
 * `GET /catalog/subjects`: the paged subject summary over HTTP (shape, effective settings and where
 * they come from, filters, paging, bad parameters in the error envelope).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import request from 'supertest';
import { assertError, freshServer, record, V1 } from './helpers.js';

const server = await freshServer();
after(() => server.close());
const app = server.app;

const register = (subject: string, schema: string) =>
  request(app)
    .post(`/subjects/${encodeURIComponent(subject)}/versions`)
    .send({ schema })
    .expect(200);

await register('orders-value', record('Order'));
await register('orders-value', record('Order', [{ name: 'b', type: 'string', default: '' }]));
await register('payments-value', record('Payment'));
await register('a/b', record('Slash'));
await register('old-value', record('Old'));
await request(app).delete('/subjects/old-value').expect(200);
await request(app).put('/config/payments-value').send({ compatibility: 'FULL' }).expect(200);
await request(app).put('/config').send({ compatibility: 'FORWARD' }).expect(200);
await request(app).put('/mode/orders-value').send({ mode: 'READONLY' }).expect(200);

describe('GET /catalog/subjects', () => {
  test('every live subject with counts, latest version and effective settings with their source', async () => {
    const res = await request(app).get('/catalog/subjects').expect(200);
    assert.equal(res.headers['content-type'], V1);
    assert.equal(res.body.total, 3);
    assert.equal(res.body.offset, 0);
    assert.equal(res.body.limit, 100);
    assert.deepEqual(
      res.body.subjects.map((s: { subject: string }) => s.subject),
      ['a/b', 'orders-value', 'payments-value'],
    );
    const orders = res.body.subjects[1];
    assert.deepEqual(orders, {
      subject: 'orders-value',
      versions: { live: 2, deleted: 0 },
      latest: { version: 2, id: 2, semver: '1.1.0', createdAt: orders.latest.createdAt },
      compatibilityLevel: 'FORWARD',
      compatibilitySource: 'global',
      mode: 'READONLY',
      modeSource: 'subject',
    });
    assert.equal(typeof orders.latest.createdAt, 'number');
    const payments = res.body.subjects[2];
    assert.deepEqual(
      [payments.compatibilityLevel, payments.compatibilitySource, payments.mode, payments.modeSource],
      ['FULL', 'subject', 'READWRITE', 'default'],
    );
  });

  test('soft-deleted subjects only with deleted=true, with a null latest', async () => {
    const res = await request(app).get('/catalog/subjects?deleted=true&prefix=old').expect(200);
    assert.deepEqual(res.body.subjects, [
      {
        subject: 'old-value',
        versions: { live: 0, deleted: 1 },
        latest: null,
        compatibilityLevel: 'FORWARD',
        compatibilitySource: 'global',
        mode: 'READWRITE',
        modeSource: 'default',
      },
    ]);
    assert.equal((await request(app).get('/catalog/subjects?prefix=old').expect(200)).body.total, 0);
  });

  test('contains, prefix, offset and limit', async () => {
    const contains = await request(app).get('/catalog/subjects?contains=VALUE&limit=1&offset=1').expect(200);
    assert.deepEqual([contains.body.total, contains.body.subjects[0].subject], [2, 'payments-value']);
    const prefix = await request(app)
      .get(`/catalog/subjects?prefix=${encodeURIComponent('a/')}`)
      .expect(200);
    assert.deepEqual(
      prefix.body.subjects.map((s: { subject: string }) => s.subject),
      ['a/b'],
    );
  });

  test('a global READONLY_OVERRIDE is the effective mode of every subject', async () => {
    await request(app).put('/mode').send({ mode: 'READONLY_OVERRIDE' }).expect(200);
    try {
      const res = await request(app).get('/catalog/subjects?prefix=orders').expect(200);
      assert.deepEqual(
        [res.body.subjects[0].mode, res.body.subjects[0].modeSource],
        ['READONLY_OVERRIDE', 'global'],
      );
    } finally {
      await request(app).put('/mode').send({ mode: 'READWRITE' }).expect(200);
    }
  });

  test('bad paging parameters are 400 in the envelope', async () => {
    assertError(
      await request(app).get('/catalog/subjects?limit=0'),
      400,
      400,
      /'limit' must be between 1 and 1000/,
    );
    assertError(await request(app).get('/catalog/subjects?limit=1001'), 400, 400, /'limit'/);
    assertError(
      await request(app).get('/catalog/subjects?offset=-1'),
      400,
      400,
      /'offset' must be 0 or more/,
    );
    assertError(
      await request(app).get('/catalog/subjects?offset=x'),
      400,
      400,
      /'offset' must be an integer/,
    );
    assertError(
      await request(app).get(`/catalog/subjects?contains=${'x'.repeat(1001)}`),
      400,
      400,
      /'contains' is longer than 1000/,
    );
    assertError(await request(app).post('/catalog/subjects'), 405, 405);
  });
});
