/**
 * HTTP protocol behaviour independent of registry semantics: content types, Accept negotiation, the
 * error envelope of every framework layer, routing details (trailing slashes, `%2F`, unknown query
 * parameters, non-integer ids) and what the controllers pass to the service. Uses a recording fake
 * RegistryApi; the end-to-end suite (`endpoints.test.ts`) uses the real service.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import request from 'supertest';
import { DomainError } from '../../src/errors.js';
import { createApp } from '../../src/http/app.js';
import { exposeErrorExtras } from '../../src/http/errors.js';
import { guardedRouter } from '../../src/http/guarded-router.js';
import { READ } from '../../src/http/route-access.js';
import type { RegistryApi } from '../../src/registry/registry-api.js';

interface Call {
  method: string;
  args: unknown[];
}

const V1 = 'application/vnd.schemaregistry.v1+json';

/** Records every call; answers with plausible values so routes can render. */
function fakeRegistry(overrides: Partial<RegistryApi> = {}): { registry: RegistryApi; calls: Call[] } {
  const calls: Call[] = [];
  const record =
    <T>(method: string, result: T) =>
    async (...args: unknown[]): Promise<T> => {
      calls.push({ method, args });
      return result;
    };
  const base: RegistryApi = {
    schemaTypes: () => ['AVRO'],
    getSchemaById: record('getSchemaById', { schema: '"string"', schemaType: 'AVRO', references: [] }),
    getSchemaTextById: record('getSchemaTextById', '{"type":"record","name":"R","fields":[]}'),
    getSubjectsById: record('getSubjectsById', ['a']),
    getVersionsById: record('getVersionsById', [{ subject: 'a', version: 1 }]),
    listSchemas: record('listSchemas', []),
    listSubjects: record('listSubjects', ['a', 'b']),
    listVersions: record('listVersions', [1, 2]),
    register: record('register', { id: 7 }),
    getVersion: record('getVersion', {
      subject: 'a/b',
      version: 1,
      id: 7,
      schemaType: 'AVRO',
      schema: '"int"',
    }),
    getVersionDetail: record('getVersionDetail', undefined as never),
    getReferencedBy: record('getReferencedBy', [3]),
    lookup: record('lookup', { subject: 'a', version: 1, id: 7, schema: '"int"', references: [] }),
    deleteSubject: record('deleteSubject', [1, 2]),
    deleteVersion: record('deleteVersion', 2),
    testCompatibility: record('testCompatibility', { is_compatible: false, messages: ['m'] }),
    listSubjectSummaries: record('listSubjectSummaries', { total: 0, offset: 0, limit: 100, subjects: [] }),
    explainCompatibility: record('explainCompatibility', undefined as never),
    getConfig: record('getConfig', { compatibilityLevel: 'BACKWARD' }),
    setConfig: record('setConfig', { compatibility: 'FULL' }),
    deleteConfig: record('deleteConfig', { compatibilityLevel: 'FULL' }),
    getMode: record('getMode', { mode: 'READWRITE' }),
    setMode: record('setMode', { mode: 'READONLY' }),
    deleteMode: record('deleteMode', { mode: 'READONLY' }),
    getRegistryState: record('getRegistryState', { maxSchemaId: 9, subjectsWithSettings: ['c'] }),
    raiseMaxSchemaId: record('raiseMaxSchemaId', { maxSchemaId: 12 }),
  };
  return { registry: { ...base, ...overrides }, calls };
}

const silent = { error: () => {} };

function appWith(overrides: Partial<RegistryApi> = {}, maxBodyBytes = 64 * 1024) {
  const { registry, calls } = fakeRegistry(overrides);
  return { app: createApp({ registry, logger: silent, maxBodyBytes }), calls };
}

function assertEnvelope(body: unknown, errorCode: number): void {
  assert.deepEqual(Object.keys(body as object).sort(), ['error_code', 'message']);
  assert.equal((body as { error_code: number }).error_code, errorCode);
}

