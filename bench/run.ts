/**
 * `npm run bench`: the registry's performance figures next to what this machine can do at all.
 *
 * In one run: a raw node:http server and a bare Express 5 app answering a constant ~180-byte JSON body
 * (the machine's and the framework's ceilings), then the registry (`dist/index.js`, compiled at the start
 * of the run as `npm start` does, a child process on
 * a fresh temporary database seeded in bulk) under every scenario of issue #7, then start-up time and
 * memory with 10,000 and 100,000 stored schemas. Every request rate is also shown as a ratio to the
 * two baselines of the same run. Prints a Markdown table, writes `bench/results/<date>-<commit>.json`
 * and `bench/results/latest.md`.
 *
 * Environment: BENCH_DURATION (s per timed scenario, default 6), BENCH_WARMUP (default 2),
 * BENCH_ROUNDS (interleaved rounds of baselines and fast-path reads, default 3), BENCH_ONLY
 * (comma-separated groups: reads (the ceiling, the baselines and the hot paths of issue #13: GET by id
 * open, with Basic and with a bearer token, latest, lookup, handshake, agreement), writes, compat,
 * variants, startup,
 * postgres: three instances on PostgreSQL, see scale-out.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { hashPassword, hashToken } from '../src/auth/credentials.js';
import { type LoadFigures, type LoadSpec, measure, sequential } from './load.js';
import {
  buildRegistry,
  type Child,
  REGISTRY_ENTRY,
  ROOT,
  rssMb,
  startChild,
  stopChild,
} from './processes.js';
import { type BenchResult, type Machine, type Row, renderMarkdown, type Target } from './report.js';
import { scaleOutScenarios } from './scale-out.js';
import { type SeedSubject, seedDatabase } from './seed.js';
import { eventSchema, orderSchema, wideSchema } from './workloads.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = 50;
/** Interleaved rounds of the baselines and the fast-path reads. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const enabled = (group: string) => ONLY === undefined || ONLY.includes(group);

const EVENT_SUBJECTS = 100;
const EVENT_VERSIONS = 10;
const IDS = EVENT_SUBJECTS * EVENT_VERSIONS;
/** FULL_TRANSITIVE histories: prior versions -> subjects (registrations rotate over them). */
const HISTORIES = [
  { prior: 1, subjects: 50, amount: 200 },
  { prior: 100, subjects: 10, amount: 200 },
  // Few subjects: their 4,000 parsed versions stay in the parse memo (5,000), as a busy subject's would.
  { prior: 1000, subjects: 4, amount: 200 },
] as const;
const WIDE_FIELDS = 500;

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function machine(): Machine {
  return {
    date: new Date().toISOString(),
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: totalmem() / 1024 ** 3,
    loadBefore: loadavg()[0] ?? 0,
  };
}

function cycle(n: number): () => number {
  let i = 0;
  return () => i++ % n;
}

const timed = (target: Child, next: LoadSpec['next'], extra: Partial<LoadSpec> = {}): LoadSpec => ({
  url: target.url,
  ...(target.child.pid === undefined ? {} : { serverPid: target.child.pid }),
  connections: CONNECTIONS,
  durationSec: DURATION,
  warmupSec: WARMUP,
  next,
  ...extra,
});

