/**
 * Operations endpoints and logs: liveness/readiness, Prometheus metrics (route templates, registrations,
 * compatibility failures, cache lookups), structured request logs with a request id, and the start-up
 * refusal of a corrupt database file.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import request from 'supertest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { parseLogLevel } from '../../src/http/request-log.js';
import { createRegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { startServerProcess } from './process-harness.js';

const CT = 'application/vnd.schemaregistry.v1+json';
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _e, done) {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
    done();
  },
});
const server = checkResponses(
  await createRegistryServer(
    { ...DEFAULT_CONFIG, host: '127.0.0.1', databasePath: ':memory:' },
    { logger: pino({ level: 'info' }, sink) },
  ),
);
after(() => server.close());
const app = server.app;

describe('health', () => {
  it('live and ready answer 200 on a working server; ready is 503 in the envelope once closed', async () => {
    const temp = checkResponses(
      await createRegistryServer(
        { ...DEFAULT_CONFIG, host: '127.0.0.1', databasePath: ':memory:' },
        { logger: pino({ level: 'silent' }) },
      ),
    );
    assert.deepEqual((await request(temp.app).get('/health/live')).body, { status: 'UP' });
    assert.equal((await request(temp.app).get('/health/ready')).status, 200);
    temp.close();
    const ready = await request(temp.app).get('/health/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.error_code, 503);
    assert.equal((await request(temp.app).get('/health/live')).status, 200, 'the process is still live');
  });
});

describe('metrics', () => {
  it('counts requests by route template, registrations, compatibility failures and cache lookups', async () => {
    const reg = (subject: string, schema: string) =>
      request(app)
        .post(`/subjects/${subject}/versions`)
        .set('Content-Type', CT)
        .send(JSON.stringify({ schema }));
    const v1 = JSON.stringify({ type: 'record', name: 'M', fields: [{ name: 'a', type: 'int' }] });
    const v2 = JSON.stringify({ type: 'record', name: 'M', fields: [{ name: 'b', type: 'string' }] });
    assert.equal((await reg('metrics-one', v1)).status, 200);
    assert.equal((await reg('metrics-two', v1)).status, 200);
    assert.equal((await reg('metrics-one', v2)).status, 409);
    const check = await request(app)
      .post('/compatibility/subjects/metrics-one/versions/latest')
      .set('Content-Type', CT)
      .send(JSON.stringify({ schema: v2 }));
    assert.equal(check.body.is_compatible, false);
    await request(app).get('/no/such/route');

    const res = await request(app).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /text\/plain/);
    const text = res.text;
    assert.match(
      text,
      /http_requests_total\{method="POST",route="\/subjects\/:subject\/versions",status="200"\} 2/,
    );
    assert.match(
      text,
      /http_requests_total\{method="POST",route="\/subjects\/:subject\/versions",status="409"\} 1/,
    );
    assert.match(text, /http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    assert.ok(!text.includes('metrics-one'), 'raw subjects never become label values');
    assert.match(
      text,
      /http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/subjects\/:subject\/versions",status="200"\}/,
    );
    assert.match(text, /registry_registrations_total\{result="ok"\} 2/);
    assert.match(text, /registry_registrations_total\{result="incompatible"\} 1/);
    assert.match(text, /registry_compatibility_failures_total\{endpoint="register"\} 1/);
    assert.match(text, /registry_compatibility_failures_total\{endpoint="check"\} 1/);
    const hits = /registry_cache_lookups_total\{cache="compatibility",result="hit"\} (\d+)/.exec(text);
    const misses = /registry_cache_lookups_total\{cache="compatibility",result="miss"\} (\d+)/.exec(text);
    assert.ok(hits && misses, 'cache lookups are exported');
    assert.ok(Number(hits[1]) + Number(misses[1]) >= 2, 'two compatibility checks went through the cache');
    const parsed = /registry_cache_bytes\{cache="parsed_schemas"\} (\d+)/.exec(text);
    assert.ok(parsed && Number(parsed[1]) > 0, 'estimated cache sizes are exported');
    for (const cache of ['schema_rows', 'scope_facts', 'candidates', 'compatibility', 'response_bytes'])
      assert.match(text, new RegExp(`registry_cache_bytes\\{cache="${cache}"\\} \\d+`));
    assert.match(text, /process_cpu_seconds_total/);
  });
});

describe('request logs', () => {
  it('one JSON line per request with a request id, echoed back; a sane caller id is kept', async () => {
    const mine = await request(app).get('/subjects').set('X-Request-Id', 'trace-abc.123');
    assert.equal(mine.headers['x-request-id'], 'trace-abc.123');
    const generated = await request(app).get('/subjects?token=very-secret-query');
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const hostile = await request(app)
      .get('/subjects')
      .set('X-Request-Id', `${'x'.repeat(200)}`);
    assert.match(String(hostile.headers['x-request-id']), /^[0-9a-f-]{36}$/, 'an over-long id is replaced');
    const entries = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.reqId !== undefined);
    const entry = entries.find((e) => e.reqId === 'trace-abc.123');
    assert.ok(entry);
    assert.equal(entry.method, 'GET');
    assert.equal(entry.path, '/subjects');
    assert.equal(entry.status, 200);
    assert.equal(typeof entry.ms, 'number');
    assert.equal(entry.level, 30);
    assert.ok(!lines.join('').includes('very-secret-query'), 'query strings are not logged');
  });

  it('LOG_LEVEL picks the level; an unknown one falls back to info', () => {
    assert.equal(parseLogLevel('DEBUG'), 'debug');
    assert.equal(parseLogLevel('silent'), 'silent');
    assert.equal(parseLogLevel('verbose'), 'info');
    assert.equal(parseLogLevel(undefined), 'info');
  });
});

describe('integrity at start-up', () => {
  it('a corrupt database file is refused with a clear message and a non-zero exit', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'corrupt-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'registry.db');
    const db = new Database(path);
    db.exec('CREATE TABLE filler (x TEXT); CREATE INDEX filler_x ON filler(x);');
    const insert = db.prepare('INSERT INTO filler VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`${i}-${'y'.repeat(300)}`);
    })();
    db.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, 40 * 4096);
    closeSync(fd);
    await assert.rejects(startServerProcess({ DATABASE_PATH: path }), (e: Error) => {
      assert.match(
        e.message,
        /Refusing to serve: the database file .*registry\.db failed its integrity check/,
      );
      assert.match(e.message, /code 1/);
      return true;
    });
  });
});
