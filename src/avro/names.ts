/**
 * Avro name rules. Strict (Avro 1.12 STRICT_VALIDATOR, new registrations) is ASCII only; lenient (the
 * stored-schema path, Confluent's `validateNames`) accepts any Unicode letter as Java's
 * `Character.isLetter` does, so schemas stored under the older rules keep loading.
 */
import type { PrimitiveType } from './types.js';

export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set<PrimitiveType>([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

/** Java `Schema.Type` names: a name equal to one of these is always written fully qualified. */
export const TYPE_KEYWORDS: ReadonlySet<string> = new Set([
  ...PRIMITIVE_TYPES,
  'record',
  'enum',
  'array',
  'map',
  'union',
  'fixed',
]);

const STRICT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LENIENT_NAME = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

export function isValidName(name: string, strict: boolean): boolean {
  return (strict ? STRICT_NAME : LENIENT_NAME).test(name);
}

/** Quotes a name for a message, cut short so a 1 MB name does not make a 1 MB error. */
export function q(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

export interface SplitName {
  readonly name: string;
  readonly namespace: string | null;
  readonly fullName: string;
}

/** Java `Schema.Name(name, space)`: a dotted name carries its own namespace; `""` means the null namespace. */
export function splitName(name: string, space: string | null): SplitName {
  const dot = name.lastIndexOf('.');
  let ns = space;
  let simple = name;
  if (dot >= 0) {
    ns = name.slice(0, dot);
    simple = name.slice(dot + 1);
  }
  if (ns === '') ns = null;
  return { name: simple, namespace: ns, fullName: ns === null ? simple : `${ns}.${simple}` };
}

/** Java `Name.getQualified(space)`: the short name when in `space`, unless it collides with a type keyword. */
export function qualifiedRelativeTo(
  n: { name: string; namespace: string | null; fullName: string },
  space: string | null,
): string {
  if (n.namespace !== null && n.namespace === space && !TYPE_KEYWORDS.has(n.name)) return n.name;
  return n.fullName;
}