function row(group: string, scenario: string, f: LoadFigures, note?: string): Row {
  const out: Row = {
    group,
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
  process.stdout.write(
    `  ${scenario}: ${Math.round(f.rps)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, failures ${f.failures}\n`,
  );
  return out;
}

/** The better of several runs: other work on a shared machine only ever lowers a figure. */
function bestOf(runs: readonly LoadFigures[]): LoadFigures {
  return runs.reduce((a, b) => (b.rps > a.rps ? b : a));
}

/** The hot paths' registry children: one open, one with AUTH_FILE (Basic read user and bearer token). */
interface HotTargets {
  readonly open: Child;
  readonly guarded: Child;
}

const READER = { user: 'bench-reader', password: 'bench-reader-password', token: 'bench-reader-token' };

/** AUTH_FILE for the guarded child: a read user with a password (default scrypt) and one with a token. */
async function writeAuthFile(dir: string): Promise<string> {
  const path = join(dir, 'auth.json');
  const users = [
    { name: READER.user, role: 'read', password: await hashPassword(READER.password) },
    { name: 'bench-bot', role: 'read', tokens: [hashToken(READER.token)] },
  ];
  writeFileSync(path, JSON.stringify({ users }));
  return path;
}

/**
 * The ceiling, the baselines and the hot paths of a deployed registry (issue #13), interleaved over
 * ROUNDS rounds (the order reversed every other round) so that every ratio compares runs made seconds
 * apart under the same conditions; each figure is the best of its rounds, every round's rate is in the
 * note. Raw node:http is driven three times, by the generator on the main thread, on one worker thread
 * (how every registry scenario is driven) and on two: the best of the three is the ceiling every ratio
 * divides by.
 */
async function interleaved(rows: Row[], hot: HotTargets): Promise<void> {
  const raw = await startChild('bench/baseline-server.ts', { BASELINE: 'raw' }, '/');
  const express = await startChild('bench/baseline-server.ts', { BASELINE: 'express' }, '/');
  try {
    const reg = hot.open;
    const ids = cycle(IDS);
    const subjects = cycle(EVENT_SUBJECTS);
    const lookups = cycle(IDS);
    const handshakes = cycle(IDS);
    const agreements = cycle(EVENT_SUBJECTS);
    // The baselines get the registry's GET-by-id request stream (they ignore the path).
    const byId = () => ({ path: `/schemas/ids/${ids() + 1}` });
    const basic = `Basic ${Buffer.from(`${READER.user}:${READER.password}`).toString('base64')}`;
    const post = { method: 'POST' as const };
    const runs = [
      { group: 'baseline', scenario: RAW_MAIN_THREAD, spec: timed(raw, byId, { workers: 0 }) },
      { group: 'baseline', scenario: RAW_ONE_WORKER, spec: timed(raw, byId) },
      { group: 'baseline', scenario: RAW_TWO_WORKERS, spec: timed(raw, byId, { workers: 2 }) },
      { group: 'baseline', scenario: 'bare Express 5, constant body', spec: timed(express, byId) },
      { group: 'reads', scenario: `GET /schemas/ids/{id}, ${IDS} ids`, spec: timed(reg, byId) },
      {
        group: 'reads',
        scenario: 'GET /schemas/ids/{id}, AUTH_FILE, Basic read user',
        spec: timed(hot.guarded, byId, { headers: { authorization: basic } }),
      },
      {
        group: 'reads',
        scenario: 'GET /schemas/ids/{id}, AUTH_FILE, bearer token',
        spec: timed(hot.guarded, byId, { headers: { authorization: `Bearer ${READER.token}` } }),
      },
      {
        group: 'reads',
        scenario: `GET /subjects/{s}/versions/latest, ${EVENT_SUBJECTS} subjects`,
        spec: timed(reg, () => ({ path: `/subjects/events-${subjects()}/versions/latest` })),
      },
      {
        group: 'reads',
        scenario: 'POST /subjects/{s} (lookup), existing schemas',
        spec: timed(
          reg,
          () => {
            const n = lookups();
            return {
              path: `/subjects/events-${Math.floor(n / EVENT_VERSIONS)}`,
              body: JSON.stringify({ schema: eventSchema(n) }),
            };
          },
          post,
        ),
      },
      {
        group: 'negotiation',
        scenario: 'POST /negotiation/subjects/{s} (handshake, reader holding a schema)',
        spec: timed(
          reg,
          () => {
            const n = handshakes();
            return {
              path: `/negotiation/subjects/events-${Math.floor(n / EVENT_VERSIONS)}`,
              body: JSON.stringify({ role: 'reader', supports: { schema: eventSchema(n) } }),
            };
          },
          post,
        ),
      },
      {
        group: 'negotiation',
        scenario: 'GET /negotiation/subjects/{s}/agreement',
        spec: timed(reg, () => ({ path: `/negotiation/subjects/events-${agreements()}/agreement` }), {
          distinct: EVENT_SUBJECTS,
        }),
      },
    ].map((r) => ({ ...r, figures: [] as LoadFigures[] }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of round % 2 === 0 ? runs : [...runs].reverse()) {
        const f = await measure(r.spec);
        process.stdout.write(
          `  [round ${round + 1}] ${r.scenario}: ${Math.round(f.rps)} req/s, p99 ${f.p99} ms, ` +
            `CPU server ${Math.round(f.serverCpuPct ?? 0)} %, generator ${Math.round(f.generatorCpuPct ?? 0)} %\n`,
        );
        r.figures.push(f);
      }
    }
    for (const r of runs) {
      const rates = r.figures.map((f) => Math.round(f.rps).toLocaleString('en-US')).join(', ');
      rows.push(row(r.group, r.scenario, bestOf(r.figures), `best of ${ROUNDS} interleaved runs: ${rates}`));
    }
  } finally {
    await stopChild(raw);
    await stopChild(express);
  }
}

/** Leases for the agreement scenario: one reader holding its subject's latest version, for an hour. */
async function holdLeases(url: string): Promise<void> {
  for (let s = 0; s < EVENT_SUBJECTS; s++) {
    await put(`${url}/negotiation/subjects/events-${s}/participants/bench-reader`, {
      role: 'reader',
      supports: { schema: eventSchema(s * EVENT_VERSIONS + EVENT_VERSIONS - 1) },
      ttlSeconds: 3600,
    });
  }
}

function seedPlan(): SeedSubject[] {
  const plan: SeedSubject[] = [];
  // ids 1..1000: the read scenarios' schemas.
  for (let s = 0; s < EVENT_SUBJECTS; s++) {
    plan.push({
      subject: `events-${s}`,
      count: EVENT_VERSIONS,
      schema: (n) => eventSchema(s * EVENT_VERSIONS + n),
    });
  }
  for (let s = 0; s < HISTORIES[0].subjects; s++) {
    plan.push({ subject: `backward-${s}`, count: 1, schema: orderSchema, compatibility: 'BACKWARD' });
  }
  for (const h of HISTORIES) {
    for (let s = 0; s < h.subjects; s++) {
      plan.push({
        subject: `ft${h.prior}-${s}`,
        count: h.prior,
        schema: orderSchema,
        compatibility: 'FULL_TRANSITIVE',
      });
    }
  }
  plan.push({
    subject: 'wide',
    count: 1,
    schema: (n) => wideSchema(WIDE_FIELDS, n),
    compatibility: 'BACKWARD',
  });
  return plan;
}

async function put(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`PUT ${url}: ${res.status} ${await res.text()}`);
}

