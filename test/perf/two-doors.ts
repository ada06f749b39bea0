/**
 * The harness of the differential test (two-doors.test.ts): two registries built the same way on two
 * fresh databases of the run's backend, one behind the pre-router fast path (`door F`, the default) and
 * one with `fastPath: 'off'` (`door E`, Express alone), sharing one ManualClock, one credentials file
 * and the same write history. Every request is sent to both, byte for byte the same, over real
 * loopback HTTP; the answers, the request log lines and the metrics must agree.
 */
import assert from 'node:assert/strict';
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ManualClock } from '../../src/clock.js';
import type { RegistryConfig } from '../../src/config.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';

export interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Sent as is (a Content-Length header is added unless `headers` has one). */
  readonly body?: string | Buffer;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** The headers clients read, as received (repeated headers as arrays). */
export const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'www-authenticate',
  'retry-after',
  'allow',
  'x-request-id',
] as const;

export interface Door {
  readonly name: 'F' | 'E';
  readonly server: RegistryServer;
  readonly logLines: Array<Record<string, unknown>>;
  send(call: Call): Promise<Answer>;
}

async function open(
  name: 'F' | 'E',
  clock: ManualClock,
  overrides: Partial<RegistryConfig>,
): Promise<{ door: Door; close(): Promise<void> }> {
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logLines.push(JSON.parse(line));
      done();
    },
  });
  const config = await testConfig({ ...overrides, databasePath: ':memory:', logLevel: 'info' });
  const server = checkResponses(
    await createRegistryServer(config, {
      clock,
      logger: pino({ level: 'info' }, sink),
      ...(name === 'E' ? { fastPath: 'off' as const } : {}),
    }),
  );
  // The Express door is Express exactly as Express enters it (`server.app`, with its prototype switch),
  // so the corpus also proves the production door's way into Express (express-listener.ts) changes nothing.
  const http: Server = createServer(name === 'E' ? server.app : server.handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (call: Call) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = { ...call.headers };
      if (
        call.body !== undefined &&
        !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')
      ) {
        headers['Content-Length'] = String(Buffer.byteLength(call.body));
      }
      const req = httpRequest(
        { host: '127.0.0.1', port, method: call.method, path: call.path, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(call.body);
    });
  return {
    door: { name, server, logLines, send },
    async close() {
      agent.destroy();
      await new Promise((resolve) => http.close(resolve));
      await server.close();
    },
  };
}

export interface TwoDoors {
  readonly fast: Door;
  readonly express: Door;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

export async function openTwoDoors(overrides: Partial<RegistryConfig>): Promise<TwoDoors> {
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  const f = await open('F', clock, overrides);
  const e = await open('E', clock, overrides);
  return {
    fast: f.door,
    express: e.door,
    clock,
    async close() {
      await f.close();
      await e.close();
    },
  };
}

/** What a request's log line says, without what differs by nature (time, duration, process). */
function logged(door: Door, reqId: string): Record<string, unknown> | undefined {
  const lines = door.logLines.filter((l) => l.reqId === reqId);
  assert.ok(lines.length <= 1, `${door.name}: ${lines.length} log lines for ${reqId}`);
  const line = lines[0];
  if (line === undefined) return undefined;
  const { time: _t, ms: _ms, pid: _p, hostname: _h, ...rest } = line;
  return rest;
}

let sequence = 0;

/**
 * Sends `call` to both doors `times` times (the first may fill caches, the repeats are the fast path's
 * to answer) and requires the same status, headers clients read, body and log line each time.
 * Returns door F's answers and how many of them the fast path answered itself.
 */
export async function both(
  doors: TwoDoors,
  call: Call,
  times = 2,
): Promise<{ answers: Answer[]; served: number; refused: number }> {
  const answers: Answer[] = [];
  const before = { ...doors.fast.server.fastPath.stats };
  for (let i = 0; i < times; i++) {
    const reqId = `two-doors-${++sequence}`;
    const withId = { ...call, headers: { 'X-Request-Id': reqId, ...call.headers } };
    const f = await doors.fast.send(withId);
    const e = await doors.express.send(withId);
    const label = `${call.method} ${call.path} ${JSON.stringify(call.headers ?? {})} ${call.body === undefined ? '' : JSON.stringify(String(call.body).slice(0, 80))} (#${i + 1})`;
    assert.equal(f.status, e.status, `status: ${label}\nF: ${f.text}\nE: ${e.text}`);
    assert.equal(f.text, e.text, `body: ${label}`);
    for (const h of COMPARED_HEADERS) assert.deepEqual(f.headers[h], e.headers[h], `${h}: ${label}`);
    assert.deepEqual(logged(doors.fast, reqId), logged(doors.express, reqId), `log line: ${label}`);
    answers.push(f);
  }
  const after = doors.fast.server.fastPath.stats;
  return { answers, served: after.served - before.served, refused: after.refused - before.refused };
}

/** `http_requests_total` and the duration histogram's counts, as each door's /metrics reports them. */
export async function requestSeries(door: Door, headers: Record<string, string>): Promise<string[]> {
  const res = await door.send({ method: 'GET', path: '/metrics', headers });
  assert.equal(res.status, 200, res.text);
  return res.text
    .split('\n')
    .filter((l) => /^http_requests_total\{|^http_request_duration_seconds_count\{/.test(l))
    .filter((l) => !l.includes('route="/metrics"'))
    .sort();
}
