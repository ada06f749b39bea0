import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { type LoggerOptions, pino } from 'pino';
import { BatchedFdDestination, RequestLineWriter } from './log-output.js';

function capture(options: LoggerOptions) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ timestamp: () => ',"time":1700000000000', ...options }, sink), lines };
}

const CASES: Array<[string, string, string, number, number, string | undefined]> = [
  ['GET', '/schemas/ids/1', '/schemas/ids/:id', 200, 0.05, undefined],
  ['POST', '/subjects/a"b\\c', '/subjects/:subject', 403, 1.5, 'user "quoted"'],
  ['GET', `/subjects/${'x'.repeat(120)}`, 'unmatched', 401, 0, undefined],
  ['GET', '/subjects/\u0001ctl', '/subjects/:subject/versions/:version', 404, 12, 'ünïcødé'],
  ['GET', '/subjects/\uD800lone', '/x', 500, Number.NaN, '\uDC00'],
  ['PUT', '/config', '/config', 200, Number.POSITIVE_INFINITY, ''],
];

test('request lines are the very text pino writes for the same object', () => {
  const base = { base: { pid: 42, service: 'proximadb-registry' } };
  for (const options of [
    base,
    { ...base, redact: { paths: ['authorization', 'password', 'token', 'req.headers.authorization'] } },
    { level: 'info' },
  ] as LoggerOptions[]) {
    const direct = capture(options);
    const viaPino = capture(options);
    const writer = new RequestLineWriter(direct.logger);
    assert.equal((writer as unknown as { plain: boolean }).plain, true);
    for (const [method, path, route, status, ms, user] of CASES) {
      const msg = status >= 500 ? 'request failed' : 'request';
      writer.write(writer.shape(method, path, route, status, msg), 'req-1', ms, user);
      const fields = {
        reqId: 'req-1',
        method,
        path,
        route,
        status,
        ms,
        ...(user === undefined ? {} : { user }),
      };
      if (status >= 500) viaPino.logger.error(fields, msg);
      else viaPino.logger.info(fields, msg);
    }
    assert.deepEqual(direct.lines, viaPino.lines);
    assert.equal(direct.lines.length, CASES.length);
  }
});

test('a logger whose output could differ is written through pino itself', () => {
  for (const options of [
    { mixin: () => ({ extra: 1 }) },
    { formatters: { log: (o: object) => ({ ...o, shaped: true }) } },
    { serializers: { path: () => 'hidden' } },
    { messageKey: 'message' },
  ] as LoggerOptions[]) {
    const direct = capture(options);
    const viaPino = capture(options);
    const writer = new RequestLineWriter(direct.logger);
    assert.equal(
      (writer as unknown as { plain: boolean }).plain,
      false,
      JSON.stringify(Object.keys(options)),
    );
    writer.write(writer.shape('GET', '/p', '/p', 200, 'request'), 'req-2', 1, 'u');
    viaPino.logger.info(
      { reqId: 'req-2', method: 'GET', path: '/p', route: '/p', status: 200, ms: 1, user: 'u' },
      'request',
    );
    assert.deepEqual(direct.lines, viaPino.lines);
  }
});

test('lines below the level are not written', () => {
  const { logger, lines } = capture({ level: 'warn' });
  const writer = new RequestLineWriter(logger);
  writer.write(writer.shape('GET', '/', '/', 200, 'request'), 'r', 1, undefined);
  writer.write(writer.shape('GET', '/', '/', 503, 'request failed'), 'r', 1, undefined);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /"level":50/);
});

test('standard output: the lines of a turn in one write, in order, the rest at exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-output-'));
  try {
    const path = join(dir, 'out.log');
    const out = new BatchedFdDestination(openSync(path, 'w'));
    for (let i = 0; i < 1000; i++) out.write(`{"n":${i}}\n`);
    assert.equal(readFileSync(path, 'utf8'), '', 'nothing written during the turn');
    await new Promise((resolve) => setImmediate(resolve));
    const text = readFileSync(path, 'utf8');
    assert.equal(text.split('\n').filter(Boolean).length, 1000);
    assert.deepEqual(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { n: number }).n),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    out.write(`{"long":"${'y'.repeat(100_000)}"}\n`); // larger than a batch: written on its own
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(readFileSync(path, 'utf8').split('\n').filter(Boolean).length, 1001);
    // A process that logs and exits in the same turn loses nothing.
    const script =
      "const { createLogger } = await import('./src/http/request-log.ts'); const l = createLogger({ level: 'info' }); l.info('first'); l.info('last'); process.exit(0);";
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    assert.deepEqual(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
      ['first', 'last'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