async function registryScenarios(rows: Row[], reg: Child): Promise<void> {
  const url = reg.url;
  if (enabled('writes')) {
    let fresh = 1_000_000;
    const register = (prefix: string, subjects: number) => {
      const subject = cycle(subjects);
      return () => ({
        path: `/subjects/${prefix}-${subject()}/versions`,
        body: JSON.stringify({ schema: orderSchema(fresh++) }),
      });
    };
    const writes = (prefix: string, subjects: number, amount: number): LoadSpec & { amount: number } => ({
      url,
      ...(reg.child.pid === undefined ? {} : { serverPid: reg.child.pid }),
      connections: 1,
      durationSec: 0,
      warmupSec: 0,
      warmupAmount: subjects,
      amount,
      method: 'POST',
      next: register(prefix, subjects),
    });
    const backward = HISTORIES[0];
    rows.push(
      row(
        'writes',
        'register new schema, BACKWARD, 1 prior version',
        await sequential(writes('backward', backward.subjects, backward.amount)),
        '1 connection: p99 is one registration',
      ),
    );
    for (const h of HISTORIES) {
      rows.push(
        row(
          'writes',
          `register new schema, FULL_TRANSITIVE, ${h.prior} prior version${h.prior === 1 ? '' : 's'}`,
          await sequential(writes(`ft${h.prior}`, h.subjects, h.amount)),
          `${h.subjects} subjects in rotation`,
        ),
      );
    }
  }
  if (enabled('compat')) {
    // CPU-bound per request: 50 connections would only measure queueing.
    const compat = { method: 'POST' as const, connections: 10 };
    let variant = 1;
    rows.push(
      row(
        'compat',
        `POST /compatibility/.../latest, ${WIDE_FIELDS}-field record, new candidate each time`,
        await measure(
          timed(
            reg,
            () => ({
              path: '/compatibility/subjects/wide/versions/latest',
              body: JSON.stringify({ schema: wideSchema(WIDE_FIELDS, variant++) }),
            }),
            { ...compat, fresh: true },
          ),
        ),
        '10 connections',
      ),
    );
    const same = JSON.stringify({ schema: wideSchema(WIDE_FIELDS, 1) });
    rows.push(
      row(
        'compat',
        `POST /compatibility/.../latest, ${WIDE_FIELDS}-field record, same candidate`,
        await measure(
          timed(reg, () => ({ path: '/compatibility/subjects/wide/versions/latest', body: same }), compat),
        ),
        '10 connections; parse and check memoised',
      ),
    );
  }
}

/** GET by id with every request through Express (no fast path): what the fast path buys. */
async function variants(rows: Row[], dbPath: string): Promise<void> {
  const child = await startChild(
    'bench/registry-child.ts',
    { DATABASE_PATH: dbPath, BENCH_FAST_PATH: 'off' },
    '/health/ready',
  );
  try {
    const id = cycle(IDS);
    rows.push(
      row(
        'variants',
        'GET /schemas/ids/{id}, fast path off',
        await measure(timed(child, () => ({ path: `/schemas/ids/${id() + 1}` }))),
        'every request through Express',
      ),
    );
  } finally {
    await stopChild(child);
  }
}

