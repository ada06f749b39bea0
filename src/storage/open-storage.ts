/**
 * Opens the registry's storage from its configuration: PostgreSQL when `DATABASE_URL` is set (several
 * instances may share it), else the embedded SQLite file at `DATABASE_PATH`. Both give the same
 * bundle: the schema store, the negotiation store joining its transactions, the change token the read
 * caches validate against, and a feed of changes made by other processes or instances.
 */
import type { Clock } from '../clock.js';
import { DEFAULT_CONFIG, type RegistryConfig } from '../config.js';
import type { NegotiationStore } from '../negotiation/negotiation-store.js';
import type { ChangeToken } from '../registry/read-cache.js';
import type { RegistryStateStore, SchemaStore, SubjectWriteListener } from '../registry/schema-store.js';
import { type Change, ChangeFeed } from './postgres/change-feed.js';
import { PgDatabase, redactUrl } from './postgres/database.js';
import { migratePostgres } from './postgres/migrate.js';
import { PgNegotiationStore } from './postgres/negotiation-store.js';
import { PgSchemaStore } from './postgres/schema-store.js';
import { sqliteChangeToken } from './sqlite/change-token.js';
import { isMemoryPath, openDatabase, type SqliteDatabase } from './sqlite/database.js';
import { assertIntact } from './sqlite/integrity.js';
import { runMigrations } from './sqlite/migrate.js';
import { SqliteNegotiationStore } from './sqlite/negotiation-store.js';
import { SqliteSchemaStore } from './sqlite/schema-store.js';

export type { Change } from './postgres/change-feed.js';

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, safe to log (no password). */
  readonly description: string;
  readonly store: SchemaStore &
    RegistryStateStore & { addSubjectWriteListener(listener: SubjectWriteListener): () => void };
  readonly negotiationStore: NegotiationStore;
  /** Moves whenever anything the read caches hold may have changed, whoever changed it. */
  readonly changeToken: ChangeToken;
  /** On PostgreSQL, this instance's id (its change notices, the name of its listening connection). */
  readonly instanceId?: string;
  /** The SQLite handle (tests, offline tools); undefined on PostgreSQL. */
  readonly sqlite: SqliteDatabase | undefined;
  /** Calls `listener` for each change another process or instance announced (PostgreSQL only). */
  onRemoteChange(listener: (change: Change) => void): void;
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  /** Connection figures for metrics: pool sizes, and whether the change feed listens (1) or not (0). */
  stats(): Record<string, number>;
  close(): Promise<void>;
}

export interface OpenStorageOptions {
  readonly clock: Clock;
  /** Bytes for the store's own memo of schema metadata (its share of CACHE_MAX_BYTES). */
  readonly storageMetaBytes?: number;
  /** Migrations directory override (tests). */
  readonly migrationsDir?: string;
}

export async function openStorage(config: RegistryConfig, options: OpenStorageOptions): Promise<Storage> {
  return config.databaseUrl === undefined
    ? openSqlite(config, options)
    : openPostgres(config.databaseUrl, config, options);
}

function openSqlite(
  config: RegistryConfig,
  { clock, migrationsDir, storageMetaBytes }: OpenStorageOptions,
): Storage {
  const db = openDatabase(config.databasePath);
  try {
    if (!isMemoryPath(config.databasePath)) assertIntact(db, config.databasePath);
    runMigrations(db, { clock, ...(migrationsDir === undefined ? {} : { dir: migrationsDir }) });
  } catch (e) {
    db.close();
    throw e;
  }
  const store = new SqliteSchemaStore(db, {
    clock,
    ...(storageMetaBytes === undefined ? {} : { cacheMaxBytes: storageMetaBytes }),
  });
  return {
    kind: 'sqlite',
    description: config.databasePath,
    store,
    negotiationStore: new SqliteNegotiationStore(db, store.tx),
    changeToken: sqliteChangeToken(db),
    sqlite: db,
    // Other processes on the file are seen through the change token; there is no push channel.
    onRemoteChange() {},
    async ping() {
      db.prepare('SELECT 1').get();
    },
    stats: () => ({ open: db.open ? 1 : 0 }),
    async close() {
      if (db.open) db.close();
    },
  };
}

async function openPostgres(
  url: string,
  config: RegistryConfig,
  { clock, migrationsDir, storageMetaBytes }: OpenStorageOptions,
): Promise<Storage> {
  const db = new PgDatabase({ url, poolMax: config.pgPoolMax ?? DEFAULT_CONFIG.pgPoolMax });
  const feed = new ChangeFeed({ url, instanceId: db.instanceId });
  try {
    await db.waitUntilReachable(
      (config.databaseConnectTimeoutS ?? DEFAULT_CONFIG.databaseConnectTimeoutS) * 1000,
    );
    await migratePostgres(db, { clock, ...(migrationsDir === undefined ? {} : { dir: migrationsDir }) });
    await feed.start();
  } catch (e) {
    await feed.close();
    await db.close();
    throw e;
  }
  // This instance's own commits move the token at once; other instances' arrive as notices.
  db.afterCommit = () => feed.bump();
  const store = new PgSchemaStore(db, {
    clock,
    ...(storageMetaBytes === undefined ? {} : { cacheMaxBytes: storageMetaBytes }),
  });
  return {
    kind: 'postgres',
    description: redactUrl(url),
    instanceId: db.instanceId,
    store,
    negotiationStore: new PgNegotiationStore(db, store.reads),
    changeToken: feed.token,
    sqlite: undefined,
    onRemoteChange(listener) {
      feed.on('change', listener);
    },
    ping: () => db.ping(),
    stats: () => ({
      total: db.pool.totalCount,
      idle: db.pool.idleCount,
      waiting: db.pool.waitingCount,
      listening: feed.isLive ? 1 : 0,
    }),
    async close() {
      await feed.close();
      await db.close();
    },
  };
}
