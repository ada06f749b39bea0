/**
 * Seeded differential property test: random record schemas evolved by random mutations, checked in
 * both directions. avsc is the oracle: whenever the checker says "compatible", data written with the
 * writer must decode through `reader.createResolver(writer)`. The generator stays inside the domain
 * where the reference (§4.2) documents no avsc divergence (no namespaces, named records only, no
 * self-aliases, record-free unions so the resolver-registry poisoning cannot trigger), so avsc's
 * verdict must also agree with the checker's in the other direction.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import avsc from 'avsc';
import { seededRandom } from '../../test/support/prng.js';
import { checkReaderWriter } from './compatibility.js';
import { parseSchema } from './parser.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 0x5eed_a11);
const ITERATIONS = 200; // two directed pairs each
const DATUMS_PER_PAIR = 4;

interface FieldS {
  name: string;
  type: TypeS;
  default?: unknown;
  aliases?: string[];
}
interface RecordS {
  type: 'record';
  name: string;
  fields: FieldS[];
}
interface EnumS {
  type: 'enum';
  name: string;
  symbols: string[];
  default?: string;
}
type TypeS =
  | string
  | RecordS
  | EnumS
  | { type: 'fixed'; name: string; size: number }
  | { type: 'array'; items: TypeS }
  | { type: 'map'; values: TypeS }
  | TypeS[];

const PRIMS = ['int', 'long', 'float', 'double', 'string', 'bytes', 'boolean', 'null'];
const PROMOTE: Record<string, string[]> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};
const DEMOTE: Record<string, string[]> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  string: ['bytes'],
  bytes: ['string'],
};

class Gen {
  private counter = 0;
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  prim(): string {
    return this.pick(PRIMS.slice(0, this.chance(0.05) ? 8 : 7));
  }
  union(): TypeS[] {
    const members = ['null', this.prim()].filter((m, i, all) => all.indexOf(m) === i);
    if (this.chance(0.4)) {
      const extra = this.prim();
      if (!members.includes(extra)) members.push(extra);
    }
    return members;
  }
  type(depth: number): TypeS {
    const r = this.rnd();
    if (r < 0.4) return this.prim();
    if (r < 0.55) return this.union();
    if (r < 0.72) return this.enum();
    if (r < 0.8) return { type: 'array', items: this.chance(0.3) ? this.union() : this.prim() };
    if (r < 0.85) return { type: 'map', values: this.prim() };
    if (r < 0.9 || depth >= 2) return { type: 'fixed', name: this.fresh('F'), size: 1 + this.int(4) };
    return this.record(depth + 1);
  }
  enum(): EnumS {
    const symbols = ['A', 'B', 'C'].slice(0, 1 + this.int(3));
    const e: EnumS = { type: 'enum', name: this.fresh('E'), symbols };
    if (this.chance(0.5)) e.default = this.pick(symbols);
    return e;
  }
  record(depth: number, name = this.fresh('R')): RecordS {
    const fields: FieldS[] = [];
    for (let i = 1 + this.int(5); i > 0; i--) fields.push(this.field(depth, this.chance(0.4)));
    return { type: 'record', name, fields };
  }
  field(depth: number, withDefault: boolean): FieldS {
    const type = this.type(depth);
    return withDefault
      ? { name: this.fresh('f'), type, default: defaultFor(type) }
      : { name: this.fresh('f'), type };
  }
}

function defaultFor(t: TypeS): unknown {
  if (Array.isArray(t)) return null; // unions always start with "null"
  if (typeof t === 'string') {
    return { int: 0, long: 0, float: 0.5, double: 0.5, string: 'x', bytes: '', boolean: false, null: null }[
      t
    ];
  }
  switch (t.type) {
    case 'enum':
      return t.symbols[0];
    case 'fixed':
      return 'a'.repeat(t.size);
    case 'array':
      return [];
    case 'map':
      return {};
    case 'record':
      return Object.fromEntries(t.fields.map((f) => [f.name, defaultFor(f.type)]));
  }
}

function walk(
  t: TypeS,
  visit: (t: TypeS, replace: (n: TypeS) => void) => void,
  replace: (n: TypeS) => void,
): void {
  visit(t, replace);
  if (Array.isArray(t)) {
    t.forEach((b, i) => {
      walk(b, visit, (n) => {
        t[i] = n;
      });
    });
  } else if (typeof t === 'object' && t.type === 'record') {
    for (const f of t.fields) {
      walk(f.type, visit, (n) => {
        f.type = n;
      });
    }
  } else if (typeof t === 'object' && t.type === 'array') {
    walk(t.items, visit, (n) => {
      t.items = n;
    });
  } else if (typeof t === 'object' && t.type === 'map') {
    walk(t.values, visit, (n) => {
      t.values = n;
    });
  }
}

function collect<T>(
  root: RecordS,
  pred: (t: TypeS) => T | undefined,
): Array<{ node: T; replace: (n: TypeS) => void }> {
  const out: Array<{ node: T; replace: (n: TypeS) => void }> = [];
  walk(
    root,
    (t, replace) => {
      const hit = pred(t);
      if (hit !== undefined) out.push({ node: hit, replace });
    },
    () => {},
  );
  return out;
}

function mutate(g: Gen, root: RecordS): void {
  const records = collect(root, (t) =>
    typeof t === 'object' && !Array.isArray(t) && t.type === 'record' ? t : undefined,
  );
  const rec = g.pick(records).node;
  const f = g.pick(rec.fields);
  switch (g.int(13)) {
    case 0:
    case 1:
      rec.fields.push(g.field(1, g.chance(0.6)));
      break;
    case 2:
      if (rec.fields.length > 1) rec.fields.splice(rec.fields.indexOf(f), 1);
      break;
    case 3:
    case 4: {
      const table = g.chance(0.5) ? PROMOTE : DEMOTE;
      const prims = collect(root, (t) => (typeof t === 'string' && table[t] ? t : undefined));
      if (prims.length === 0) break;
      const p = g.pick(prims);
      p.replace(g.pick(table[p.node]!));
      break;
    }
    case 5:
      f.aliases = [f.name];
      f.name = g.fresh('f');
      break;
    case 6:
      f.type = g.type(1);
      break;
    case 7:
      if ('default' in f) delete f.default;
      else f.default = defaultFor(f.type);
      break;
    case 8:
    case 9:
    case 10: {
      const enums = collect(root, (t) =>
        typeof t === 'object' && !Array.isArray(t) && t.type === 'enum' ? t : undefined,
      );
      if (enums.length === 0) break;
      const e = g.pick(enums).node;
      const op = g.int(3);
      if (op === 0) e.symbols.push(g.fresh('S'));
      else if (op === 1 && e.symbols.length > 1) e.symbols.splice(g.int(e.symbols.length), 1);
      else if (e.default === undefined) e.default = g.pick(e.symbols);
      else delete e.default;
      if (e.default !== undefined && !e.symbols.includes(e.default)) e.default = e.symbols[0];
      break;
    }
    case 11: {
      const unions = collect(root, (t) => (Array.isArray(t) ? t : undefined));
      if (unions.length === 0) break;
      const u = g.pick(unions).node;
      const extra = g.prim();
      if (g.chance(0.5) && !u.includes(extra)) u.push(extra);
      else if (u.length > 1) u.splice(1 + g.int(u.length - 1), 1);
      break;
    }
    default: {
      const fixeds = collect(root, (t) =>
        typeof t === 'object' && !Array.isArray(t) && t.type === 'fixed' ? t : undefined,
      );
      if (fixeds.length > 0) g.pick(fixeds).node.size = 1 + g.int(4);
    }
  }
  // A promotion may have made two union members equal: keep the first (unions need distinct members).
  for (const { node } of collect(root, (t) => (Array.isArray(t) ? t : undefined))) {
    const unique = node.filter((m, i) => typeof m !== 'string' || node.indexOf(m) === i);
    node.splice(0, node.length, ...unique);
  }
  // Default values must stay valid for their (possibly changed) types; only their presence matters.
  for (const { node } of collect(root, (t) =>
    typeof t === 'object' && !Array.isArray(t) && t.type === 'record' ? t : undefined,
  )) {
    for (const field of node.fields) if ('default' in field) field.default = defaultFor(field.type);
  }
}

function withSeededRandom<T>(rnd: () => number, fn: () => T): T {
  const original = Math.random;
  Math.random = rnd;
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

it(`checker verdicts agree with avsc resolution on ${ITERATIONS * 2} random evolutions (seed ${SEED})`, () => {
  const g = new Gen(seededRandom(SEED));
  let compatiblePairs = 0;
  let incompatiblePairs = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const a = g.record(0, 'Root');
    const b = structuredClone(a);
    for (let k = 1 + g.int(3); k > 0; k--) mutate(g, b);
    for (const [reader, writer] of [
      [b, a],
      [a, b],
    ] as const) {
      const context = `seed ${SEED} iteration ${i}\nreader ${JSON.stringify(reader)}\nwriter ${JSON.stringify(writer)}`;
      const verdict = checkReaderWriter(
        parseSchema(JSON.stringify(reader), { mode: 'strict' }).root,
        parseSchema(JSON.stringify(writer), { mode: 'strict' }).root,
      );
      const readerType = avsc.Type.forSchema(reader as avsc.Schema);
      const writerType = avsc.Type.forSchema(writer as avsc.Schema);
      let resolver: ReturnType<avsc.Type['createResolver']> | undefined;
      let avscError = '';
      try {
        resolver = readerType.createResolver(writerType);
      } catch (err) {
        avscError = (err as Error).message;
      }
      assert.equal(
        verdict.compatible,
        resolver !== undefined,
        `verdicts differ (${JSON.stringify(verdict.incompatibilities)} / avsc: ${avscError})\n${context}`,
      );
      if (resolver === undefined) {
        incompatiblePairs++;
        continue;
      }
      compatiblePairs++;
      for (let d = 0; d < DATUMS_PER_PAIR; d++) {
        const buf = withSeededRandom(g.rnd, () => writerType.toBuffer(writerType.random()));
        assert.doesNotThrow(() => readerType.fromBuffer(buf, resolver), context);
      }
    }
  }
  // The generator must exercise both outcomes substantially, or the property says little.
  assert.ok(compatiblePairs >= 100, `only ${compatiblePairs} compatible pairs`);
  assert.ok(incompatiblePairs >= 100, `only ${incompatiblePairs} incompatible pairs`);
});
