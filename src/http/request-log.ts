/**
 * Structured JSON request logs (pino), one line per finished request, with a request id that is taken
 * from `X-Request-Id` when the caller sent a sane one and generated otherwise, and echoed back. Only
 * method, path, route, status, duration, id and the authenticated user's NAME are logged: never headers
 * (Authorization, cookies), query strings (may carry tokens) or bodies.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import type { Principal } from './auth.js';
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
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    const start = process.hrtime.bigint();
    const path = req.path;
    res.on('finish', () => {
      const status = res.statusCode;
      const principal = res.locals.principal as Principal | undefined;
      const line = {
        reqId: id,
        method: req.method,
        path,
        route: routeTemplate(req),
        status,
        ms: Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100,
        ...(principal ? { user: principal.name } : {}),
      };
      if (status >= 500) logger.error(line, 'request failed');
      else if (status >= 400) logger.info(line, 'request refused');
      else logger.info(line, 'request');
    });
    next();
  };
}
