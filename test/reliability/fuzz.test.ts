/**
 * Seeded fuzzing of every endpoint: at least 10,000 malformed or hostile requests (broken and hostile
 * JSON, invalid UTF-8, absurd numbers, prototype keys, hostile schemas, odd subjects and versions,
 * wrong content types, oversized bodies) against the real server (its production door: fast path, then the app) on an ephemeral loopback port. Asserts:
 * no 5xx, every error is the `{error_code, message}` envelope, the server still answers afterwards,
 * and the heap stays bounded. Seed: FUZZ_SEED env (printed in the test name) to replay a failure.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { createRegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { seededRandom } from '../support/prng.js';
import { testConfig } from '../support/test-store.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const MAX_BODY = 512 * 1024;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const VALID = [
  '"string"',
  '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}',
  '{"type":"enum","name":"E","symbols":["A","B"]}',
  '{"type":"array","items":"long"}',
  '{"type":"fixed","name":"F","size":16}',
  '["null","string"]',
];

function nested(depth: number, open: string, close: string, core: string): string {
  return open.repeat(depth) + core + close.repeat(depth);
}

// Just past the parse limits, and under the body limit so that they reach the parser.
const WIDE_RECORD = JSON.stringify({
  type: 'record',
  name: 'Wide',
  fields: Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}`, type: 'int' })),
});
const HUGE_ENUM = JSON.stringify({
  type: 'enum',
  name: 'E',
  symbols: Array.from({ length: 10_001 }, (_, i) => `S${i}`),
});
const WIDE_UNION = JSON.stringify(
  Array.from({ length: 1_001 }, (_, i) => ({ type: 'fixed', name: `F${i}`, size: 1 })),
);

/** Schemas built to hurt: deep, wide, long, recursive, numerically absurd, prototype-named. */
function hostileSchema(r: Rand): string {
  const n = 1 + Math.floor(r() * 5000);
  switch (Math.floor(r() * 16)) {
    case 0:
      return nested(200 + n, '{"type":"array","items":', '}', '"int"');
    case 1:
      return nested(2000 + n, '[', ']', '"int"');
    case 2:
      return WIDE_RECORD;
    case 3:
      return HUGE_ENUM;
    case 4:
      return WIDE_UNION;
    case 5:
      return `{"type":"fixed","name":"F","size":${pick(r, ['1e999', '-1', '1.5', '99999999999999999999999', 'NaN', '0x10'])}}`;
    case 6:
      return `{"type":"record","name":"R","fields":[{"name":"a","type":"long","default":${pick(r, ['1e400', '-1e400', '123456789012345678901234567890', '0.1e-400', '-0'])}}]}`;
    case 7:
      return '{"type":"record","name":"__proto__","fields":[{"name":"constructor","type":"int"},{"name":"__proto__","type":"string"}]}';
    case 8:
      return '{"__proto__":{"type":"int"},"type":"record","name":"P","fields":[]}';
    case 9:
      return '{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}';
    case 10:
      return '{"type":"record","name":"Self","fields":[{"name":"s","type":"Self"}]}';
    case 11:
      return JSON.stringify({ type: 'record', name: 'X'.repeat(n), fields: [] });
    case 12:
      return '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}';
    case 13:
      return '{"type":"map","values":{"type":"map","values":{"type":"array","items":"Nope"}}}';
    case 14:
      return `{"type":"enum","name":"E","symbols":["A","A"],"default":"${'\\u0000'.repeat(3)}"}`;
    default:
      return mutate(r, pick(r, VALID));
  }
}

/** Flips, drops, duplicates or inserts characters: mostly broken JSON, sometimes still valid. */
function mutate(r: Rand, text: string): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits && s.length > 0; e++) {
    const i = Math.floor(r() * s.length);
    const op = Math.floor(r() * 4);
    const ch = pick(r, [
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      '\\',
      '\u0000',
      '\uffff',
      'é',
      '1e9',
      'null',
      ' ',
    ]);
    if (op === 0) s = s.slice(0, i) + s.slice(i + 1);
    else if (op === 1) s = s.slice(0, i) + ch + s.slice(i);
    else if (op === 2) s = s.slice(0, i) + ch + s.slice(i + 1);
    else s = s.slice(0, i) + s.slice(i, i + 8).repeat(3) + s.slice(i + 8);
  }
  return s;
}

