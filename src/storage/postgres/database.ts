/**
 * The PostgreSQL connection pool of one registry process, and its transactions.
 *
 * Isolation: READ COMMITTED plus explicit locks. Every check-then-write takes transaction-scoped
 * advisory locks first (per subject, see `lockKey`), so the decision it makes from what it then reads
 * cannot be invalidated by a concurrent writer of the same subject; writers of different subjects
 * never wait for each other. The few facts shared across subjects are protected otherwise: one id per
 * content by the unique index on `identity` (INSERT … ON CONFLICT DO NOTHING, then read the winner),
 * ids by a sequence, global settings by a global lock that registrations hold in shared mode. A
 * deadlock or serialization failure (possible when two transactions lock subjects in different
 * orders) rolls back and is retried a bounded number of times, then answered 503, never 500.
 *
 * Code running inside an open transaction (the negotiation listener, nested writes) is found through
 * its async context (transaction-context.ts) and joins it, like the SQLite transactor.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { isDomainError } from '../../errors.js';
import { TransactionContext } from '../transaction-context.js';
import { isRetryable, translatePgError } from './errors.js';

export interface PgSettings {
  /** `postgres://user:password@host:port/database`, TLS options in its query as `pg` reads them. */
  readonly url: string;
  /** Connections in this process's pool. */
  readonly poolMax: number;
  /** Per statement (and per lock wait) bound, so a request never hangs on the database. */
  readonly statementTimeoutMs?: number;
  /** Waiting for a free connection, or for a new one to open. */
  readonly connectionTimeoutMs?: number;
}

/** A transaction-scoped advisory lock: exclusive for writers of a subject, shared for its readers. */
export interface Lock {
  readonly key: string;
  readonly shared?: boolean;
}

const INT8_OID = 20;
/** bigint columns hold millisecond timestamps: well inside a double's exact integers. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

const MAX_ATTEMPTS = 5;

/** A stable 64-bit advisory lock key (as decimal text) for a name; collisions only cost waiting. */
export function lockKey(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest().readBigInt64BE(0).toString();
}

export const GLOBAL_LOCK = lockKey('registry:global-settings');

export function subjectLock(subject: string, shared = false): Lock {
  return { key: lockKey(`registry:subject:${subject}`), shared };
}

export class PgDatabase {
  readonly pool: pg.Pool;
  private readonly inside = new TransactionContext<OpenTransaction>();
  /** Called after every commit (the instance's own caches must not wait for its own notice). */
  afterCommit: () => void = () => {};
  /** Signs this instance's change notices (change-feed.ts). */
  readonly instanceId = randomBytes(8).toString('base64url');

  constructor(readonly settings: PgSettings) {
    const timeout = settings.statementTimeoutMs ?? 10_000;
    this.pool = new pg.Pool({
      connectionString: settings.url,
      max: settings.poolMax,
      connectionTimeoutMillis: settings.connectionTimeoutMs ?? 5_000,
      statement_timeout: timeout,
      lock_timeout: timeout,
      idle_in_transaction_session_timeout: 3 * timeout,
      query_timeout: timeout + 1_000,
      keepAlive: true,
      types,
      // Names the registry's connections in pg_stat_activity.
      application_name: 'proximadb-registry',
    });
    // A connection that breaks while idle in the pool emits 'error' on the pool; without a handler
    // the process would crash. The pool drops that client; the next query opens a new one.
    this.pool.on('error', () => {});
  }

  /** The client of the transaction the caller runs in, if any. */
  get client(): pg.PoolClient | undefined {
    return this.inside.current()?.client;
  }

