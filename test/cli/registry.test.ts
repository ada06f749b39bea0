/**
 * The registry-facing commands against a live registry started by the test (in-memory database,
 * loopback, port 0): `register`, `check --registry --subject` with the subject's configured level,
 * `config`, `fetch` and `negotiate`.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRegistryServer, type RegistryServer } from '../../src/server.js';
import { checkResponses } from '../support/openapi-responses.js';
import { testConfig } from '../support/test-store.js';
import { oneLineError, REPO_ROOT, runCli, tempDir } from './cli-process.js';

const MASTER = join(REPO_ROOT, 'schemas', 'proximadb_core.avsc');

const point = (fields: string) => `{"type": "record", "name": "Point", "fields": [${fields}]}`;
const P1 = point('{"name": "x", "type": "int"}');
const P2 = point('{"name": "x", "type": "int"}, {"name": "y", "type": "string", "default": ""}');
// Reads P2 data (y present) but not P1 data (y missing and no default).
const P3 = point('{"name": "x", "type": "int"}, {"name": "y", "type": "string"}');

describe('registry commands against a live registry', () => {
  const dir = tempDir('pdb-cli-registry');
  let server: RegistryServer;
  let http: Server;
  let url = '';
  const cli = (...args: string[]) => runCli([...args, '--registry', url], { cwd: dir.path });

  before(async () => {
    server = checkResponses(await createRegistryServer(await testConfig({ host: '127.0.0.1', port: 0 }), {}));
    http = createServer(server.handler);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    writeFileSync(join(dir.path, 'p1.avsc'), P1);
    writeFileSync(join(dir.path, 'p2.avsc'), P2);
    writeFileSync(join(dir.path, 'p3.avsc'), P3);
  });
  after(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
    server.close();
    dir.remove();
  });

  test('register adds versions; an incompatible schema is refused with exit 1', async () => {
    const first = await cli('register', 'core', MASTER);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /under core: version 1, id \d+\./);

    const v2 = readFileSync(MASTER, 'utf8').replace('"type": "float"', '"type": "int"');
    writeFileSync(join(dir.path, 'core-v2.avsc'), v2);
    const refused = await cli('register', 'core', 'core-v2.avsc');
    assert.equal(refused.code, 1);
    assert.match(oneLineError(refused), /incompatible with an earlier schema for subject "core"/);

    for (const file of ['p1.avsc', 'p2.avsc']) {
      const run = await cli('register', 'points', file, '--format', 'json');
      assert.equal(run.code, 0, run.stderr);
    }
  });

  test("check --registry gates against the subject's live versions under its configured level", async () => {
    const gate = await cli('check', 'core-v2.avsc', '--subject', 'core', '--format', 'github');
    assert.equal(gate.code, 1);
    assert.match(
      gate.stdout,
      /^::error file=core-v2\.avsc,line=\d+,title=TYPE_MISMATCH::ai\.proximadb\.SearchResult: reader type: INT not compatible with writer type: FLOAT/m,
    );
    assert.match(gate.stdout, /INCOMPATIBLE with registry:core under BACKWARD \(version 1\)/);

    // P3 reads the latest (P2) but not P1: BACKWARD passes, BACKWARD_TRANSITIVE fails at version 1.
    const latest = await cli('check', 'p3.avsc', '--subject', 'points');
    assert.equal(latest.code, 0, latest.stdout);
    assert.match(latest.stdout, /compatible with registry:points under BACKWARD \(version 2\)/);

    const set = await cli('config', 'points', '--set', 'backward_transitive');
    assert.equal(set.code, 0, set.stderr);
    const transitive = await cli('check', 'p3.avsc', '--subject', 'points', '--format', 'json');
    assert.equal(transitive.code, 1);
    const doc = JSON.parse(transitive.stdout) as {
      files: Array<{ level: string; checkedVersions: number[]; incompatibilities: Array<{ type: string }> }>;
    };
    assert.equal(doc.files[0]?.level, 'BACKWARD_TRANSITIVE');
    assert.deepEqual(doc.files[0]?.checkedVersions, [2, 1]);
    assert.deepEqual(
      doc.files[0]?.incompatibilities.map((i) => i.type),
      ['READER_FIELD_MISSING_DEFAULT_VALUE'],
    );

    // --level overrides the subject's level.
    const overridden = await cli('check', 'p3.avsc', '--subject', 'points', '--level', 'NONE');
    assert.equal(overridden.code, 0, overridden.stdout);

    const fresh = await cli('check', 'p3.avsc', '--subject', 'nobody-yet');
    assert.equal(fresh.code, 0);
    assert.match(fresh.stdout, /new at registry:nobody-yet/);
  });

  test('config reads the effective level and deletes an override', async () => {
    const read = await cli('config', 'points', '--format', 'json');
    assert.equal(read.code, 0, read.stderr);
    assert.equal(
      (JSON.parse(read.stdout) as { compatibilityLevel: string }).compatibilityLevel,
      'BACKWARD_TRANSITIVE',
    );
    const removed = await cli('config', 'points', '--delete');
    assert.equal(removed.code, 0, removed.stderr);
    const global = await cli('config', 'points');
    assert.match(global.stdout, /^subject points: BACKWARD$/m);
    // Nothing left to remove: say so, rather than the registry's "Subject 'points' not found."
    const again = await cli('config', 'points', '--delete');
    assert.equal(again.code, 2);
    assert.equal(
      oneLineError(again),
      'proximadb-registry: subject points has no subject-level compatibility level to remove (it follows the global one)',
    );
  });

  test('fetch prints a version, saves it, and fails cleanly on an unknown subject', async () => {
    const run = await cli('fetch', 'points', '--version', '1', '--format', 'json');
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { subject: string; version: number; schema: string };
    assert.equal(answer.version, 1);
    assert.deepEqual(JSON.parse(answer.schema), JSON.parse(P1));

    const saved = await cli('fetch', 'points', '--output', 'latest.avsc');
    assert.equal(saved.code, 0, saved.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(dir.path, 'latest.avsc'), 'utf8')), JSON.parse(P2));

    const missing = await cli('fetch', 'no-such-subject');
    assert.equal(missing.code, 2);
    assert.match(oneLineError(missing), /Subject 'no-such-subject' not found\..*40401/);
  });

  test('negotiate asks the registry which version a reader should use', async () => {
    const run = await cli('negotiate', 'points', '--role', 'reader', '--versions', '1,2', '--format', 'json');
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { ok: boolean; subject: string; version: number };
    assert.equal(answer.ok, true);
    assert.equal(answer.subject, 'points');
    assert.ok([1, 2].includes(answer.version));
  });
});