describe('response content type', () => {
  const { app } = appWith();

  it('defaults to v1+json without Accept, exactly (no charset)', async () => {
    const res = await request(app).get('/subjects');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], V1);
    assert.deepEqual(JSON.parse(res.text), ['a', 'b']);
  });

  for (const [accept, expected] of [
    ['*/*', V1],
    ['application/*', V1],
    ['application/json', 'application/json'],
    ['application/vnd.schemaregistry+json', 'application/vnd.schemaregistry+json'],
    ['application/json, application/vnd.schemaregistry+json;q=0.4', 'application/json'],
    ['application/json;q=0.9, application/vnd.schemaregistry.v1+json;q=0.3', 'application/json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', V1],
    ['application/json, text/plain, */*', V1],
  ] as const) {
    it(`Accept: ${accept} → ${expected}`, async () => {
      const res = await request(app).get('/subjects').set('Accept', accept);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], expected);
    });
  }

  it('406/406 when nothing acceptable, with a v1+json envelope', async () => {
    for (const accept of ['text/plain', 'application/xml', 'application/json;q=0']) {
      const res = await request(app).get('/subjects').set('Accept', accept);
      assert.equal(res.status, 406, accept);
      assert.equal(res.headers['content-type'], V1);
      assertEnvelope(JSON.parse(res.text), 406);
      assert.equal(JSON.parse(res.text).message, 'HTTP 406 Not Acceptable');
    }
  });

  it('error bodies use the negotiated type', async () => {
    const res = await request(app).get('/nope').set('Accept', 'application/json');
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'application/json');
  });
});

describe('request bodies', () => {
  const body = JSON.stringify({ schema: '"string"' });

  for (const type of [
    V1,
    'application/vnd.schemaregistry+json',
    'application/json',
    'application/json; charset=utf-8',
    'application/octet-stream',
  ]) {
    it(`parses ${type} as JSON`, async () => {
      const { app, calls } = appWith();
      const res = await request(app).post('/subjects/s/versions').set('Content-Type', type).send(body);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { id: 7 });
      assert.deepEqual(calls[0]?.args[1], { schema: '"string"' });
    });
  }

  it('parses a body without Content-Type as JSON', async () => {
    const { app, calls } = appWith();
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      // fetch with a byte body sends no Content-Type at all (supertest would add one).
      const res = await fetch(`http://127.0.0.1:${port}/subjects/s/versions`, {
        method: 'POST',
        body: new TextEncoder().encode(body),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { id: 7 });
      assert.deepEqual(calls[0]?.args[1], { schema: '"string"' });
    } finally {
      server.close();
    }
  });

  it('415/415 for any other Content-Type, before the service is called', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const { app, calls } = appWith();
      const res = await request(app).post('/subjects/s/versions').set('Content-Type', type).send(body);
      assert.equal(res.status, 415, type);
      assertEnvelope(res.body, 415);
      assert.equal(res.body.message, 'HTTP 415 Unsupported Media Type');
      assert.equal(calls.length, 0);
    }
  });

  it('a Content-Type on a GET without body is ignored (clients send it on every call)', async () => {
    const { app } = appWith();
    const res = await request(app).get('/subjects').set('Content-Type', 'text/plain');
    assert.equal(res.status, 200);
  });

  it('400/400 for malformed JSON and for a non-object top level', async () => {
    for (const text of ['{"schema":', 'not json', '{"a":1}}']) {
      const { app, calls } = appWith();
      const res = await request(app).post('/subjects/s/versions').set('Content-Type', V1).send(text);
      assert.equal(res.status, 400, text);
      assertEnvelope(res.body, 400);
      assert.match(res.body.message, /^Malformed JSON in request body/);
      assert.equal(calls.length, 0);
    }
    // Valid JSON, wrong shape: still refused before the service, but not called "malformed".
    for (const [text, kind] of [
      ['"just a string"', 'a string'],
      ['[1]', 'an array'],
      ['7', 'a number'],
    ]) {
      const { app, calls } = appWith();
      const res = await request(app).post('/subjects/s/versions').set('Content-Type', V1).send(text);
      assert.equal(res.status, 400, text);
      assertEnvelope(res.body, 400);
      assert.equal(res.body.message, `The request body must be a JSON object, not ${kind}`);
      assert.equal(calls.length, 0);
    }
  });

  it('413/413 over the body limit', async () => {
    const { app, calls } = appWith({}, 2048);
    const big = JSON.stringify({ schema: 'x'.repeat(4096) });
    const res = await request(app).post('/subjects/s/versions').set('Content-Type', V1).send(big);
    assert.equal(res.status, 413);
    assertEnvelope(res.body, 413);
    assert.equal(res.body.message, 'Request body exceeds the limit of 2048 bytes');
    assert.equal(calls.length, 0);
  });

  it('422/422 when a required body is missing', async () => {
    const cases: Array<[string, string]> = [
      ['post', '/subjects/s/versions'],
      ['post', '/subjects/s'],
      ['post', '/compatibility/subjects/s/versions/latest'],
      ['post', '/compatibility/subjects/s/versions'],
      ['put', '/config'],
      ['put', '/config/s'],
      ['put', '/mode'],
      ['put', '/mode/s'],
    ];
    for (const [method, path] of cases) {
      const { app, calls } = appWith();
      const res = await request(app)[method as 'post' | 'put'](path).set('Content-Type', V1);
      assert.equal(res.status, 422, `${method} ${path}`);
      assertEnvelope(res.body, 422);
      assert.equal(res.body.message, 'Request body is required');
      assert.equal(calls.length, 0);
    }
  });
});

