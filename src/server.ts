/**
 * The composition root: the one place that knows every concrete class. It opens the database, runs
 * migrations, builds the store, the services and the Express app, and hands back a way to close it all.
 * It never listens (the entry point `index.ts` does), so tests and the CLI can embed it.
 */
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { CredentialsFile } from './auth/credentials-file.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { cacheBudget } from './cache/cache-budget.js';
import { type Clock, systemClock } from './clock.js';
import { DEFAULT_CONFIG, type RegistryConfig } from './config.js';
import { accessRoutes } from './http/access-routes.js';
import { createApp } from './http/app.js';
import { type AuthOptions, createAuthMiddleware, exposureWarning, negotiationCaller } from './http/auth.js';
import { compatibilityExplainRoutes } from './http/compatibility-explain-routes.js';
import { docsRoutes } from './http/docs-routes.js';
import { expressListener } from './http/express-listener.js';
import { FastPath } from './http/fast-path.js';
import { createHealthRouter } from './http/health-routes.js';
import { HttpMetrics } from './http/metrics.js';
import type { ServerIdentity } from './http/misc-routes.js';
import { negotiationRoutes } from './http/negotiation-routes.js';
import { openApiJson } from './http/openapi/document.js';
import { createLogger, RequestLog, requestLogger } from './http/request-log.js';
import { subjectSummaryRoutes } from './http/subject-summary-routes.js';
import { uiRoutes } from './http/ui-routes.js';
import { validateRoutes } from './http/validate-routes.js';
import { DEFAULT_WAITER_LIMITS } from './negotiation/agreement-notifier.js';
import { NegotiationService } from './negotiation/negotiation-service.js';
import { CachingSchemaStore } from './registry/read-cache.js';
import { RegistryService } from './registry/registry-service.js';
import { openStorage, type Storage } from './storage/open-storage.js';
import type { SqliteDatabase } from './storage/sqlite/database.js';

export interface RegistryServer {
  readonly app: Express;
  /**
   * What to hand `http.createServer`: the app behind the pre-router fast path (fast-path.ts), or the
   * app alone with `fastPath: 'off'`, entered without Express's prototype switch either way
   * (express-listener.ts). `app` itself is always Express as Express enters it, without the fast path.
   */
  readonly handler: RequestListener;
  readonly fastPath: FastPath;
  readonly registry: RegistryService;
  readonly negotiation: NegotiationService;
  /** The SQLite handle; undefined on PostgreSQL. */
  readonly db: SqliteDatabase | undefined;
  readonly storage: Storage;
  readonly logger: Logger;
  readonly config: RegistryConfig;
  /**
   * Marks the server as draining: `/health/ready` answers 503 from now on, so load balancers stop
   * sending traffic while in-flight requests finish, and parked agreement long-polls answer at once.
   * Called as graceful shutdown begins.
   */
  startDraining(): void;
  /**
   * Re-reads AUTH_FILE now (SIGHUP; it is also re-read by itself within a second of changing): true
   * when its credentials are in force, false without AUTH_FILE or when the file does not load (the
   * credentials before stay in force; the error is logged).
   */
  reloadCredentials(): boolean;
  /** Closes the database. Idempotent; call it after the HTTP server stopped serving requests. */
  close(): Promise<void>;
}

export interface ServerOptions {
  readonly clock?: Clock;
  /** Defaults to a pino logger on stdout at `config.logLevel`. */
  readonly logger?: Logger;
  /** How often an agreement long-poll re-checks lease expiry when nothing wakes it (default 1000 ms). */
  readonly negotiationPollIntervalMs?: number;
  /**
   * `off` serves every request through Express alone (the differential test's second door); by
   * default the pre-router fast path (fast-path.ts) runs in front of it, with or without AUTH_FILE.
   */
  readonly fastPath?: 'listener' | 'off';
}

/** `package.json` sits one level above both `src/` and `dist/`. */
function serverIdentity(): ServerIdentity {
  let version = '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    if (typeof pkg.version === 'string') version = pkg.version;
  } catch {
    // A stripped-down deployment without package.json still serves; it just reports 0.0.0.
  }
  return { version, commitId: 'unknown', clusterId: 'proximadb-registry' };
}

