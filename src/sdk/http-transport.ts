import { ERROR_TABLE } from '../errors.js';
import { RegistryError } from './registry-error.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First backoff step; each retry doubles it, with full jitter (default 50 ms). */
  baseDelayMs?: number;
  /** Cap of one backoff step (default 2000 ms). */
  maxDelayMs?: number;
  /** Total time a request may spend across attempts; no retry starts past it (default 15000 ms). */
  budgetMs?: number;
}

export type Credentials = { username: string; password: string } | { token: string };

export interface TransportOptions {
  /**
   * Base URL, e.g. `http://localhost:8081`, or several instances of one registry: an array, or a
   * comma-separated list as in Confluent clients' `schema.registry.url`. A request that finds an
   * instance unreachable or answering 503 goes on to the next one at once, and later requests stay
   * with the one that answered. Credentials in a URL become HTTP Basic auth.
   */
  url: string | readonly string[];
  /** Per-attempt timeout (default 10000 ms). */
  timeoutMs?: number;
  retry?: RetryOptions;
  auth?: Credentials;
  headers?: Record<string, string>;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Jitter source in [0, 1). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic milliseconds for the retry budget. */
  now?: () => number;
}

export interface RequestOptions {
  /**
   * Extra time this request may take beyond the per-attempt timeout: a long-poll that the server holds
   * for up to `waitSeconds` must not be cut off (and retried) by the client first.
   */
  extraTimeoutMs?: number;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /**
   * Whether repeating the request is harmless. Non-idempotent requests are retried only on failures
   * that prove the server did not act (connection refused, 429, 503); others could have taken effect.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT =
  'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json';
const RETRY_ALWAYS = new Set([429, 503]);
const RETRY_IDEMPOTENT = new Set([408, 500, 502, 504]);

/** fetch + JSON + the registry's error envelope + retries with exponential backoff under a time budget. */
export class HttpTransport {
  /** Every configured instance, in order. */
  readonly baseUrls: readonly string[];
  /** The instance requests go to first: the one that answered last. */
  private current = 0;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly fetchFn: typeof fetch;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: TransportOptions) {
    const list = typeof options.url === 'string' ? options.url.split(',') : options.url;
    const urls = list
      .map((u) => u.trim())
      .filter((u) => u !== '')
      .map((u) => new URL(u));
    if (urls.length === 0) throw new TypeError('a registry URL is required');
    this.headers = { Accept: ACCEPT, ...options.headers };
    // fetch refuses URLs that carry credentials, so move them into a header (the first URL's win).
    const withUser = urls.find((u) => u.username !== '');
    const auth =
      options.auth ??
      (withUser
        ? { username: decodeURIComponent(withUser.username), password: decodeURIComponent(withUser.password) }
        : undefined);
    for (const url of urls) {
      url.username = '';
      url.password = '';
    }
    if (auth !== undefined) this.headers.Authorization = authorization(auth);
    this.baseUrls = urls.map((url) => url.href.replace(/\/+$/, ''));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = {
      maxRetries: options.retry?.maxRetries ?? 3,
      baseDelayMs: options.retry?.baseDelayMs ?? 50,
      maxDelayMs: options.retry?.maxDelayMs ?? 2_000,
      budgetMs: options.retry?.budgetMs ?? 15_000,
    };
    this.fetchFn = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => performance.now());
  }

  /** The instance the next request goes to first. */
  get baseUrl(): string {
    return this.baseUrls[this.current]!;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const target = path + queryString(options.query);
    const idempotent = options.idempotent ?? (method === 'GET' || method === 'PUT');
    const started = this.now();
    // Each other instance gets one immediate try before a backoff; every backoff renews that.
    let failovers = this.baseUrls.length - 1;
    for (let attempt = 1, retries = 0; ; attempt++) {
      const at = this.current;
      const outcome = await this.attempt<T>(method, path, this.baseUrls[at] + target, options);
      if (outcome.ok) return outcome.value;
      const { error, retryAfterMs, retryable } = outcome;
      const mayRetry = retryable === 'always' || (retryable === 'idempotent' && idempotent);
      if (!mayRetry || options.signal?.aborted) throw error.withAttempts(attempt);
      // Unreachable or 503: another instance may well answer. (Other failures say nothing about it.)
      if (this.baseUrls.length > 1 && (error.status === undefined || error.status === 503)) {
        if (this.current === at) this.current = (at + 1) % this.baseUrls.length;
        if (failovers > 0) {
          failovers--;
          continue;
        }
      }
      if (retries >= this.retry.maxRetries) throw error.withAttempts(attempt);
      const step = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** retries);
      retries++;
      const delay = Math.max(Math.floor(this.random() * step), retryAfterMs ?? 0);
      if (this.now() - started + delay > this.retry.budgetMs) throw error.withAttempts(attempt);
      await this.sleep(delay);
      failovers = this.baseUrls.length - 1;
    }
  }

  private async attempt<T>(
    method: string,
    path: string,
    url: string,
    options: RequestOptions,
  ): Promise<
    | { ok: true; value: T }
    | {
        ok: false;
        error: RegistryError;
        retryable: 'always' | 'idempotent' | 'never';
        retryAfterMs?: number | undefined;
      }
  > {
    const limitMs = this.timeoutMs + (options.extraTimeoutMs ?? 0);
    const timeout = AbortSignal.timeout(limitMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = CONTENT_TYPE;
      body = JSON.stringify(options.body);
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(url, { method, headers, body, signal });
      text = await response.text();
    } catch (cause) {
      const refused = isConnectionRefused(cause);
      const timedOut = timeout.aborted && !options.signal?.aborted;
      const reason = timedOut ? `timed out after ${limitMs} ms` : describe(cause);
      return {
        ok: false,
        retryable: options.signal?.aborted ? 'never' : refused ? 'always' : 'idempotent',
        error: new RegistryError({
          message: `registry ${this.baseUrls.find((base) => url.startsWith(base)) ?? url} unreachable (${method} ${path}): ${reason}`,
          status: undefined,
          errorCode: ERROR_TABLE.REGISTRY_UNREACHABLE.errorCode,
          method,
          path,
          cause,
        }),
      };
    }
    const parsed = parseJson(text);
    if (response.ok) {
      if (parsed.ok || text === '') return { ok: true, value: (parsed.ok ? parsed.value : undefined) as T };
      return {
        ok: false,
        retryable: 'never',
        error: new RegistryError({
          message: `registry answered ${method} ${path} with a body that is not JSON: ${snippet(text)}`,
          status: response.status,
          errorCode: ERROR_TABLE.INTERNAL.errorCode,
          method,
          path,
        }),
      };
    }
    const status = response.status;
    return {
      ok: false,
      retryable: RETRY_ALWAYS.has(status) ? 'always' : RETRY_IDEMPOTENT.has(status) ? 'idempotent' : 'never',
      retryAfterMs: retryAfter(response.headers.get('retry-after')),
      error: errorFromBody(parsed.ok ? parsed.value : undefined, text, status, method, path),
    };
  }
}

