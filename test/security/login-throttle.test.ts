/**
 * Failed logins are throttled per client address and per user name (issue #17), answering 429 in the
 * error envelope with Retry-After, without slowing valid clients: successful checks never count, a
 * credential verified before always passes, failures on one user never hold back another user's login
 * from another address, and a valid bearer token always passes. Clients use distinct loopback
 * addresses (127.0.0.x, bound with `localAddress`); time is a ManualClock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateToken, hashPassword } from '../../src/auth/credentials.js';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';

const dir = mkdtempSync(join(tmpdir(), 'throttle-'));
const FAST = { N: 1024 };
const token = generateToken();
const authFile = join(dir, 'credentials.json');
writeFileSync(
  authFile,
  JSON.stringify({
    users: [
      { name: 'ann', role: 'admin', password: await hashPassword('ann-pw', FAST) },
      { name: 'bob', role: 'read', password: await hashPassword('bob-pw', FAST) },
      { name: 'cat', role: 'read', password: await hashPassword('cat-pw', FAST) },
      { name: 'dan', role: 'read', password: await hashPassword('dan-pw', FAST) },
      { name: 'bot', role: 'read', tokens: [token.hash] },
    ],
  }),
);
const LIMIT = 3;
const WINDOW_S = 60;
const clock = new ManualClock();
let server: RegistryServer;
let http: Server;
let port: number;

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: unknown;
}

function get(from: string, authorization?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/subjects', localAddress: from, headers, agent: false },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            body: JSON.parse(text),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const basic = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

before(async () => {
  server = checkResponses(
    await createRegistryServer(
      {
        ...DEFAULT_CONFIG,
        logLevel: 'silent',
        databasePath: ':memory:',
        authFile,
        loginFailureLimit: LIMIT,
        loginFailureWindowSeconds: WINDOW_S,
      },
      { clock },
    ),
  );
  http = createServer(server.handler).listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  port = (http.address() as AddressInfo).port;
});

after(async () => {
  await new Promise((r) => http.close(r));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function assertThrottled(answer: Answer, seconds: number): void {
  assert.equal(answer.status, 429, JSON.stringify(answer));
  assert.equal(answer.retryAfter, String(seconds));
  assert.deepEqual(answer.body, {
    error_code: 429,
    message: `Too many failed authentication attempts; retry after ${seconds} seconds`,
  });
}

describe('failed logins are throttled', () => {
  it('per user name: LIMIT failures, then 429 with Retry-After until a refill step passed', async () => {
    // bob logs in once from .1 (remembered), then someone fails on bob from .2, .3, .4.
    assert.equal((await get('127.0.0.1', basic('bob', 'bob-pw'))).status, 200);
    for (const [i, from] of ['127.0.0.2', '127.0.0.3', '127.0.0.4'].entries()) {
      assert.equal((await get(from, basic('bob', `guess${i}`))).status, 401);
    }
    // The name is held back from any address, even with the right password if never verified there...
    assertThrottled(await get('127.0.0.5', basic('bob', 'guess3')), WINDOW_S / LIMIT);
    // ...but the credential verified before passes at once: guessing needs the password.
    assert.equal((await get('127.0.0.5', basic('bob', 'bob-pw'))).status, 200);
    // Another user from another address is not held back by bob's failures.
    assert.equal((await get('127.0.0.6', basic('cat', 'cat-pw'))).status, 200);
    clock.advance((WINDOW_S / LIMIT) * 1000);
    assert.equal((await get('127.0.0.5', basic('bob', 'guess4'))).status, 401);
    assertThrottled(await get('127.0.0.5', basic('bob', 'guess5')), WINDOW_S / LIMIT);
  });

  it('per address: a guesser spraying names is held back; other addresses are not', async () => {
    clock.advance(WINDOW_S * 1000);
    for (const name of ['x1', 'x2', 'x3'])
      assert.equal((await get('127.0.0.20', basic(name, 'pw'))).status, 401);
    assertThrottled(await get('127.0.0.20', basic('x4', 'pw')), WINDOW_S / LIMIT);
    assertThrottled(await get('127.0.0.20', 'Bearer not-a-token'), WINDOW_S / LIMIT);
    assertThrottled(await get('127.0.0.20', 'Basic !!!'), WINDOW_S / LIMIT);
    assert.equal((await get('127.0.0.21', basic('dan', 'dan-pw'))).status, 200);
    // A valid bearer token always passes (checking one costs a hash; guessing one is hopeless).
    assert.equal((await get('127.0.0.20', `Bearer ${token.token}`)).status, 200);
    // Neither does a credential verified before wait at the throttled address.
    assert.equal((await get('127.0.0.20', basic('dan', 'dan-pw'))).status, 200);
  });

  it('successes and requests without credentials never count', async () => {
    clock.advance(WINDOW_S * 1000);
    for (let i = 0; i < 20; i++) {
      assert.equal((await get('127.0.0.30', basic('cat', 'cat-pw'))).status, 200);
      assert.equal((await get('127.0.0.30')).status, 401);
    }
    for (let i = 0; i < LIMIT; i++) assert.equal((await get('127.0.0.30', basic('cat', 'nope'))).status, 401);
    assert.equal((await get('127.0.0.30', basic('cat', 'nope'))).status, 429);
    // The missing-credentials answer stays a plain 401 challenge.
    const missing = await get('127.0.0.30');
    assert.equal(missing.status, 401);
    assert.equal(missing.retryAfter, undefined);
  });
});
