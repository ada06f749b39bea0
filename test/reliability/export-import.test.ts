/**
 * Backup and restore through the CLI commands against real servers: `export` a registry with id reuse
 * across subjects, references, soft deletions, a hard-deleted id (a gap), subject and global configs
 * and modes; `import` it into an empty registry; every read endpoint then answers byte for byte the
 * same. Import into a non-empty registry is refused. `backup` makes a hot copy that serves the same.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { parseArgs } from '../../src/cli/args.js';
import { COMMON_OPTIONS, type Command } from '../../src/cli/command.js';
import { backupCommand } from '../../src/cli/commands/backup.js';
import { exportCommand } from '../../src/cli/commands/export.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { exportRegistry } from '../../src/registry/export-import.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { call } from './process-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'export-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function serve(
  databasePath = ':memory:',
): Promise<{ server: RegistryServer; http: Server; url: string }> {
  const server = checkResponses(
    await createRegistryServer(
      { ...DEFAULT_CONFIG, host: '127.0.0.1', databasePath },
      { logger: pino({ level: 'silent' }), clock: new ManualClock() },
    ),
  );
  const http = createServer(server.app).listen(0, '127.0.0.1');
  await once(http, 'listening');
  after(() => {
    http.close();
    server.close();
  });
  return { server, http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function runCommand(command: Command, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { cwd: dir, env: {}, stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
  const args = parseArgs(argv, [...command.options, ...COMMON_OPTIONS]);
  const code = await command.run({ io, args, format: 'human' });
  return { code, out: out.join(''), err: err.join('') };
}

const record = (name: string, fields: object[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.acme', fields });

async function populate(url: string): Promise<void> {
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(url, method, path, body);
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return res.body;
  };
  await ok('PUT', '/config', { compatibility: 'NONE' });
  const v1 = record('Order', [{ name: 'id', type: 'long' }]);
  await ok('POST', '/subjects/orders-value/versions', { schema: v1 });
  await ok('POST', '/subjects/orders-value/versions', {
    schema: record('Order', [
      { name: 'id', type: 'long' },
      { name: 'note', type: ['null', 'string'], default: null },
    ]),
  });
  await ok('POST', '/subjects/temp/versions', { schema: '"bytes"' });
  await ok('POST', '/subjects/orders-value/versions', {
    schema: record('Order', [
      { name: 'id', type: 'long' },
      { name: 'qty', type: 'int', default: 1 },
    ]),
  });
  await ok('POST', '/subjects/shared/versions', { schema: v1 }); // reuses id 1
  await ok('POST', '/subjects/refs/versions', {
    schema: record('Batch', [{ name: 'orders', type: { type: 'array', items: 'com.acme.Order' } }]),
    references: [{ name: 'com.acme.Order', subject: 'orders-value', version: 1 }],
  });
  await ok('DELETE', '/subjects/orders-value/versions/2');
  await ok('POST', '/subjects/gone/versions', { schema: '"double"' });
  await ok('DELETE', '/subjects/gone');
  // A hard-deleted subject leaves a hole in the ids.
  await ok('DELETE', '/subjects/temp');
  await ok('DELETE', '/subjects/temp?permanent=true');
  await ok('PUT', '/config/orders-value', { compatibility: 'FORWARD' });
  await ok('PUT', '/config/refs', { compatibility: 'FULL_TRANSITIVE', normalize: true });
  await ok('PUT', '/mode/shared', { mode: 'READONLY' });
}

/** Every read answer of the registry, as raw text, keyed by request. */
async function snapshot(url: string): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  const get = async (path: string) => {
    const res = await call(url, 'GET', path);
    answers.set(path, `${res.status} ${res.text}`);
    return res.body;
  };
  await get('/subjects');
  const subjects = (await get('/subjects?deleted=true')) as string[];
  await get('/config');
  await get('/mode');
  await get('/schemas?deleted=true');
  await get('/schemas');
  await get('/schemas/ids/1?fetchMaxId=true');
  for (const s of subjects) {
    const e = encodeURIComponent(s);
    await get(`/subjects/${e}/versions`);
    const versions = (await get(`/subjects/${e}/versions?deleted=true`)) as number[];
    await get(`/config/${e}`);
    await get(`/mode/${e}`);
    await get(`/subjects/${e}/versions/latest`);
    for (const v of versions) {
      await get(`/subjects/${e}/versions/${v}?deleted=true`);
      await get(`/subjects/${e}/versions/${v}`);
      await get(`/subjects/${e}/versions/${v}/schema?deleted=true`);
      await get(`/subjects/${e}/versions/${v}/referencedby`);
    }
  }
  for (let id = 1; id <= 8; id++) {
    await get(`/schemas/ids/${id}`);
    await get(`/schemas/ids/${id}/subjects?deleted=true`);
    await get(`/schemas/ids/${id}/versions?deleted=true`);
  }
  return answers;
}

