/**
 * Ids are Java ints (the Kafka wire format carries 4 bytes). Issue #17: once the high-water mark reached
 * 2^31-1 (raised by `PUT /admin/max-schema-id` or by an IMPORT with that id) the next registration
 * answered `{"id":2147483648}`, an id nothing could use or even read back. Now it is refused (422/42254)
 * and nothing is written; ids beyond the range are refused wherever a caller can state one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { assertError, freshServer, record, V1 } from '../http/helpers.js';

const LAST = 2 ** 31 - 1;

async function snapshot(app: Parameters<typeof request>[0]) {
  return {
    subjects: (await request(app).get('/subjects?deleted=true')).body,
    state: (await request(app).get('/admin/state')).body,
    schemas: (await request(app).get('/schemas?deleted=true')).body,
  };
}

describe('the id space ends at 2^31-1', () => {
  it('after PUT /admin/max-schema-id 2147483647 a new schema is refused and nothing is written', async () => {
    const server = await freshServer();
    const api = () => request(server.app);
    try {
      assert.equal(
        (
          await api()
            .post('/subjects/a/versions')
            .set('Content-Type', V1)
            .send({ schema: record('A') })
        ).status,
        200,
      );
      const raised = await api()
        .put('/admin/max-schema-id')
        .set('Content-Type', V1)
        .send({ maxSchemaId: LAST });
      assert.equal(raised.status, 200, raised.text);
      const before = await snapshot(server.app);
      const refused = await api()
        .post('/subjects/b/versions')
        .set('Content-Type', V1)
        .send({ schema: record('B') });
      assertError(refused, 422, 42254, /^No schema id is left: ids are integers in \[1, 2\^31-1\]/);
      assert.deepEqual(await snapshot(server.app), before);
      assertError(await api().get(`/schemas/ids/${LAST + 1}`), 404, 404);
      // Content registered before still registers under another subject, with its id.
      const again = await api()
        .post('/subjects/c/versions')
        .set('Content-Type', V1)
        .send({ schema: record('A') });
      assert.deepEqual(again.body, { id: 1 });
      // The mark itself cannot go past the range.
      const past = await api()
        .put('/admin/max-schema-id')
        .set('Content-Type', V1)
        .send({ maxSchemaId: LAST + 1 });
      assertError(past, 422, 422, /must be an id in \[0, 2\^31-1\]/);
    } finally {
      await server.close();
    }
  });

  it('after an IMPORT with id 2147483647 the next registration is refused; ids past it are not importable', async () => {
    const server = await freshServer();
    const api = () => request(server.app);
    try {
      assert.equal((await api().put('/mode').set('Content-Type', V1).send({ mode: 'IMPORT' })).status, 200);
      const beyond = await api()
        .post('/subjects/x/versions')
        .set('Content-Type', V1)
        .send({ schema: record('X'), id: LAST + 1, version: 1 });
      assertError(beyond, 422, 42201, /ids are integers in \[1, 2\^31-1\]/);
      const imported = await api()
        .post('/subjects/x/versions')
        .set('Content-Type', V1)
        .send({ schema: record('X'), id: LAST, version: 1 });
      assert.deepEqual(imported.body, { id: LAST });
      assert.equal(
        (await api().put('/mode').set('Content-Type', V1).send({ mode: 'READWRITE' })).status,
        200,
      );
      const before = await snapshot(server.app);
      const refused = await api()
        .post('/subjects/y/versions')
        .set('Content-Type', V1)
        .send({ schema: record('Y') });
      assertError(refused, 422, 42254);
      assert.deepEqual(await snapshot(server.app), before);
      assert.equal((await api().get(`/schemas/ids/${LAST}`)).status, 200);
    } finally {
      await server.close();
    }
  });
});
