/**
 * One behaviour, two doors (issue #13): a corpus of requests replayed through the pre-router fast path
 * (door F) and through Express alone (door E, `fastPath: 'off'`), on two registries with the same
 * history, clock and credentials (two-doors.ts). Each request is sent twice to each door — the first
 * may fill caches, the repeat is the fast path's to answer — and status, body, the headers clients read
 * (Content-Type, Content-Length, WWW-Authenticate, Retry-After, Allow, X-Request-Id) and the request
 * log line must be the same; at the end so must the request metrics. Writes of every kind (register,
 * soft and hard deletes, config, mode, leases, lease expiry on the clock) come between the reads, so
 * that answers the fast path memoised must change with them. The fast path's own counters prove it
 * really answered what it should (and refused what it should), so the comparison is not vacuous.
 * Runs on both storage backends (test/run.ts BOTH_STORES).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { hashPassword, hashToken } from '../../src/auth/credentials.js';
import { MONEY_REFERENCE, MONEY_SCHEMA, ORDER_SCHEMA, record } from '../http/helpers.js';
import { both, type Call, openTwoDoors, requestSeries, type TwoDoors } from './two-doors.js';

const dir = mkdtempSync(join(tmpdir(), 'two-doors-'));
const authFile = join(dir, 'credentials.json');
const FAST = { N: 1024 };
writeFileSync(
  authFile,
  JSON.stringify({
    users: [
      { name: 'admin', role: 'admin', tokens: [hashToken('admin-token')] },
      {
        name: 'reader',
        role: 'read',
        password: await hashPassword('reader-pw', FAST),
        tokens: [hashToken('reader-token')],
      },
      {
        name: 'limited',
        role: 'read',
        tokens: [hashToken('limited-token')],
        permissions: [{ prefix: 'secret-', access: 'none' }],
      },
      { name: 'guesser', role: 'read', password: await hashPassword('right-pw', FAST) },
    ],
  }),
);

const V1 = 'application/vnd.schemaregistry.v1+json';
const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
const ADMIN = { Authorization: 'Bearer admin-token' };
const READER_BASIC = { Authorization: basic('reader', 'reader-pw') };
const READER_BEARER = { Authorization: 'Bearer reader-token' };
const LIMITED = { Authorization: 'Bearer limited-token' };
const IDENTITIES = { basic: READER_BASIC, bearer: READER_BEARER, limited: LIMITED } as const;

const ORDERS = [record('Order'), record('Order', [{ name: 'b', type: 'string', default: 'x' }])];
ORDERS.push(record('Order', [{ name: 'c', type: 'long', default: 1 }]));
const json = (body: unknown) => JSON.stringify(body);

let doors: TwoDoors;

/** A write (or any request) answered the same by both doors, once. */
async function write(method: Call['method'], path: string, body?: unknown): Promise<void> {
  const call: Call = {
    method,
    path,
    headers: { ...ADMIN, ...(body === undefined ? {} : { 'Content-Type': V1 }) },
    ...(body === undefined ? {} : { body: json(body) }),
  };
  const { answers } = await both(doors, call, 1);
  assert.ok(answers[0]!.status < 300, `${method} ${path}: ${answers[0]!.status} ${answers[0]!.text}`);
}

/** Sends a read twice to both doors; `fast`: the repeat must be answered (or refused) by the fast path. */
async function read(call: Call, fast: 'served' | 'refused' | 'express'): Promise<void> {
  const { served, refused } = await both(doors, call);
  const where = `${call.method} ${call.path} ${JSON.stringify(call.headers ?? {})}`;
  if (fast === 'served') assert.ok(served >= 1, `the fast path answers the repeat of ${where}`);
  else assert.equal(served, 0, `the fast path answers no 200 to ${where}`);
  if (fast === 'refused') assert.equal(refused, 2, `the fast path refuses ${where} itself`);
  else assert.equal(refused, 0, `the fast path refuses nothing of ${where}`);
}

const get = (path: string, headers: Record<string, string> = READER_BEARER): Call => ({
  method: 'GET',
  path,
  headers,
});
const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}): Call => ({
  method: 'POST',
  path,
  headers: { ...READER_BEARER, 'Content-Type': V1, ...headers },
  body,
});

before(async () => {
  doors = await openTwoDoors({ authFile, loginFailureLimit: 3, loginFailureWindowSeconds: 60 });
});

