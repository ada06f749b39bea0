/**
 * Reads the SDK corpus (test/fixtures/sdk-corpus/, format in its README.md), shared with the Python
 * client's tests: schemas by name, the `$repeat`/`$nest` directives, and the fixed generator.
 */
import { readFileSync } from 'node:fs';
import { AutoGenerator } from '../../src/avro/autogen.js';
import { ManualClock } from '../../src/clock.js';
import { PROXIMADB_CORE_SCHEMA, VECTOR_RECORD_SCHEMA } from '../../src/sdk/lean-records.js';

export interface CorpusFile<C> {
  readonly clock: number;
  readonly randomByte: number;
  readonly schemas: Record<string, unknown>;
  readonly cases: C[];
}

export interface Outcome {
  valid?: boolean;
  datum?: unknown;
  record?: unknown;
  lean?: unknown;
  errors?: Array<{ path: string; message: string }>;
}

export interface ValidationCase {
  readonly name: string;
  readonly schema: string;
  readonly datum: unknown;
  readonly options?: {
    applyDefaults?: boolean;
    maxErrors?: number;
    maxDepth?: number;
    unknownFields?: 'error' | 'ignore';
    generator?: null;
  };
  readonly expect: Outcome;
  /** JSON pointer -> autogen kind of every generated value in the expected datum or record. */
  readonly generated?: Record<string, string>;
}

export interface LeanRecordCase {
  readonly name: string;
  readonly call: 'createVectorRecord' | 'createRecord';
  readonly schema?: string;
  readonly type?: string;
  readonly input: Record<string, unknown>;
  readonly expect: Outcome;
  readonly generated?: Record<string, string>;
}

const DIR = new URL('../fixtures/sdk-corpus/', import.meta.url);

export function loadCorpus<C>(file: string): CorpusFile<C> {
  return JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as CorpusFile<C>;
}

export function corpusSchema(corpus: CorpusFile<unknown>, name: string): string {
  const schema = corpus.schemas[name];
  if (schema === '@vector-record') return VECTOR_RECORD_SCHEMA;
  if (schema === '@proximadb-core') return PROXIMADB_CORE_SCHEMA;
  if (schema === undefined) throw new Error(`the corpus has no schema ${name}`);
  return JSON.stringify(schema);
}

/** A fresh generator per case, so results never depend on the order cases run in. */
export function corpusGenerator(clockMs: number, randomByte: number): AutoGenerator {
  return new AutoGenerator({
    clock: new ManualClock(clockMs),
    randomFill: (bytes) => bytes.fill(randomByte),
  });
}

/** Expands `{"$repeat": [value, n]}` and `{"$nest": [key, n, leaf]}` anywhere in a value. */
export function expand(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expand);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$repeat') {
    const [item, count] = record.$repeat as [unknown, number];
    return Array.from({ length: count }, () => expand(item));
  }
  if (keys.length === 1 && keys[0] === '$nest') {
    const [key, depth, leaf] = record.$nest as [string, number, unknown];
    let out = expand(leaf);
    for (let i = 0; i < depth; i++) out = { [key]: out };
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    Object.defineProperty(out, key, { value: expand(record[key]), enumerable: true, writable: true });
  }
  return out;
}

/** What a JSON API would send: -0 is 0, undefined keys vanish. */
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const KIND_PATTERNS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  ulid: /^[0-9A-HJKMNP-TV-Z]{26}$/,
  now_micros: /^\d{16}$/,
  now_millis: /^\d{13}$/,
};

export function matchesKind(kind: string, value: unknown): boolean {
  const pattern = KIND_PATTERNS[kind];
  return pattern?.test(String(value)) === true;
}

/** Every JSON pointer at which two values differ (objects and arrays compared member by member). */
export function differingPointers(a: unknown, b: unknown, at = ''): string[] {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) =>
      differingPointers(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      ),
    );
  }
  return Object.is(a, b) ? [] : [at];
}
