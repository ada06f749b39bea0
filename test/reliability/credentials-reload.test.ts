/**
 * AUTH_FILE is reloaded while the registry runs (issue #13): within a second of the file changing (the
 * clock here is a ManualClock; the file is looked at by the first request after the second) or at once
 * on reloadCredentials() / SIGHUP. The new users, rules and tokens take over in one step and every
 * remembered login is dropped with the old ones, on both doors (the fast path and Express); a file that
 * does not load changes nothing and is logged without its secrets. Last, the same with a real process
 * and SIGHUP, and with WORKERS=2 (the primary passes the signal on).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { hashPassword, hashToken } from '../../src/auth/credentials.js';
import { ManualClock } from '../../src/clock.js';
import { createRegistryServer } from '../../src/server.js';
import { record } from '../http/helpers.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';
import { call, startServerProcess, stopServerProcess, waitForLines } from './process-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FAST = { N: 1024 };
const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

async function credentials(readerPassword: string, tokens: Record<string, string>): Promise<string> {
  return JSON.stringify({
    users: [
      { name: 'admin', role: 'admin', tokens: [hashToken('admin-token')] },
      { name: 'reader', role: 'read', password: await hashPassword(readerPassword, FAST) },
      ...Object.entries(tokens).map(([name, token]) => ({ name, role: 'read', tokens: [hashToken(token)] })),
    ],
  });
}

describe('reloading AUTH_FILE', () => {
  it('takes over within a second of a change, on both doors, dropping every remembered login', async () => {
    const authFile = join(dir, 'in-process.json');
    writeFileSync(authFile, await credentials('old-pw', { bot: 'bot-token' }));
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
        done();
      },
    });
    const clock = new ManualClock();
    const server = checkResponses(
      await createRegistryServer(await testConfig({ authFile }), {
        clock,
        logger: pino({ level: 'info' }, sink),
      }),
    );
    const doors = { fast: request(server.handler), express: request(server.app) };
    const reg = await doors.express
      .post('/subjects/s/versions')
      .set('Authorization', 'Bearer admin-token')
      .send({ schema: record('Reloaded') });
    assert.equal(reg.status, 200, reg.text);
    const ask = (door: keyof typeof doors, authorization: string) =>
      doors[door].get('/schemas/ids/1').set('Authorization', authorization);

    for (const door of ['express', 'fast', 'fast'] as const) {
      assert.equal((await ask(door, basic('reader', 'old-pw'))).status, 200, door);
      assert.equal((await ask(door, 'Bearer bot-token')).status, 200, door);
    }
    const auth = server.fastPath;
    assert.ok(auth.stats.served >= 2, 'the fast path answered the remembered logins');

    // The file changes: reader's password and the bot's token. Not looked at again within the second...
    writeFileSync(authFile, await credentials('new-pw', { bot: 'bot-token-2' }));
    clock.advance(999);
    assert.equal((await ask('fast', basic('reader', 'old-pw'))).status, 200);
    // ...then the first request after it reloads, for both doors at once.
    clock.advance(1);
    for (const door of ['fast', 'express'] as const) {
      assert.equal((await ask(door, basic('reader', 'old-pw'))).status, 401, `${door}: old password`);
      assert.equal((await ask(door, 'Bearer bot-token')).status, 401, `${door}: old token`);
      assert.equal((await ask(door, 'Bearer bot-token-2')).status, 200, `${door}: new token`);
    }
    assert.equal((await ask('express', basic('reader', 'new-pw'))).status, 200);
    assert.equal((await ask('fast', basic('reader', 'new-pw'))).status, 200);
    assert.ok(
      lines.some((l) => /Credentials reloaded/.test(String(l.msg))),
      'the reload is logged',
    );

    // A file that does not load changes nothing; its error names no secret.
    writeFileSync(authFile, '{"users": [ {"name": "reader", "role": "read", "password": "new-pw"');
    clock.advance(1000);
    assert.equal((await ask('fast', basic('reader', 'new-pw'))).status, 200, 'still the credentials before');
    assert.equal(server.reloadCredentials(), false);
    const failed = lines.filter((l) => /Credentials not reloaded/.test(String(l.msg)));
    assert.equal(failed.length, 2, 'the changed file once, the forced reload once');
    assert.ok(!JSON.stringify(failed).includes('new-pw'));

    // reloadCredentials() (SIGHUP) takes a good file at once, without waiting for the second.
    writeFileSync(authFile, await credentials('third-pw', {}));
    assert.equal(server.reloadCredentials(), true);
    assert.equal((await ask('fast', basic('reader', 'new-pw'))).status, 401);
    assert.equal((await ask('fast', basic('reader', 'third-pw'))).status, 200);
    await server.close();
  });

  for (const workers of ['1', '2']) {
    it(`a running server process takes the new file on SIGHUP (WORKERS=${workers})`, async () => {
      const authFile = join(dir, `process-${workers}.json`);
      writeFileSync(authFile, await credentials('pw-1', {}));
      const proc = await startServerProcess({
        AUTH_FILE: authFile,
        DATABASE_PATH: join(dir, `process-${workers}.db`),
        WORKERS: workers,
      });
      try {
        const headers = (pw: string) => ({ Authorization: basic('reader', pw) });
        const seen = () => proc.lines.filter((l) => l.includes('Credentials reloaded')).length;
        await waitForLines(proc, (l) => l.includes('listening on'), Number(workers));
        // Every worker checks (and remembers) the first password.
        for (let i = 0; i < 4; i++)
          assert.equal((await call(proc.url, 'GET', '/subjects', undefined, headers('pw-1'))).status, 200);
        writeFileSync(authFile, await credentials('pw-2', {}));
        // Rewritten in the same second as the start, a change of size and time is what the poll sees;
        // the signal makes it immediate and independent of time.
        proc.child.kill('SIGHUP');
        await waitForLines(proc, (l) => l.includes('Credentials reloaded'), Number(workers));
        assert.ok(seen() >= Number(workers));
        for (let i = 0; i < 4; i++) {
          assert.equal((await call(proc.url, 'GET', '/subjects', undefined, headers('pw-1'))).status, 401);
          assert.equal((await call(proc.url, 'GET', '/subjects', undefined, headers('pw-2'))).status, 200);
        }
        assert.equal(proc.child.exitCode, null, 'SIGHUP does not stop the server');
      } finally {
        await stopServerProcess(proc, 'SIGTERM');
      }
    });
  }
});