describe('routing', () => {
  it('404/404 with the generic message for unknown routes', async () => {
    const { app } = appWith();
    for (const path of ['/nope', '/subjects/a/b/c/d/e', '/schemas/ids', '/config/a/b']) {
      const res = await request(app).get(path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.body, { error_code: 404, message: 'HTTP 404 Not Found' });
    }
  });

  it('405/405 with an Allow header for a wrong method on a known path', async () => {
    const { app, calls } = appWith();
    const cases: Array<[string, string, string]> = [
      ['put', '/subjects', 'GET, HEAD'],
      ['get', '/subjects/s', 'POST, DELETE'],
      ['delete', '/schemas/ids/1', 'GET, HEAD'],
      ['patch', '/config', 'GET, PUT, DELETE, HEAD'],
      ['get', '/compatibility/subjects/s/versions/1', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await request(app)[method as 'get'](path);
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.deepEqual(res.body, { error_code: 405, message: 'HTTP 405 Method Not Allowed' });
      assert.equal(res.headers.allow, allow);
    }
    assert.equal(calls.length, 0);
  });

  it('tolerates trailing slashes (the Java client posts to .../versions/)', async () => {
    const { app, calls } = appWith();
    const res = await request(app)
      .post('/compatibility/subjects/s/versions/')
      .set('Content-Type', V1)
      .send({ schema: '"int"' });
    assert.equal(res.status, 200);
    assert.equal(calls[0]?.method, 'testCompatibility');
    assert.equal(calls[0]?.args[1], undefined);
    for (const path of ['/subjects/', '/config/', '/subjects/s/versions/', '/schemas/ids/1/']) {
      assert.equal((await request(app).get(path)).status, 200, path);
    }
  });

  it('decodes %2F and other escapes in subjects', async () => {
    const { app, calls } = appWith();
    await request(app).get('/subjects/team%2Forders-value/versions/latest');
    await request(app).get('/config/a%20b%3Fc');
    assert.deepEqual(calls[0], {
      method: 'getVersion',
      args: ['team/orders-value', 'latest', { deleted: undefined, format: undefined }],
    });
    assert.equal(calls[1]?.args[0], 'a b?c');
  });

  it('400/400 for an undecodable escape in a path parameter', async () => {
    const { app } = appWith();
    const res = await request(app).get('/subjects/%E0%A4%A/versions');
    assert.equal(res.status, 400);
    assertEnvelope(res.body, 400);
  });

  it('404/404 for a non-integer schema id (Jersey), without calling the service', async () => {
    const { app, calls } = appWith();
    for (const id of ['abc', '1.5', '99999999999', '0x10', '']) {
      const res = await request(app).get(`/schemas/ids/${id}`);
      assert.equal(res.status, 404, id);
      assert.deepEqual(res.body, { error_code: 404, message: 'HTTP 404 Not Found' });
    }
    assert.equal(calls.length, 0);
    await request(app).get('/schemas/ids/+12/schema');
    assert.deepEqual(calls[0]?.args[0], '12');
  });

  it('passes query parameters with JAX-RS semantics and ignores unknown ones', async () => {
    const { app, calls } = appWith();
    await request(app).get('/subjects?deleted=TRUE&deletedOnly=yes&offset=2&limit=5&whatever=1&name=x');
    assert.deepEqual(calls[0]?.args[0], {
      deleted: true,
      deletedOnly: false,
      offset: 2,
      limit: 5,
      subjectPrefix: undefined,
    });
    await request(app).get('/subjects/s/versions');
    assert.deepEqual(calls[1]?.args[1], {
      deleted: undefined,
      deletedOnly: undefined,
      offset: 0,
      limit: -1,
      deletedAsNegative: undefined,
    });
    await request(app).get('/schemas/ids/3?fetchMaxId=true&subject=s&subject=t');
    assert.deepEqual(calls[2]?.args, ['3', { subject: 's', fetchMaxId: true, format: undefined }]);
  });

  it('400/400 for a non-integer offset or limit', async () => {
    const { app, calls } = appWith();
    const res = await request(app).get('/subjects?limit=ten');
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error_code: 400,
      message: "Query parameter 'limit' must be an integer, got 'ten'",
    });
    assert.equal(calls.length, 0);
  });
});

