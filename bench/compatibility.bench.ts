/**
 * Compatibility checker and level figures: `npx tsx bench/compatibility.bench.ts`.
 * 1. A pair of 1,000-field records, both directions, compatible and incompatible variants (ms/check).
 * 2. FULL_TRANSITIVE against 1, 100 and 1,000 previous versions, without a cache, with a cold cache
 *    and with a warm one (the second identical check, e.g. a compatibility test then the register).
 */
import { createHash } from 'node:crypto';
import { canonicalString } from '../src/avro/canonical.js';
import { checkReaderWriter } from '../src/avro/compatibility.js';
import {
  CompatibilityCache,
  checkLevel,
  type PreviousVersion,
  type SchemaForCheck,
} from '../src/avro/levels.js';
import { parseSchema } from '../src/avro/parser.js';
import type { AvroNode } from '../src/avro/types.js';

function field(i: number, numeric: string): string {
  switch (i % 6) {
    case 0:
      return `{"name":"f${i}","type":${JSON.stringify(numeric)}}`;
    case 1:
      return `{"name":"f${i}","type":["null","string"],"default":null}`;
    case 2:
      return `{"name":"f${i}","type":{"type":"enum","name":"E${i}","symbols":["A","B","C"]}}`;
    case 3:
      return `{"name":"f${i}","type":{"type":"array","items":${JSON.stringify(numeric)}}}`;
    case 4:
      return `{"name":"f${i}","type":{"type":"map","values":"string"}}`;
    default:
      return `{"name":"f${i}","type":{"type":"record","name":"N${i}","fields":[{"name":"x","type":${JSON.stringify(numeric)}},{"name":"y","type":"bytes"}]}}`;
  }
}

function wide(numeric: string, extra: readonly string[] = []): AvroNode {
  const fields = Array.from({ length: 1000 }, (_, i) => field(i, numeric));
  const text = `{"type":"record","name":"Wide","namespace":"bench","fields":[${[...fields, ...extra].join(',')}]}`;
  return parseSchema(text, { mode: 'strict' }).root;
}

// Wall time and process CPU time: on a shared, overloaded machine CPU time is the steadier figure.
function measure(runs: number, fn: () => unknown): { wall: number; cpu: number } {
  for (let i = 0; i < Math.min(20, runs); i++) fn(); // warm-up
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  const used = process.cpuUsage(cpu0);
  return { wall, cpu: (used.user + used.system) / 1e3 / runs };
}

function time(label: string, runs: number, fn: () => unknown): void {
  const { wall, cpu } = measure(runs, fn);
  console.log(`| ${label} | ${wall.toFixed(3)} | ${cpu.toFixed(3)} |`);
}

console.log('## 1,000-field records\n\n| check | wall ms per check | CPU ms per check |\n|---|---|---|');
const intWide = wide('int');
const intWideCopy = wide('int'); // separately parsed: distinct nodes, like two stored versions
const longWide = wide('long');
const missing = Array.from({ length: 100 }, (_, i) => `{"name":"new${i}","type":"string"}`);
const longWideMissing = wide('long', missing);
const intWideMissing = wide('int', missing);
const counts = [
  checkReaderWriter(longWide, intWide),
  checkReaderWriter(intWide, longWide),
  checkReaderWriter(longWideMissing, intWide),
].map((res) => `${res.compatible ? 'compatible' : 'incompatible'} (${res.incompatibilities.length})`);
console.log(`<!-- verdicts: ${counts.join(', ')} -->`);
time('compatible, both directions equal: int <- int (separate parses)', 200, () =>
  checkReaderWriter(intWide, intWideCopy),
);
time('compatible: long reader <- int writer (promotions)', 200, () => checkReaderWriter(longWide, intWide));
time('incompatible: int reader <- long writer (500 TYPE_MISMATCH)', 200, () =>
  checkReaderWriter(intWide, longWide),
);
time('incompatible: 100 new fields without default (100 entries)', 200, () =>
  checkReaderWriter(longWideMissing, intWide),
);
time('compatible: writer with 100 extra fields read by the narrower schema', 200, () =>
  checkReaderWriter(longWide, intWideMissing),
);