const SUBJECTS = [
  'fuzz',
  'fuzz-value',
  '%2F',
  'a%2Fb',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '%00',
  '%0A',
  '%1B%5B31m',
  '%7F',
  '%C2%85',
  '%E0%A4%A',
  '%FF%FE',
  '%25',
  '..',
  '.',
  '%20',
  ':.__GLOBAL:x',
  '__GLOBAL',
  '__EMPTY',
  'x'.repeat(5000),
  '%F0%9F%92%A9',
  'proximadb-wal',
];
const VERSIONS = [
  '1',
  '2',
  'latest',
  'LATEST',
  '-1',
  '0',
  '-2',
  '2147483648',
  '99999999999999999999',
  '1e3',
  '1.0',
  'NaN',
  '%20',
  'x',
  '00001',
];
const IDS = ['1', '2', '0', '-1', '2147483648', '99999999999999999999', '1e3', 'abc', '1.5', '%00'];
const QUERIES = [
  '',
  '?deleted=true',
  '?permanent=true',
  '?verbose=true',
  '?normalize=true',
  '?force=true',
  '?defaultToGlobal=true',
  '?limit=1e999&offset=-5',
  '?limit=-1&offset=99999999999999999999',
  '?subjectPrefix=%00',
  '?fetchMaxId=true&subject=__proto__',
  '?format=resolved',
  '?__proto__[polluted]=1',
  '?deletedOnly=true&deletedAsNegative=true',
  '?recursive=true',
];

function route(r: Rand): { method: string; path: string; wantsBody: boolean } {
  const s = pick(r, SUBJECTS);
  const v = pick(r, VERSIONS);
  const id = pick(r, IDS);
  const routes: Array<[string, string, boolean]> = [
    ['GET', '/', false],
    ['POST', '/', true],
    ['GET', '/schemas', false],
    ['GET', '/schemas/types', false],
    ['GET', `/schemas/ids/${id}`, false],
    ['GET', `/schemas/ids/${id}/schema`, false],
    ['GET', `/schemas/ids/${id}/subjects`, false],
    ['GET', `/schemas/ids/${id}/versions`, false],
    ['GET', '/subjects', false],
    ['GET', `/subjects/${s}/versions`, false],
    ['POST', `/subjects/${s}/versions`, true],
    ['POST', `/subjects/${s}/versions`, true],
    ['POST', `/subjects/${s}/versions`, true],
    ['GET', `/subjects/${s}/versions/${v}`, false],
    ['GET', `/subjects/${s}/versions/${v}/schema`, false],
    ['GET', `/subjects/${s}/versions/${v}/referencedby`, false],
    ['POST', `/subjects/${s}`, true],
    ['POST', `/subjects/${s}/versions/${v}/validate`, true],
    ['DELETE', `/subjects/${s}`, false],
    ['DELETE', `/subjects/${s}/versions/${v}`, false],
    ['POST', `/compatibility/subjects/${s}/versions/${v}`, true],
    ['POST', `/compatibility/subjects/${s}/versions`, true],
    ['GET', '/config', false],
    ['PUT', '/config', true],
    ['GET', `/config/${s}`, false],
    ['PUT', `/config/${s}`, true],
    ['DELETE', `/config/${s}`, false],
    ['GET', '/mode', false],
    ['PUT', `/mode/${s}`, true],
    ['GET', `/mode/${s}`, false],
    ['DELETE', `/mode/${s}`, false],
    ['GET', '/contexts', false],
    ['GET', '/v1/metadata/id', false],
    ['GET', `/associations/resources/-/${s}`, false],
    ['GET', `/negotiation/subjects/${s}/versions`, false],
    [
      'GET',
      `/negotiation/subjects/${s}/agreement?afterEpoch=${pick(r, ['0', '-1', '1e999', 'x'])}&waitSeconds=0`,
      false,
    ],
    [
      'GET',
      `/negotiation/subjects/${s}/semver/${pick(r, ['1.0.0', 'x', '999999999999999999999.0.0', '%00'])}`,
      false,
    ],
    ['POST', `/negotiation/subjects/${s}`, true],
    [
      'PUT',
      `/negotiation/subjects/${s}/participants/${pick(r, ['p1', '%00', '__proto__', 'x'.repeat(300)])}`,
      true,
    ],
    ['DELETE', `/negotiation/subjects/${s}/participants/p1`, false],
    ['GET', '/health/live', false],
    ['GET', '/health/ready', false],
    ['GET', '/metrics', false],
    ['PATCH', `/subjects/${s}`, true],
    ['GET', `/nope/${s}`, false],
    ['GET', `/${'%'.repeat(1 + Math.floor(r() * 3))}`, false],
  ];
  const [method, path, wantsBody] = pick(r, routes);
  const q = r() < 0.3 ? pick(r, QUERIES) : '';
  return { method, path: path + (path.includes('?') ? q.replace('?', '&') : q), wantsBody };
}

