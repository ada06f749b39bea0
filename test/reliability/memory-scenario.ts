/**
 * Issue #17's memory scenario at test size, run in a child process by memory-bounds.test.ts (it needs
 * `--expose-gc` to measure what is retained, not what is merely not collected yet): FULL_TRANSITIVE
 * subjects of large records with thousands of named types, version after version, plus what every cache
 * sees in normal use (reads by id and by version through the fast path, validation, compatibility
 * checks, incompatible candidates whose results carry thousands of messages). After every step the heap
 * is measured after a full collection; the largest growth over the warmed-up baseline is printed as
 * JSON on stdout, with the caches' own estimates.
 *
 * Environment: CACHE_MAX_BYTES (the bound under test), SCENARIO_SUBJECTS, SCENARIO_VERSIONS,
 * SCENARIO_TYPES (named types per schema).
 */
import request from 'supertest';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createRegistryServer } from '../../src/server.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const collect = gc;

const SUBJECTS = Number(process.env.SCENARIO_SUBJECTS ?? 3);
const VERSIONS = Number(process.env.SCENARIO_VERSIONS ?? 8);
const TYPES = Number(process.env.SCENARIO_TYPES ?? 2000);
const CT = 'application/vnd.schemaregistry.v1+json';

/** A record of `TYPES` named record fields; version `v` adds optional fields (FULL compatible). */
function schema(subject: number, version: number, breakAll = false): string {
  const fields: object[] = [];
  for (let i = 0; i < TYPES; i++) {
    fields.push({
      name: `f${i}`,
      type: {
        type: 'record',
        name: `T${i}`,
        fields: [
          { name: 'a', type: breakAll ? 'string' : 'int' },
          { name: 'b', type: ['null', 'string'], default: null },
        ],
      },
    });
  }
  for (let e = 1; e < version; e++) fields.push({ name: `extra${e}`, type: ['null', 'long'], default: null });
  return JSON.stringify({ type: 'record', name: 'Root', namespace: `ai.proximadb.s${subject}`, fields });
}

function heap(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

const config = loadConfig({ ...process.env, DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' });
const server = await createRegistryServer(config, { clock: new ManualClock() });
// Through the fast path too, so that its memos count in the heap measured.
const app = server.handler;

async function expect(res: Promise<request.Response>, status: number): Promise<request.Response> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
  return r;
}

// Warm-up: load every module and JIT the hot paths on a small subject, then take the baseline.
await expect(
  request(app).put('/config').set('Content-Type', CT).send({ compatibility: 'FULL_TRANSITIVE' }),
  200,
);
for (let v = 1; v <= 3; v++) {
  const small = JSON.stringify({
    type: 'record',
    name: 'W',
    fields: Array.from({ length: v }, (_, i) => ({ name: `w${i}`, type: ['null', 'int'], default: null })),
  });
  await expect(
    request(app).post('/subjects/warm/versions').set('Content-Type', CT).send({ schema: small }),
    200,
  );
  await expect(request(app).get(`/subjects/warm/versions/${v}`), 200);
  await expect(request(app).get(`/schemas/ids/${v}`), 200);
}
const baseline = heap();
let peak = 0;
const measure = () => {
  peak = Math.max(peak, heap() - baseline);
};

let id = 3;
for (let s = 0; s < SUBJECTS; s++) {
  const subject = `big-${s}`;
  for (let v = 1; v <= VERSIONS; v++) {
    const text = schema(s, v);
    await expect(
      request(app).post(`/subjects/${subject}/versions`).set('Content-Type', CT).send({ schema: text }),
      200,
    );
    id++;
    await expect(request(app).get(`/schemas/ids/${id}`), 200);
    await expect(request(app).get(`/subjects/${subject}/versions/${v}`), 200);
    await expect(request(app).get(`/subjects/${subject}/versions/${v}`), 200);
    await expect(
      request(app)
        .post(`/subjects/${subject}/versions/${v}/validate`)
        .set('Content-Type', CT)
        .send({ datum: {} }),
      200,
    );
    measure();
  }
  // Hostile but legitimate: a candidate incompatible with every version, in thousands of places.
  const broken = schema(s, VERSIONS, true);
  await expect(
    request(app).post(`/subjects/${subject}/versions`).set('Content-Type', CT).send({ schema: broken }),
    409,
  );
  await expect(
    request(app)
      .post(`/compatibility/subjects/${subject}/versions?verbose=true`)
      .set('Content-Type', CT)
      .send({ schema: broken }),
    200,
  );
  measure();
}

// The caches' own estimates (absent on a build without byte bounds).
const caches = {
  service: (server.registry as { cachedBytes?: unknown }).cachedBytes,
  reads: (server.registry.store as { bytes?: unknown }).bytes,
  responses: (server.fastPath as { cachedBytes?: unknown }).cachedBytes,
};
process.stdout.write(
  `${JSON.stringify({
    cacheMaxBytes: config.cacheMaxBytes ?? null,
    baselineBytes: baseline,
    peakGrowthBytes: peak,
    caches,
    registrations: id,
  })}\n`,
);
await server.close();
