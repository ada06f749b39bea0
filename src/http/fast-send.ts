/**
 * How the pre-router fast path (fast-path.ts) writes what it answers, so that a request answered there
 * looks, to its client and to whoever watches the server, like one the Express chain answered: the
 * headers the chain sets (X-Request-Id as request-log.ts picks it, the negotiated Content-Type,
 * Content-Length), error bodies in the error translator's envelope, then the Prometheus series the
 * metrics middleware would count and the request log line the request-log middleware would write.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DomainError } from '../errors.js';
import { bodyFor } from './errors.js';
import type { LineShape } from './log-output.js';
import type { HttpMetrics } from './metrics.js';
import { type RequestLog, requestIdOf } from './request-log.js';
import type { Series } from './request-stats.js';

export class FastSender {
  constructor(
    private readonly metrics: HttpMetrics | undefined,
    private readonly log: RequestLog | undefined,
  ) {}

  /**
   * Writes the answer, then counts and logs it. `route` is the metrics label (the route template, or
   * `unmatched` before routing); a repeated answer passes the `series` and log `line` it keeps.
   */
  send(
    req: IncomingMessage,
    res: ServerResponse,
    start: bigint,
    route: string,
    status: number,
    body: Buffer,
    type: string,
    user: string | undefined,
    extra: ReadonlyArray<readonly [string, string]>,
    series?: Series,
    line?: LineShape,
  ): void {
    const requestId = requestIdOf(req.headers['x-request-id']);
    const headers: string[] = ['X-Request-Id', requestId];
    for (const [name, value] of extra) headers.push(name, value);
    headers.push('Content-Type', type, 'Content-Length', String(body.length));
    res.writeHead(status, headers);
    res.end(body);
    const method = req.method ?? 'GET';
    const elapsed = Number(process.hrtime.bigint() - start);
    (series ?? this.metrics?.series(method, route, status))?.observe(elapsed / 1e9);
    const log = this.log;
    if (log !== undefined) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const shape = line ?? log.shape(method, q < 0 ? url : url.slice(0, q), route, status);
      log.write(shape, requestId, Math.round(elapsed / 1e4) / 100, user);
    }
  }
}

/** The error envelope exactly as the error translator's `sendJson` writes it. */
export function envelope(error: DomainError): Buffer {
  return Buffer.from(JSON.stringify(bodyFor(error, false)), 'utf8');
}
