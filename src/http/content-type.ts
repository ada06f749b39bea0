/**
 * Request and response media types, mirroring Confluent's `Versions.java` and every resource's
 * `@Consumes`/`@Produces`: four request types (a missing Content-Type counts as the generic octet-stream
 * one and is parsed as JSON), three response types chosen by the Accept header weighted by the server's
 * own preference (qs), v1+json by default.
 */
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors.js';

export const SCHEMA_REGISTRY_V1_JSON = 'application/vnd.schemaregistry.v1+json';
export const SCHEMA_REGISTRY_JSON = 'application/vnd.schemaregistry+json';
export const APPLICATION_JSON = 'application/json';
export const OCTET_STREAM = 'application/octet-stream';

export const REQUEST_MEDIA_TYPES: readonly string[] = [
  SCHEMA_REGISTRY_V1_JSON,
  SCHEMA_REGISTRY_JSON,
  APPLICATION_JSON,
  OCTET_STREAM,
];

/** The server's preference among the types it can produce (Jersey `qs`), best first. */
const RESPONSE_MEDIA_TYPES: ReadonlyArray<readonly [type: string, qs: number]> = [
  [SCHEMA_REGISTRY_V1_JSON, 1],
  [SCHEMA_REGISTRY_JSON, 0.9],
  [APPLICATION_JSON, 0.5],
];

export const DEFAULT_RESPONSE_TYPE = SCHEMA_REGISTRY_V1_JSON;

/** `type/subtype` of a Content-Type header, lower-cased, parameters dropped; undefined when absent or blank. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const essence = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

/** Whether a request body with this Content-Type is parsed (as JSON). A missing type is accepted. */
export function isAcceptedRequestType(header: string | undefined): boolean {
  const type = mediaTypeOf(header);
  return type === undefined || REQUEST_MEDIA_TYPES.includes(type);
}

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [essence = '', ...params] = part.split(';');
    const [type, subtype, extra] = essence.trim().toLowerCase().split('/');
    // A malformed entry is skipped rather than failing the request: clients are never refused for noise.
    if (!type || !subtype || extra !== undefined) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      if (key?.toLowerCase() !== 'q' || value === undefined) continue;
      const parsed = Number(value);
      if (value !== '' && Number.isFinite(parsed)) q = Math.min(Math.max(parsed, 0), 1);
    }
    ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** The q the most specific matching range gives `mediaType` (RFC 9110 §12.5.1), or 0 when none matches. */
function qualityOf(mediaType: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = mediaType.split('/');
  let best = -1;
  let q = 0;
  for (const range of ranges) {
    let specificity: number;
    if (range.type === type && range.subtype === subtype) specificity = 2;
    else if (range.type === type && range.subtype === '*') specificity = 1;
    else if (range.type === '*' && range.subtype === '*') specificity = 0;
    else continue;
    if (specificity > best) {
      best = specificity;
      q = range.q;
    }
  }
  return q;
}

/**
 * The response media type for an Accept header, or null when nothing acceptable can be produced (406).
 * A missing, blank or unparseable header gets the default, as Confluent and Karapace do.
 */
export function negotiateResponseType(accept: string | undefined): string | null {
  if (accept === undefined) return DEFAULT_RESPONSE_TYPE;
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return DEFAULT_RESPONSE_TYPE;
  let chosen: string | null = null;
  let bestScore = 0;
  for (const [type, qs] of RESPONSE_MEDIA_TYPES) {
    const score = qualityOf(type, ranges) * qs;
    if (score > bestScore) {
      bestScore = score;
      chosen = type;
    }
  }
  return chosen;
}

/** Distinct Accept headers remembered (clients send a handful of fixed ones). */
const ACCEPT_MEMO_LIMIT = 64;

/** `negotiateResponseType` memoised per Accept header, for the fast path (bounded: cleared when full). */
export class AcceptMemo {
  private readonly types = new Map<string, string | null>();

  /** The negotiated type (null: Express answers 406). */
  responseType(accept: string | undefined): string | null {
    if (accept === undefined) return negotiateResponseType(undefined);
    let type = this.types.get(accept);
    if (type === undefined) {
      type = negotiateResponseType(accept);
      if (this.types.size >= ACCEPT_MEMO_LIMIT) this.types.clear();
      this.types.set(accept, type);
    }
    return type;
  }
}

/** The media type negotiated for this response (set by `negotiateResponse`), the default otherwise. */
export function responseTypeOf(res: Response): string {
  const type: unknown = res.locals.responseType;
  return typeof type === 'string' ? type : DEFAULT_RESPONSE_TYPE;
}

/** Middleware: fixes the response type from the Accept header, or answers 406. */
export function negotiateResponse(req: Request, res: Response, next: NextFunction): void {
  const type = negotiateResponseType(req.get('accept'));
  if (type === null) throw new DomainError('NOT_ACCEPTABLE', 'HTTP 406 Not Acceptable');
  res.locals.responseType = type;
  next();
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Middleware: 415 for a body (or a body-carrying method) whose Content-Type is not one of the four. */
export function requireAcceptedRequestType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
  if ((hasBody || BODY_METHODS.has(req.method)) && !isAcceptedRequestType(req.get('content-type'))) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'HTTP 415 Unsupported Media Type');
  }
  next();
}

/**
 * Sends a JSON body with exactly the negotiated Content-Type: setHeader and a Buffer keep Express from
 * appending a charset parameter, so the header is byte-identical to Confluent's.
 */
export function sendJson(res: Response, body: unknown, status = 200): void {
  sendRawJson(res, JSON.stringify(body), status);
}

/** Sends text that already is JSON (a stored schema) as-is: not quoted a second time. */
export function sendRawJson(res: Response, text: string, status = 200): void {
  res.status(status).setHeader('Content-Type', responseTypeOf(res));
  res.send(Buffer.from(text, 'utf8'));
}
