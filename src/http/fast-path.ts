/**
 * The pre-router fast path for the hottest reads: `GET /schemas/ids/{id}` (every consumer, for every
 * new id it meets) and `GET /subjects/{s}/versions/{n|latest}`. On Node 20, Express's own per-request
 * work costs several times what answering from memory does, so these are answered from precomputed
 * response bytes before Express runs, whenever every fact the answer depends on is in the read cache
 * and current (the cache re-reads the database's change token once per request first).
 *
 * It only ever answers 200s it is sure of. Anything else — another method or path spelling, a request
 * body, an Accept header that needs a 406, an unusual query, a fact not cached yet, any 404 — falls
 * through to Express unchanged, which also fills the cache for the next request. So the answers are
 * byte-for-byte what the routes send (test/perf/fast-path.test.ts compares them), including the
 * X-Request-Id header, the request log line and the metrics the middleware would have produced.
 *
 * Two mountings: `listener()` wraps the Express app in a node:http request listener (used when no
 * access control is configured), `middleware()` runs inside Express right after authentication. There it
 * answers only what the route's own guard would let through: it applies the access table's rule of the
 * route it stands in for (route-access.ts) to the subject it decoded, exactly as the guard would; a
 * request the guard would refuse goes on to Express, which refuses it (403).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ByteLru } from '../cache/byte-lru.js';
import { cacheBudget } from '../cache/cache-budget.js';
import { stringBytes } from '../cache/size-estimate.js';
import type { CachingSchemaStore } from '../registry/read-cache.js';
import type { SchemaRecord, StoredVersion } from '../registry/schema-store.js';
import { negotiateResponseType } from './content-type.js';
import { accessOf, hasDotSegment } from './guarded-router.js';
import type { HttpMetrics } from './metrics.js';
import { boolQuery } from './query.js';
import { SAFE_REQUEST_ID } from './request-log.js';
import type { AccessContext } from './route-access.js';
import { requirementFor } from './route-access.js';
import { renderSchemaString, renderSchemaVersion } from './schemas-routes.js';

export interface FastPathDeps {
  readonly cache: CachingSchemaStore;
  readonly metrics?: HttpMetrics;
  /** The request logger's logger: in listener mode the fast path writes the same line it would. */
  readonly logger?: Logger;
  /** Bound on the precomputed response bytes kept (LRU). Default: its share of CACHE_MAX_BYTES. */
  readonly maxBytes?: number;
}

export interface FastPathStats {
  /** Requests answered here. */
  served: number;
  /** GETs on one of the two routes that went on to Express (not cached yet, a 404, ...). */
  passed: number;
}

const ID_ROUTE = '/schemas/ids/:id';
const VERSION_ROUTE = '/subjects/:subject/versions/:version';
/** The routes answered here (always also Express routes; the OpenAPI coverage test checks both). */
export const FAST_PATH_ROUTES: ReadonlyArray<{ readonly method: 'GET'; readonly path: string }> = [
  { method: 'GET', path: ID_ROUTE },
  { method: 'GET', path: VERSION_ROUTE },
];
const ID_PATH = /^\/schemas\/ids\/(\d{1,10})\/?$/;
const VERSION_PATH = /^\/subjects\/([^/]+)\/versions\/(latest|[1-9]\d{0,9})\/?$/;
const INT32_MAX = 2 ** 31 - 1;
/** Distinct Accept headers remembered (clients send a handful of fixed ones). */
const ACCEPT_MEMO_LIMIT = 64;

interface Answer {
  readonly route: string;
  readonly body: Buffer;
}

export class FastPath {
  readonly stats: FastPathStats = { served: 0, passed: 0 };
  private readonly cache: CachingSchemaStore;
  private readonly metrics: HttpMetrics | undefined;
  private readonly logger: Logger | undefined;
  /**
   * Response bytes by what they are a pure function of: `i<id>` (a schema row never changes) and
   * `v<schemaId>/<version>/<subject>` (a subject-version names one schema id for good).
   */
  private readonly bytes: ByteLru<string, Buffer>;
  private readonly acceptMemo = new Map<string, string | null>();