test('export, import into an empty registry: every read answer is byte-identical', async () => {
  const source = await serve();
  await populate(source.url);
  const file = join(dir, 'export.json');
  const exported = await runCommand(exportCommand, ['--registry', source.url, '--output', file]);
  assert.equal(exported.code, 0, exported.err);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.format, 'proximadb-registry-export');
  assert.ok(
    doc.subjects.some((s: { subject: string }) => s.subject === 'gone'),
    'soft-deleted subjects are exported',
  );

  // The in-process export (service level) is the same document as the one read over HTTP.
  const inProcess = await exportRegistry(source.server.registry, new ManualClock());
  assert.deepEqual({ ...inProcess, exportedAt: '' }, { ...doc, exportedAt: '' });

  const target = await serve();
  const imported = await runCommand(importCommand, [file, '--registry', target.url]);
  assert.equal(imported.code, 0, imported.err);
  assert.match(imported.out, /imported 4 subjects, 6 versions \(2 soft-deleted\)/);

  const before = await snapshot(source.url);
  const afterImport = await snapshot(target.url);
  assert.ok(before.size > 60, `${before.size} answers compared`);
  for (const [path, answer] of before) assert.equal(afterImport.get(path), answer, path);

  // Idempotent safety: importing again into the now non-empty registry is refused, nothing changes.
  await assert.rejects(runCommand(importCommand, [file, '--registry', target.url]), /empty registry/);
  const again = await snapshot(target.url);
  for (const [path, answer] of before) assert.equal(again.get(path), answer, path);
});

test('ids hard-deleted at the top and settings of version-less subjects survive the round trip', async () => {
  const source = await serve();
  await populate(source.url);
  const ok = async (url: string, method: string, path: string, body?: unknown) => {
    const res = await call(url, method, path, body);
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return res.body as Record<string, unknown>;
  };
  // The newest id is hard-deleted everywhere: no exported version carries it.
  const { id: topId } = await ok(source.url, 'POST', '/subjects/scratch/versions', { schema: '"float"' });
  await ok(source.url, 'DELETE', '/subjects/scratch');
  await ok(source.url, 'DELETE', '/subjects/scratch?permanent=true');
  // Settings prepared for a subject that has no version yet.
  await ok(source.url, 'PUT', '/config/future-value', { compatibility: 'FULL' });
  await ok(source.url, 'PUT', '/mode/future-value', { mode: 'READONLY' });
  await ok(source.url, 'PUT', '/mode/mode-only', { mode: 'READONLY' });

  const file = join(dir, 'export-top.json');
  const exported = await runCommand(exportCommand, ['--registry', source.url, '--output', file]);
  assert.equal(exported.code, 0, exported.err);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.formatVersion, 2);
  assert.equal(doc.maxSchemaId, topId);
  assert.deepEqual(
    doc.subjects.find((s: { subject: string }) => s.subject === 'future-value'),
    { subject: 'future-value', config: { compatibilityLevel: 'FULL' }, mode: 'READONLY', versions: [] },
  );
  assert.ok(doc.subjects.some((s: { subject: string }) => s.subject === 'mode-only'));
  const inProcess = await exportRegistry(source.server.registry, new ManualClock());
  assert.deepEqual({ ...inProcess, exportedAt: '' }, { ...doc, exportedAt: '' });

  const target = await serve();
  const imported = await runCommand(importCommand, [file, '--registry', target.url]);
  assert.equal(imported.code, 0, imported.err);
  for (const path of ['/config/future-value', '/mode/future-value', '/mode/mode-only', '/subjects']) {
    assert.equal(
      (await call(target.url, 'GET', path)).text,
      (await call(source.url, 'GET', path)).text,
      path,
    );
  }
  assert.equal((await ok(target.url, 'GET', '/schemas/ids/1?fetchMaxId=true')).maxId, topId);
  // The next new schema gets a fresh id on both sides, never the one hard-deleted in the source.
  const next = { schema: '"string"' };
  const fromSource = await ok(source.url, 'POST', '/subjects/next/versions', next);
  const fromTarget = await ok(target.url, 'POST', '/subjects/next/versions', next);
  assert.equal(fromTarget.id, (topId as number) + 1);
  assert.equal(fromTarget.id, fromSource.id);
});

