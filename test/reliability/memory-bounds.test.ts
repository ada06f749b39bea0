/**
 * Caches are bounded by bytes (CACHE_MAX_BYTES), not entries: issue #17 measured ten FULL_TRANSITIVE
 * versions of a 290 KiB record with 5,000 named types adding ~500 MB of heap. memory-scenario.ts runs
 * that scenario at test size in a child process with --expose-gc and reports the largest heap growth
 * after full collections; it must stay under the configured bound plus a margin for what is not a cache
 * (compiled code, SQLite statement objects, the metrics registry). Before the bound (commit 05e1277)
 * the same run grew by about 151 MB; with CACHE_MAX_BYTES=16 MiB it grows by about 11 MB.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
const BOUND = 16 * MiB;
/** Room for what is not a cache (compiled code, statement objects, metrics series) and GC noise. */
const MARGIN = 16 * MiB;
const root = fileURLToPath(new URL('../../', import.meta.url));
const scenario = fileURLToPath(new URL('./memory-scenario.ts', import.meta.url));

interface Report {
  readonly cacheMaxBytes: number | null;
  readonly peakGrowthBytes: number;
  readonly caches: Record<string, unknown>;
  readonly registrations: number;
}

function runScenario(env: Record<string, string>): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', scenario], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`scenario exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Report);
    });
  });
}

describe('caches are bounded by bytes', () => {
  it('FULL_TRANSITIVE versions of large records: heap growth stays under CACHE_MAX_BYTES + margin', async () => {
    const report = await runScenario({
      CACHE_MAX_BYTES: String(BOUND),
      SCENARIO_SUBJECTS: '2',
      SCENARIO_VERSIONS: '6',
      SCENARIO_TYPES: '1500',
    });
    assert.equal(report.registrations, 15, 'the scenario registered every version');
    assert.ok(
      report.peakGrowthBytes < BOUND + MARGIN,
      `heap grew by ${(report.peakGrowthBytes / MiB).toFixed(1)} MiB, bound ${BOUND / MiB} + ${MARGIN / MiB} MiB (${JSON.stringify(report.caches)})`,
    );
    // The caches' own estimates stay within the bound too (they err high: see src/cache/size-estimate.ts).
    const estimates = Object.values(report.caches).flatMap((v) =>
      typeof v === 'number' ? [v] : Object.values(v as Record<string, number>),
    );
    const total = estimates.reduce((a, b) => a + b, 0);
    assert.ok(estimates.length >= 6 && total <= BOUND, `estimates ${JSON.stringify(report.caches)}`);
  });
});
