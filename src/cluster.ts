/**
 * `WORKERS=N`: N server processes on one database file behind one port (node:cluster shares the
 * listening socket). Correctness across processes does not come from here but from SQLite: WAL lets
 * every worker read while one writes, and registration runs in `BEGIN IMMEDIATE` so the "is it already
 * there / next id / next version" decision and its insert happen under one file lock.
 *
 * The primary does no HTTP. It runs the integrity check and migrations once before forking (so
 * workers never race on them), re-forks a worker that dies unexpectedly, and on SIGTERM/SIGINT
 * forwards the signal and waits for every worker's graceful shutdown.
 */
import cluster, { type Worker } from 'node:cluster';

export interface ClusterLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ClusterOptions {
  readonly workers: number;
  /** Runs once in the primary before any fork: integrity check and migrations. Throwing aborts. */
  readonly prepare: () => void | Promise<void>;
  readonly logger: ClusterLogger;
  /** A worker that dies this many times within a minute is not restarted again (crash loop). */
  readonly maxRestartsPerMinute?: number;
  /** Milliseconds the primary waits for workers after forwarding SIGTERM before killing them. */
  readonly shutdownTimeoutMs?: number;
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** Runs the primary: returns once all workers are up; the process exits when they are all gone. */
export async function runClusterPrimary(opts: ClusterOptions): Promise<void> {
  await opts.prepare();
  const maxRestarts = opts.maxRestartsPerMinute ?? 5;
  const restarts: number[] = [];
  let stopping = false;

  const fork = (): Worker => cluster.fork({ PROXIMADB_WORKER: '1' });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        opts.logger.info({}, 'all workers stopped');
        process.exit(0);
      }
      return;
    }
    const now = Date.now();
    while (restarts.length > 0 && (restarts[0] ?? 0) < now - 60_000) restarts.shift();
    if (restarts.length >= maxRestarts) {
      opts.logger.error({ pid: worker.process.pid, code, signal }, 'worker crash loop: giving up');
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    restarts.push(now);
    opts.logger.warn({ pid: worker.process.pid, code, signal }, 'worker died; starting a new one');
    fork();
  });

  const stop = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    opts.logger.info({ signal: sig }, 'stopping workers');
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(0);
    for (const w of alive) w?.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }, opts.shutdownTimeoutMs ?? 30_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // SIGHUP (reload AUTH_FILE) is each worker's business: pass it on.
  process.on('SIGHUP', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGHUP');
  });

  const listening = Array.from({ length: opts.workers }, () => {
    const worker = fork();
    return new Promise<void>((resolve) => worker.once('listening', () => resolve()));
  });
  await Promise.all(listening);
  opts.logger.info({ workers: opts.workers }, 'all workers listening');
}
