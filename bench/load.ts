/**
 * Programmatic autocannon: a warm-up run that is thrown away, then the measured run. Every scenario
 * goes through here so that baselines and registry are loaded the same way (same connections, same
 * generator-side cost per request).
 *
 * The generator must not be the ceiling: on this 2-core machine a `setupRequest` callback per request
 * (a fresh path object, the request buffer rebuilt) caps autocannon near 60k requests/s at 100 % of
 * its core while raw node:http idles at 70 %. So a scenario's requests are built once (`distinct` of
 * them, cycled by every connection) and autocannon sends prebuilt buffers; only scenarios that need a
 * new body every time (`fresh`) pay for the callback. Each figure carries the server's and the
 * generator's CPU use over the run, so a reader can see which side was saturated.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
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
  /** The path and body of a request: called `distinct` times up front, or per request when `fresh`. */
  readonly next: () => { path: string; body?: string };
  /** How many requests to build up front (default 1,000); connections cycle through them. */
  readonly distinct?: number;
  /** Call `next` for every request sent (each must differ: new candidates, registrations). */
  readonly fresh?: boolean;
  /**
   * Autocannon worker threads sending the requests (default 1; 0 = on the benchmark's main thread).
   * One worker beats the main thread by ~15 % on raw node:http here: the main thread then only
   * collects results, so sending never waits behind bookkeeping.
   */
  readonly workers?: number;
  /** The server's process id: its CPU time per request is reported (Linux `/proc`). */
  readonly serverPid?: number;
}

export interface LoadFigures {
  /** Successful (2xx) requests per second over the measured run. */
  readonly rps: number;
  /** Latency percentiles in ms (whole ms from autocannon; 0.01 ms from `sequential`). */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Non-2xx answers plus connection errors: any non-zero value makes the figure suspect. */
  readonly failures: number;
  /** CPU time (user + system) per request, µs: the server's and this load generator's. */
  readonly serverCpuUs?: number;
  readonly generatorCpuUs?: number;
  /** CPU use over the measured run in % of one core (100 = a saturated core; the machine has 2). */
  readonly serverCpuPct?: number;
  readonly generatorCpuPct?: number;
}

/** A scenario's request headers: the registry's media type on POST bodies, then the spec's own. */
function requestHeaders(spec: LoadSpec): Record<string, string> {
  return {
    ...(spec.method === 'POST' ? { 'content-type': 'application/vnd.schemaregistry.v1+json' } : {}),
    ...spec.headers,
  };
}

/**
 * One keep-alive sender for requests sent one at a time (priming, the registration runs): each `send`
 * resolves with the status once the answer has been read to its end.
 */
function oneAtATime(spec: LoadSpec): {
  send(path: string, body?: string | Buffer): Promise<number>;
  close(): void;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(spec.url);
  const headers = requestHeaders(spec);
  const method = spec.method ?? 'GET';
  return {
    send: (path, body) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { agent, host: target.hostname, port: target.port, path, method, headers },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

function run(spec: LoadSpec, opts: { duration?: number; amount?: number }): Promise<autocannon.Result> {
  const headers = requestHeaders(spec);
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(opts.amount === undefined ? { duration: opts.duration ?? 1 } : { amount: opts.amount }),
    method: spec.method ?? 'GET',
    headers,
    timeout: 30,
    // A per-request callback cannot be handed to a worker thread: `fresh` scenarios stay on this one.
    ...(!spec.fresh && (spec.workers ?? 1) > 0 ? { workers: spec.workers ?? 1 } : {}),
    requests: spec.fresh
      ? [
          {
            setupRequest: (request) => {
              const { path, body } = spec.next();
              return body === undefined ? { ...request, path } : { ...request, path, body };
            },
          },
        ]
      : prebuilt(spec),
  });
}

const built = new WeakMap<LoadSpec, autocannon.Request[]>();

