/**
 * Lean records: callers set only the fields they care about and the schema decides the rest. Fields
 * marked `proximadb.autogen` get values (UUIDv7/ULID ids, timestamps in microseconds), other absent
 * fields take their defaults, optional ones become null. Nothing here is written per record type: it
 * all follows from the schema, so a new field in the master schema needs no SDK change.
 */
import type { AutoGenerator } from '../avro/autogen.js';
import { type DatumError, defaultGenerator, formatDatumError, validateDatum } from '../avro/datum.js';
import { parseSchema } from '../avro/parser.js';
import type { AvroNode, ParsedSchema, RecordNode } from '../avro/types.js';
import { SCHEMA as PROXIMADB_CORE_SCHEMA } from '../generated/proximadb-core.js';
import { type SchemaSource, schemaText } from './compiled-schema.js';

export const VECTOR_RECORD = 'ai.proximadb.VectorRecord';
export const SEARCH_RESULT = 'ai.proximadb.SearchResult';
export { PROXIMADB_CORE_SCHEMA };

/**
 * The VectorRecord schema on its own (the master file is a union of records): what a producer
 * registers for a topic of vectors, so payloads carry a plain record rather than a union branch.
 */
export const VECTOR_RECORD_SCHEMA: string = recordSchemaText(PROXIMADB_CORE_SCHEMA, VECTOR_RECORD);
export const SEARCH_RESULT_SCHEMA: string = recordSchemaText(PROXIMADB_CORE_SCHEMA, SEARCH_RESULT);

/** The value does not fit the schema; `errors` has every problem with its path. */
export class RecordValidationError extends Error {
  readonly errors: readonly DatumError[];

  constructor(type: string, errors: readonly DatumError[]) {
    const shown = errors.slice(0, 5).map(formatDatumError).join('; ');
    super(`invalid ${type}: ${shown}${errors.length > 5 ? ` (+${errors.length - 5} more)` : ''}`);
    this.name = 'RecordValidationError';
    this.errors = errors;
  }
}

export interface CreateRecordOptions {
  /** Full name of the record to build when the schema defines several (e.g. a union of records). */
  type?: string;
  /** Source of auto-generated values; one shared per process by default (ids stay monotonic). */
  generator?: AutoGenerator;
  /** `avsc` (default): Buffers for bytes, ready to encode. `json`: bytes as ISO-8859-1 strings. */
  output?: 'avsc' | 'json';
}

const parsedByText = new Map<string, ParsedSchema>();

/** Completes `partial` into a full record of the schema, or throws RecordValidationError. */
export function createRecord<T = Record<string, unknown>>(
  schema: SchemaSource | ParsedSchema,
  partial: object,
  options: CreateRecordOptions = {},
): T {
  const record = recordNode(toParsed(schema), options.type);
  const result = validateDatum(record, partial, {
    generator: options.generator ?? defaultGenerator(),
    output: options.output ?? 'avsc',
  });
  if (!result.valid) throw new RecordValidationError(record.fullName, result.errors);
  return result.datum as T;
}

export interface VectorRecordInput {
  vector: readonly number[] | Float32Array | Float64Array;
  id?: string | null;
  metadata?: Record<string, string> | null;
  /** Microseconds since the Unix epoch; generated when absent. */
  timestamp?: number | null;
  expires_at?: number | null;
}

export interface VectorRecord {
  id: string | null;
  vector: number[];
  metadata: Record<string, string> | null;
  timestamp: number | null;
  expires_at: number | null;
}

/** A ProximaDB VectorRecord from the master schema: id (UUIDv7) and timestamp filled in when absent. */
export function createVectorRecord(
  input: VectorRecordInput,
  options: Omit<CreateRecordOptions, 'type'> & { schema?: SchemaSource | ParsedSchema } = {},
): VectorRecord {
  const vector = ArrayBuffer.isView(input.vector) ? Array.from(input.vector) : input.vector;
  return createRecord<VectorRecord>(
    options.schema ?? PROXIMADB_CORE_SCHEMA,
    { ...input, vector },
    { ...options, type: VECTOR_RECORD },
  );
}

/** The record as lean JSON: fields that are null are left out (readers fill them from defaults). */
export function toLeanJson(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}

function toParsed(schema: SchemaSource | ParsedSchema): ParsedSchema {
  if (typeof schema === 'object' && 'root' in schema && 'named' in schema) return schema as ParsedSchema;
  const text = schemaText(schema);
  let parsed = parsedByText.get(text);
  if (parsed === undefined) {
    parsed = parseSchema(text, { mode: 'lenient' });
    parsedByText.set(text, parsed);
  }
  return parsed;
}

function recordNode(parsed: ParsedSchema, type: string | undefined): RecordNode {
  if (type !== undefined) {
    const named = parsed.named.get(type);
    if (named?.kind !== 'record') throw new TypeError(`the schema defines no record named ${type}`);
    return named;
  }
  if (parsed.root.kind === 'record') return parsed.root;
  const records = parsed.root.kind === 'union' ? parsed.root.branches.filter(isRecord) : [];
  if (records.length === 1) return records[0] as RecordNode;
  throw new TypeError(
    'the schema is not a single record: pass options.type with the full name of the record to build',
  );
}

function recordSchemaText(text: string, fullName: string): string {
  const all = JSON.parse(text) as unknown;
  const found = (Array.isArray(all) ? all : [all]).find(
    (t: { name?: string; namespace?: string }) =>
      `${t.namespace}.${t.name}` === fullName || t.name === fullName,
  );
  if (found === undefined) throw new Error(`the master schema defines no ${fullName}`);
  return JSON.stringify(found);
}

function isRecord(node: AvroNode): node is RecordNode {
  return node.kind === 'record';
}