function body(r: Rand): Buffer | undefined {
  const schema = r() < 0.5 ? pick(r, VALID) : hostileSchema(r);
  switch (Math.floor(r() * 14)) {
    case 0:
      return undefined;
    case 1:
      return Buffer.from(mutate(r, JSON.stringify({ schema })));
    case 2: // invalid UTF-8 inside and outside strings
      return Buffer.concat([
        Buffer.from('{"schema":"'),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]);
    case 3:
      return Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80]);
    case 4:
      return Buffer.from(
        `{"schema":${JSON.stringify(schema)},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
      );
    case 5:
      return Buffer.from(
        `{"schema":${JSON.stringify(schema)},"id":${pick(r, ['1e999', '-1', '99999999999999999999', '1.5', '"7"', 'null'])},"version":${pick(r, ['1e308', '-0', '0', '"latest"', '[]'])}}`,
      );
    case 6:
      return Buffer.from(
        JSON.stringify({
          schema,
          references: pick(r, ['x', [{}], [{ name: 'a', subject: '__proto__', version: 1e300 }], null]),
        }),
      );
    case 7:
      return Buffer.from(
        JSON.stringify(
          pick(r, [
            { compatibility: 'NONE' },
            { compatibility: '__proto__' },
            { compatibility: 42 },
            { mode: 'IMPORT' },
            { mode: 'READONLY' },
            { mode: 'READWRITE' },
            { mode: null },
            [],
            'x',
            1e308,
            null,
          ]),
        ),
      );
    case 8:
      return Buffer.from(JSON.stringify({ schema: pick(r, [5, null, true, {}, [], '', ' '.repeat(100)]) }));
    case 9: // over the body limit
      return Buffer.alloc(MAX_BODY + 1 + Math.floor(r() * 1000), 0x20);
    case 10:
      return Buffer.from(nested(5000 + Math.floor(r() * 20_000), '[', ']', '1'));
    case 11: // negotiation and validation bodies with hostile values
      return Buffer.from(
        JSON.stringify(
          pick(r, [
            {
              role: pick(r, ['reader', 'writer', 'both', '__proto__', 7]),
              supports: { range: pick(r, ['^1.0.0', '>=0', '*'.repeat(5000), '1.x || ^2 || ~3', '']) },
            },
            { role: 'reader', supports: { versions: pick(r, [[], [1e308], ['x'], [-1, 0, 2 ** 31], null]) } },
            {
              role: 'writer',
              supports: { fingerprints: ['0'.repeat(16), 'zz', 5] },
              ttlSeconds: pick(r, [Number.MAX_VALUE, 1.5, -1, 0, 86_401, 30]),
            },
            { role: 'reader', supports: { schema: pick(r, [schema, '', 5]) }, extra: 1 },
            {
              datum: pick(r, [null, { a: 1 }, 'x', [1e308], { __proto__: { a: 1 } }]),
              applyDefaults: pick(r, [true, 'yes']),
            },
          ]),
        ),
      );
    case 12:
      return Buffer.from(
        `{"schema":${JSON.stringify(schema)},"schemaType":"${pick(r, ['AVRO', 'JSON', 'PROTOBUF', 'avro', '__proto__', ''])}"}`,
      );
    default:
      return Buffer.from(JSON.stringify({ schema }));
  }
}

function headers(r: Rand, hasBody: boolean, length: number): Record<string, string> {
  const h: Record<string, string> = {};
  if (hasBody || r() < 0.1) {
    const ct = pick(r, [
      'application/vnd.schemaregistry.v1+json',
      'application/vnd.schemaregistry.v1+json',
      'application/json',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/octet-stream',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
      '%%%',
    ]);
    if (ct !== '') h['Content-Type'] = ct;
  }
  if (r() < 0.15)
    h.Accept = pick(r, [
      'text/html',
      'application/json',
      '*/*',
      'application/xml;q=0.9',
      ';;;',
      'application/*',
    ]);
  if (r() < 0.05) h['Content-Encoding'] = pick(r, ['gzip', 'br', 'identity', 'x-evil']);
  if (r() < 0.05) h.Authorization = pick(r, ['Basic !!!', 'Bearer', 'Basic Og==', 'Digest x']);
  if (r() < 0.05)
    h['X-Request-Id'] = pick(r, ['abc', '\u00e9', 'x'.repeat(500), '../../etc']).replace(
      /[^\x20-\x7e]/g,
      '?',
    );
  h['Content-Length'] = String(length);
  return h;
}

interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

function send(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  h: Record<string, string>,
  b?: Buffer,
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: h, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(b);
  });
}

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

test(`fuzz: ${REQUESTS} hostile requests across every endpoint, no 5xx (seed ${SEED})`, async (t) => {
  const server = checkResponses(
    await createRegistryServer(await testConfig({ maxBodyBytes: MAX_BODY }), {
      logger: pino({ level: 'silent' }),
    }),
  );
  const http = createServer(server.handler);
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  t.after(() => {
    agent.destroy();
    http.close();
    server.close();
  });

  const r = seededRandom(SEED);
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  let heapAfterWarmup = 0;
  const worker = async () => {
    while (sent < REQUESTS) {
      const n = sent++;
      if (n === 1000) {
        gc();
        heapAfterWarmup = process.memoryUsage().heapUsed;
      }
      const { method, path, wantsBody } = route(r);
      const b = wantsBody || r() < 0.05 ? body(r) : undefined;
      const h = headers(r, b !== undefined, b?.length ?? 0);
      let answer: Answer;
      try {
        answer = await send(agent, port, method, path, h, b);
      } catch (e) {
        // The server may close a connection it refused (e.g. after a 413); that is not a crash.
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ECONNRESET' || code === 'EPIPE') continue;
        failures.push(`#${n} ${method} ${path}: ${(e as Error).message}`);
        continue;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500)
        failures.push(
          `#${n} ${method} ${path.slice(0, 120)} -> ${answer.status} ${answer.text.slice(0, 200)}`,
        );
      if (answer.status >= 400 && !path.startsWith('/metrics')) {
        let ok = false;
        try {
          const parsed = JSON.parse(answer.text) as Record<string, unknown>;
          ok = typeof parsed.error_code === 'number' && typeof parsed.message === 'string';
        } catch {
          ok = false;
        }
        if (!ok)
          failures.push(
            `#${n} ${method} ${path.slice(0, 120)} -> ${answer.status} not an envelope: ${answer.text.slice(0, 120)}`,
          );
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, () => worker()));

  assert.deepEqual(failures.slice(0, 20), [], `seed ${SEED}: ${failures.length} failures`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  const live = await send(agent, port, 'GET', '/health/live', {});
  assert.equal(live.status, 200, 'the server still answers');
  const ready = await send(agent, port, 'GET', '/subjects', {});
  assert.equal(ready.status, 200);
  gc();
  const growth = process.memoryUsage().heapUsed - heapAfterWarmup;
  assert.ok(
    growth < 96 * 1024 * 1024,
    `heap grew by ${Math.round(growth / 1e6)} MB over ${REQUESTS} requests`,
  );
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  assert.ok(sent >= 10_000 || REQUESTS < 10_000);
});
