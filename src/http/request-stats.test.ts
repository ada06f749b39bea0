import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS, RequestStats } from './request-stats.js';

test('the exposition is exactly what prom-client Counter and Histogram give for the same requests', async () => {
  const reference = new Registry();
  const counter = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [reference],
  });
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [...DURATION_BUCKETS],
    registers: [reference],
  });
  const ours = new Registry();
  const stats = new RequestStats();
  stats.register(ours, { requests: 'http_requests_total', duration: 'http_request_duration_seconds' });
  const kept = stats.series('GET', '/schemas/ids/:id', 200);
  const requests: Array<[string, string, number, number]> = [
    ['GET', '/schemas/ids/:id', 200, 0.0001],
    ['GET', '/schemas/ids/:id', 200, 0.0005], // on a bound
    ['GET', '/schemas/ids/:id', 200, 0.0123],
    ['GET', 'unmatched', 401, 0.00002],
    ['POST', '/subjects/:subject', 403, 3], // above every bound
    ['GET', '/schemas/ids/:id', 404, 0.1],
  ];
  for (const [method, route, status, seconds] of requests) {
    counter.inc({ method, route, status: String(status) });
    histogram.observe({ method, route, status: String(status) }, seconds);
    if (method === 'GET' && route === '/schemas/ids/:id' && status === 200) kept.observe(seconds);
    else stats.record(method, route, status, seconds);
  }
  assert.equal(await ours.metrics(), await reference.metrics());
  // Collected afresh at every scrape, never counted twice.
  assert.equal(await ours.metrics(), await reference.metrics());
});
