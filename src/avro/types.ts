/**
 * The typed tree the Avro engine works on. Shared by the parser, the canonical forms, the
 * compatibility checker, the CLI code generators and the SDK.
 *
 * Identity matters: within one parsed schema there is exactly ONE node object per named type
 * (record, enum, fixed) full name, so recursion and re-use are the same node; every occurrence of an
 * anonymous type (primitive, array, map, union) is its own object. The compatibility checker memoises
 * on node identity, which is what reproduces Java's messages and locations.
 */

/** A JSON value as written, numbers kept as their literal text (Java tells `1` from `1.0`). */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** An object with insertion order kept and no prototype (so `__proto__` is just a key). */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** A JSON number literal, kept verbatim. `isIntegral` is true when the literal has no fraction/exponent. */
export interface JsonNumber {
  readonly kind: 'number';
  readonly raw: string;
  readonly value: number;
  readonly isIntegral: boolean;
}

export type PrimitiveType = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

/** Java's Schema.Type names as they appear in messages (TYPE_MISMATCH etc.). */
export type AvroTypeName =
  | 'NULL'
  | 'BOOLEAN'
  | 'INT'
  | 'LONG'
  | 'FLOAT'
  | 'DOUBLE'
  | 'BYTES'
  | 'STRING'
  | 'RECORD'
  | 'ENUM'
  | 'ARRAY'
  | 'MAP'
  | 'UNION'
  | 'FIXED';

/** Custom properties (anything not reserved by the spec, incl. `logicalType`), in insertion order. */
export type Props = ReadonlyArray<readonly [string, JsonValue]>;

interface NodeBase {
  /** Non-reserved attributes, `logicalType` included, in the order written. */
  readonly props: Props;
  /** The `logicalType` attribute if present (kept, not interpreted). */
  readonly logicalType: string | undefined;
}

export interface PrimitiveNode extends NodeBase {
  readonly kind: 'primitive';
  readonly type: PrimitiveType;
}

export interface NamedBase extends NodeBase {
  /** Simple (unqualified) name. */
  readonly name: string;
  /** Namespace, or null for the null namespace. */
  readonly namespace: string | null;
  /** `namespace.name`, or `name` in the null namespace. */
  readonly fullName: string;
  /** Aliases, fully qualified per the spec (relative ones take this type's namespace). */
  readonly aliases: readonly string[];
  readonly doc: string | undefined;
}

export interface FieldNode {
  readonly name: string;
  /** Position in the record, 0-based (the checker's `/fields/<pos>` token). */
  readonly position: number;
  readonly type: AvroNode;
  readonly doc: string | undefined;
  /** True when a `default` key was present, `"default": null` included (Java `hasDefaultValue`). */
  readonly hasDefault: boolean;
  readonly default: JsonValue | undefined;
  readonly order: 'ascending' | 'descending' | 'ignore';
  /** Field aliases as written (field aliases are plain names, not qualified). */
  readonly aliases: readonly string[];
  readonly props: Props;
}

export interface RecordNode extends NamedBase {
  readonly kind: 'record';
  /** `error` records are records with a different keyword. */
  readonly isError: boolean;
  /** Filled in after construction so that recursive references resolve to this same node. */
  fields: FieldNode[];
}

export interface EnumNode extends NamedBase {
  readonly kind: 'enum';
  readonly symbols: readonly string[];
  /** Enum-level default (used when a reader lacks a writer's symbol). */
  readonly default: string | undefined;
}

export interface FixedNode extends NamedBase {
  readonly kind: 'fixed';
  readonly size: number;
}

export interface ArrayNode extends NodeBase {
  readonly kind: 'array';
  readonly items: AvroNode;
}

export interface MapNode extends NodeBase {
  readonly kind: 'map';
  readonly values: AvroNode;
}

export interface UnionNode {
  readonly kind: 'union';
  readonly branches: readonly AvroNode[];
}

export type NamedNode = RecordNode | EnumNode | FixedNode;
export type AvroNode = PrimitiveNode | RecordNode | EnumNode | FixedNode | ArrayNode | MapNode | UnionNode;

/** Strict: rules for newly registered schemas. Lenient: schemas already stored (never brick a subject). */
export type ParseMode = 'strict' | 'lenient';

/** Guards against hostile schemas; every limit breach is an error naming the limit. */
export interface ParseLimits {
  /** Max nesting depth of the JSON/type tree. */
  readonly maxDepth: number;
  /** Max fields per record. */
  readonly maxFields: number;
  /** Max symbols per enum. */
  readonly maxSymbols: number;
  /** Max branches per union. */
  readonly maxUnionBranches: number;
  /** Max schema text length in bytes (UTF-8). */
  readonly maxSchemaBytes: number;
  /** Max number of named types in one schema. */
  readonly maxNamedTypes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxDepth: 64,
  maxFields: 10_000,
  maxSymbols: 10_000,
  maxUnionBranches: 1_000,
  maxSchemaBytes: 4 * 1024 * 1024,
  maxNamedTypes: 10_000,
};

/** A schema reference as the Confluent API carries it. */
export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/**
 * Resolves a reference to the text of the referenced schema (already stored, so parsed leniently).
 * Returns undefined when the subject-version does not exist.
 */
export type ReferenceLookup = (
  ref: SchemaReference,
) => { schema: string; references: readonly SchemaReference[] } | undefined;

export interface ParseOptions {
  readonly mode: ParseMode;
  readonly limits?: Partial<ParseLimits>;
  /** Schema references (named types defined in other subject-versions). */
  readonly references?: readonly SchemaReference[];
  readonly lookup?: ReferenceLookup;
}

/** The result of parsing: the root node plus every named type defined (own and imported). */
export interface ParsedSchema {
  readonly root: AvroNode;
  /** Named types by full name: those defined by this schema and those imported through references. */
  readonly named: ReadonlyMap<string, NamedNode>;
  /** Full names imported through references (not written out by canonical forms of this schema). */
  readonly imported: ReadonlySet<string>;
  /**
   * The top-level named type of each referenced schema. Java's `toString(referencedSchemas)` knows only
   * these up front, so a type nested inside a referenced schema is written out in full at its first use.
   * When absent, every `imported` name is treated as known.
   */
  readonly importedRoots?: ReadonlySet<string>;
}

/** Incompatibility types of Java `SchemaCompatibility.SchemaIncompatibilityType`. */
export type IncompatibilityType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

export interface Incompatibility {
  readonly type: IncompatibilityType;
  /** JSON-pointer-like location, e.g. `/fields/1/type`. */
  readonly location: string;
  readonly message: string;
}

export interface CompatibilityResult {
  readonly compatible: boolean;
  readonly incompatibilities: readonly Incompatibility[];
  /** Set when Java would have thrown (e.g. ambiguous field aliases); the verdict is then incompatible. */
  readonly exception?: string;
}

export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];
