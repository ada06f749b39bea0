/**
 * Request bodies: Express's JSON parser (body-parser) for every route, and what the pre-router fast
 * path needs to read a body itself without changing what the routes see when it hands the request on.
 *
 * The fast path reads a body only when its headers leave body-parser no choice to make: no
 * Content-Encoding, a Content-Length within the limit, an accepted media type whose only parameter (if
 * any) is `charset=utf-8` (`preReadable`). For exactly those, body-parser's steps are: read the bytes,
 * `verify` (rejectInvalidUtf8), decode UTF-8 dropping a leading byte order mark (iconv-lite's default),
 * `JSON.parse` (non-strict: `{}` for an empty text), and on failure an error typed
 * `entity.parse.failed`. `decodeJsonBody` does the same steps with the same functions, and the fast
 * path leaves its outcome on the request (`handOver`); the app's parser takes it from there
 * (`jsonBodyParser`), so the routes, the error translator, the logs and the metrics see what they
 * would have seen had body-parser read the bytes. test/perf/two-doors.test.ts replays malformed,
 * non-UTF-8, BOM-prefixed, scalar and oversized bodies through both doors.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { isAcceptedRequestType } from './content-type.js';

/**
 * Jackson (Confluent) refuses bytes that are not UTF-8 with 400; body-parser would decode them to U+FFFD
 * and carry on, turning garbage into a plausible-looking body (and a misleading 422 further in).
 */
export function rejectInvalidUtf8(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) {
    throw Object.assign(new Error('the body is not valid UTF-8'), {
      status: 400,
      type: 'entity.parse.failed',
    });
  }
}

/** A body read ahead of Express: the parsed value, or the error body-parser would have raised. */
export type DecodedBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: Error };

/** body-parser's verify, decode and parse steps for a UTF-8 JSON body (see the module comment). */
export function decodeJsonBody(buf: Buffer): DecodedBody {
  try {
    rejectInvalidUtf8(undefined, undefined, buf, 'utf-8');
  } catch (e) {
    return { ok: false, error: e as Error };
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: Object.assign(e as Error, { status: 400, type: 'entity.parse.failed' }) };
  }
}

/** `charset=utf-8` as the only parameter, any case, optionally quoted. */
const UTF8_ONLY = /^\s*charset\s*=\s*(?:utf-8|"utf-8")\s*$/i;

/**
 * The Content-Length of a body the fast path may read itself (headers alone decide, nothing is read),
 * or undefined when Express must read it.
 */
export function preReadable(req: IncomingMessage, limit: number): number | undefined {
  const headers = req.headers;
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined)
    return undefined;
  const declared = headers['content-length'];
  if (declared === undefined || !/^[1-9]\d{0,9}$/.test(declared)) return undefined;
  const length = Number(declared);
  if (length > limit) return undefined;
  const type = headers['content-type'];
  if (type !== undefined) {
    if (!isAcceptedRequestType(type)) return undefined;
    const semi = type.indexOf(';');
    if (semi >= 0 && !UTF8_ONLY.test(type.slice(semi + 1))) return undefined;
  }
  return length;
}

/** A body being read: what has come so far and who wants it. */
interface Pending {
  readonly length: number;
  readonly chunks: Buffer[];
  received: number;
  readonly done: (read: DecodedBody | Buffer) => void;
}

const PENDING = Symbol('body being read by the fast path');

type Reading = IncomingMessage & { [PENDING]?: Pending | undefined };

// Module-level listeners (`this` is the request): no closures or promise per request on the hot path.
function onData(this: Reading, chunk: Buffer): void {
  const pending = this[PENDING];
  if (pending === undefined) return;
  pending.chunks.push(chunk);
  pending.received += chunk.length;
}

function onEnd(this: Reading): void {
  const pending = this[PENDING];
  if (pending === undefined) return;
  const { chunks, received, length } = pending;
  // One chunk (the usual case for a small body) is used as it is: it is read here and then dropped.
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
  finish(this, received === length ? bytes : aborted());
}

function onGone(this: Reading): void {
  finish(this, aborted());
}

function finish(req: Reading, value: DecodedBody | Buffer): void {
  const pending = req[PENDING];
  if (pending === undefined) return;
  req[PENDING] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('close', onGone);
  req.off('error', onGone);
  pending.done(value);
}

/**
 * Reads exactly the declared bytes, then calls `done` once with them. When the client goes away first,
 * the outcome is the error raw-body gives body-parser then (`request.aborted`, a 400 nobody receives
 * but logs and metrics count).
 */
export function readBody(
  req: IncomingMessage,
  length: number,
  done: (read: DecodedBody | Buffer) => void,
): void {
  const reading = req as Reading;
  reading[PENDING] = { length, chunks: [], received: 0, done };
  reading.on('data', onData);
  reading.on('end', onEnd);
  reading.on('close', onGone);
  reading.on('error', onGone);
}

function aborted(): DecodedBody {
  return {
    ok: false,
    error: Object.assign(new Error('request aborted'), { status: 400, type: 'request.aborted' }),
  };
}

const HANDED_OVER = Symbol('body read by the fast path');

type WithBody = IncomingMessage & { [HANDED_OVER]?: DecodedBody };

/** Leaves a body the fast path read for the app's parser (the request stream is consumed). */
export function handOver(req: IncomingMessage, decoded: DecodedBody): void {
  (req as WithBody)[HANDED_OVER] = decoded;
}

/**
 * JSON for all four request types and a missing Content-Type; the type gate already refused the rest.
 * Not `strict`: `null` or `"x"` are valid JSON, and saying otherwise misleads. The routes judge the
 * shape (`null` is "no body", 422, as Confluent's bean validation; a scalar is 400, as Jackson's).
 * A body the fast path already read arrives here decoded (`handOver`), in the same place in the chain.
 */
export function jsonBodyParser(limit: number): RequestHandler {
  const parse = express.json({ type: () => true, limit, strict: false, verify: rejectInvalidUtf8 });
  return (req, res, next) => {
    const read = (req as WithBody)[HANDED_OVER];
    if (read !== undefined) {
      if (read.ok) req.body = read.value;
      next(read.ok ? undefined : read.error);
      return;
    }
    // An empty body is "no body" (body-parser would turn it into `{}`), so routes that need one can 422.
    if (req.headers['content-length'] === '0') {
      next();
      return;
    }
    parse(req, res, next);
  };
}

/** A body the fast path read, decoded (body-parser's steps) only when something needs its value. */
export class LazyBody {
  private decodedBody: DecodedBody | undefined;

  constructor(private readonly bytes: Buffer) {}

  get decoded(): DecodedBody {
    this.decodedBody ??= decodeJsonBody(this.bytes);
    return this.decodedBody;
  }
}
