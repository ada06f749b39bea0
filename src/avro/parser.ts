/**
 * Schema text -> AST (`types.ts`), following Java Avro 1.12 as Confluent runs it. Two modes: strict for
 * new registrations (ASCII names, validated defaults) and lenient for stored schemas, so that a rule
 * tightened later never makes an existing subject unreadable. Structural errors fail in both modes.
 */
import { DomainError } from '../errors.js';
import { JsonSyntaxError } from './json.js';
import { parseJson } from './json-reader.js';
import { q } from './names.js';
import { SchemaBuilder, tooLarge } from './schema-builder.js';
import type {
  AvroNode,
  JsonValue,
  NamedNode,
  ParsedSchema,
  ParseLimits,
  ParseOptions,
  ReferenceLookup,
  SchemaReference,
} from './types.js';
import { DEFAULT_PARSE_LIMITS } from './types.js';

/** Shared by the main schema and everything it imports through references. */
interface NameTable {
  readonly named: Map<string, NamedNode>;
  readonly imported: Set<string>;
  readonly importedRoots: Set<string>;
  namedCount: number;
}

/** Reference chains deeper than this are rejected rather than followed (each level is a lookup). */
const MAX_REFERENCE_DEPTH = 64;

/**
 * Parses schema text (a `string` is always TEXT, e.g. `'"int"'`) or an already-parsed JsonValue. Every
 * rejection is a DomainError: INVALID_SCHEMA naming where the problem is, or SCHEMA_TOO_LARGE naming the
 * limit that was hit.
 */
export function parseSchema(input: string | JsonValue, options: ParseOptions): ParsedSchema {
  const limits: ParseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  const table: NameTable = { named: new Map(), imported: new Set(), importedRoots: new Set(), namedCount: 0 };
  if (options.references && options.references.length > 0) {
    importReferences(options.references, options.lookup, limits, table, new Set(), 0);
  }
  const root = parseDocument(input, options.mode === 'strict', limits, table);
  return { root, named: table.named, imported: table.imported, importedRoots: table.importedRoots };
}

function parseDocument(
  input: string | JsonValue,
  strict: boolean,
  limits: ParseLimits,
  table: NameTable,
): AvroNode {
  const json = typeof input === 'string' ? readText(input, limits) : input;
  const builder = new SchemaBuilder(strict, limits, table.named, () => {
    table.namedCount++;
    if (table.namedCount > limits.maxNamedTypes) {
      throw tooLarge(`number of named types exceeds the limit of ${limits.maxNamedTypes}`);
    }
  });
  return builder.build(json);
}

function readText(text: string, limits: ParseLimits): JsonValue {
  // UTF-8 takes at least one byte per UTF-16 unit, so the length alone can already prove a breach.
  const bytes = text.length > limits.maxSchemaBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxSchemaBytes) {
    throw tooLarge(`schema size exceeds the limit of ${limits.maxSchemaBytes} bytes`);
  }
  // Each level of type nesting takes at most four levels of JSON (record, fields, field, type); the
  // slack lets defaults and properties nest a little deeper than types.
  const maxJsonDepth = limits.maxDepth * 4 + 16;
  try {
    return parseJson(text, { maxDepth: maxJsonDepth });
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      if (e.reason === 'depth') {
        throw tooLarge(
          `schema nesting depth exceeds the limit of ${limits.maxDepth} (JSON nested deeper than ` +
            `${maxJsonDepth} levels at line ${e.line}, column ${e.column})`,
        );
      }
      throw new DomainError('INVALID_SCHEMA', `invalid JSON: ${e.message}`);
    }
    throw e;
  }
}

/**
 * Confluent resolves references depth-first into the same parser before the main schema, each as a
 * stored schema (lenient). Already-visited subject-versions are skipped, which also breaks cycles.
 */
function importReferences(
  refs: readonly SchemaReference[],
  lookup: ReferenceLookup | undefined,
  limits: ParseLimits,
  table: NameTable,
  seen: Set<string>,
  depth: number,
): void {
  if (depth >= MAX_REFERENCE_DEPTH) {
    throw new DomainError(
      'INVALID_SCHEMA',
      `references are nested deeper than ${MAX_REFERENCE_DEPTH} levels`,
    );
  }
  for (const ref of refs) {
    const key = `${ref.subject}\u0000${ref.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const label = `reference ${q(ref.name)} (subject ${q(ref.subject)} version ${ref.version})`;
    if (!lookup) throw new DomainError('INVALID_SCHEMA', `${label} cannot be resolved: no reference lookup`);
    const found = lookup(ref);
    if (!found) throw new DomainError('INVALID_SCHEMA', `${label} not found`);
    importReferences(found.references, lookup, limits, table, seen, depth + 1);
    const before = new Set(table.named.keys());
    let root: AvroNode;
    try {
      root = parseDocument(found.schema, false, limits, table);
    } catch (e) {
      if (e instanceof DomainError) throw new DomainError(e.code, `${label}: ${e.message}`);
      throw e;
    }
    for (const name of table.named.keys()) if (!before.has(name)) table.imported.add(name);
    if (root.kind === 'record' || root.kind === 'enum' || root.kind === 'fixed') {
      table.importedRoots.add(root.fullName);
    }
  }
}
