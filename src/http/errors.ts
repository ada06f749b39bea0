/**
 * The ONE place an HTTP error response is produced. Every layer (routing, body parsing, services,
 * unexpected failures) ends here and leaves as `{error_code, message}` and nothing else: strict Java
 * clients reject unknown fields (Apicurio#1081) and the Confluent JS client only recognises an error
 * whose body has both keys (its associations probe depends on it, Karapace#1273).
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, ERROR_TABLE, type ErrorCode, isDomainError } from '../errors.js';
import { sendJson } from './content-type.js';

/** What the translator needs from a logger (pino's Logger fits). */
export interface HttpLogger {
  error(obj: object, msg: string): void;
}

interface ErrorBody {
  error_code: number;
  message: string;
  [extra: string]: unknown;
}

/**
 * Route-level opt-in to render a DomainError's `extra` fields. Only our own endpoints (negotiation) use
 * it; use it per route (`router.post(path, exposeErrorExtras, handler)`), never as router-wide `use`,
 * or it would leak into the 404s of requests merely passing through that router.
 */
export function exposeErrorExtras(_req: Request, res: Response, next: NextFunction): void {
  res.locals.exposeErrorExtras = true;
  next();
}

/** Catch-all for paths no route matched. */
export function notFound(): never {
  throw new DomainError('ROUTE_NOT_FOUND', 'HTTP 404 Not Found');
}

/** Terminal `.all()` handler of a route: the path exists, the method does not. */
export function methodNotAllowed(req: Request, res: Response): never {
  const methods: Record<string, boolean> = req.route?.methods ?? {};
  const allowed = Object.keys(methods)
    .filter((m) => m !== '_all')
    .map((m) => m.toUpperCase());
  if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
  if (allowed.length > 0) res.setHeader('Allow', allowed.join(', '));
  throw new DomainError('METHOD_NOT_ALLOWED', 'HTTP 405 Method Not Allowed');
}

/** Errors thrown by body-parser / the router carry a `type` or `status`; map the ones a client can cause. */
function translateFrameworkError(err: unknown): DomainError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, limit } = err as { type?: unknown; status?: unknown; limit?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return new DomainError(
        'MALFORMED_JSON',
        `Malformed JSON in request body: ${(err as Error).message}`.slice(0, 500),
      );
    case 'entity.too.large':
      return new DomainError(
        'BODY_TOO_LARGE',
        typeof limit === 'number'
          ? `Request body exceeds the limit of ${limit} bytes`
          : 'HTTP 413 Request Entity Too Large',
      );
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        `HTTP 415 Unsupported Media Type: ${(err as Error).message}`,
      );
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new DomainError('BAD_REQUEST', 'HTTP 400 Bad Request: the request body could not be read');
  }
  // The router's undecodable `%` in a path parameter, and any other client error a library flags.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 400 && err instanceof URIError) {
      return new DomainError('BAD_REQUEST', 'HTTP 400 Bad Request: malformed request URL');
    }
    // e.g. a Content-Encoding: gzip body that does not inflate.
    if (status === 400) {
      return new DomainError('BAD_REQUEST', 'HTTP 400 Bad Request: the request body could not be read');
    }
    const code = Object.entries(ERROR_TABLE).find(
      ([, spec]) => spec.status === status && spec.errorCode === status,
    );
    if (code) return new DomainError(code[0] as ErrorCode, `HTTP ${status}`);
  }
  return undefined;
}

/** The `{error_code, message}` body of an error (plus its extra fields where the route exposes them). */
export function bodyFor(error: DomainError, withExtras: boolean): ErrorBody {
  const core = { error_code: error.errorCode, message: error.message };
  return withExtras && error.extra ? { ...error.extra, ...core } : core;
}

/** Express error middleware: the last thing mounted on the app. */
export function errorHandler(logger: HttpLogger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      // Nothing sensible can be written any more; let Express tear the connection down.
      next(err);
      return;
    }
    let error = isDomainError(err) ? err : translateFrameworkError(err);
    if (error === undefined) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
      error = new DomainError('INTERNAL', 'Internal Server Error');
    } else if (error.status >= 500) {
      logger.error({ err, method: req.method, url: req.originalUrl }, error.message);
    }
    if (error.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    }
    sendJson(res, bodyFor(error, res.locals.exposeErrorExtras === true), error.status);
  };
}

/** Guard for endpoints whose body is mandatory (Confluent's bean validation answers 422/422). */
export function requireBody(req: Request): unknown {
  const body: unknown = req.body;
  if (body === undefined || body === null) throw new DomainError('UNPROCESSABLE', 'Request body is required');
  // Valid JSON of the wrong shape is Jackson's mapping error: 400, before any service sees it.
  if (typeof body !== 'object' || Array.isArray(body)) {
    const kind = Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    throw new DomainError('BAD_REQUEST', `The request body must be a JSON object, not ${kind}`);
  }
  return body;
}

/** The final non-error middleware: every request no route claimed. */
export const notFoundHandler: RequestHandler = () => notFound();