after(async () => {
  await doors.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one behaviour, two doors', () => {
  it('seeds both registries with the same history', async () => {
    for (const schema of ORDERS) await write('POST', '/subjects/orders/versions', { schema }); // ids 1-3
    await write('POST', '/subjects/secret-x/versions', { schema: record('Secret') }); // 4
    await write('POST', '/subjects/a%2Fb/versions', { schema: record('Slashed') }); // 5
    await write('POST', '/subjects/money/versions', { schema: MONEY_SCHEMA }); // 6
    await write('POST', '/subjects/order-ref/versions', {
      schema: ORDER_SCHEMA,
      references: [MONEY_REFERENCE],
    }); // 7
    await write('POST', '/subjects/gone/versions', { schema: record('Gone') }); // 8
    await write('DELETE', '/subjects/orders/versions/2');
    await write('DELETE', '/subjects/gone/versions/1');
    await write('DELETE', '/subjects/gone/versions/1?permanent=true');
  });

  it('schemas by id: every identity, flag and Accept header', async () => {
    for (const headers of Object.values(IDENTITIES)) {
      for (const path of [
        '/schemas/ids/1',
        '/schemas/ids/1/',
        '/schemas/ids/0001',
        '/schemas/ids/2',
        '/schemas/ids/4',
      ]) {
        await read(get(path, headers), 'served');
      }
    }
    for (const query of [
      'fetchMaxId=true',
      'fetchMaxId=TRUE&subject=orders',
      'fetchMaxId=no',
      'subject=x&whatever=1',
    ]) {
      await read(get(`/schemas/ids/3?${query}`), 'served');
    }
    await read(get('/schemas/ids/7'), 'served'); // with references
    await read(get('/schemas/ids/7?format=resolved'), 'express');
    for (const accept of [
      V1,
      'application/json',
      'application/vnd.schemaregistry+json',
      '*/*',
      'application/json;q=0.9, application/vnd.schemaregistry.v1+json;q=0.1',
    ]) {
      await read(get('/schemas/ids/1', { ...READER_BEARER, Accept: accept }), 'served');
    }
    await read(get('/schemas/ids/1', { ...READER_BEARER, Accept: 'text/html' }), 'express'); // 406
    for (const path of [
      '/schemas/ids/8',
      '/schemas/ids/999',
      '/schemas/ids/abc',
      '/schemas/ids/-1',
      '/schemas/ids/2147483648',
      '/SCHEMAS/IDS/1',
      '/schemas/ids/1/schema',
    ]) {
      await read(get(path), 'express');
    }
  });

  it('subject versions: latest, -1, deleted, references, unknown subjects and versions', async () => {
    for (const path of [
      '1',
      '3',
      'latest',
      'latest/',
      '-1',
      '2?deleted=true',
      'latest?deleted=true&format=x',
    ]) {
      await read(get(`/subjects/orders/versions/${path}`), 'served');
      await read(get(`/subjects/orders/versions/${path}`, READER_BASIC), 'served');
    }
    await read(get('/subjects/a%2Fb/versions/1'), 'served');
    await read(get('/subjects/order-ref/versions/1'), 'served');
    await read(get('/subjects/order-ref/versions/1?format=resolved'), 'express');
    for (const path of [
      'orders/versions/2',
      'orders/versions/4',
      'orders/versions/0',
      'orders/versions/LATEST',
      'orders/versions/x',
      'gone/versions/latest',
      'nobody/versions/1',
      '%E0%A4%A/versions/1',
    ]) {
      await read(get(`/subjects/${path}`), 'express');
    }
  });

  it('lookups: the same text, another text of the same schema, flags, every body the parser judges', async () => {
    const lookup = (body: string | Buffer, headers: Record<string, string> = {}, path = '/subjects/orders') =>
      post(path, body, headers);
    await read(lookup(json({ schema: ORDERS[0] })), 'served');
    await read(lookup(json({ schema: JSON.stringify(JSON.parse(ORDERS[2]!), null, 2) })), 'served');
    await read(lookup(json({ schema: ORDERS[0], schemaType: 'AVRO', metadata: null })), 'served');
    await read(
      lookup(json({ schema: ORDERS[0] }), { 'Content-Type': 'application/json; charset=utf-8' }),
      'served',
    );
    await read(lookup(json({ schema: ORDERS[0] }), { 'Content-Type': 'application/octet-stream' }), 'served');
    await read({ ...lookup(json({ schema: ORDERS[0] })), headers: READER_BEARER }, 'served'); // no Content-Type
    await read(lookup(json({ schema: ORDERS[1] })), 'express'); // soft-deleted: 40403
    await read(lookup(json({ schema: ORDERS[1] }), {}, '/subjects/orders?deleted=true'), 'served');
    await read(lookup(json({ schema: ORDERS[0] }), {}, '/subjects/orders?normalize=true'), 'served');
    await read(lookup(json({ schema: record('Unknown') })), 'express');
    await read(
      lookup(json({ schema: ORDER_SCHEMA, references: [MONEY_REFERENCE] }), {}, '/subjects/order-ref'),
      'express',
    );
    await read(lookup(json({ schema: ORDERS[0] }), {}, '/subjects/nobody'), 'express');
    await read(lookup(json({ schema: ORDERS[0] }), READER_BASIC), 'served');
    for (const bad of [
      '{"schema":',
      '\uFEFF{"schema":1}',
      'null',
      '"x"',
      '[]',
      '{}',
      '{"schema":""}',
      '{"schema":"{"}',
      json({ schema: ORDERS[0], schemaType: 'PROTOBUF' }),
      json({ schema: ORDERS[0], references: 'x' }),
      json({ schema: ORDERS[0], ruleSet: { domainRules: [{}] } }),
    ]) {
      await read(lookup(bad), 'express');
    }
    await read(lookup(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])), 'express'); // not UTF-8
    await read(lookup(`\uFEFF${json({ schema: ORDERS[0] })}`), 'served'); // a BOM: dropped as body-parser does
    await read(lookup(json({ schema: ORDERS[0] }), { 'Content-Type': 'text/plain' }), 'express'); // 415
    await read(
      lookup(json({ schema: ORDERS[0] }), { 'Content-Type': 'application/json; charset=latin1' }),
      'express',
    );
    await read(lookup(gzipSync(json({ schema: ORDERS[0] })), { 'Content-Encoding': 'gzip' }), 'express');
    await read(
      { method: 'POST', path: '/subjects/orders', headers: { ...READER_BEARER, 'Content-Length': '0' } },
      'express',
    );
    await read(lookup(json({ schema: ORDERS[0] }), { Accept: 'text/html' }), 'express');
    await read(lookup(json({ schema: ORDERS[0] }), {}, '/subjects/orders/'), 'served');
  });

  it('handshakes and agreements, through lease writes and lease expiry', async () => {
    const shake = (body: unknown, headers: Record<string, string> = {}) =>
      post('/negotiation/subjects/orders', json(body), headers);
    await read(shake({ role: 'reader', supports: { schema: ORDERS[0] } }), 'served');
    await read(shake({ role: 'writer', supports: { range: '*' } }, READER_BASIC), 'served');
    await read(shake({ role: 'nobody' }), 'express');
    await read(
      post('/negotiation/subjects/nobody', json({ role: 'reader', supports: { range: '*' } })),
      'express',
    );
    await read(post('/negotiation/subjects/orders', '{"role":'), 'express');
    const agreement = (query = '', headers: Record<string, string> = READER_BEARER) =>
      get(`/negotiation/subjects/orders/agreement${query}`, headers);
    for (const query of [
      '',
      '?afterEpoch=0',
      '?afterEpoch=0&waitSeconds=5',
      '?afterEpoch=99&waitSeconds=0',
      '?other=1',
    ]) {
      await read(agreement(query), 'served');
    }
    for (const query of ['?afterEpoch=x', '?waitSeconds=1', '?afterEpoch=-1'])
      await read(agreement(query), 'express');
    // A reader that holds only v1 pins the agreement to it until its lease runs out.
    await write('PUT', '/negotiation/subjects/orders/participants/old-reader', {
      role: 'reader',
      supports: { versions: [1] },
      ttlSeconds: 30,
    });
    await read(agreement(), 'served');
    await read(shake({ role: 'writer', supports: { range: '*' } }), 'served');
    doors.clock.advance(31_000);
    // The lease ran out: the memoised agreement is not served; the first read persists the new epoch.
    const moved = await both(doors, agreement(), 1);
    assert.equal(moved.served, 0);
    await read(agreement(), 'served');
    await read(shake({ role: 'writer', supports: { range: '*' } }), 'served');
    await write('DELETE', '/negotiation/subjects/orders/participants/old-reader');
    await read(agreement(), 'served');
  });

  it('every write moves what the fast path answers', async () => {
    const watched = [
      get('/schemas/ids/3'),
      get('/schemas/ids/3?fetchMaxId=true'),
      get('/subjects/orders/versions/latest'),
      get('/subjects/orders/versions/3'),
      get('/subjects/orders/versions/2?deleted=true'),
      post('/subjects/orders', json({ schema: ORDERS[2] })),
      post('/subjects/orders', json({ schema: ORDERS[0] })),
      post('/negotiation/subjects/orders', json({ role: 'writer', supports: { range: '*' } })),
      get('/negotiation/subjects/orders/agreement'),
    ];
    const writes: Array<() => Promise<void>> = [
      () =>
        write('POST', '/subjects/orders/versions', {
          schema: record('Order', [{ name: 'd', type: 'int', default: 0 }]),
        }),
      () => write('DELETE', '/subjects/orders/versions/latest'),
      () => write('PUT', '/config/orders', { compatibility: 'NONE', normalize: true }),
      () => write('PUT', '/mode/orders', { mode: 'READONLY' }),
      () => write('DELETE', '/mode/orders'),
      () => write('DELETE', '/config/orders'),
      () => write('DELETE', '/subjects/orders/versions/3'),
      () => write('DELETE', '/subjects/orders/versions/3?permanent=true'),
      () => write('PUT', '/admin/max-schema-id', { maxSchemaId: 500 }),
      () => write('DELETE', '/subjects/orders'),
      () => write('DELETE', '/subjects/orders?permanent=true'),
      () => write('POST', '/subjects/orders/versions', { schema: ORDERS[0] }),
    ];
    for (const change of writes) {
      for (const call of watched) await both(doors, call);
      await change();
    }
    for (const call of watched) await both(doors, call);
  });

  it('credentials: missing, malformed, wrong, forbidden, throttled — answered alike', async () => {
    const paths = [
      '/schemas/ids/1',
      '/subjects/secret-x/versions/1',
      '/negotiation/subjects/secret-x/agreement',
    ];
    const refusals: Array<Record<string, string>> = [
      {},
      { Accept: 'application/json' },
      { Accept: 'text/html', Authorization: 'Bearer wrong-token' },
      { Authorization: 'Bearer wrong-token' },
      { Authorization: 'Basic !!!' },
      { Authorization: 'Basic bm9jb2xvbg==' },
      { Authorization: 'Digest x' },
      { Authorization: 'Bearer' },
    ];
    for (const path of paths) for (const headers of refusals) await read(get(path, headers), 'refused');
    await read(get('/subjects/secret-x/versions/1', LIMITED), 'refused'); // 403
    await read(get('/negotiation/subjects/secret-x/agreement', LIMITED), 'refused');
    await read(post('/subjects/secret-x', json({ schema: record('Secret') }), LIMITED), 'refused');
    await read(post('/subjects/secret-x', '{"schema":', LIMITED), 'express'); // 400 comes before 403
    await read(
      post('/negotiation/subjects/secret-x', json({ role: 'reader', supports: { range: '*' } }), LIMITED),
      'refused',
    );
    await read(get('/schemas/ids/4', LIMITED), 'served'); // ids need only the read role
    // Wrong passwords for one name: counted once per request whichever door, then 429 with Retry-After.
    doors.clock.advance(60_000); // every bucket full again
    const guess = { Authorization: basic('guesser', 'wrong') };
    await read(get('/schemas/ids/1', guess), 'express'); // scrypt decides: Express (twice: 2 failures)
    await both(doors, get('/schemas/ids/1', guess), 1); // the third
    await read(get('/schemas/ids/1', guess), 'refused'); // throttled, before any scrypt
    await read(
      get('/subjects/orders/versions/1', { Authorization: basic('guesser', 'right-pw') }),
      'refused',
    );
    doors.clock.advance(60_000);
    await read(get('/schemas/ids/1', { Authorization: basic('guesser', 'right-pw') }), 'served');
  });

  it('counts every request in the same metrics series', async () => {
    const f = await requestSeries(doors.fast, ADMIN);
    const e = await requestSeries(doors.express, ADMIN);
    assert.deepEqual(f, e);
    assert.ok(
      f.some((l) => l.includes('route="/schemas/ids/:id",status="200"')),
      f.join('\n'),
    );
    assert.ok(
      f.some((l) => l.includes('route="unmatched",status="401"')),
      f.join('\n'),
    );
    assert.ok(
      f.some((l) => l.includes('route="/subjects/:subject",status="403"')),
      f.join('\n'),
    );
  });
});