async function startup(rows: Row[], dir: string): Promise<void> {
  for (const count of [0, 10_000, 100_000]) {
    const path = join(dir, `startup-${count}.db`);
    const perSubject = 10;
    const seedStart = performance.now();
    seedDatabase(
      path,
      Array.from({ length: count / perSubject }, (_, s) => ({
        subject: `startup-${s}`,
        count: perSubject,
        schema: (n: number) => eventSchema(s * perSubject + n),
      })),
    );
    const seeded = (performance.now() - seedStart) / 1000;
    const child = await startChild(
      REGISTRY_ENTRY,
      { DATABASE_PATH: path, LOG_LEVEL: 'warn' },
      '/health/ready',
    );
    try {
      const rss = rssMb(child.child.pid);
      if (count > 0) {
        const res = await fetch(`${child.url}/schemas/ids/${count}`);
        if (res.status !== 200)
          throw new Error(`start-up ${count}: GET /schemas/ids/${count} answered ${res.status}`);
      }
      rows.push({
        group: 'startup',
        scenario: `${count.toLocaleString('en-US')} stored schemas`,
        startMs: child.startMs,
        rssMb: rss,
        note: count === 0 ? 'fixed cost: node + modules' : `seeded in ${seeded.toFixed(1)} s`,
      });
      process.stdout.write(
        `  start-up with ${count} schemas: ${Math.round(child.startMs)} ms, RSS ${rss?.toFixed(1)} MB\n`,
      );
    } finally {
      await stopChild(child);
      rmSync(path, { force: true });
    }
  }
}

const RAW_MAIN_THREAD = 'raw node:http, constant body, generator on its main thread';
const RAW_ONE_WORKER = 'raw node:http, constant body, generator on one worker thread';
const RAW_TWO_WORKERS = 'raw node:http, constant body, generator on two worker threads';

function rate(rows: readonly Row[], prefix: string): number {
  return rows.find((r) => r.group === 'baseline' && r.scenario.startsWith(prefix))?.rps ?? Number.NaN;
}

/** The ceiling: raw node:http under the best of its three generator set-ups. */
function ceiling(rows: readonly Row[]): number {
  return Math.max(rate(rows, RAW_MAIN_THREAD), rate(rows, RAW_ONE_WORKER), rate(rows, RAW_TWO_WORKERS));
}

/** Issue #13's targets: ratio to the ceiling and p99 at 50 connections, per hot path. */
const HOT_TARGETS = [
  { prefix: 'GET /schemas/ids/{id}, 1000 ids', name: 'GET by id, no access control', goal: 0.65 },
  { prefix: 'GET /schemas/ids/{id}, AUTH_FILE, Basic', name: 'GET by id, AUTH_FILE, Basic', goal: 0.5 },
  { prefix: 'GET /schemas/ids/{id}, AUTH_FILE, bearer', name: 'GET by id, AUTH_FILE, bearer', goal: 0.5 },
  { prefix: 'POST /subjects/{s} (lookup)', name: 'lookup POST /subjects/{s}', goal: 0.3 },
  { prefix: 'POST /negotiation/subjects/{s} (handshake', name: 'handshake', goal: 0.3 },
  { prefix: 'GET /negotiation/subjects/{s}/agreement', name: 'GET …/agreement', goal: 0.5 },
] as const;

function hotTargets(rows: readonly Row[]): Target[] {
  const top = ceiling(rows);
  const out: Target[] = [];
  for (const t of HOT_TARGETS) {
    const r = rows.find((x) => x.scenario.startsWith(t.prefix));
    if (r?.rps === undefined || !Number.isFinite(top)) continue;
    const ratio = r.rps / top;
    out.push({
      name: `${t.name}: throughput`,
      goal: `≥ ${t.goal} × raw node:http`,
      measured: `${ratio.toFixed(2)} × (${Math.round(r.rps).toLocaleString('en-US')} req/s)`,
      met: ratio >= t.goal,
    });
    out.push({
      name: `${t.name}: p99, 50 connections`,
      goal: '< 10 ms',
      measured: `${r.p99Ms} ms`,
      met: (r.p99Ms ?? 99) < 10,
    });
  }
  return out;
}

