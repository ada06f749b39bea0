/**
 * Payload sizes and encode/decode throughput of a ProximaDB VectorRecord at 128, 768 and 1536
 * dimensions, with and without metadata, in three shapes: JSON with every field, lean JSON (null
 * fields left out) and Avro binary with the Confluent header. Run: `npm run bench:payload`
 * (`-- --ms=N` sets the measuring time per cell, default 400 ms; `--json` prints JSON instead).
 *
 * Vectors are float32 values (the schema's `float`), drawn from a seeded generator in [-1, 1), so the
 * sizes are reproducible; JSON prints each as the shortest double that round-trips, as
 * JSON.stringify does for a Float32Array converted to numbers.
 */
import { AutoGenerator } from '../src/avro/autogen.js';
import { ManualClock } from '../src/clock.js';
import { compileSchema } from '../src/sdk/compiled-schema.js';
import {
  createVectorRecord,
  toLeanJson,
  VECTOR_RECORD_SCHEMA,
  type VectorRecord,
} from '../src/sdk/lean-records.js';
import { RegistryClient } from '../src/sdk/registry-client.js';
import { AvroSerde } from '../src/sdk/serde.js';
import { frameConfluent, parseConfluent } from '../src/sdk/wire-format.js';
import { seededRandom } from '../test/support/prng.js';

const args = process.argv.slice(2);
const measureMs = Number(args.find((a) => a.startsWith('--ms='))?.slice(5) ?? 400);
const asJson = args.includes('--json');
const DIMENSIONS = [128, 768, 1536];
const SCHEMA_ID = 1;

/** ops/s of `fn`: the median of three rounds after a warm-up, so one GC pause does not decide a cell. */
function opsPerSecond(fn: () => unknown): number {
  for (let end = performance.now() + Math.min(100, measureMs / 4); performance.now() < end; ) fn();
  const rounds = [0, 1, 2].map(() => {
    let ops = 0;
    const start = performance.now();
    const end = start + measureMs / 3;
    let now = start;
    while (now < end) {
      for (let i = 0; i < 16; i++) fn();
      ops += 16;
      now = performance.now();
    }
    return (ops * 1000) / (now - start);
  });
  return rounds.sort((a, b) => a - b)[1] as number;
}

interface Row {
  dimensions: number;
  metadata: boolean;
  /** `jsonCallerOnly`: only what the caller set (vector, metadata); the server would fill id and timestamp. */
  bytes: { jsonFull: number; jsonLean: number; jsonCallerOnly: number; avroConfluent: number };
  opsPerSecond: {
    jsonFull: { encode: number; decode: number };
    jsonLean: { encode: number; decode: number };
    avroConfluent: { encode: number; decode: number };
    sdkValidatedEncode: number;
  };
}

