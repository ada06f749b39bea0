/**
 * The entry point: start-up from the environment, one start-up line, graceful shutdown that lets an
 * in-flight request finish, and one-line refusals with exit code 2 for bad configuration.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import supertest from 'supertest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { startRegistry } from '../../src/index.js';
import { checkResponses } from '../support/openapi-responses.js';

const dir = mkdtempSync(join(tmpdir(), 'registry-lifecycle-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const entry = join(import.meta.dirname, '..', '..', 'src', 'index.ts');

function runEntry(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('startRegistry (in process)', () => {
  it('finishes an in-flight request during shutdown, refuses new connections, closes the database', async () => {
    const running = await startRegistry({
      ...DEFAULT_CONFIG,
      port: 0,
      host: '127.0.0.1',
      databasePath: ':memory:',
      logLevel: 'silent',
    });
    const { port } = new URL(running.url);
    const body = JSON.stringify({ schema: '"string"' });
    // Send the headers and half the body: the request is now in flight inside the server.
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/subjects/inflight/versions',
      headers: {
        'Content-Type': 'application/vnd.schemaregistry.v1+json',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    const response = once(req, 'response');
    const arrived = once(running.http, 'request');
    req.write(body.slice(0, 5));
    await arrived;
    assert.equal((await supertest(checkResponses(running.server).app).get('/health/ready')).status, 200);

    const stopped = running.shutdown();
    // Draining: readiness fails at once, while the database is still open and serving the request.
    const ready = await supertest(checkResponses(running.server).app).get('/health/ready');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body, { error_code: 503, message: 'Not ready: starting up or shutting down' });
    assert.equal((await supertest(checkResponses(running.server).app).get('/health/live')).status, 200);
    let stoppedEarly = false;
    void stopped.then(() => {
      stoppedEarly = true;
    });
    // New connections are refused once shutdown began.
    await assert.rejects(fetch(`${running.url}/`));
    // Shutdown is waiting for the request: it has not resolved and the database is still open.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stoppedEarly, false);
    assert.equal(running.server.db?.open, true);
    req.end(body.slice(5));
    const [res] = (await response) as [import('node:http').IncomingMessage];
    let text = '';
    for await (const chunk of res) text += chunk;
    assert.equal(res.statusCode, 200);
    assert.equal(text, '{"id":1}');
    await stopped;
    assert.equal(running.server.db?.open, false);
  });
});

describe('the entry point (child process)', () => {
  it('starts from the environment, logs the URL once, and exits 0 on SIGTERM', async () => {
    const dbPath = join(dir, 'nested', 'deeper', 'registry.db');
    const proc = runEntry({ PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: dbPath, LOG_LEVEL: 'info' });
    while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(proc.out())) {
      await Promise.race([once(proc.child.stdout, 'data'), proc.exited]);
      assert.equal(proc.child.exitCode, null, proc.err());
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.out())?.[1];
    const res = await fetch(`${url}/subjects`);
    assert.deepEqual(await res.json(), []);
    assert.ok(existsSync(dbPath), 'the parent directories and the database file were created');
    proc.child.kill('SIGTERM');
    const [code] = await proc.exited;
    assert.equal(code, 0, proc.err());
    assert.equal(proc.out().match(/listening on/g)?.length, 1);
  });

  // One case here (each child costs a tsx start-up); src/config.test.ts covers every variable.
  for (const [name, value] of [['DEFAULT_COMPATIBILITY', 'SOMETIMES']] as const) {
    it(`refuses ${name}=${value}: one line on stderr naming it, exit code 2`, async () => {
      const proc = runEntry({ [name]: value, DATABASE_PATH: join(dir, 'unused.db') });
      const [code] = await proc.exited;
      assert.equal(code, 2);
      const lines = proc.err().trimEnd().split('\n');
      assert.equal(lines.length, 1, proc.err());
      assert.match(lines[0] ?? '', new RegExp(`^Invalid ${name}=`));
      assert.equal(existsSync(join(dir, 'unused.db')), false);
    });
  }
});
