/**
 * Programmatic autocannon: a warm-up run that is thrown away, then the measured run. Every scenario
 * goes through here so that baselines and registry are loaded the same way (same connections, same
 * per-request `setupRequest` cost on the generator side).
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  /** Seconds of the measured run (ignored when `amount` is set). */
  readonly durationSec: number;
  /** Seconds of the warm-up run (0 = none). */
  readonly warmupSec: number;
  /** A fixed number of requests instead of a duration (registrations: each request must be new). */
  readonly amount?: number;
  readonly warmupAmount?: number;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  /** Called once per request: the path and body to send. */
  readonly next: () => { path: string; body?: string };
}

export interface LoadFigures {
  /** Successful (2xx) requests per second over the measured run. */
  readonly rps: number;
  /** Latency percentiles in ms (autocannon records whole milliseconds). */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Non-2xx answers plus connection errors: any non-zero value makes the figure suspect. */
  readonly failures: number;
}

function run(spec: LoadSpec, opts: { duration?: number; amount?: number }): Promise<autocannon.Result> {
  const headers = {
    ...(spec.method === 'POST' ? { 'content-type': 'application/vnd.schemaregistry.v1+json' } : {}),
    ...spec.headers,
  };
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(opts.amount === undefined ? { duration: opts.duration ?? 1 } : { amount: opts.amount }),
    method: spec.method ?? 'GET',
    headers,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const { path, body } = spec.next();
          return body === undefined ? { ...request, path } : { ...request, path, body };
        },
      },
    ],
  });
}

export async function measure(spec: LoadSpec): Promise<LoadFigures> {
  if (spec.warmupAmount !== undefined && spec.warmupAmount > 0)
    await run(spec, { amount: spec.warmupAmount });
  else if (spec.warmupSec > 0 && spec.amount === undefined) await run(spec, { duration: spec.warmupSec });
  const result = await run(
    spec,
    spec.amount === undefined ? { duration: spec.durationSec } : { amount: spec.amount },
  );
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors,
  };
}
