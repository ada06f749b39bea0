/**
 * Each input limit, end to end through the real app: the body limit (413), the schema parse limits
 * (422 with a message naming the limit), control characters in subjects (42208), prototype keys,
 * invalid UTF-8 and absurd numbers. Every refusal is the `{error_code, message}` envelope.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { DEFAULT_PARSE_LIMITS } from '../../src/avro/types.js';
import { createRegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

const server = checkResponses(
  await createRegistryServer(await testConfig({ host: '127.0.0.1', maxBodyBytes: 8 * 1024 * 1024 }), {
    logger: pino({ level: 'silent' }),
  }),
);
after(() => server.close());
const app = server.app;
const CT = 'application/vnd.schemaregistry.v1+json';

function register(subject: string, body: string | Buffer) {
  return request(app).post(`/subjects/${subject}/versions`).set('Content-Type', CT).send(body);
}

function assertEnvelope(res: request.Response, status: number, errorCode: number, message?: RegExp) {
  assert.equal(res.status, status, res.text.slice(0, 300));
  assert.deepEqual(Object.keys(res.body as object).sort(), ['error_code', 'message']);
  assert.equal(res.body.error_code, errorCode, res.text.slice(0, 300));
  if (message) assert.match(res.body.message, message);
}

const L = DEFAULT_PARSE_LIMITS;

function nestedArrays(depth: number): string {
  return '{"type":"array","items":'.repeat(depth) + '"int"' + '}'.repeat(depth);
}

describe('body and schema limits', () => {
  it('a body over MAX_BODY_BYTES is 413 in the envelope', async () => {
    const small = checkResponses(
      await createRegistryServer(await testConfig({ host: '127.0.0.1', maxBodyBytes: 4096 }), {
        logger: pino({ level: 'silent' }),
      }),
    );
    try {
      const res = await request(small.app)
        .post('/subjects/big/versions')
        .set('Content-Type', CT)
        .send(
          JSON.stringify({
            schema: JSON.stringify({ type: 'enum', name: 'E', symbols: ['A'], doc: 'x'.repeat(5000) }),
          }),
        );
      assertEnvelope(res, 413, 413, /4096/);
    } finally {
      small.close();
    }
  });

  it(`nesting deeper than ${L.maxDepth} is 422 naming the depth limit; at the limit it is accepted`, async () => {
    const over = await register('deep', JSON.stringify({ schema: nestedArrays(L.maxDepth + 1) }));
    assert.equal(over.status, 422, over.text);
    assert.match(over.body.message, /depth/i);
    assert.match(over.body.message, new RegExp(String(L.maxDepth)));
    const hostile = await register(
      'deep',
      JSON.stringify({ schema: '['.repeat(200_000) + ']'.repeat(200_000) }),
    );
    assert.equal(hostile.status, 422, 'a 200k-deep JSON array does not overflow the stack');
    assert.match(hostile.body.message, /depth/i);
    const ok = await register('deep', JSON.stringify({ schema: nestedArrays(L.maxDepth - 2) }));
    assert.equal(ok.status, 200, ok.text);
  });

  it(`more than ${L.maxFields} fields is 422 naming the fields limit`, async () => {
    const fields = Array.from({ length: L.maxFields + 1 }, (_, i) => ({ name: `f${i}`, type: 'int' }));
    const res = await register(
      'wide',
      JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'W', fields }) }),
    );
    assert.equal(res.status, 422, res.text.slice(0, 200));
    assert.match(res.body.message, /field/i);
    assert.match(res.body.message, new RegExp(String(L.maxFields)));
  });

  it(`more than ${L.maxSymbols} enum symbols is 422 naming the symbols limit`, async () => {
    const symbols = Array.from({ length: L.maxSymbols + 1 }, (_, i) => `S${i}`);
    const res = await register(
      'enum',
      JSON.stringify({ schema: JSON.stringify({ type: 'enum', name: 'E', symbols }) }),
    );
    assert.equal(res.status, 422, res.text.slice(0, 200));
    assert.match(res.body.message, /symbol/i);
    assert.match(res.body.message, new RegExp(String(L.maxSymbols)));
  });

  it(`more than ${L.maxUnionBranches} union branches is 422 naming the union limit`, async () => {
    const branches = Array.from({ length: L.maxUnionBranches + 1 }, (_, i) => ({
      type: 'fixed',
      name: `F${i}`,
      size: 1,
    }));
    const res = await register('union', JSON.stringify({ schema: JSON.stringify(branches) }));
    assert.equal(res.status, 422, res.text.slice(0, 200));
    assert.match(res.body.message, /union|branches/i);
    assert.match(res.body.message, new RegExp(String(L.maxUnionBranches)));
  });

  it(`more than ${L.maxNamedTypes} named types is 422 naming the named-types limit`, async () => {
    const fields = Array.from({ length: L.maxNamedTypes }, (_, i) => ({
      name: `f${i}`,
      type: { type: 'fixed', name: `F${i}`, size: 1 },
    }));
    const res = await register(
      'named',
      JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'N', fields }) }),
    );
    assert.equal(res.status, 422, res.text.slice(0, 200));
    assert.match(res.body.message, /named types/i);
  });

  it(`a schema over ${L.maxSchemaBytes} bytes is 422 naming the size limit`, async () => {
    const schema = JSON.stringify({
      type: 'enum',
      name: 'E',
      symbols: ['A'],
      doc: 'x'.repeat(L.maxSchemaBytes),
    });
    const res = await register('huge', JSON.stringify({ schema }));
    assert.equal(res.status, 422, res.text.slice(0, 200));
    assert.match(res.body.message, /size|bytes/i);
    assert.match(res.body.message, new RegExp(String(L.maxSchemaBytes)));
  });
});

describe('subjects, prototype keys, encodings and numbers', () => {
  for (const [label, encoded] of [
    ['NUL', '%00'],
    ['newline', 'a%0Ab'],
    ['escape', '%1B%5B31m'],
    ['DEL', 'x%7F'],
    ['C1 NEL', 'x%C2%85'],
  ] as const) {
    it(`a subject with a control character (${label}) is 42208`, async () => {
      const res = await register(encoded, JSON.stringify({ schema: '"string"' }));
      assertEnvelope(res, 422, 42208);
      const cfg = await request(app)
        .put(`/config/${encoded}`)
        .set('Content-Type', CT)
        .send('{"compatibility":"NONE"}');
      assertEnvelope(cfg, 422, 42208);
    });
  }

  it('__proto__ and constructor keys are plain data: no prototype pollution, stored as written', async () => {
    const body = `{"schema":${JSON.stringify(
      '{"type":"record","name":"__proto__","fields":[{"name":"constructor","type":"int"},{"name":"__proto__","type":"string","__proto__":{"polluted":1}}]}',
    )},"__proto__":{"polluted":true,"schemaType":"JSON"},"constructor":{"prototype":{"polluted":true}}}`;
    const res = await register('__proto__', body);
    assert.equal(res.status, 200, res.text);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const back = await request(app).get('/subjects/__proto__/versions/latest');
    assert.equal(back.status, 200);
    assert.equal(back.body.subject, '__proto__');
    assert.equal(back.body.schemaType, undefined, 'the __proto__ key did not turn the schema into JSON type');
    const stored = JSON.parse(back.body.schema);
    assert.equal(stored.name, '__proto__');
    assert.deepEqual(
      stored.fields.map((f: { name: string }) => f.name),
      ['constructor', '__proto__'],
    );
    const subjects = await request(app).get('/subjects');
    assert.ok((subjects.body as string[]).includes('__proto__'));
  });

  it('invalid UTF-8 in a body never reaches a 5xx and never stores broken text', async () => {
    const bad = Buffer.concat([
      Buffer.from('{"schema":"\\"string\\"","x":"'),
      Buffer.from([0xc3, 0x28, 0xff, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    const res = await register('utf8', bad);
    assert.ok(res.status < 500, `${res.status} ${res.text}`);
    const raw = Buffer.concat([
      Buffer.from('{"schema":"{\\"type\\":\\"enum\\",\\"name\\":\\"E\\",\\"symbols\\":[\\"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\\"]}"}'),
    ]);
    const sym = await register('utf8', raw);
    assert.ok(sym.status === 400 || sym.status === 422, `${sym.status} ${sym.text}`);
    const notJson = await register('utf8', Buffer.from([0xff, 0xfe, 0x7b, 0x00]));
    assert.ok(notJson.status === 400 || notJson.status === 422, notJson.text);
    assert.equal(typeof notJson.body.error_code, 'number');
  });

  it('absurd numbers are refused cleanly', async () => {
    // Beyond int32 an id cannot exist: 404 like Jersey's non-integer path (error_code 404 or 40403).
    const bigId = await request(app).get('/schemas/ids/99999999999999999999');
    assert.equal(bigId.status, 404, bigId.text);
    assert.ok([404, 40403].includes(bigId.body.error_code));
    assertEnvelope(await request(app).get('/subjects/n/versions/99999999999999999999'), 422, 42202);
    assertEnvelope(await request(app).get('/subjects/n/versions/2147483648'), 422, 42202);
    assertEnvelope(await request(app).get('/subjects/n/versions/1e3'), 422, 42202);
    const size = await register('n', JSON.stringify({ schema: '{"type":"fixed","name":"F","size":1e999}' }));
    assertEnvelope(size, 422, 42201);
    const negative = await register('n', JSON.stringify({ schema: '{"type":"fixed","name":"F","size":-1}' }));
    assertEnvelope(negative, 422, 42201);
    // A wrong JSON type is 400 (rest-utils' mapping), a number out of range 422: never accepted.
    const version = await register('n', `{"schema":"\\"int\\"","version":1e999}`);
    assert.ok([400, 422].includes(version.status), version.text);
    const id = await register('n', `{"schema":"\\"int\\"","id":99999999999999999999}`);
    assert.ok([400, 422].includes(id.status), id.text);
    const list = await request(app).get('/subjects?limit=1e999&offset=-5');
    assert.ok(list.status < 500, list.text);
    const def = await register(
      'n',
      JSON.stringify({
        schema: '{"type":"record","name":"D","fields":[{"name":"a","type":"int","default":1e999}]}',
      }),
    );
    assert.ok(def.status === 422 || def.status === 200, def.text);
  });
});
