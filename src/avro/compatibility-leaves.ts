/**
 * The pairs whose verdict needs no sub-call: primitives (with Java's promotions), enums, fixed, a
 * type mismatch, and an empty writer union. Every evaluation path asks `leaf` first, so the common
 * case stays cheap.
 */
import { symbolSet } from './compatibility-node-facts.js';
import { COMPATIBLE, fail, merge, type Res, typeMismatch } from './compatibility-result.js';
import type { AvroNode, EnumNode, FixedNode, NamedNode } from './types.js';

// Writer type names each reader primitive accepts besides its own (Java's promotion switch).
export const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

/** Java's `schemaNameEquals`: simple names equal, or a reader alias (fully qualified) names the writer. */
export function schemaNameEquals(reader: NamedNode, writer: NamedNode): boolean {
  return reader.name === writer.name || reader.aliases.includes(writer.fullName);
}

export function sameType(reader: AvroNode, writer: AvroNode): boolean {
  if (reader.kind !== writer.kind) return false;
  return reader.kind !== 'primitive' || reader.type === (writer as typeof reader).type;
}

/** The pairs whose result needs no sub-call; computed directly to keep the common case cheap. */
export function leaf(reader: AvroNode, writer: AvroNode, location: string[]): Res | undefined {
  if (sameType(reader, writer)) {
    switch (reader.kind) {
      case 'primitive':
        return COMPATIBLE; // logical types are ignored
      case 'fixed':
        return merge(
          checkNames(reader, writer as FixedNode, location),
          checkSize(reader, writer as FixedNode, location),
        );
      case 'enum':
        return merge(
          checkNames(reader, writer as EnumNode, location),
          checkSymbols(reader, symbolSet(reader), writer as EnumNode, location),
        );
      default:
        return undefined;
    }
  }
  if (writer.kind === 'union') return writer.branches.length === 0 ? COMPATIBLE : undefined;
  if (reader.kind === 'union') return undefined;
  if (reader.kind === 'primitive' && writer.kind === 'primitive') {
    if (PROMOTIONS[reader.type]?.includes(writer.type)) return COMPATIBLE;
  }
  return typeMismatch(reader, writer, location);
}

export function checkNames(reader: NamedNode, writer: NamedNode, location: string[]): Res {
  if (schemaNameEquals(reader, writer)) return COMPATIBLE;
  location.push('name');
  const res = fail('NAME_MISMATCH', `expected: ${writer.fullName}`, location);
  location.pop();
  return res;
}

function checkSize(reader: FixedNode, writer: FixedNode, location: string[]): Res {
  if (reader.size === writer.size) return COMPATIBLE;
  location.push('size');
  const res = fail('FIXED_SIZE_MISMATCH', `expected: ${writer.size}, found: ${reader.size}`, location);
  location.pop();
  return res;
}

function checkSymbols(
  reader: EnumNode,
  readerSymbols: ReadonlySet<string>,
  writer: EnumNode,
  location: string[],
): Res {
  let missing: Set<string> | undefined;
  for (const symbol of writer.symbols) {
    if (readerSymbols.has(symbol)) continue;
    missing ??= new Set();
    missing.add(symbol);
  }
  if (missing === undefined) return COMPATIBLE;
  if (reader.default !== undefined && readerSymbols.has(reader.default)) return COMPATIBLE;
  // TreeSet<String> order: UTF-16 code units, which is what the default JS sort compares.
  const sorted = [...missing].sort();
  location.push('symbols');
  const res = fail('MISSING_ENUM_SYMBOLS', `[${sorted.join(', ')}]`, location);
  location.pop();
  return res;
}