function errorFromBody(
  body: unknown,
  text: string,
  status: number,
  method: string,
  path: string,
): RegistryError {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const { error_code, message, ...details } = body as Record<string, unknown>;
    if (typeof error_code === 'number') {
      return new RegistryError({
        message: typeof message === 'string' ? message : `HTTP ${status}`,
        status,
        errorCode: error_code,
        method,
        path,
        details,
      });
    }
  }
  const suffix = text.trim() === '' ? '' : `: ${snippet(text)}`;
  return new RegistryError({
    message: `HTTP ${status} from ${method} ${path}${suffix}`,
    status,
    errorCode: status,
    method,
    path,
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function queryString(query: RequestOptions['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function authorization(auth: Credentials): string {
  if ('token' in auth) return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Undici wraps the socket error; happy-eyeballs wraps several in an AggregateError. */
function isConnectionRefused(error: unknown): boolean {
  const codes: unknown[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4 || value === null || typeof value !== 'object') return;
    const record = value as { code?: unknown; cause?: unknown; errors?: unknown };
    codes.push(record.code);
    visit(record.cause, depth + 1);
    if (Array.isArray(record.errors)) for (const inner of record.errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return codes.includes('ECONNREFUSED');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (cause) return typeof code === 'string' ? `${code} ${cause.message}` : cause.message;
  return error.message;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