  constructor(deps: FastPathDeps) {
    this.cache = deps.cache;
    this.metrics = deps.metrics;
    this.logger = deps.logger;
    this.bytes = new ByteLru({
      maxBytes: deps.maxBytes ?? cacheBudget().responseBytes,
      sizeOf: (body, key) => body.length + stringBytes(key) + 96,
    });
  }

  /** Estimated bytes of precomputed responses held. */
  get cachedBytes(): number {
    return this.bytes.bytes;
  }

  /** A node:http listener: the fast path, then `app` for everything it does not answer. */
  listener(app: RequestListener): RequestListener {
    return (req, res) => {
      if (!this.serveStandalone(req, res)) app(req, res);
    };
  }

  /** Express middleware for after the auth middleware; logging and metrics already hooked the request. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const answer = this.answer(req, accessOf(res));
      if (answer === undefined) {
        next();
        return;
      }
      // The route template the request log and metrics read once the response finishes.
      (req as Request & { route: unknown }).route = { path: answer.route };
      res.statusCode = 200;
      res.setHeader('Content-Type', this.responseType(req.headers.accept) as string);
      res.setHeader('Content-Length', answer.body.length);
      res.end(answer.body);
    };
  }

  private serveStandalone(req: IncomingMessage, res: ServerResponse): boolean {
    const start = process.hrtime.bigint();
    const answer = this.answer(req);
    if (answer === undefined) return false;
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.writeHead(200, [
      'X-Request-Id',
      requestId,
      'Content-Type',
      this.responseType(req.headers.accept) as string,
      'Content-Length',
      String(answer.body.length),
    ]);
    res.end(answer.body);
    this.metrics?.record('GET', answer.route, 200, start);
    if (this.logger?.isLevelEnabled('info')) {
      this.logger.info(
        {
          reqId: requestId,
          pid: process.pid,
          method: 'GET',
          path: pathOf(req.url ?? '/'),
          route: answer.route,
          status: 200,
          ms: Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100,
        },
        'request',
      );
    }
    return true;
  }

  /**
   * The bytes of a sure 200, or undefined to let Express answer. Never throws. `access` is the caller's
   * when access control is on: then only what the route's rule allows it is answered here.
   */
  private answer(req: IncomingMessage, access?: AccessContext): Answer | undefined {
    if (req.method !== 'GET') return undefined;
    const url = req.url ?? '';
    const isId = url.startsWith('/schemas/ids/');
    if (!isId && !url.startsWith('/subjects/')) return undefined;
    // A body on a GET goes through the request-type gate (415) in Express.
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
      return undefined;
    }
    if (this.responseType(req.headers.accept) === null) return undefined;
    try {
      const answer = isId ? this.schemaById(url, access) : this.subjectVersion(url, access);
      if (answer === undefined) this.stats.passed++;
      else this.stats.served++;
      return answer;
    } catch {
      // Whatever went wrong (a closed database, say), Express produces the proper error answer.
      return undefined;
    }
  }

  private schemaById(url: string, access: AccessContext | undefined): Answer | undefined {
    const [path, query] = splitUrl(url);
    const match = ID_PATH.exec(path);
    if (match === null) return undefined;
    if (access !== undefined && !access.allows(requirementFor('GET', ID_ROUTE, { id: match[1] }))) {
      return undefined;
    }
    const id = Number(match[1]);
    if (id > INT32_MAX) return undefined;
    const fetchMaxId = query === undefined ? false : boolQuery(parseQuery(query), 'fetchMaxId') === true;
    this.cache.refresh();
    const record = this.cache.peekResolvableSchema(id);
    if (record === undefined) return undefined;
    if (record.references.length > 0 && wantsResolved(query)) return undefined;
    const body = this.schemaBytes(record);
    if (!fetchMaxId) return { route: ID_ROUTE, body };
    const maxId = this.cache.peekMaxSchemaId();
    if (maxId === undefined) return undefined;
    // `maxId` is the last member of the SchemaString object: splice it in before the closing brace.
    return {
      route: ID_ROUTE,
      body: Buffer.concat([body.subarray(0, -1), Buffer.from(`,"maxId":${maxId}}`)]),
    };
  }

  private subjectVersion(url: string, access: AccessContext | undefined): Answer | undefined {
    const [path, query] = splitUrl(url);
    const match = VERSION_PATH.exec(path);
    if (match === null || hasDotSegment(path)) return undefined;
    const subject = decodeSegment(match[1]!);
    if (subject === undefined) return undefined;
    const params = { subject, version: match[2] };
    if (access !== undefined && !access.allows(requirementFor('GET', VERSION_ROUTE, params))) {
      return undefined;
    }
    const latest = match[2] === 'latest';
    const version = latest ? 0 : Number(match[2]);
    if (version > INT32_MAX) return undefined;
    const includeDeleted = query === undefined ? false : boolQuery(parseQuery(query), 'deleted') === true;
    this.cache.refresh();
    const summaries = this.cache.peekVersionSummaries(subject);
    if (summaries === undefined) return undefined;
    // The same choice as the service's findVersion: the newest visible one, or the one asked for.
    let picked: number | undefined;
    for (let i = summaries.length - 1; i >= 0; i--) {
      const summary = summaries[i]!;
      // `latest` is the newest LIVE version even with deleted=true (Confluent's VersionId semantics).
      if (summary.deleted && (latest || !includeDeleted)) continue;
      if (latest || summary.version === version) {
        picked = summary.version;
        break;
      }
    }
    if (picked === undefined) return undefined;
    const found = this.cache.peekVersion(subject, picked);
    if (found === undefined) return undefined;
    if (found.references.length > 0 && wantsResolved(query)) return undefined;
    return { route: VERSION_ROUTE, body: this.versionBytes(found) };
  }

  private schemaBytes(record: SchemaRecord): Buffer {
    const key = `i${record.id}`;
    let body = this.bytes.get(key);
    if (body === undefined) {
      const view = {
        schema: record.schema,
        ...(record.references.length > 0 ? { references: [...record.references] } : {}),
      };
      body = Buffer.from(JSON.stringify(renderSchemaString(view)), 'utf8');
      this.bytes.set(key, body);
    }
    return body;
  }

  private versionBytes(found: StoredVersion): Buffer {
    const key = `v${found.schemaId}/${found.version}/${found.subject}`;
    let body = this.bytes.get(key);
    if (body === undefined) {
      const view = {
        subject: found.subject,
        version: found.version,
        id: found.schemaId,
        schema: found.schema,
        ...(found.references.length > 0 ? { references: [...found.references] } : {}),
      };
      body = Buffer.from(JSON.stringify(renderSchemaVersion(view)), 'utf8');
      this.bytes.set(key, body);
    }
    return body;
  }

  /** The negotiated type for an Accept header (null: Express answers 406), memoised per header. */
  private responseType(accept: string | undefined): string | null {
    if (accept === undefined) return negotiateResponseType(undefined);
    let type = this.acceptMemo.get(accept);
    if (type === undefined) {
      type = negotiateResponseType(accept);
      if (this.acceptMemo.size >= ACCEPT_MEMO_LIMIT) this.acceptMemo.clear();
      this.acceptMemo.set(accept, type);
    }
    return type;
  }
}

function splitUrl(url: string): [path: string, query: string | undefined] {
  const q = url.indexOf('?');
  return q < 0 ? [url, undefined] : [url.slice(0, q), url.slice(q + 1)];
}

function pathOf(url: string): string {
  return splitUrl(url)[0];
}

/** What Express's router does to a path parameter; undefined where it would answer 400. */
function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `format=resolved` inlines referenced types: Express renders that; the precomputed bytes do not. */
function wantsResolved(query: string | undefined): boolean {
  if (query === undefined) return false;
  const format = parseQuery(query).format;
  const value = Array.isArray(format) ? format[0] : format;
  return typeof value === 'string' && value.trim().toLowerCase() === 'resolved';
}
