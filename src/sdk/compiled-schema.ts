import { createHash } from 'node:crypto';
import avsc from 'avsc';
import { schemaFingerprints } from '../avro/fingerprint.js';
import { parseSchema } from '../avro/parser.js';
import type { ParsedSchema, SchemaReference } from '../avro/types.js';

export type AvscType = avsc.Type;

/** A schema as the SDK uses it: our AST (validation, lean records) and avsc's type (the codec). */
export interface CompiledSchema {
  readonly text: string;
  readonly parsed: ParsedSchema;
  readonly type: AvscType;
  /** CRC-64-AVRO of the Parsing Canonical Form: 16 hex digits and the little-endian bytes. */
  readonly crc64: string;
  readonly crc64Bytes: Uint8Array;
}

/** A referenced schema, already fetched, with the references it has itself. */
export interface ResolvedReference {
  readonly reference: SchemaReference;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/** A schema given as text, a JSON object, or an avsc Type. */
export type SchemaSource = string | object;

export function schemaText(source: SchemaSource): string {
  if (typeof source === 'string') return source;
  if (avsc.Type.isType(source)) return JSON.stringify((source as AvscType).schema({ exportAttrs: true }));
  return JSON.stringify(source);
}

/**
 * Parses with our parser in lenient mode (a stored schema must stay readable even if a rule tightened
 * since) and builds the avsc type. Referenced named types are built first into one avsc registry, so
 * the schema can name them, exactly as the registry resolved them.
 */
export function compileSchema(
  text: string,
  references: readonly SchemaReference[] = [],
  resolved: readonly ResolvedReference[] = [],
): CompiledSchema {
  const byKey = new Map(resolved.map((r) => [refKey(r.reference), r]));
  const parsed = parseSchema(text, {
    mode: 'lenient',
    references: references.length === 0 ? undefined : references,
    lookup: (ref) => {
      const found = byKey.get(refKey(ref));
      return found && { schema: found.schema, references: found.references };
    },
  });
  const registry: Record<string, AvscType> = {};
  const built = new Set<string>();
  const build = (r: ResolvedReference): void => {
    const key = refKey(r.reference);
    if (built.has(key)) return;
    built.add(key);
    for (const inner of r.references) {
      const dependency = byKey.get(refKey(inner));
      if (dependency) build(dependency);
    }
    avsc.Type.forSchema(JSON.parse(r.schema), { registry });
  };
  for (const r of resolved) build(r);
  const type = avsc.Type.forSchema(JSON.parse(text), { registry });
  const fingerprints = schemaFingerprints(parsed);
  return { text, parsed, type, crc64: fingerprints.crc64, crc64Bytes: fingerprints.crc64Bytes };
}

/**
 * A key for "this reader schema exactly": SHA-256 over avsc's full rendering, defaults and aliases
 * included. Not the PCF fingerprint: the PCF drops defaults and aliases, which resolution depends on.
 */
export function readerKey(type: AvscType): string {
  let key = readerKeys.get(type);
  if (key === undefined) {
    key = createHash('sha256')
      .update(JSON.stringify(type.schema({ exportAttrs: true })))
      .digest('hex');
    readerKeys.set(type, key);
  }
  return key;
}

const readerKeys = new WeakMap<AvscType, string>();

function refKey(ref: SchemaReference): string {
  return `${ref.subject}\u0000${ref.version}`;
}
