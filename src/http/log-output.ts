/**
 * Where log lines go, and the request log line written without pino's general serializer. Both exist
 * because a registry serving tens of thousands of requests a second writes as many request lines,
 * logging at the default level (`info`), and the per-line costs used to exceed the cost of answering:
 *
 * - `BatchedFdDestination` (standard output): pino's default destination (sonic-boom, asynchronous)
 *   hands every write to the thread pool and measures the byte length of its whole pending buffer on
 *   every line. Here the lines of one event-loop turn are collected and written with ONE synchronous
 *   `write` at the end of the turn (about 40 lines per write under load), in order. When the output
 *   cannot take them now (a full non-blocking pipe: EAGAIN, or a short write), the rest goes out
 *   asynchronously, later lines queued behind it, so a slow reader never blocks the event loop; lines
 *   still pending when the process exits are written first thing in `exit`. A closed output (EPIPE)
 *   drops lines, as pino does.
 * - `RequestLineWriter`: the one line per request (request-log.ts), built as the exact text pino would
 *   produce for the same object (level, time and base bindings from the logger itself, pino's own
 *   string escaping, the same key order), written to the logger's destination. A logger whose output
 *   could differ (custom formatters, hooks, mixins, serializers or redaction of these keys) gets
 *   `logger.info` instead. log-output.test.ts compares the text with pino's.
 */
import { write as writeAsync, writeSync } from 'node:fs';
import { type DestinationStream, type Logger, pino } from 'pino';

const pending = new Set<BatchedFdDestination>();
// Before anything else listening for `exit`.
process.prependListener('exit', () => {
  for (const batch of pending) batch.flushSync();
});

/** Bytes of the buffer lines are collected in (a line that does not fit gets a buffer of its own). */
const BATCH_BYTES = 64 * 1024;

export class BatchedFdDestination implements DestinationStream {
  /** The turn's lines, encoded as they come (no string joins, no copies but the kernel's). */
  private batch = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  /** Bytes waiting behind an asynchronous write (after EAGAIN or a short write). */
  private queued: Buffer[] = [];
  private writing = false;
  private scheduled = false;

  constructor(private readonly fd: number) {}

