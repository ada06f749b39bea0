/**
 * Database file sanity (issue #17): a SQLite file holding someone else's tables is refused at start with
 * a clear message, and left exactly as it was (not converted to WAL, no table of ours added), never
 * served as an empty registry; an empty new file is fine. `backup` removes the partial files that
 * interrupted earlier runs left behind, and leaves a running backup's alone.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import request from 'supertest';
import { ManualClock } from '../../src/clock.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { isDomainError } from '../../src/errors.js';
import { createRegistryServer } from '../../src/server.js';
import { backupFile } from '../../src/storage/sqlite/integrity.js';
import { ROOT } from '../reliability/process-harness.js';
import { checkResponses } from '../support/openapi-responses.js';

const dir = mkdtempSync(join(tmpdir(), 'dbfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function foreign(name: string, sql: string): string {
  const path = join(dir, name);
  const db = new Database(path);
  db.exec(sql);
  db.close();
  return path;
}

const start = async (databasePath: string) =>
  checkResponses(
    await createRegistryServer(
      { ...DEFAULT_CONFIG, logLevel: 'silent', databasePath },
      { clock: new ManualClock() },
    ),
  );

function refusal(path: string, why: RegExp) {
  return (e: unknown) =>
    isDomainError(e) &&
    e.code === 'STORE_ERROR' &&
    e.message.startsWith(
      `Refusing to serve: the database file ${path} is not a ProximaDB registry database`,
    ) &&
    why.test(e.message) &&
    /point DATABASE_PATH at the registry's own file/.test(e.message);
}

describe('a database file that is not ours is refused at start', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'app.db',
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO users VALUES (1, 'a@b');",
      /holds 1 table\(s\) \(users\) but no schema_migrations table/,
    ],
    [
      'rails.db',
      'CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); CREATE TABLE posts (id INTEGER);',
      /its schema_migrations table has the columns version, not ours/,
    ],
    [
      'other-tool.db',
      `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
       INSERT INTO schema_migrations VALUES (1, '001_create_orders', 0);
       CREATE TABLE orders (id INTEGER);`,
      /none of the migrations it records is one of ours/,
    ],
    [
      'half.db',
      `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
       CREATE TABLE orders (id INTEGER);`,
      /holds tables \(orders\) but records no migration/,
    ],
  ];
  for (const [name, sql, why] of cases) {
    it(`${name}: refused, and the file is left as it was`, async () => {
      const path = foreign(name, sql);
      const before = readFileSync(path);
      await assert.rejects(() => start(path), refusal(path, why));
      assert.deepEqual(readFileSync(path), before, 'not a byte changed');
      assert.ok(!existsSync(`${path}-wal`), 'not converted to WAL');
    });
  }

  it('the server process exits with the message on stderr', async () => {
    const path = foreign('proc.db', 'CREATE TABLE users (id INTEGER);');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATABASE_PATH: path, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    // A build that serves the file would listen forever: give it 30 s, then stop it and fail.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(timer);
    assert.equal(signal, null, 'the server started instead of refusing the file');
    assert.notEqual(code, 0);
    assert.match(
      stderr,
      /Cannot start the registry: Refusing to serve: the database file .*proc\.db is not a ProximaDB/,
    );
  });

  it('an empty new file, and a file of ours, are served', async () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const server = await start(empty);
    const reg = await request(server.app)
      .post('/subjects/s/versions')
      .set('Content-Type', 'application/json')
      .send({ schema: '"string"' });
    assert.equal(reg.status, 200);
    await server.close();
    const again = await start(empty);
    assert.deepEqual((await request(again.app).get('/subjects')).body, ['s']);
    await again.close();
  });
});

describe('backup cleans up after interrupted runs', () => {
  it('removes DEST.partial-<pid> files of dead processes, keeps a live one', async () => {
    const src = join(dir, 'registry.db');
    const server = await start(src);
    await server.close();
    const dest = join(dir, 'backup.db');
    // A pid that cannot be running (above Linux's pid_max), and this test's parent, which is alive.
    const dead = 4_194_305;
    const live = process.ppid;
    for (const suffix of ['', '-wal', '-journal']) writeFileSync(`${dest}.partial-${dead}${suffix}`, 'x');
    writeFileSync(`${dest}.partial-${live}`, 'busy');
    writeFileSync(join(dir, 'unrelated.partial-1'), 'keep');
    await backupFile(src, dest);
    const left = readdirSync(dir).filter((f) => f.includes('.partial-'));
    assert.deepEqual(left.sort(), [`backup.db.partial-${live}`, 'unrelated.partial-1']);
    assert.ok(existsSync(dest));
  });
});