function versionText(i: number): string {
  const base = Array.from(
    { length: 30 },
    (_, k) => `{"name":"b${k}","type":${k % 2 ? '"string"' : '"long"'}}`,
  );
  return `{"type":"record","name":"Hist","fields":[${base.join(',')},{"name":"extra","type":"int","default":${i}}]}`;
}

function forCheck(text: string): SchemaForCheck {
  const parsed = parseSchema(text, { mode: 'lenient' });
  const canonical = canonicalString(parsed);
  return { parsed, canonical, key: createHash('sha256').update(canonical).digest('hex') };
}

console.log('\n## FULL_TRANSITIVE registration check\n');
console.log('| previous versions | no cache (ms wall / CPU) | cold cache | warm cache |\n|---|---|---|---|');
const candidate = forCheck(
  versionText(-1).replace('"default":-1}', '"default":-1},{"name":"added","type":"string","default":""}'),
);
for (const n of [1, 100, 1000]) {
  const previous: PreviousVersion[] = Array.from({ length: n }, (_, i) => ({
    ...forCheck(versionText(i)),
    version: i + 1,
  }));
  const runs = n === 1000 ? 5 : 50;
  const none = measure(runs, () => {
    if (!checkLevel('FULL_TRANSITIVE', candidate, previous).compatible)
      throw new Error('expected compatible');
  });
  const cold = measure(runs, () =>
    checkLevel('FULL_TRANSITIVE', candidate, previous, { cache: new CompatibilityCache() }),
  );
  const warmCache = new CompatibilityCache();
  checkLevel('FULL_TRANSITIVE', candidate, previous, { cache: warmCache });
  const warm = measure(runs, () => checkLevel('FULL_TRANSITIVE', candidate, previous, { cache: warmCache }));
  const cell = (m: { wall: number; cpu: number }): string => `${m.wall.toFixed(3)} / ${m.cpu.toFixed(3)}`;
  console.log(`| ${n} | ${cell(none)} | ${cell(cold)} | ${cell(warm)} |`);
}

console.log('\n## Hostile and very wide unions (1,000 branches each side)\n');
console.log('| case | wall ms / CPU ms | outcome |\n|---|---|---|');
function unionOf(prefix: string, body: (p: string, i: number) => string): AvroNode {
  const text = `[${Array.from({ length: 1000 }, (_, i) => body(prefix, i)).join(',')}]`;
  return parseSchema(text, { mode: 'strict' }).root;
}
const flatRecord = (p: string, i: number): string =>
  `{"type":"record","name":"${p}${i}","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}`;
const enumRecord = (p: string, i: number): string =>
  `{"type":"record","name":"${p}${i}","fields":[{"name":"e","type":{"type":"enum","name":"${p}E${i}","symbols":["A"]}}]}`;
for (const [label, reader, writer] of [
  ['flat records, same names (legit evolution)', unionOf('R', flatRecord), unionOf('R', flatRecord)],
  ['flat records, all names distinct', unionOf('R', flatRecord), unionOf('W', flatRecord)],
  ['records with an enum field, same names', unionOf('R', enumRecord), unionOf('R', enumRecord)],
  ['records with an enum field, all names distinct', unionOf('R', enumRecord), unionOf('W', enumRecord)],
] as const) {
  let outcome = '';
  const m = measure(1, () => {
    try {
      const res = checkReaderWriter(reader, writer);
      outcome = `${res.compatible ? 'compatible' : 'incompatible'} (${res.incompatibilities.length})`;
    } catch (err) {
      outcome = (err as Error).message;
    }
  });
  console.log(`| ${label} | ${m.wall.toFixed(0)} / ${m.cpu.toFixed(0)} | ${outcome} |`);
}
