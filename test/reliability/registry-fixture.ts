/**
 * A populated registry to copy and compare: `populate` writes ids reused across subjects, references,
 * soft deletions, a hard-deleted id (a gap), subject and global configs and modes; `snapshot` reads
 * every read answer as raw text. Shared by the export/import and backup tests.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after } from 'node:test';
import { pino } from 'pino';
import { parseArgs } from '../../src/cli/args.js';
import { COMMON_OPTIONS, type Command } from '../../src/cli/command.js';
import { ManualClock } from '../../src/clock.js';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { listen } from '../support/listening.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';
import { call } from './process-harness.js';

/** Servers on the run's backend and CLI commands run in-process, with `dir` as the working directory. */
export function registryFixture(dir: string) {
  async function serve(
    databasePath = ':memory:',
  ): Promise<{ server: RegistryServer; http: Server; url: string }> {
    const server = checkResponses(
      await createRegistryServer(await testConfig({ host: '127.0.0.1', databasePath }), {
        logger: pino({ level: 'silent' }),
        clock: new ManualClock(),
      }),
    );
    const { http, url, stop } = await listen(server);
    after(stop);
    return { server, http, url };
  }

  async function runCommand(command: Command, argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io = { cwd: dir, env: {}, stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    const args = parseArgs(argv, [...command.options, ...COMMON_OPTIONS]);
    const code = await command.run({ io, args, format: 'human' });
    return { code, out: out.join(''), err: err.join('') };
  }

  return { serve, runCommand };
}

const record = (name: string, fields: object[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.acme', fields });

export async function populate(url: string): Promise<void> {
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
export async function snapshot(url: string): Promise<Map<string, string>> {
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
