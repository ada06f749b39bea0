/**
 * The server entry: configuration from the environment, the composition root, `listen`, and a graceful
 * shutdown on SIGTERM/SIGINT (stop accepting, let in-flight requests finish, close the database, exit 0)
 * so that a rolling deploy never cuts a registration off half-way. Run directly (`npm start`,
 * `node dist/index.js`) it starts at once; imported (the CLI's `serve`), it only exports `startRegistry`.
 */
import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isClusterWorker, runClusterPrimary } from './cluster.js';
import { ConfigError, DEFAULT_CONFIG, loadConfig, type RegistryConfig } from './config.js';
import { isDomainError } from './errors.js';
import { createRegistryServer, type RegistryServer, type ServerOptions } from './server.js';

/** How long shutdown waits for in-flight requests before cutting the remaining connections. */
const DRAIN_TIMEOUT_MS = 10_000;

export interface RunningRegistry {
  readonly server: RegistryServer;
  readonly http: Server;
  /** `http://host:port` as actually bound (the real port when `PORT=0`). */
  readonly url: string;
  /** Stops accepting, waits for in-flight requests (at most `DRAIN_TIMEOUT_MS`), closes the database. */
  shutdown(): Promise<void>;
}

export async function startRegistry(
  config: RegistryConfig,
  options: ServerOptions = {},
): Promise<RunningRegistry> {
  const server = await createRegistryServer(config, options);
  const http = createServer(server.handler);
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  const { port } = http.address() as AddressInfo;
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${shownHost}:${port}`;

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      // Readiness fails from the first moment, so probes on kept-alive connections see the drain.
      server.startDraining();
      // close() stops accepting and ends idle keep-alive sockets; sockets still serving a request become
      // idle only when their response is done, so sweep them until every connection has gone.
      const sweep = setInterval(() => http.closeIdleConnections(), 50);
      const deadline = setTimeout(() => http.closeAllConnections(), DRAIN_TIMEOUT_MS);
      sweep.unref();
      deadline.unref();
      http.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        server.close().then(resolve, resolve);
      });
    });
    return stopping;
  };
  return { server, http, url, shutdown };
}

/** The process entry: every start-up failure is one line on stderr and a non-zero exit code. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: RegistryConfig;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  }

  if ((config.workers ?? DEFAULT_CONFIG.workers) > 1 && !isClusterWorker()) {
    await runPrimary(config);
    return;
  }

  let running: RunningRegistry;
  try {
    running = await startRegistry(config);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`Cannot start the registry: ${message}\n`);
    process.exit(isDomainError(e) ? e.exitCode : 1);
  }
  const { logger } = running.server;
  logger.info(
    { url: running.url, database: running.server.storage.description },
    `Schema registry listening on ${running.url}`,
  );

  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'Shutting down: draining in-flight requests');
    running.shutdown().then(
      () => {
        logger.info('Shut down cleanly');
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, 'Shutdown failed');
        process.exit(1);
      },
    );
    // A second signal means "now": the operator is not willing to wait for the drain.
    process.once(signal, () => process.exit(1));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // SIGHUP re-reads AUTH_FILE at once (it is also picked up within a second of changing). Handled
  // even without AUTH_FILE: the WORKERS primary passes every SIGHUP on, and it must not kill a worker.
  process.on('SIGHUP', () => {
    if (config.authFile !== undefined) running.server.reloadCredentials();
  });
}

/**
 * `WORKERS=N`: the primary checks and migrates the database once (by building and closing a server
 * without listening), then forks N workers that each run the normal start-up above.
 */
async function runPrimary(config: RegistryConfig): Promise<void> {
  let logger: RegistryServer['logger'] | undefined;
  try {
    await runClusterPrimary({
      workers: config.workers ?? DEFAULT_CONFIG.workers,
      prepare: async () => {
        const prepared = await createRegistryServer(config);
        logger = prepared.logger;
        await prepared.close();
      },
      get logger() {
        return logger ?? { info() {}, warn() {}, error() {} };
      },
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`Cannot start the registry: ${message}\n`);
    process.exit(isDomainError(e) ? e.exitCode : 1);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