  /**
   * One statement: inside the caller's transaction if there is one, else on any pooled connection.
   * Statements with parameters are prepared once per connection (named by their text), which saves
   * the server parsing and planning the same few statements on every request.
   */
  async query<R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      const runner = this.inside.current()?.client ?? this.pool;
      if (params.length === 0) return (await runner.query<R>(sql)).rows;
      return (await runner.query<R>({ name: statementName(sql), text: sql, values: params.map(storable) }))
        .rows;
    } catch (e) {
      // Inside a transaction a serialization failure or deadlock goes up untranslated, so that
      // transaction() retries the whole transaction (it translates on its last attempt).
      if (this.inside.current() !== undefined && isRetryable(e)) throw e;
      throw translatePgError(e, what);
    }
  }

  /**
   * Runs `fn` in a transaction holding `locks` (taken in key order, so two transactions never wait for
   * each other in opposite orders over the same keys). Inside an open transaction it joins it, taking
   * any lock not held yet. Retried whole on deadlocks and serialization failures.
   */
  async transaction<T>(what: string, locks: readonly Lock[], fn: () => Promise<T>): Promise<T> {
    const open = this.inside.current();
    if (open !== undefined) {
      await this.lock(open.client, locks, what);
      return fn();
    }
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (e) {
        throw translatePgError(e, what);
      }
      let broken = false;
      // A checked-out client has no error listener of the pool's: a connection lost mid-transaction
      // would be an unhandled 'error' event (a crash). The failing query rejects on its own; this only
      // marks the client broken so the pool discards it.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        // BEGIN and the locks in one round trip (the keys are integers, safe to inline).
        await client.query(['BEGIN', ...lockStatements(locks)].join('; '));
        const tx: OpenTransaction = { client, notices: new Set() };
        const result = await this.inside.run(tx, fn);
        // The change notices ride on the COMMIT's round trip; PostgreSQL delivers them when it commits.
        await client.query([...[...tx.notices].map(notifyStatement), 'COMMIT'].join('; '));
        this.afterCommit();
        return result;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (!isDomainError(e) && isRetryable(e) && attempt < MAX_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10 * attempt));
          continue;
        }
        throw isDomainError(e) ? e : translatePgError(e, what);
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    }
  }

  /**
   * Publishes `payload` on `channel`: inside a transaction, with its COMMIT (once per distinct payload,
   * delivered only if it commits); otherwise at once.
   */
  async notify(channel: string, payload: string): Promise<void> {
    const open = this.inside.current();
    if (open !== undefined) open.notices.add(JSON.stringify([channel, payload]));
    else await this.query('announcing a change', 'SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /** `SELECT 1` within the statement timeout: is the database answering? */
  async ping(): Promise<void> {
    await this.query('checking the database', 'SELECT 1');
  }

  /**
   * Waits for the database at start-up: retries with backoff (connection refused, starting up, DNS)
   * until `timeoutMs`, then fails with one line naming the database, never the password.
   */
  async waitUntilReachable(timeoutMs: number, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        const client = await this.pool.connect();
        client.release();
        return;
      } catch (e) {
        if (Date.now() + delay > deadline) {
          throw new Error(
            `the PostgreSQL database at ${redactUrl(this.settings.url)} is unreachable after ${Math.round(timeoutMs / 1000)} s (DATABASE_CONNECT_TIMEOUT_S): ${(e as Error).message}`,
          );
        }
        await sleep(delay);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async lock(client: pg.PoolClient, locks: readonly Lock[], what: string): Promise<void> {
    if (locks.length === 0) return;
    try {
      await client.query(lockStatements(locks).join('; '));
    } catch (e) {
      throw isRetryable(e) ? e : translatePgError(e, what);
    }
  }
}

/** The connection of an open transaction and the change notices it will publish when it commits. */
interface OpenTransaction {
  readonly client: pg.PoolClient;
  /** `[channel, payload]` as JSON, so identical notices are sent once. */
  readonly notices: Set<string>;
}

/** A string literal safe whatever `standard_conforming_strings` says (E'' syntax, both escapes doubled). */
function literal(text: string): string {
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function notifyStatement(notice: string): string {
  const [channel, payload] = JSON.parse(notice) as [string, string];
  return `SELECT pg_notify(${literal(channel)}, ${literal(payload)})`;
}

/** The lock statements for `locks`, in key order (so two transactions never wait in opposite orders). */
function lockStatements(locks: readonly Lock[]): string[] {
  const sorted = [...locks].sort((a, b) => {
    const x = BigInt(a.key);
    const y = BigInt(b.key);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return sorted.map((lock) => {
    if (!/^-?\d{1,20}$/.test(lock.key)) throw new TypeError(`not a lock key: ${lock.key}`);
    return `SELECT ${lock.shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(${lock.key}::bigint)`;
  });
}

const statementNames = new Map<string, string>();

/** A stable prepared-statement name per SQL text. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * PostgreSQL text cannot hold U+0000, which a lookup key from a URL may contain (`/subjects/%00`).
 * No stored value contains U+0000 or U+0001: subjects with control characters are refused (42208)
 * and every stored JSON text escapes them. So U+0000 becomes U+0001, a key that matches nothing,
 * exactly as SQLite finds nothing for it, instead of a driver error.
 */
function storable(param: unknown): unknown {
  if (typeof param === 'string')
    return param.includes('\u0000') ? param.replaceAll('\u0000', '\u0001') : param;
  if (Array.isArray(param)) return param.map(storable);
  return param;
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}
