/**
 * The pre-router fast path: a node:http listener in front of the Express app that answers the hottest
 * requests of a deployed registry itself — `GET /schemas/ids/{id}`, `GET /subjects/{s}/versions/{v}`,
 * the lookup `POST /subjects/{s}`, the handshake `POST /negotiation/subjects/{s}` and `GET
 * …/agreement` without a wait — with or without access control. On Node 20, Express's per-request work
 * (router, middleware chain, body parser) costs several times what answering from memory does.
 *
 * One behaviour, two doors: for every request it takes, it runs the same checks in the same order as
 * the Express chain, with the same functions, and answers only what it is sure of:
 * 1. authentication (auth.ts `authenticate`, the same throttle and credentials): 401 with the
 *    challenges, 429 with Retry-After — or, for a password never verified before, Express (scrypt);
 * 2. the Accept header (406 is Express's);
 * 3. the body, for the two POSTs, read here only when its headers leave body-parser nothing to decide
 *    (json-body.ts), and handed to Express's parser when Express answers;
 * 4. the route's own access rule from the one table (route-access.ts): 403 with the guard's message;
 * 5. a 200 from the read cache (fast-reads.ts) or the negotiation memo (fast-memo.ts), current for the
 *    database's change token read for this request — or Express, which also fills them.
 * Anything else (another spelling, a 404, a fact not cached yet) goes to Express unchanged. What it
 * answers carries the X-Request-Id header, the request log line and the Prometheus series the Express
 * middleware would have produced (fast-send.ts). test/perf/two-doors.test.ts replays a corpus through
 * both doors.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Credentials, UserEntry } from '../auth/credentials.js';
import { cacheBudget } from '../cache/cache-budget.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { CachingSchemaStore } from '../registry/read-cache.js';
import { type AuthOptions, type AuthOutcome, authenticate, refusalHeaders } from './auth.js';
import { AcceptMemo, DEFAULT_RESPONSE_TYPE } from './content-type.js';
import { markDigest, NegotiationAnswers, type Recent, RecentAnswers } from './fast-memo.js';
import { bodyDigest, type CandidateIdentities, FastReads } from './fast-reads.js';
import { type FastRequest, matchFastRoute, routeParams } from './fast-routes.js';
import { envelope, FastSender } from './fast-send.js';
import { type DecodedBody, handOver, LazyBody, preReadable, readBody } from './json-body.js';
import type { LineShape } from './log-output.js';
import type { HttpMetrics } from './metrics.js';
import type { RequestLog } from './request-log.js';
import type { Series } from './request-stats.js';
import { denialMessage, isAllowed, type Requirement, requirementFor } from './route-access.js';

export { FAST_PATH_ROUTES } from './fast-routes.js';

export interface FastPathDeps {
  readonly cache: CachingSchemaStore;
  /** The lookup's identity of a schema text (RegistryService.candidateIdentity). */
  readonly registry: CandidateIdentities;
  /** The server's clock: lease expiry of memoised agreements, throttling. */
  readonly clock: Clock;
  /** The app's body limit (MAX_BODY_BYTES): larger bodies are Express's (413). */
  readonly maxBodyBytes: number;
  readonly metrics?: HttpMetrics;
  /** The request log: the fast path writes the line the Express middleware would. */
  readonly log?: RequestLog;
  /** Access control (AUTH_FILE): the very options the Express auth middleware runs with. */
  readonly auth?: AuthOptions;
  /** Bound on the bytes of its memos (answers, lookup bodies). Default: its share of CACHE_MAX_BYTES. */
  readonly maxBytes?: number;
}

export interface FastPathStats {
  /** 200s answered here. */
  served: number;
  /** 401/403/429 answered here. */
  refused: number;
  /** Requests for one of its routes that went on to Express (not cached yet, a 404, ...). */
  passed: number;
}

/** What a repeated request needs besides its body: its route, metrics series and log line shape. */
interface RecentRoute {
  readonly fast: FastRequest;
  readonly series: Series | undefined;
  readonly line: LineShape | undefined;
}

/** The caller, once authenticated: the user and the credentials it was judged by. */
interface Caller {
  readonly user: UserEntry;
  readonly credentials: Credentials;
}

export class FastPath {
  readonly stats: FastPathStats = { served: 0, refused: 0, passed: 0 };
  /** The negotiation routes fill it (negotiation-routes.ts `memo`). */
  readonly memo: NegotiationAnswers;
  private readonly reads: FastReads;
  private readonly recent: RecentAnswers<RecentRoute>;
  private readonly sender: FastSender;
  private readonly accepts = new AcceptMemo();
  private readonly needs = new WeakMap<FastRequest, Requirement | undefined>();

