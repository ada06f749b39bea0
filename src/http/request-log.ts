/**
 * Structured JSON request logs (pino), one line per finished request, with a request id that is taken
 * from `X-Request-Id` when the caller sent a sane one and generated otherwise, and echoed back. Only
 * method, path, route, status, duration, id and the authenticated user's NAME are logged: never headers
 * (Authorization, cookies), query strings (may carry tokens) or bodies.
 */
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import type { Principal } from './auth.js';
import { BatchedFdDestination, type LineShape, RequestLineWriter } from './log-output.js';
import { routeTemplate } from './metrics.js';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** A caller-supplied id is echoed into logs and headers, so it must be short and harmless. */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function parseLogLevel(value: string | undefined): LevelWithSilent {
  const level = (value ?? 'info').toLowerCase();
  return (LEVELS as readonly string[]).includes(level) ? (level as LevelWithSilent) : 'info';
}

export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options = {
    level: parseLogLevel(opts.level ?? process.env.LOG_LEVEL),
    // pid: with WORKERS=N several processes write to one log; it says which one served a request.
    base: { pid: process.pid, service: 'proximadb-registry' },
    // Belt and braces: should anyone ever log a request or headers object, the secrets are cut out.
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'password', 'token'],
      censor: '[redacted]',
    },
  };
  // Standard output, one write per event-loop turn (log-output.ts): the same lines, far fewer writes.
  return pino(options, opts.destination ?? new BatchedFdDestination(1));
}

/** The one line per finished request (both doors write it: here for Express, fast-path.ts for its own). */
export class RequestLog {
  private readonly writer: RequestLineWriter;

  constructor(logger: Logger) {
    this.writer = new RequestLineWriter(logger);
  }

  /** The fixed part of a line (what the fast path keeps for an answer it repeats). */
  shape(method: string, path: string, route: string, status: number): LineShape {
    const msg = status >= 500 ? 'request failed' : status >= 400 ? 'request refused' : 'request';
    return this.writer.shape(method, path, route, status, msg);
  }

  write(shape: LineShape, reqId: string, ms: number, user: string | undefined): void {
    this.writer.write(shape, reqId, ms, user);
  }
}

/**
 * Generated request ids: UUID-shaped (version 4 layout), 72 random bits drawn once per process and a
 * 48-bit counter, so ids are unique across processes and restarts without drawing randomness for every
 * request (crypto.randomUUID per request measurably slowed the hottest paths). Request ids are
 * correlation handles, not secrets.
 */
const ID_PREFIX = (() => {
  const h = randomBytes(9).toString('hex');
  const variant = '89ab'[Number.parseInt(h[15]!, 16) & 3];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(12, 15)}-${variant}${h.slice(15, 18)}-`;
})();
let idCounter = 0;

function newRequestId(): string {
  idCounter = (idCounter + 1) % 0x1000000000000;
  return ID_PREFIX + idCounter.toString(16).padStart(12, '0');
}

/** The caller's request id when it is a sane one, else a new one. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}

export function requestLogger(log: RequestLog): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = requestIdOf(req.headers['x-request-id']);
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    const start = process.hrtime.bigint();
    const path = req.path;
    res.on('finish', () => {
      const principal = res.locals.principal as Principal | undefined;
      const ms = Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100;
      log.write(log.shape(req.method, path, routeTemplate(req), res.statusCode), id, ms, principal?.name);
    });
    next();
  };
}
