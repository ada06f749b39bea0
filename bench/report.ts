/** The benchmark's result document: the JSON written to `bench/results/` and its Markdown rendering. */

export interface Machine {
  readonly date: string;
  readonly commit: string;
  /** True when the working tree had uncommitted changes: the figures are not exactly the commit's. */
  readonly dirty: boolean;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  /** 1-minute load average before the run (other work on the machine skews every figure). */
  readonly loadBefore: number;
  readonly loadAfter?: number;
}

export interface Row {
  readonly group: string;
  readonly scenario: string;
  /** Requests (or registrations) per second; undefined for the start-up rows. */
  readonly rps?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly failures?: number;
  /** CPU time per request (µs) of the server process and of the load generator. */
  readonly serverCpuUs?: number;
  readonly generatorCpuUs?: number;
  /** CPU use over the run, % of one core (the machine has `cpus`): which side was saturated. */
  readonly serverCpuPct?: number;
  readonly generatorCpuPct?: number;
  readonly startMs?: number;
  readonly rssMb?: number;
  readonly note?: string;
}

export interface Target {
  readonly name: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface BenchResult {
  readonly machine: Machine;
  readonly settings: { durationSec: number; warmupSec: number; connections: number };
  readonly rows: readonly Row[];
  readonly targets: readonly Target[];
  readonly totalSec: number;
}

const num = (value: number | undefined, digits = 0): string =>
  value === undefined
    ? ''
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Whole ms stay whole (autocannon); sub-ms timings keep two decimals. */
const ms = (value: number | undefined): string =>
  value === undefined ? '' : Number.isInteger(value) ? String(value) : value.toFixed(2);

const cpuPct = (row: Row): string =>
  row.serverCpuPct === undefined && row.generatorCpuPct === undefined
    ? ''
    : `${num(row.serverCpuPct)} / ${num(row.generatorCpuPct)}`;

export function renderMarkdown(result: BenchResult, baselines: { raw: number; express: number }): string {
  const m = result.machine;
  const lines = [
    `# Benchmark ${m.date} (commit ${m.commit}${m.dirty ? ', uncommitted changes' : ''})`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${num(m.memoryGb, 1)} GB, Node ${m.node}; load average ` +
      `${num(m.loadBefore, 2)} before, ${num(m.loadAfter, 2)} after. Load generator (autocannon) and server ` +
      'share these cores; "CPU %" is each side\'s use over the run in % of one core, so 100 + 100 is the ' +
      'whole machine. "× raw node:http" divides by the ceiling: raw node:http under the best of the three ' +
      'generator set-ups of this run. ' +
      `${result.settings.warmupSec} s warm-up + ${result.settings.durationSec} s per timed scenario; ` +
      'latencies in whole ms from autocannon, to 0.01 ms for the one-connection registration runs. ' +
      `Whole run: ${num(result.totalSec)} s.`,
    '',
    '| group | scenario | req/s | × raw node:http | × bare Express | p50 ms | p99 ms | server CPU µs/req | CPU % server / generator | failures | note |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of result.rows.filter((r) => r.rps !== undefined)) {
    lines.push(
      `| ${row.group} | ${row.scenario} | ${num(row.rps)} | ${num(row.rps! / baselines.raw, 2)} | ` +
        `${num(row.rps! / baselines.express, 2)} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${num(row.serverCpuUs)} | ` +
        `${cpuPct(row)} | ${num(row.failures)} | ${row.note ?? ''} |`,
    );
  }
  const startup = result.rows.filter((r) => r.startMs !== undefined);
  if (startup.length > 0) {
    lines.push(
      '',
      '| start-up | time to /health/ready (ms) | RSS when ready (MB) | note |',
      '|---|---:|---:|---|',
    );
    for (const row of startup) {
      lines.push(`| ${row.scenario} | ${num(row.startMs)} | ${num(row.rssMb, 1)} | ${row.note ?? ''} |`);
    }
  }
  lines.push('', '| target | goal | measured | met |', '|---|---|---|---|');
  for (const t of result.targets)
    lines.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`);
  return `${lines.join('\n')}\n`;
}