describe('shapes', () => {
  it('register answers only {id}, whatever the service returns', async () => {
    const { app } = appWith({ register: async () => ({ id: 3, version: 2 }) as { id: number } });
    const res = await request(app).post('/subjects/s/versions').send({ schema: '"int"' });
    assert.deepEqual(res.body, { id: 3 });
  });

  it('leaves out schemaType AVRO and empty references, keeps others', async () => {
    const { app } = appWith();
    assert.deepEqual((await request(app).get('/schemas/ids/1')).body, { schema: '"string"' });
    assert.deepEqual((await request(app).get('/subjects/s/versions/1')).body, {
      subject: 'a/b',
      version: 1,
      id: 7,
      schema: '"int"',
    });
    const refs = [{ name: 'x.Y', subject: 'y', version: 1 }];
    const { app: app2 } = appWith({
      getSchemaById: async () => ({ schema: '{}', schemaType: 'JSON', references: refs, maxId: 9 }),
    });
    assert.deepEqual((await request(app2).get('/schemas/ids/1')).body, {
      schemaType: 'JSON',
      references: refs,
      schema: '{}',
      maxId: 9,
    });
  });

  it('raw /schema routes return the text unquoted with a JSON content type', async () => {
    const { app } = appWith();
    const byId = await request(app).get('/schemas/ids/1/schema');
    assert.equal(byId.headers['content-type'], V1);
    assert.equal(byId.text, '{"type":"record","name":"R","fields":[]}');
    const byVersion = await request(app).get('/subjects/s/versions/1/schema');
    assert.equal(byVersion.text, '"int"');
  });

  it('deletes answer a bare int and an int array', async () => {
    const { app } = appWith();
    const version = await request(app).delete('/subjects/s/versions/2');
    assert.equal(version.text, '2');
    const subject = await request(app).delete('/subjects/s?permanent=true');
    assert.equal(subject.text, '[1,2]');
  });

  it('a subject delete passes force through, as a version delete does', async () => {
    const { app, calls } = appWith();
    await request(app).delete('/subjects/s?force=true');
    await request(app).delete('/subjects/s/versions/2?force=TRUE');
    assert.deepEqual(
      calls.map((c) => [c.method, c.args[c.args.length - 1]]),
      [
        ['deleteSubject', { permanent: undefined, force: true }],
        ['deleteVersion', { permanent: undefined, force: true }],
      ],
    );
  });

  it('/admin/state and /admin/max-schema-id reach the service', async () => {
    const { app, calls } = appWith();
    const state = await request(app).get('/admin/state');
    assert.deepEqual(state.body, { maxSchemaId: 9, subjectsWithSettings: ['c'] });
    const raised = await request(app).put('/admin/max-schema-id').send({ maxSchemaId: 12 });
    assert.deepEqual(raised.body, { maxSchemaId: 12 });
    assert.deepEqual(calls.at(-1), { method: 'raiseMaxSchemaId', args: [{ maxSchemaId: 12 }] });
    assert.equal((await request(app).post('/admin/state')).status, 405);
  });

  it('compatibility messages only with verbose=true', async () => {
    const { app } = appWith();
    const plain = await request(app).post('/compatibility/subjects/s/versions/1').send({ schema: '"int"' });
    assert.deepEqual(plain.body, { is_compatible: false });
    const verbose = await request(app)
      .post('/compatibility/subjects/s/versions/1?verbose=true')
      .send({ schema: '"int"' });
    assert.deepEqual(verbose.body, { is_compatible: false, messages: ['m'] });
  });

  it('GET / and POST / answer {}', async () => {
    const { app } = appWith();
    assert.deepEqual((await request(app).get('/')).body, {});
    assert.deepEqual((await request(app).post('/')).body, {});
  });
});

