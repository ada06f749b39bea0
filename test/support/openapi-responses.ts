/**
 * The response-validation hook of the HTTP test suites: every response a test server sends is checked
 * against the OpenAPI document (status, Content-Type, required headers, JSON body; see
 * openapi-contract.ts), and a test during which the server sent a response the document does not
 * describe fails, naming the response and what is wrong with it.
 *
 * Apply it where a test gets its server:
 *
 *   const server = checkResponses(await createRegistryServer(config, options));
 *   // or, for a bare node:http listener:  createServer(checkListener(listener))
 *
 * `checkResponses` wraps both `server.app` and `server.handler` (which includes the pre-router fast
 * path), so supertest on either, or a listening node:http server on either, is observed. Importing
 * this module registers a root `afterEach` in the test file that fails the test with the violations
 * collected while it ran (and a root `after` for any left after the last test).
 */
import { appendFileSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { after, afterEach } from 'node:test';
import type { Express } from 'express';
import { type ObservedResponse, openApiContract } from './openapi-contract.js';

const violations: string[] = [];
/** A request is checked once, however many wrappers it passes through. */
const OBSERVED = Symbol('openapi-observed');
/** Bodies are captured up to this size; larger ones are checked for status and type only. */
const BODY_LIMIT = 64 * 1024 * 1024;

/** Set to a file path to append every checked answer (`where`, status, error_code): coverage figures. */
const OBSERVED_LOG = process.env.OPENAPI_OBSERVED_LOG;

function logObserved(where: string, observed: ObservedResponse): void {
  let code = '';
  if (observed.status >= 400) {
    try {
      code = String((JSON.parse(observed.body.toString('utf8')) as { error_code?: unknown }).error_code);
    } catch {
      code = '?';
    }
  }
  appendFileSync(OBSERVED_LOG as string, `${where}\t${observed.status}\t${code}\n`);
}

/** Takes (and clears) the violations collected so far; for tests of the hook itself. */
export function takeViolations(): string[] {
  return violations.splice(0);
}

function report(): void {
  if (violations.length === 0) return;
  const found = violations.splice(0);
  const shown = found.slice(0, 20).map((v) => `  - ${v}`);
  if (found.length > 20) shown.push(`  … and ${found.length - 20} more`);
  throw new Error(`responses the OpenAPI document does not describe (${found.length}):\n${shown.join('\n')}`);
}

afterEach(report);
after(report);

function headerPairs(value: unknown): Array<[string, string]> {
  if (Array.isArray(value)) {
    // Either [[k, v], ...] or a flat [k, v, k, v].
    if (value.every((v) => Array.isArray(v))) return value.map((v) => [String(v[0]), String(v[1])]);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < value.length; i += 2) pairs.push([String(value[i]), String(value[i + 1])]);
    return pairs;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]);
  }
  return [];
}

function observe(req: IncomingMessage, res: ServerResponse, caseSensitive: () => boolean): void {
  const marked = req as IncomingMessage & { [OBSERVED]?: boolean };
  if (marked[OBSERVED]) return;
  marked[OBSERVED] = true;
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const chunks: Buffer[] = [];
  let size = 0;
  let headers: Record<string, string> | undefined;
  const capture = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > BODY_LIMIT) return;
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    size += buf.length;
    chunks.push(buf);
  };

  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.getHeaders())) {
      if (v !== undefined) own[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const passed = args.slice(1).find((a) => typeof a === 'object' && a !== null);
    for (const [k, v] of headerPairs(passed)) own[k.toLowerCase()] = v;
    headers = own;
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  const write = res.write;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    capture(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  const end = res.end;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    capture(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];

  res.once('finish', () => {
    checkResponse(
      {
        method,
        url,
        status: res.statusCode,
        headers: headers ?? {},
        body: size > BODY_LIMIT ? Buffer.alloc(0) : Buffer.concat(chunks),
      },
      caseSensitive(),
    );
  });
}

/**
 * Checks one response against the document, collecting what it does not conform to. The wrappers
 * below call it for what a server sends; a client of a server this process cannot wrap (a child
 * process) calls it for what it received (test/reliability/process-harness.ts `call`).
 */
export function checkResponse(observed: ObservedResponse, caseSensitive = false): void {
  let problems: string[];
  try {
    const result = openApiContract().check(observed, { caseSensitive });
    problems = result.problems;
    if (OBSERVED_LOG) logObserved(result.where, observed);
  } catch (e) {
    problems = [`the check itself failed: ${(e as Error).message}`];
  }
  for (const problem of problems)
    violations.push(`${observed.method} ${observed.url} → ${observed.status}: ${problem}`);
}

/** A node:http listener that checks every response it sends against the document. */
export function checkListener(
  listener: RequestListener,
  caseSensitive: () => boolean = () => false,
): RequestListener {
  return (req, res) => {
    observe(req, res, caseSensitive);
    listener(req, res);
  };
}

/**
 * The server with `app` and `handler` replaced by checking wrappers (the app keeps every property: it
 * is a Proxy). When `handler` is the app itself (access control on), both are the one wrapper.
 */
export function checkResponses<S extends { readonly app: Express; readonly handler: RequestListener }>(
  server: S,
): S {
  const app = server.app;
  const caseSensitive = () => app.enabled('case sensitive routing');
  const checkedApp = new Proxy(app, {
    apply(target, thisArg, args: unknown[]) {
      observe(args[0] as IncomingMessage, args[1] as ServerResponse, caseSensitive);
      return Reflect.apply(target, thisArg, args);
    },
  });
  const handler =
    server.handler === (app as unknown)
      ? (checkedApp as unknown as RequestListener)
      : checkListener(server.handler, caseSensitive);
  return { ...server, app: checkedApp, handler };
}