export async function createRegistryServer(
  config: RegistryConfig,
  options: ServerOptions = {},
): Promise<RegistryServer> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });

  // Credentials first: a broken AUTH_FILE must stop start-up before anything is served. The file is
  // looked at again (at most once a second) and reloaded when it changes, or on reloadCredentials().
  const credentialsFile = config.authFile
    ? new CredentialsFile(config.authFile, { clock, logger })
    : undefined;
  const authenticator = credentialsFile?.authenticator;
  const warning = exposureWarning(config.host, authenticator !== undefined);
  if (warning) logger.warn(warning);

  // Every cache gets its share of CACHE_MAX_BYTES (src/cache/cache-budget.ts).
  const budget = cacheBudget(config.cacheMaxBytes);
  const storage = await openStorage(config, { clock, storageMetaBytes: budget.storageMeta });
  const { store } = storage;
  // Reads are cached and re-validated per request against the storage's change token (read-cache.ts).
  const readCache = new CachingSchemaStore(store, storage.changeToken, {
    schemaBytes: budget.schemaRows,
    scopeBytes: budget.scopeFacts,
  });
  const registry = new RegistryService({
    store: readCache,
    // Export/import facts go to the database directly; their writes move the change token as usual.
    stateStore: store,
    clock,
    defaultCompatibility: config.defaultCompatibility,
    cacheBudget: budget,
  });
  const negotiation = new NegotiationService({
    store: storage.negotiationStore,
    clock,
    maxBytes: budget.negotiation,
    // One memo of parsed stored schemas for both services.
    parseStored: (stored, targets) => registry.parseStoredSchema(stored, targets),
    pollIntervalMs: options.negotiationPollIntervalMs,
    maxParticipants: config.maxParticipants,
    waiterLimits: {
      perSubject: config.maxWaitersPerSubject ?? DEFAULT_WAITER_LIMITS.perSubject,
      total: config.maxWaiters ?? DEFAULT_WAITER_LIMITS.total,
    },
  });
  // Runs inside every registration/delete transaction: recomputes the agreement, vetoes unsafe deletes.
  store.addSubjectWriteListener(negotiation.onSubjectWrite);
  // Another instance moved an agreement: its long-polls here wake at once.
  storage.onRemoteChange((change) => {
    if (change.kind === 'agreement' && change.subject !== undefined) negotiation.wake(change.subject);
  });
  const metrics = new HttpMetrics();
  metrics.observeCache('compatibility', () => registry.compatibilityCache);
  metrics.observeCache('reads', () => readCache.stats);
  metrics.observeGauge(
    'registry_database_connections',
    `Database connections (${storage.kind}): pool total/idle/waiting, and the change feed listening (1) or not`,
    'state',
    () => storage.stats(),
  );
  metrics.observeCacheBytes('schema_rows', () => readCache.bytes.schemaRows);
  metrics.observeCacheBytes('scope_facts', () => readCache.bytes.scopeFacts);
  metrics.observeCacheBytes('parsed_schemas', () => registry.cachedBytes.parsedSchemas);
  metrics.observeCacheBytes('negotiation', () => negotiation.cachedBytes);
  metrics.observeCacheBytes('candidates', () => registry.cachedBytes.candidates);
  metrics.observeCacheBytes('compatibility', () => registry.cachedBytes.compatibility);
  // One authentication for both doors (the Express middleware and the fast path): the same
  // credentials, remembered logins and failed-login buckets.
  const auth: AuthOptions | undefined = credentialsFile
    ? {
        authenticator: credentialsFile.authenticator,
        source: credentialsFile,
        throttle: new LoginThrottle({
          limit: config.loginFailureLimit ?? DEFAULT_CONFIG.loginFailureLimit,
          windowMs: 1000 * (config.loginFailureWindowSeconds ?? DEFAULT_CONFIG.loginFailureWindowSeconds),
          clock,
        }),
      }
    : undefined;
  const requestLog = new RequestLog(logger);
  const fastPath = new FastPath({
    cache: readCache,
    registry,
    clock,
    maxBodyBytes: config.maxBodyBytes,
    metrics,
    log: requestLog,
    maxBytes: budget.responseBytes,
    ...(auth === undefined ? {} : { auth }),
  });
  metrics.observeCacheBytes('response_bytes', () => fastPath.cachedBytes);
  let closed = false;
  let draining = false;

  const identity = serverIdentity();
  const app = createApp({
    registry,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    identity,
    middleware: [
      requestLogger(requestLog),
      metrics.middleware(),
      createHealthRouter({
        isReady: () => !closed && !draining,
        check: () => storage.ping(),
      }),
      // The web UI's page and code are public; the API calls it makes carry the user's credentials.
      uiRoutes().router,
      // The API document and its page are public, like the health probes (docs-routes.ts).
      docsRoutes(openApiJson({ version: identity.version })),
      ...(auth ? [createAuthMiddleware(auth)] : []),
      metrics.router(),
    ],
    routers: [
      negotiationRoutes(negotiation, {
        // Nothing reads the memo without the fast path: no copies of every answer kept for nobody.
        ...(options.fastPath === 'off' ? {} : { memo: fastPath.memo }),
        ...(authenticator ? { callerFor: negotiationCaller } : {}),
      }),
      validateRoutes({ registry, clock, cacheMaxBytes: budget.validation }),
      subjectSummaryRoutes(registry),
      compatibilityExplainRoutes(registry),
      accessRoutes(authenticator ? { authenticator } : {}),
    ],
  });
  return {
    app,
    handler: options.fastPath === 'off' ? expressListener(app) : fastPath.listener(expressListener(app)),
    fastPath,
    registry,
    negotiation,
    db: storage.sqlite,
    storage,
    logger,
    config,
    reloadCredentials: () => credentialsFile?.reload() ?? false,
    startDraining() {
      draining = true;
      // Parked long-polls answer now rather than hold the drain for up to their wait.
      negotiation.drain();
    },
    async close() {
      if (closed) return;
      closed = true;
      negotiation.drain();
      await storage.close();
    },
  };
}
