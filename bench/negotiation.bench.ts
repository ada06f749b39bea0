/**
 * Negotiation figures: `npx tsx bench/negotiation.bench.ts`.
 * 1. Server time per handshake (the service call the HTTP handler makes), cold (first of its kind for
 *    this history generation) and warm (memo hit), for each form of `supports`, on a 20-version subject.
 * 2. The same warm handshake through the whole HTTP stack on loopback (sequential requests).
 * 3. Agreement recomputation (GET /agreement work) with 10 and 100 participants.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../src/clock.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { createRegistryServer } from '../src/server.js';

const SUBJECT = 'bench-value';
const VERSIONS = 20;

function schemaText(version: number): string {
  const fields = ['{"name":"id","type":"long"}'];
  for (let i = 1; i < 30 + version; i++)
    fields.push(`{"name":"f${i}","type":["null","string"],"default":null}`);
  return `{"type":"record","name":"Event","namespace":"bench","fields":[${fields.join(',')}]}`;
}

const clock = new ManualClock();
const server = await createRegistryServer(
  { ...DEFAULT_CONFIG, databasePath: ':memory:', logLevel: 'silent' },
  { clock },
);
for (let v = 1; v <= VERSIONS; v++) await server.registry.register(SUBJECT, { schema: schemaText(v) }, {});
const versions = await server.negotiation.listVersions(SUBJECT);
const mid = versions[9]!;

const bodies: Array<[string, unknown]> = [
  ['range ^1.0.0 (reader)', { role: 'reader', supports: { range: '^1.0.0' } }],
  ['version list (writer)', { role: 'writer', supports: { versions: [1, 5, 10] } }],
  ['crc64 fingerprint (reader)', { role: 'reader', supports: { fingerprints: [mid.fingerprints.crc64] } }],
  ['schema text, 40 fields (both)', { role: 'both', supports: { schema: mid.schema } }],
];

async function timeAsync(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / runs;
}

console.log(
  `## Handshake server time (${VERSIONS} versions)\n\n| supports | cold µs | warm µs |\n|---|---:|---:|`,
);
for (const [label, body] of bodies) {
  // Cold: a fresh memo each time (a registration in between would do the same via the generation).
  const cold = await timeAsync(1, () => server.negotiation.handshake(SUBJECT, body));
  for (let i = 0; i < 1000; i++) await server.negotiation.handshake(SUBJECT, body); // warm-up
  const warm = await timeAsync(20_000, () => server.negotiation.handshake(SUBJECT, body));
  console.log(`| ${label} | ${cold.toFixed(1)} | ${warm.toFixed(2)} |`);
}

const listener = server.app.listen(0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const { port } = listener.address() as AddressInfo;
const payload = JSON.stringify(bodies[0]![1]);
function post(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/negotiation/subjects/${SUBJECT}`,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
for (let i = 0; i < 200; i++) await post();
const samples: number[] = [];
for (let i = 0; i < 2000; i++) {
  const start = process.hrtime.bigint();
  await post();
  samples.push(Number(process.hrtime.bigint() - start) / 1e3);
}
samples.sort((a, b) => a - b);
const pct = (p: number) =>
  samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!.toFixed(0);
console.log(
  `\n## Warm handshake over loopback HTTP (client-measured, new connection each)\n\n| p50 µs | p99 µs |\n|---:|---:|\n| ${pct(50)} | ${pct(99)} |`,
);
await new Promise((resolve) => listener.close(resolve));

console.log(
  '\n## Agreement (GET /agreement; a renewal PUT recomputes it)\n\n' +
    '| participants | µs per GET (cached) | µs per renewal (recompute) |\n|---:|---:|---:|',
);
let added = 0;
for (const count of [10, 100]) {
  for (; added < count; added++) {
    const supports =
      added % 2 === 0
        ? { range: `>=1.0.0 <1.${added % 15}.0 || ^${1 + (added % 3)}.0.0` }
        : { schema: versions[added % VERSIONS]!.schema };
    await server.negotiation.putParticipant(SUBJECT, `p${added}`, {
      role: added % 3 === 0 ? 'writer' : 'reader',
      supports,
      ttlSeconds: 3600,
    });
  }
  for (let i = 0; i < 20; i++) await server.negotiation.getAgreement(SUBJECT);
  const us = await timeAsync(500, () => server.negotiation.getAgreement(SUBJECT));
  const renewal = { role: 'reader', supports: { range: '^1.0.0' }, ttlSeconds: 3600 };
  const renew = await timeAsync(200, () => server.negotiation.putParticipant(SUBJECT, 'p1', renewal));
  console.log(`| ${count} | ${us.toFixed(1)} | ${renew.toFixed(1)} |`);
}
server.close();
