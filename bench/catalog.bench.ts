/**
 * Subject summary figures: `npx tsx bench/catalog.bench.ts [subjects]` (default 10,000).
 * Seeds a file-backed registry (every subject with one to three versions, one in ten with a soft-deleted
 * version, one in fifty with its own level), then times `GET /catalog/subjects` over loopback HTTP for
 * the UI's typical requests: the first page, a deep page, a substring search and a prefix search.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/clock.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { createRegistryServer } from '../src/server.js';

const SUBJECTS = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'catalog-bench-'));
const server = await createRegistryServer(
  { ...DEFAULT_CONFIG, databasePath: join(dir, 'registry.db'), logLevel: 'silent' },
  { clock: new ManualClock() },
);

const schema = (name: string, fields: number) =>
  JSON.stringify({
    type: 'record',
    name,
    namespace: 'bench',
    fields: Array.from({ length: fields }, (_, i) => ({
      name: `f${i}`,
      type: 'long',
      ...(i > 0 ? { default: 0 } : {}),
    })),
  });

const seedStart = performance.now();
for (let i = 0; i < SUBJECTS; i++) {
  const subject = `team-${String(i % 50).padStart(2, '0')}.topic-${String(i).padStart(5, '0')}-value`;
  const versions = 1 + (i % 3);
  for (let v = 1; v <= versions; v++)
    await server.registry.register(subject, { schema: schema(`R${i}`, v) }, {});
  if (i % 10 === 0 && versions > 1) await server.registry.deleteVersion(subject, '1', {});
  if (i % 50 === 0) await server.registry.setConfig(subject, { compatibility: 'FULL' });
}
console.log(`seeded ${SUBJECTS} subjects in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

const listener = server.app.listen(0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const port = (listener.address() as AddressInfo).port;

function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(path)),
      );
    })
      .on('error', reject)
      .end();
  });
}

async function measure(label: string, path: string, runs = 30): Promise<void> {
  for (let i = 0; i < 3; i++) await get(path);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await get(path));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)]!;
  const p90 = times[Math.floor(runs * 0.9)]!;
  console.log(`${label.padEnd(44)} median ${median.toFixed(1)} ms   p90 ${p90.toFixed(1)} ms`);
}

await measure('first page (50)', '/catalog/subjects?limit=50');
await measure('deep page (offset 9,950, 50)', `/catalog/subjects?offset=${SUBJECTS - 50}&limit=50`);
await measure('contains "topic-0042" (50)', '/catalog/subjects?contains=topic-0042&limit=50');
await measure('prefix "team-07." (50)', '/catalog/subjects?prefix=team-07.&limit=50');
await measure('with soft-deleted subjects, 1,000 rows', '/catalog/subjects?deleted=true&limit=1000');
await measure('Confluent GET /subjects (all names)', '/subjects');

listener.close();
await server.close();
rmSync(dir, { recursive: true, force: true });