  constructor(private readonly deps: FastPathDeps) {
    const maxBytes = deps.maxBytes ?? cacheBudget().responseBytes;
    this.reads = new FastReads(deps.cache, deps.registry, Math.floor(maxBytes * 0.6));
    this.memo = new NegotiationAnswers(
      () => deps.cache.currentToken(),
      Math.max(1, Math.floor(maxBytes * 0.2)),
    );
    this.recent = new RecentAnswers(Math.max(1, Math.floor(maxBytes * 0.2)));
    this.sender = new FastSender(deps.metrics, deps.log);
  }

  /** Estimated bytes of precomputed responses and memos held. */
  get cachedBytes(): number {
    return this.reads.cachedBytes + this.memo.cachedBytes + this.recent.cachedBytes;
  }

  /** A node:http listener: the fast path, then `app` for everything it does not answer. */
  listener(app: RequestListener): RequestListener {
    return (req, res) => {
      if (!this.take(req, res, app)) app(req, res);
    };
  }

  /** True when this request is the fast path's to answer or hand on (it may still call `app`). */
  private take(req: IncomingMessage, res: ServerResponse, app: RequestListener): boolean {
    const url = req.url ?? '';
    // A GET answered before under this URL skips the route's parse (the entry's token is checked below).
    let recent = req.method === 'GET' ? this.recent.find(url) : undefined;
    const fast = recent?.fast ?? matchFastRoute(req.method, url);
    if (fast === undefined) return false;
    const start = process.hrtime.bigint();
    let caller: Caller | undefined;
    const auth = this.deps.auth;
    if (auth !== undefined) {
      const outcome = authenticate(auth, req.headers.authorization, req.socket.remoteAddress ?? '');
      // After authenticate(): it may have just reloaded AUTH_FILE, and the user is judged by those rules.
      const credentials = auth.authenticator.credentials;
      if (outcome.kind === 'verify') return this.pass();
      if (outcome.kind === 'refuse') {
        this.refuse(req, res, start, outcome);
        return true;
      }
      caller = { user: outcome.user, credentials };
    }
    const type = this.accepts.responseType(req.headers.accept);
    if (type === null) return this.pass();
    if (fast.method === 'POST') {
      const length = preReadable(req, this.deps.maxBodyBytes);
      if (length === undefined) return this.pass();
      readBody(req, length, (read) => this.afterBody(fast, req, res, app, start, type, caller, read));
      return true;
    }
    // A body on a GET goes through the request-type gate (415) and the parser in Express.
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
      return this.pass();
    }
    if (caller !== undefined && this.forbidden(fast, req, res, start, type, caller)) return true;
    const token = this.deps.cache.currentToken();
    const now = this.deps.clock.now();
    if (recent !== undefined && !this.recent.holds(recent, token, now)) recent = undefined;
    recent ??= this.remember(url, fast, this.readAnswer(fast, token, now));
    if (recent === undefined) return this.pass();
    this.answer(req, res, start, recent, type, caller);
    return true;
  }

  private afterBody(
    fast: FastRequest,
    req: IncomingMessage,
    res: ServerResponse,
    app: RequestListener,
    start: bigint,
    type: string,
    caller: Caller | undefined,
    read: Buffer | DecodedBody,
  ): void {
    if (!Buffer.isBuffer(read)) {
      this.handOn(req, res, app, read);
      return;
    }
    const digest = bodyDigest(read);
    const lazy = new LazyBody(read);
    // A malformed body is Express's 400, which comes before the route's guard.
    if (caller !== undefined && !this.allows(fast, caller)) {
      if (lazy.decoded.ok) this.forbidden(fast, req, res, start, type, caller);
      else this.handOn(req, res, app, lazy.decoded);
      return;
    }
    const key = `${req.url}\u0000${digest}`;
    const token = this.deps.cache.currentToken();
    const now = this.deps.clock.now();
    let recent = this.recent.find(key);
    if (recent !== undefined && !this.recent.holds(recent, token, now)) recent = undefined;
    if (recent === undefined) {
      let body: Buffer | undefined;
      try {
        const route = fast.route;
        if (route.kind === 'lookup') {
          // A hash seen before was a valid body; a new one is parsed here (and kept by its hash).
          if (this.reads.knowsBody(digest) || lazy.decoded.ok) {
            body = this.reads.lookup(
              fast,
              route.subject,
              digest,
              () => (lazy.decoded as { value: unknown }).value,
            );
          }
        } else if (route.kind === 'handshake') {
          // Remembered only for bodies that parsed: a hit means this one does.
          body = this.memo.peekHandshake(route.subject, digest, token);
        }
      } catch {
        body = undefined;
      }
      const answer = body === undefined ? undefined : { token, body, from: -Infinity, until: Infinity };
      recent = this.remember(key, fast, answer);
    }
    if (recent !== undefined) {
      this.answer(req, res, start, recent, type, caller);
      return;
    }
    this.stats.passed++;
    const outcome = lazy.decoded;
    if (outcome.ok && fast.route.kind === 'handshake') markDigest(req, digest);
    this.handOn(req, res, app, outcome);
  }

  private handOn(req: IncomingMessage, res: ServerResponse, app: RequestListener, body: DecodedBody): void {
    handOver(req, body);
    app(req, res);
  }

  /** Keeps a 200 for the same request under the same token. */
  private remember(
    key: string,
    fast: FastRequest,
    answer: Recent | undefined,
  ): (Recent & RecentRoute) | undefined {
    if (answer === undefined) return undefined;
    // Every entry built by this one literal, fields in one order: the hot path's reads of them stay
    // monomorphic (a spread of answers from different sites gave V8 several shapes to tell apart).
    const entry: Recent & RecentRoute = {
      token: answer.token,
      body: answer.body,
      from: answer.from,
      until: answer.until,
      fast,
      series: this.deps.metrics?.series(fast.method, fast.template, 200),
      line: this.deps.log?.shape(fast.method, fast.path, fast.template, 200),
    };
    this.recent.store(key, entry);
    return entry;
  }

  /** The 200 from memory for a GET, current for this request's change token; undefined: Express. */
  private readAnswer(fast: FastRequest, token: number, now: number): Recent | undefined {
    try {
      const route = fast.route;
      let body: Buffer | undefined;
      switch (route.kind) {
        case 'id':
          body = this.reads.schemaById(fast, route.id);
          break;
        case 'version':
          body = this.reads.subjectVersion(fast, route.subject, route.version);
          break;
        case 'agreement': {
          const memo = this.memo.agreementNow(route.subject, fast.query, token, now);
          return memo === undefined
            ? undefined
            : { token, body: memo.body, from: memo.from, until: memo.until };
        }
      }
      return body === undefined ? undefined : { token, body, from: -Infinity, until: Infinity };
    } catch {
      // Whatever went wrong (a closed database, say), Express produces the proper error answer.
      return undefined;
    }
  }

  /** What the route's guard would require of this request (kept with the parsed request). */
  private requirement(fast: FastRequest): Requirement | undefined {
    if (this.needs.has(fast)) return this.needs.get(fast);
    const need = requirementFor(fast.method, fast.template, routeParams(fast));
    this.needs.set(fast, need);
    return need;
  }

  private allows(fast: FastRequest, caller: Caller): boolean {
    const need = this.requirement(fast);
    return isAllowed(caller.credentials, caller.user, need);
  }

  /** The guard's 403 when the caller may not use the route; false when it may. */
  private forbidden(
    fast: FastRequest,
    req: IncomingMessage,
    res: ServerResponse,
    start: bigint,
    type: string,
    caller: Caller,
  ): boolean {
    const need = this.requirement(fast);
    if (isAllowed(caller.credentials, caller.user, need)) return false;
    this.stats.refused++;
    const error = new DomainError('FORBIDDEN', denialMessage(caller.user, need));
    this.sender.send(
      req,
      res,
      start,
      fast.template,
      error.status,
      envelope(error),
      type,
      caller.user.name,
      [],
    );
    return true;
  }

  /** 401/429 before routing: labelled `unmatched`, in the default media type (negotiation comes later). */
  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    start: bigint,
    outcome: Extract<AuthOutcome, { kind: 'refuse' }>,
  ): void {
    this.stats.refused++;
    const error: DomainError = outcome.error;
    const body = envelope(error);
    const headers = refusalHeaders(outcome);
    this.sender.send(
      req,
      res,
      start,
      'unmatched',
      error.status,
      body,
      DEFAULT_RESPONSE_TYPE,
      undefined,
      headers,
      undefined,
    );
  }

  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    start: bigint,
    recent: Recent & RecentRoute,
    type: string,
    caller: Caller | undefined,
  ): void {
    this.stats.served++;
    const { fast, body, series, line } = recent;
    this.sender.send(req, res, start, fast.template, 200, body, type, caller?.user.name, [], series, line);
  }

  private pass(): false {
    this.stats.passed++;
    return false;
  }
}