  write(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.used + line.length * 3 > this.batch.length) {
      this.flush();
      if (line.length * 3 > this.batch.length) {
        this.send(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.used += this.batch.write(line, this.used, 'utf8');
    if (!this.scheduled) {
      this.scheduled = true;
      pending.add(this);
      setImmediate(() => this.flush());
    }
  }

  /** Writes what the turn collected. */
  flush(): void {
    this.scheduled = false;
    if (this.used === 0) return;
    const bytes = this.batch.subarray(0, this.used);
    if (this.writing) {
      // Queued behind an asynchronous write: this buffer is theirs now.
      this.queued.push(bytes);
      this.batch = Buffer.allocUnsafe(BATCH_BYTES);
      this.used = 0;
      return;
    }
    const written = this.tryWrite(bytes);
    if (written < bytes.length) {
      this.writeLater(bytes.subarray(written));
      this.batch = Buffer.allocUnsafe(BATCH_BYTES);
    } else if (this.queued.length === 0) {
      pending.delete(this);
    }
    this.used = 0;
  }

  /** Everything pending, synchronously (at exit): waits out EAGAIN for at most a second. */
  flushSync(): void {
    const all = this.used === 0 ? this.queued : [...this.queued, this.batch.subarray(0, this.used)];
    this.queued = [];
    this.used = 0;
    const deadline = Date.now() + 1000;
    for (const bytes of all) {
      let offset = 0;
      while (offset < bytes.length && Date.now() < deadline) offset += this.tryWrite(bytes.subarray(offset));
    }
    pending.delete(this);
  }

  /** A line too long for a batch: behind whatever is queued, else now. */
  private send(bytes: Buffer): void {
    if (this.writing) {
      this.queued.push(bytes);
      return;
    }
    const written = this.tryWrite(bytes);
    if (written < bytes.length) {
      pending.add(this);
      this.writeLater(bytes.subarray(written));
    }
  }

  /** Bytes written now; all of them when the output is gone (EPIPE and the like: dropped). */
  private tryWrite(bytes: Buffer): number {
    try {
      return writeSync(this.fd, bytes);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EAGAIN' ? 0 : bytes.length;
    }
  }

  private writeLater(bytes: Buffer): void {
    this.writing = true;
    writeAsync(this.fd, bytes, (err, written) => {
      const rest = err ? (err.code === 'EAGAIN' ? bytes : undefined) : bytes.subarray(written);
      const next = rest !== undefined && rest.length > 0 ? rest : this.queued.shift();
      if (next !== undefined) {
        // EAGAIN again: give the reader a moment instead of spinning.
        if (err) setTimeout(() => this.writeLater(next), 10);
        else this.writeLater(next);
        return;
      }
      this.writing = false;
      if (!this.scheduled) pending.delete(this);
    });
  }
}

const S = pino.symbols;

interface PinoInternals {
  readonly [key: symbol]: unknown;
}

/** Whether pino would write exactly the plain JSON line `requestLine` builds for this logger. */
function isPlain(logger: Logger): boolean {
  const l = logger as unknown as PinoInternals;
  const formatters = l[S.formattersSym] as { log?: unknown; level?: unknown } | undefined;
  const hooks = l[S.hooksSym] as { streamWrite?: unknown; logMethod?: unknown } | undefined;
  return (
    typeof l[S.timeSym] === 'function' &&
    typeof l[S.chindingsSym] === 'string' &&
    typeof l[S.endSym] === 'string' &&
    l[S.messageKeySym] === 'msg' &&
    l[S.mixinSym] === undefined &&
    formatters?.log === undefined &&
    hooks?.streamWrite === undefined &&
    hooks?.logMethod === undefined &&
    (l[S.streamSym] as { [key: symbol]: unknown } | undefined)?.[S.needsMetadataGsym] !== true &&
    !touches(l[S.serializersSym]) &&
    !touches(l[S.stringifiersSym])
  );
}

const FIELDS = ['reqId', 'method', 'path', 'route', 'status', 'ms', 'user', 'msg'];

/** Whether serializers or redaction stringifiers would apply to one of the line's keys. */
function touches(map: unknown): boolean {
  if (typeof map !== 'object' || map === null) return false;
  if ((map as { [key: symbol]: unknown })[S.wildcardFirstSym] !== undefined) return true;
  return FIELDS.some((key) => (map as Record<string, unknown>)[key] !== undefined);
}

/** pino's own string escaping (tools.js `asString` on Node < 25): the same text for the same input. */
function asString(str: string): string {
  const l = str.length;
  if (l > 100) return JSON.stringify(str);
  let result = '';
  let last = 0;
  let found = false;
  let point = 255;
  for (let i = 0; i < l && point >= 32; i++) {
    point = str.charCodeAt(i);
    if (point === 34 || point === 92) {
      result += `${str.slice(last, i)}\\`;
      last = i;
      found = true;
    }
  }
  result = found ? result + str.slice(last) : str;
  return point < 32 ? JSON.stringify(str) : `"${result}"`;
}

/** What a request line holds besides its id, duration and user: fixed by method, path, route, status. */
export interface LineShape {
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly status: number;
  readonly level: 'info' | 'error';
  readonly msg: string;
  /** `,"method":…,"status":N,"ms":` as pino writes it (plain loggers only). */
  readonly middle: string;
  /** `,"msg":…}` and the line end. */
  readonly tail: string;
}

/**
 * Writes request lines for one logger: pino's text, built directly when that is provably the same.
 * `shape` does the escaping once for what repeats (the fast path keeps a shape per answer it repeats).
 */
export class RequestLineWriter {
  private readonly plain: boolean;

  constructor(private readonly logger: Logger) {
    this.plain = isPlain(logger);
  }

  shape(method: string, path: string, route: string, status: number, msg: string): LineShape {
    const level = status >= 500 ? 'error' : 'info';
    const middle = `,"method":${asString(method)},"path":${asString(path)},"route":${asString(route)},"status":${status},"ms":`;
    const end = this.plain ? ((this.logger as unknown as PinoInternals)[S.endSym] as string) : '';
    return { method, path, route, status, level, msg, middle, tail: `,"msg":${asString(msg)}${end}` };
  }

  /**
   * `logger.info(fields, msg)` (`logger.error` from 500 on), as pino would write it. `reqId` is a
   * request id (requestIdOf: letters, digits and `._:-` only, which JSON never escapes).
   */
  write(shape: LineShape, reqId: string, ms: number, user: string | undefined): void {
    const logger = this.logger;
    if (!logger.isLevelEnabled(shape.level)) return;
    if (!this.plain) {
      const { method, path, route, status } = shape;
      const fields = { reqId, method, path, route, status, ms, ...(user === undefined ? {} : { user }) };
      logger[shape.level](fields, shape.msg);
      return;
    }
    const l = logger as unknown as PinoInternals;
    const prefix = (l[S.lsCacheSym] as Record<number, string>)[logger.levels.values[shape.level]!]!;
    const time = (l[S.timeSym] as () => string)();
    const duration = Number.isFinite(ms) ? ms : null;
    const who = user === undefined ? '' : `,"user":${asString(user)}`;
    const line = `${prefix}${time}${l[S.chindingsSym] as string},"reqId":"${reqId}"${shape.middle}${duration}${who}${shape.tail}`;
    (l[S.streamSym] as DestinationStream).write(line);
  }
}