function targets(rows: readonly Row[]): Target[] {
  const find = (prefix: string) => rows.find((r) => r.scenario.startsWith(prefix));
  const ft1 = find('register new schema, FULL_TRANSITIVE, 1 prior');
  const ft1000 = find('register new schema, FULL_TRANSITIVE, 1000 prior');
  const big = find('100,000 stored');
  const out: Target[] = [...hotTargets(rows)];
  if (ft1?.rps && ft1000?.rps) {
    out.push({
      name: 'FULL_TRANSITIVE registration, 1,000 prior versions, p99',
      goal: '< 50 ms',
      measured: `${ft1000.p99Ms} ms`,
      met: (ft1000.p99Ms ?? 999) < 50,
    });
    // One connection: mean latency = 1 / rate. Linear growth would multiply it by ~1,000.
    const mean1 = 1000 / ft1.rps;
    const mean1000 = 1000 / ft1000.rps;
    const growth = mean1000 / mean1;
    const perVersionUs = ((mean1000 - mean1) / 999) * 1000;
    out.push({
      name: 'growth of mean registration time, 1 → 1,000 prior versions',
      goal: 'visibly sublinear: < 100 × (linear would be ~1,000 ×)',
      measured:
        `${growth.toFixed(1)} × (${mean1.toFixed(1)} → ${mean1000.toFixed(1)} ms; ` +
        `+${perVersionUs.toFixed(0)} µs per prior version)`,
      met: growth < 100,
    });
  }
  if (big?.startMs !== undefined) {
    out.push({
      name: 'start-up, 100,000 schemas',
      goal: '< 3 s',
      measured: `${(big.startMs / 1000).toFixed(2)} s`,
      met: big.startMs < 3000,
    });
    out.push({
      name: 'RSS, 100,000 schemas',
      goal: '< 300 MB',
      measured: `${big.rssMb?.toFixed(0)} MB`,
      met: (big.rssMb ?? 999) < 300,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const started = performance.now();
  const info = machine();
  process.stdout.write(
    `Benchmark on ${info.cpus} × ${info.cpuModel}, Node ${info.node}, commit ${info.commit}\n`,
  );
  process.stdout.write('Compiling the registry (npm run build)\n');
  buildRegistry();
  const rows: Row[] = [];
  const extraTargets: Target[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'registry-bench-'));
  try {
    const dbPath = join(dir, 'bench.db');
    if (['reads', 'writes', 'compat', 'variants'].some(enabled)) {
      process.stdout.write('Seeding the registry database\n');
      seedDatabase(dbPath, seedPlan());
    }
    if (['reads', 'writes', 'compat'].some(enabled)) {
      process.stdout.write('Registry scenarios\n');
      // The default LOG_LEVEL (info): every request's log line is written, as in production.
      const reg = await startChild(REGISTRY_ENTRY, { DATABASE_PATH: dbPath }, '/health/ready');
      try {
        if (enabled('reads')) {
          await holdLeases(reg.url);
          const guarded = await startChild(
            REGISTRY_ENTRY,
            { DATABASE_PATH: dbPath, AUTH_FILE: await writeAuthFile(dir) },
            '/health/ready',
          );
          try {
            await interleaved(rows, { open: reg, guarded });
          } finally {
            await stopChild(guarded);
          }
        }
        await registryScenarios(rows, reg);
      } finally {
        await stopChild(reg);
      }
    }
    if (enabled('variants')) {
      process.stdout.write('Fast path placement\n');
      await variants(rows, dbPath);
    }
    if (enabled('startup')) {
      process.stdout.write('Start-up\n');
      await startup(rows, dir);
    }
    if (enabled('postgres')) {
      process.stdout.write('Scale-out: three instances on PostgreSQL\n');
      extraTargets.push(...(await scaleOutScenarios(rows, dir)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result: BenchResult = {
    machine: { ...info, loadAfter: loadavg()[0] ?? 0 },
    settings: { durationSec: DURATION, warmupSec: WARMUP, connections: CONNECTIONS },
    rows,
    targets: [...targets(rows), ...extraTargets],
    totalSec: (performance.now() - started) / 1000,
  };
  const raw = ceiling(rows);
  const express = rate(rows, 'bare Express');
  const markdown = renderMarkdown(result, { raw, express });
  process.stdout.write(`\n${markdown}`);
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const stamp = info.date.slice(0, 10);
  writeFileSync(join(out, `${stamp}-${info.commit}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(out, 'latest.md'), markdown);
  process.stdout.write(`\nWrote bench/results/${stamp}-${info.commit}.json and bench/results/latest.md\n`);
}

await main();