test('a version 1 export (no high-water mark) still imports', async () => {
  const source = await serve();
  await populate(source.url);
  const file = join(dir, 'export-v1.json');
  assert.equal((await runCommand(exportCommand, ['--registry', source.url, '--output', file])).code, 0);
  const { maxSchemaId: _dropped, ...v1 } = { ...JSON.parse(readFileSync(file, 'utf8')), formatVersion: 1 };
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, JSON.stringify(v1));
  const target = await serve();
  const imported = await runCommand(importCommand, [file, '--registry', target.url]);
  assert.equal(imported.code, 0, imported.err);
  assert.match(imported.out, /imported 4 subjects, 6 versions/);
  const future = JSON.stringify({ ...v1, formatVersion: 3 });
  writeFileSync(file, future);
  await assert.rejects(
    runCommand(importCommand, [file, '--registry', target.url]),
    /unsupported formatVersion 3/,
  );
});

test('an export file that is not one is refused before anything is written', async () => {
  const target = await serve();
  const bad = join(dir, 'bad.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    bad,
    JSON.stringify({
      format: 'proximadb-registry-export',
      formatVersion: 1,
      config: {},
      mode: 'READWRITE',
      subjects: [],
    }),
  );
  await assert.rejects(runCommand(importCommand, [bad, '--registry', target.url]), /compatibilityLevel/);
  writeFileSync(bad, '{"format":');
  await assert.rejects(runCommand(importCommand, [bad, '--registry', target.url]), /cannot read export file/);
  // A version 2 file whose high-water mark is below one of its own ids is inconsistent.
  const version = { version: 1, id: 9, schema: '"int"', deleted: false };
  writeFileSync(
    bad,
    JSON.stringify({
      format: 'proximadb-registry-export',
      formatVersion: 2,
      maxSchemaId: 5,
      config: { compatibilityLevel: 'BACKWARD' },
      mode: 'READWRITE',
      subjects: [{ subject: 's', config: null, mode: null, versions: [version] }],
    }),
  );
  await assert.rejects(
    runCommand(importCommand, [bad, '--registry', target.url]),
    /"maxSchemaId" must be an id no smaller than every exported id \(9\)/,
  );
  assert.equal((await call(target.url, 'GET', '/mode')).text, '{"mode":"READWRITE"}');
});

test('backup: a hot copy of a served file serves the same answers', async () => {
  const live = await serve(join(dir, 'live.db'));
  await populate(live.url);
  const copy = join(dir, 'copy.db');
  const res = await runCommand(backupCommand, [copy, '--db', join(dir, 'live.db')]);
  assert.equal(res.code, 0, res.err);
  await assert.rejects(runCommand(backupCommand, [copy, '--db', join(dir, 'live.db')]), /already exists/);
  const restored = await serve(copy);
  const a = await snapshot(live.url);
  const b = await snapshot(restored.url);
  for (const [path, answer] of a) assert.equal(b.get(path), answer, path);
});
