/**
 * `http_requests_total` and `http_request_duration_seconds` as plain arithmetic per request, handed to
 * Prometheus at scrape time. prom-client's labelled children re-hash their labels and search the
 * buckets on every call (about half a microsecond, several times that in a loaded server: a tenth of
 * the pre-router fast path's whole cost); here one Map lookup finds the series and a few additions
 * record the request. Both doors (the Express middleware and the fast path) record through
 * `RequestStats.record`, so every request is counted once, in the same series.
 *
 * The exposition is prom-client's own: the counter is a prom-client Counter filled at collect time,
 * and the histogram hands the registry the very values a prom-client Histogram would (cumulative
 * `_bucket` series with `le` first, `+Inf`, `_sum`, `_count`; request-stats.test.ts compares the text).
 */
import { Counter, type Registry } from 'prom-client';

export const DURATION_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

type Labels = { readonly method: string; readonly route: string; readonly status: string };

/** One (method, route, status) series: its count, sum and bucket counts. */
export class Series {
  count = 0;
  sum = 0;
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  readonly buckets: number[];

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    this.buckets[i]!++;
  }
}

export class RequestStats {
  private readonly all = new Map<string, Series>();

  constructor(readonly bounds: readonly number[] = DURATION_BUCKETS) {}

  /** The series of (method, route, status), created on first use (callers may keep it). */
  series(method: string, route: string, status: number): Series {
    const key = `${status}${method} ${route}`;
    let s = this.all.get(key);
    if (s === undefined) {
      s = new Series({ method, route, status: String(status) }, this.bounds);
      this.all.set(key, s);
    }
    return s;
  }

  record(method: string, route: string, status: number, seconds: number): void {
    this.series(method, route, status).observe(seconds);
  }

  /** Registers the two metrics, read from these counts at every scrape, in `registry`. */
  register(registry: Registry, names: { requests: string; duration: string }): void {
    const all = this.all;
    new Counter({
      name: names.requests,
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of all.values()) this.inc(s.labels, s.count);
      },
    });
    registry.registerMetric(new DurationHistogram(names.duration, this.bounds, all) as never);
  }
}

/** A prom-client Metric producing a Histogram's values from the counts (see the module comment). */
class DurationHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly help = 'HTTP request latency by method, route template and status';

  constructor(
    readonly name: string,
    private readonly bounds: readonly number[],
    private readonly all: ReadonlyMap<string, Series>,
  ) {}

  get() {
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.all.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.buckets[i]!;
        values.push({ labels: { le, ...s.labels }, value: acc, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: bucket });
      values.push({ labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {}
}