describe('error translation', () => {
  it('renders a DomainError with its status and error_code, never its extra fields', async () => {
    const { app } = appWith({
      listSubjects: async () => {
        throw new DomainError('SUBJECT_NOT_FOUND', "Subject 'x' not found.", { secret: 1 });
      },
    });
    const res = await request(app).get('/subjects');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error_code: 40401, message: "Subject 'x' not found." });
  });

  it('hides unexpected errors behind 500/500 and logs them', async () => {
    const logged: unknown[] = [];
    const { registry } = fakeRegistry({
      listSubjects: async () => {
        throw new TypeError('cannot read properties of undefined (reading "x") at /secret/path.ts');
      },
    });
    const app = createApp({ registry, logger: { error: (obj) => logged.push(obj) }, maxBodyBytes: 1024 });
    const res = await request(app).get('/subjects');
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, { error_code: 500, message: 'Internal Server Error' });
    assert.equal(logged.length, 1);
  });

  it('renders extra fields only on routes that opt in', async () => {
    // Routes outside the registry's access table bring their own rules (guarded-router.ts).
    const router = guardedRouter({ rules: { '/ours/with': { GET: READ }, '/ours/without': { GET: READ } } });
    const fail = () => {
      throw new DomainError('NO_COMMON_VERSION', 'No common version', { available: ['1.0.0'] });
    };
    router.route('/ours/with').get(exposeErrorExtras, fail);
    router.route('/ours/without').get(fail);
    const { registry } = fakeRegistry();
    const app = createApp({ registry, logger: silent, maxBodyBytes: 1024, routers: [router.router] });
    const withExtras = await request(app).get('/ours/with');
    assert.equal(withExtras.status, 409);
    assert.deepEqual(withExtras.body, {
      available: ['1.0.0'],
      error_code: 40950,
      message: 'No common version',
    });
    const without = await request(app).get('/ours/without');
    assert.deepEqual(without.body, { error_code: 40950, message: 'No common version' });
  });
});
