/**
 * Which storage backend the end-to-end tests run on. `npm test` runs them once on SQLite and once more
 * with REGISTRY_TEST_STORE=postgres against the PostgreSQL that test/run.ts started (PG_TEST_URL; it
 * may also point at an external server). Every server a test builds gets a fresh database: a private
 * in-memory SQLite one, or a new PostgreSQL database created for it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_CONFIG, type RegistryConfig } from '../../src/config.js';

export type TestStore = 'sqlite' | 'postgres';

export const TEST_STORE: TestStore = process.env.REGISTRY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The admin URL of the test PostgreSQL; fails clearly when the run did not provide one. */
export function pgAdminUrl(): string {
  const url = process.env.PG_TEST_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'PG_TEST_URL is not set: run the tests through `npm test` (test/run.ts starts an embedded PostgreSQL) or point PG_TEST_URL at a server',
    );
  }
  return url;
}

/** Creates an empty database on the test PostgreSQL and returns its URL. */
export async function freshPgDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  const name = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** On PostgreSQL, one database per SQLite file path a test names, so reopening a "file" reopens it. */
const databasesByPath = new Map<string, Promise<string>>();

/**
 * A configuration for a test server of the run's backend. `:memory:` (the default) is a fresh
 * database; a file path names a database that a later server of the same test may reopen (on
 * PostgreSQL, the same database for the same path). `overrides` win otherwise.
 */
export async function testConfig(overrides: Partial<RegistryConfig> = {}): Promise<RegistryConfig> {
  const base: RegistryConfig = {
    ...DEFAULT_CONFIG,
    logLevel: 'silent',
    databasePath: ':memory:',
    ...overrides,
  };
  if (TEST_STORE === 'sqlite') return base;
  const path = base.databasePath;
  if (path === ':memory:' || path === '') return { ...base, databaseUrl: await freshPgDatabase() };
  let url = databasesByPath.get(path);
  if (url === undefined) {
    url = freshPgDatabase();
    databasesByPath.set(path, url);
  }
  return { ...base, databaseUrl: await url };
}