async function main(): Promise<void> {
  const writer = compileSchema(VECTOR_RECORD_SCHEMA);
  // The SDK path without a network: a fetch stub answers the one schema lookup, which is then cached.
  const client = new RegistryClient({
    url: 'http://registry.invalid',
    fetch: async () => new Response(JSON.stringify({ schema: VECTOR_RECORD_SCHEMA }), { status: 200 }),
  });
  const generator = new AutoGenerator({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  const serde = new AvroSerde(client, { generator });
  const rows: Row[] = [];

  for (const dimensions of DIMENSIONS) {
    for (const withMetadata of [false, true]) {
      // Seeded, so every run measures the same vectors.
      const random = seededRandom(dimensions * 2 + Number(withMetadata));
      const vector = Array.from({ length: dimensions }, () => Math.fround(random() * 2 - 1));
      const metadata = withMetadata
        ? { source: 'reports/2025/q4-earnings.pdf', lang: 'en', chunk: '17', tenant: 'acme-corp' }
        : undefined;
      const record: VectorRecord = createVectorRecord({ vector, metadata }, { generator });
      const lean = (r: VectorRecord) => toLeanJson(r as unknown as Record<string, unknown>);

      const full = Buffer.from(JSON.stringify(record));
      const leanBytes = Buffer.from(JSON.stringify(lean(record)));
      const avro = frameConfluent(SCHEMA_ID, writer.type.toBuffer(record));
      const sdk = await serde.encode(SCHEMA_ID, record);
      if (!sdk.equals(avro)) throw new Error('the SDK and the raw avsc path disagree on the bytes');

      rows.push({
        dimensions,
        metadata: withMetadata,
        bytes: {
          jsonFull: full.length,
          jsonLean: leanBytes.length,
          jsonCallerOnly: Buffer.byteLength(JSON.stringify(metadata ? { vector, metadata } : { vector })),
          avroConfluent: avro.length,
        },
        opsPerSecond: {
          jsonFull: {
            encode: opsPerSecond(() => Buffer.from(JSON.stringify(record))),
            decode: opsPerSecond(() => JSON.parse(full.toString('utf8'))),
          },
          jsonLean: {
            encode: opsPerSecond(() => Buffer.from(JSON.stringify(lean(record)))),
            decode: opsPerSecond(() => JSON.parse(leanBytes.toString('utf8'))),
          },
          avroConfluent: {
            encode: opsPerSecond(() => frameConfluent(SCHEMA_ID, writer.type.toBuffer(record))),
            decode: opsPerSecond(() => writer.type.fromBuffer(parseConfluent(avro).body)),
          },
          // Not awaited per op: after the first call the writer schema is cached, so this measures
          // validation + completion + encoding, which is what AvroSerde.encode does by default.
          sdkValidatedEncode: await asyncOpsPerSecond(() => serde.encode(SCHEMA_ID, record)),
        },
      });
    }
  }
  if (asJson) {
    console.log(JSON.stringify({ node: process.version, measureMs, rows }, null, 2));
  } else {
    console.log(render(rows));
  }
}

async function asyncOpsPerSecond(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await fn();
  let ops = 0;
  const start = performance.now();
  const end = start + measureMs;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 16; i++) await fn();
    ops += 16;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

const pct = (part: number, whole: number) => `${(((whole - part) / whole) * 100).toFixed(1)}%`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function render(rows: Row[]): string {
  const lines = [
    `VectorRecord payloads (Node ${process.version}, ${measureMs} ms per throughput cell)`,
    '',
    '| dims | metadata | JSON, every field | JSON, nulls omitted (saving) | JSON, caller-set fields only (saving) | Avro + Confluent header | Avro saving vs full JSON | vs lean JSON |',
    '|---:|:---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const b = r.bytes;
    lines.push(
      `| ${r.dimensions} | ${r.metadata ? 'yes' : 'no'} | ${fmt(b.jsonFull)} B | ${fmt(b.jsonLean)} B (${pct(b.jsonLean, b.jsonFull)}) | ${fmt(b.jsonCallerOnly)} B (${pct(b.jsonCallerOnly, b.jsonFull)}) | ${fmt(b.avroConfluent)} B | ${pct(b.avroConfluent, b.jsonFull)} | ${pct(b.avroConfluent, b.jsonLean)} |`,
    );
  }
  lines.push(
    '',
    'Throughput in operations per second (encode = value to bytes, decode = bytes to value):',
    '',
    '| dims | metadata | JSON full enc | JSON full dec | JSON lean enc | JSON lean dec | Avro enc | Avro dec | SDK encode (validated) |',
    '|---:|:---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    const o = r.opsPerSecond;
    lines.push(
      `| ${r.dimensions} | ${r.metadata ? 'yes' : 'no'} | ${fmt(o.jsonFull.encode)} | ${fmt(o.jsonFull.decode)} | ${fmt(o.jsonLean.encode)} | ${fmt(o.jsonLean.decode)} | ${fmt(o.avroConfluent.encode)} | ${fmt(o.avroConfluent.decode)} | ${fmt(o.sdkValidatedEncode)} |`,
    );
  }
  return lines.join('\n');
}

await main();
