/**
 * Focused figure for issue #7's hardest target, in-process (no HTTP, no load generator sharing the
 * cores): registering a NEW schema into subjects with PRIOR live versions under FULL_TRANSITIVE.
 * `npx tsx bench/register-history.bench.ts [prior=1000] [subjects=4] [amount=200]`. Same seeding and
 * workload as `npm run bench` (writes group), so the two figures are comparable; prints mean, p50, p99,
 * max and CPU per registration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '../src/config.js';
import { createRegistryServer } from '../src/server.js';
import { seedDatabase } from './seed.js';
import { orderSchema } from './workloads.js';

const [prior = 1000, subjects = 4, amount = 200] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'register-history-'));
const databasePath = join(dir, 'registry.db');
seedDatabase(
  databasePath,
  Array.from({ length: subjects }, (_, s) => ({
    subject: `ft-${s}`,
    count: prior,
    schema: orderSchema,
    compatibility: 'FULL_TRANSITIVE',
  })),
);
const server = await createRegistryServer({ ...DEFAULT_CONFIG, logLevel: 'silent', databasePath });
let fresh = 1_000_000;
const registerOne = async (s: number) =>
  server.registry.register(`ft-${s}`, { schema: orderSchema(fresh++) }, {});

try {
  // Warm-up: one registration per subject (parses and memoises its history, as the bench's warm-up).
  for (let s = 0; s < subjects; s++) await registerOne(s);
  const times: number[] = [];
  const gc = { minor: 0, major: 0, ms: 0, majorMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const major =
        (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      gc[major ? 'major' : 'minor']++;
      gc.ms += e.duration;
      if (major) gc.majorMs += e.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < amount; i++) {
    const start = process.hrtime.bigint();
    await registerOne(i % subjects);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const used = process.cpuUsage(cpu0);
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `prior=${prior} subjects=${subjects} n=${amount}: mean ${mean.toFixed(2)} ms, p50 ${at(0.5).toFixed(2)}, ` +
      `p99 ${at(0.99).toFixed(2)}, max ${at(1).toFixed(2)}, CPU ${((used.user + used.system) / 1e3 / amount).toFixed(2)} ms/registration; ` +
      `GC ${gc.minor} minor + ${gc.major} major, ${gc.ms.toFixed(0)} ms (major ${gc.majorMs.toFixed(0)} ms)`,
  );
} finally {
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
