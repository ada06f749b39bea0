/**
 * Prometheus metrics on a private prom-client Registry (one per app, so tests and several apps in one
 * process never share counters). Request metrics are labelled by route TEMPLATE, never the raw path:
 * subjects and ids in labels would make the series count unbounded.
 *
 * Registrations and compatibility failures are derived from the HTTP traffic itself (route + status,
 * and the compatibility endpoints' `is_compatible`), so the services need no metrics dependency. Cache
 * hit rates are pulled at scrape time from caches that count their own hits and misses.
 */
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { methodNotAllowed } from './errors.js';
import { guardedRouter } from './guarded-router.js';
import { RequestStats, type Series } from './request-stats.js';

/** Anything that counts its own lookups (e.g. the Avro CompatibilityCache). */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
}

const REGISTER_ROUTE = /^\/subjects\/[^/]+\/versions\/?$/;

export class HttpMetrics {
  readonly registry = new Registry();
  /** Requests by method, route template and status, with their durations (both doors record here). */
  private readonly stats = new RequestStats();
  private readonly registrations: Counter<'result'>;
  private readonly compatFailures: Counter<'endpoint'>;
  private readonly caches = new Map<string, () => CacheStats>();
  private readonly cacheSizes = new Map<string, () => number>();

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.stats.register(this.registry, {
      requests: 'http_requests_total',
      duration: 'http_request_duration_seconds',
    });
    this.registrations = new Counter({
      name: 'registry_registrations_total',
      help: 'Schema registration requests by result: ok (id returned), incompatible (409), refused (other 4xx)',
      labelNames: ['result'],
      registers,
    });
    this.compatFailures = new Counter({
      name: 'registry_compatibility_failures_total',
      help: 'Schemas found incompatible: refused at registration, or reported by a compatibility check',
      labelNames: ['endpoint'],
      registers,
    });
    const caches = this.caches;
    new Counter({
      name: 'registry_cache_lookups_total',
      help: 'Cache lookups by cache and result (hit rate = hit / (hit + miss))',
      labelNames: ['cache', 'result'],
      registers,
      collect() {
        this.reset();
        for (const [cache, read] of caches) {
          const { hits, misses } = read();
          this.inc({ cache, result: 'hit' }, hits);
          this.inc({ cache, result: 'miss' }, misses);
        }
      },
    });
    const sizes = this.cacheSizes;
    new Gauge({
      name: 'registry_cache_bytes',
      help: 'Estimated bytes each cache holds (each is bounded by its share of CACHE_MAX_BYTES)',
      labelNames: ['cache'],
      registers,
      collect() {
        this.reset();
        for (const [cache, read] of sizes) this.set({ cache }, read());
      },
    });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Reports a cache's estimated size at every scrape. */
  observeCacheBytes(name: string, read: () => number): void {
    this.cacheSizes.set(name, read);
  }

  /** Reports a cache's own counters at every scrape. */
  observeCache(name: string, read: () => CacheStats): void {
    this.caches.set(name, read);
  }

  /** A gauge read at every scrape, one series per key of what `read` returns (the label `label`). */
  observeGauge(name: string, help: string, label: string, read: () => Record<string, number>): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [value, n] of Object.entries(read())) this.set({ [label]: value }, n);
      },
    });
  }

  /** Records every response once it is finished, under the template of the route that handled it. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const start = process.hrtime.bigint();
      const path = req.path;
      if (req.method === 'POST' && path.startsWith('/compatibility/')) this.sniffCompatibility(res);
      res.on('finish', () => {
        const status = res.statusCode;
        this.record(req.method, routeTemplate(req), status, start);
        if (req.method === 'POST' && REGISTER_ROUTE.test(path)) {
          const result =
            status === 200 ? 'ok' : status === 409 ? 'incompatible' : status < 500 ? 'refused' : 'error';
          this.registrations.inc({ result });
          if (status === 409) this.compatFailures.inc({ endpoint: 'register' });
        }
      });
      next();
    };
  }

  /** The verdict is only in the body, so peek at what the compatibility routes send. */
  private sniffCompatibility(res: Response): void {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const text = Buffer.isBuffer(body)
        ? body.toString('utf8', 0, 64)
        : typeof body === 'string'
          ? body
          : '';
      if (res.statusCode === 200 && text.includes('"is_compatible":false')) {
        this.compatFailures.inc({ endpoint: 'check' });
      }
      return send(body);
    };
  }

  /**
   * Counts one finished request under its route template (`unmatched` before routing) with the time
   * since `startedAt`: the middleware for Express's requests, the fast path (fast-path.ts) for its own.
   */
  record(method: string, route: string, status: number, startedAt: bigint): void {
    this.stats.record(method, route, status, Number(process.hrtime.bigint() - startedAt) / 1e9);
  }

  /** The series `record` counts (method, route, status) in: kept by the fast path for its answers. */
  series(method: string, route: string, status: number): Series {
    return this.stats.series(method, route, status);
  }

  /** `GET /metrics` in the Prometheus text format. */
  router(): Router {
    const router = guardedRouter();
    router
      .route('/metrics')
      .get(async (_req: Request, res: Response) => {
        const text = await this.registry.metrics();
        res.setHeader('Content-Type', this.registry.contentType);
        res.status(200).send(text);
      })
      .all(methodNotAllowed);
    return router.router;
  }
}

/** `baseUrl + route.path` once routing matched; a fixed label otherwise (404s, auth refusals). */
export function routeTemplate(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return 'unmatched';
}