/** The scenario's requests, built once per spec (warm-up and measured run send the same ones). */
function prebuilt(spec: LoadSpec): autocannon.Request[] {
  let requests = built.get(spec);
  if (requests === undefined) {
    requests = Array.from({ length: spec.distinct ?? 1000 }, () => {
      const { path, body } = spec.next();
      return body === undefined ? { path } : { path, body };
    });
    built.set(spec, requests);
  }
  return requests;
}

/**
 * Sends each prebuilt request once, one at a time, before the warm-up. Autocannon's connections all
 * walk the same list from its start in step, so on a cold cache all 50 would miss the same entry at
 * once, lap after lap, and the run would measure that first lap (on PostgreSQL, seconds of it) rather
 * than the steady state the rows are about.
 */
async function prime(spec: LoadSpec): Promise<void> {
  const sender = oneAtATime(spec);
  try {
    for (const r of prebuilt(spec)) await sender.send(r.path ?? '/', r.body);
  } finally {
    sender.close();
  }
}

export async function measure(spec: LoadSpec): Promise<LoadFigures> {
  if (!spec.fresh && spec.amount === undefined) await prime(spec);
  if (spec.warmupAmount !== undefined && spec.warmupAmount > 0)
    await run(spec, { amount: spec.warmupAmount });
  else if (spec.warmupSec > 0 && spec.amount === undefined) await run(spec, { duration: spec.warmupSec });
  const serverBefore = cpuMs(spec.serverPid);
  // process.cpuUsage is the whole process: autocannon's worker threads included.
  const generatorBefore = process.cpuUsage();
  const result = await run(
    spec,
    spec.amount === undefined ? { duration: spec.durationSec } : { amount: spec.amount },
  );
  const generator = process.cpuUsage(generatorBefore);
  const serverAfter = cpuMs(spec.serverPid);
  const ok = result['2xx'];
  // `result.duration` is whole seconds; start/finish give the real span.
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors,
    ...(serverBefore === undefined || serverAfter === undefined || result.requests.total === 0
      ? {}
      : { serverCpuUs: ((serverAfter - serverBefore) * 1000) / result.requests.total }),
    ...(result.requests.total === 0
      ? {}
      : { generatorCpuUs: (generator.user + generator.system) / result.requests.total }),
    ...(serverBefore === undefined || serverAfter === undefined
      ? {}
      : { serverCpuPct: ((serverAfter - serverBefore) / (seconds * 1000)) * 100 }),
    generatorCpuPct: ((generator.user + generator.system) / 1000 / (seconds * 1000)) * 100,
  };
}

/** User + system CPU milliseconds of a process (all its threads), from `/proc/<pid>/stat`. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux this runs on.
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One request at a time over one keep-alive connection, timed with a sub-millisecond clock: for the
 * registration scenarios, where each request is slow enough that autocannon's whole-millisecond
 * latencies would hide the differences, and where one connection makes p99 the cost of ONE request.
 */
export async function sequential(spec: LoadSpec & { amount: number }): Promise<LoadFigures> {
  const sender = oneAtATime(spec);
  const send = () => {
    const { path, body } = spec.next();
    return sender.send(path, body);
  };
  try {
    for (let i = 0; i < (spec.warmupAmount ?? 0); i++) await send();
    const latencies: number[] = [];
    let failures = 0;
    const serverBefore = cpuMs(spec.serverPid);
    const started = performance.now();
    for (let i = 0; i < spec.amount; i++) {
      const t0 = performance.now();
      const status = await send();
      latencies.push(performance.now() - t0);
      if (status < 200 || status > 299) failures++;
    }
    const seconds = (performance.now() - started) / 1000;
    const serverAfter = cpuMs(spec.serverPid);
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
    return {
      rps: (spec.amount - failures) / seconds,
      p50: Math.round(at(0.5) * 100) / 100,
      p99: Math.round(at(0.99) * 100) / 100,
      requests: spec.amount,
      failures,
      ...(serverBefore === undefined || serverAfter === undefined
        ? {}
        : { serverCpuUs: ((serverAfter - serverBefore) * 1000) / spec.amount }),
    };
  } finally {
    sender.close();
  }
}
