/**
 * Datum validation against a parsed schema: says whether a value conforms, lists EVERY error with a
 * JSON-pointer path (`/vector/3: expected float, got "x"`), and returns the datum completed the way a
 * lean record is completed: auto-generated fields (`proximadb.autogen`), then schema defaults, then
 * null for optional (nullable) fields. The validate endpoint and the SDK share it, so the server and
 * the clients agree on what "valid" and "filled in" mean.
 *
 * Two output shapes: `json` (what a JSON API returns: bytes/fixed as ISO-8859-1 strings, unions
 * unwrapped) and `avsc` (what avsc's default options encode: Buffers, and `{branch: value}` for unions
 * avsc cannot tell apart by JavaScript type). Both shapes are accepted on input, as is Avro's JSON
 * encoding of unions (`{"string": "x"}`).
 */
import { AutoGenerator, autogenOf, autogenPrimitive, isAutogenKind } from './autogen.js';
import { unionMemberKey } from './describe.js';
import { toPlain } from './json.js';
import type {
  ArrayNode,
  AvroNode,
  FieldNode,
  MapNode,
  ParsedSchema,
  RecordNode,
  UnionNode,
} from './types.js';

export interface DatumError {
  /** JSON pointer of the offending value ('' is the datum itself). */
  readonly path: string;
  readonly message: string;
}

export interface DatumOptions {
  /** Fill absent fields (auto-generated, then default, then null when optional). Default true. */
  readonly applyDefaults?: boolean;
  /** Mints `proximadb.autogen` values; null turns auto-generation off. Default: a process-wide one. */
  readonly generator?: AutoGenerator | null;
  readonly output?: 'json' | 'avsc';
  /** Keys a record does not declare: an error (default) or dropped from the output. */
  readonly unknownFields?: 'error' | 'ignore';
  /** Stop after this many errors (default 100) so a wrong 1536-float vector does not flood the answer. */
  readonly maxErrors?: number;
  /** Deepest nesting accepted (default 500), well under what the JS stack allows. */
  readonly maxDepth?: number;
}

export type DatumResult =
  | { readonly valid: true; readonly datum: unknown }
  | { readonly valid: false; readonly errors: readonly DatumError[] };

export function formatDatumError(error: DatumError): string {
  return `${error.path === '' ? '/' : error.path}: ${error.message}`;
}

let sharedGenerator: AutoGenerator | undefined;

/** One process-wide generator, so ids minted by separate calls stay monotonic. */
export function defaultGenerator(): AutoGenerator {
  if (sharedGenerator === undefined) sharedGenerator = new AutoGenerator();
  return sharedGenerator;
}

export function validateDatum(
  schema: ParsedSchema | AvroNode,
  datum: unknown,
  options: DatumOptions = {},
): DatumResult {
  const root = 'root' in schema ? schema.root : schema;
  const generator = options.generator === undefined ? defaultGenerator() : options.generator;
  const validator = new Validator(options, generator);
  let value: unknown;
  try {
    value = validator.check(root, datum, undefined, 0);
  } catch (error) {
    if (error !== TOO_MANY) throw error;
    validator.errors.push({ path: '', message: `more errors not shown (limit ${validator.maxErrors})` });
  }
  if (validator.errors.length > 0) return { valid: false, errors: validator.errors };
  return { valid: true, datum: value };
}

const INVALID: unique symbol = Symbol('invalid');
const TOO_MANY = Symbol('too many errors');
const FLOAT_MAX = 3.4028234663852886e38;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Paths are built only when an error is reported: most values are valid. */
type Path = { readonly up: Path | undefined; readonly key: string | number } | undefined;

function render(path: Path): string {
  let out = '';
  for (let p = path; p !== undefined; p = p.up) {
    out = `/${String(p.key).replaceAll('~', '~0').replaceAll('/', '~1')}${out}`;
  }
  return out;
}

class Validator {
  errors: DatumError[] = [];
  maxErrors: number;
  private readonly applyDefaults: boolean;
  private readonly avsc: boolean;
  private readonly strictKeys: boolean;
  private readonly maxDepth: number;
  /** >0 while trying union branches: failures are not reported and stop at the first error. */
  private silent = 0;

  constructor(
    options: DatumOptions,
    private readonly generator: AutoGenerator | null,
  ) {
    this.applyDefaults = options.applyDefaults ?? true;
    this.avsc = options.output === 'avsc';
    this.strictKeys = (options.unknownFields ?? 'error') === 'error';
    this.maxErrors = options.maxErrors ?? 100;
    this.maxDepth = options.maxDepth ?? 500;
  }

  private fail(path: Path, message: string, rendered?: string): typeof INVALID {
    if (this.silent === 0) {
      if (this.errors.length >= this.maxErrors) throw TOO_MANY;
      this.errors.push({ path: rendered ?? render(path), message });
    }
    return INVALID;
  }

  private mismatch(node: AvroNode, value: unknown, path: Path): typeof INVALID {
    return this.fail(path, `expected ${expected(node)}, got ${describe(value)}`);
  }

  check(node: AvroNode, value: unknown, path: Path, depth: number): unknown {
    switch (node.kind) {
      case 'primitive':
        return this.primitive(node.type, node, value, path);
      case 'enum':
        if (typeof value === 'string' && node.symbols.includes(value)) return value;
        if (typeof value !== 'string') return this.mismatch(node, value, path);
        return this.fail(
          path,
          `expected a symbol of enum ${node.fullName} ${list(node.symbols)}, got ${describe(value)}`,
        );
      case 'fixed': {
        const bytes = this.bytes(value);
        if (bytes === undefined) return this.mismatch(node, value, path);
        if (bytes.length !== node.size) {
          return this.fail(
            path,
            `expected ${node.size} bytes for fixed ${node.fullName}, got ${bytes.length}`,
          );
        }
        return this.avsc ? bytes : latin1(value, bytes);
      }
      case 'array':
        return this.array(node, value, path, depth);
      case 'map':
        return this.map(node, value, path, depth);
      case 'record':
        return this.record(node, value, path, depth);
      case 'union':
        return this.union(node, value, path, depth);
    }
  }

  private primitive(type: string, node: AvroNode, value: unknown, path: Path): unknown {
    switch (type) {
      case 'null':
        return value === null ? null : this.mismatch(node, value, path);
      case 'boolean':
        return typeof value === 'boolean' ? value : this.mismatch(node, value, path);
      case 'string':
        return typeof value === 'string' ? value : this.mismatch(node, value, path);
      case 'int': {
        const n = integer(value);
        if (n === undefined) return this.mismatch(node, value, path);
        if (n < INT_MIN || n > INT_MAX)
          return this.fail(path, `expected int, got ${describe(value)} (out of int32 range)`);
        return Number(n);
      }
      case 'long': {
        const n = integer(value);
        if (n === undefined) return this.mismatch(node, value, path);
        // avsc's long is a JS number; past 2^53 it cannot hold the value exactly.
        if (!Number.isSafeInteger(Number(n)) || BigInt(Number(n)) !== BigInt(n)) {
          return this.fail(path, `expected long, got ${describe(value)} (beyond ±(2^53-1), not exact)`);
        }
        return Number(n);
      }
      case 'float':
        if (typeof value !== 'number') return this.mismatch(node, value, path);
        if (Number.isFinite(value) && Math.abs(value) > FLOAT_MAX) {
          return this.fail(path, `expected float, got ${describe(value)} (out of float range)`);
        }
        return value;
      case 'double':
        return typeof value === 'number' ? value : this.mismatch(node, value, path);
      default: {
        const bytes = this.bytes(value);
        if (bytes === undefined) return this.mismatch(node, value, path);
        return this.avsc ? bytes : latin1(value, bytes);
      }
    }
  }

  /** Binary values arrive as Buffers/Uint8Arrays or, in JSON, as strings of code points 0–255. */
  private bytes(value: unknown): Buffer | undefined {
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (typeof value === 'string' && !/[^\u0000-\u00ff]/.test(value)) return Buffer.from(value, 'latin1');
    return undefined;
  }

  private array(node: ArrayNode, value: unknown, path: Path, depth: number): unknown {
    if (!Array.isArray(value)) return this.mismatch(node, value, path);
    if (depth >= this.maxDepth) return this.fail(path, `nesting deeper than ${this.maxDepth} levels`);
    const out: unknown[] = new Array(value.length);
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      const item = this.check(node.items, value[i], { up: path, key: i }, depth + 1);
      if (item === INVALID) {
        ok = false;
        if (this.silent > 0) return INVALID;
      }
      out[i] = item;
    }
    return ok ? out : INVALID;
  }

  private map(node: MapNode, value: unknown, path: Path, depth: number): unknown {
    if (!isObject(value)) return this.mismatch(node, value, path);
    if (depth >= this.maxDepth) return this.fail(path, `nesting deeper than ${this.maxDepth} levels`);
    const out: Record<string, unknown> = {};
    let ok = true;
    for (const [key, raw] of Object.entries(value)) {
      const item = this.check(node.values, raw, { up: path, key }, depth + 1);
      if (item === INVALID) {
        ok = false;
        if (this.silent > 0) return INVALID;
      }
      setKey(out, key, item);
    }
    return ok ? out : INVALID;
  }

  private record(node: RecordNode, value: unknown, path: Path, depth: number): unknown {
    if (!isObject(value)) return this.mismatch(node, value, path);
    if (depth >= this.maxDepth) return this.fail(path, `nesting deeper than ${this.maxDepth} levels`);
    const out: Record<string, unknown> = {};
    let ok = true;
    for (const field of node.fields) {
      const raw = Object.hasOwn(value, field.name) ? value[field.name] : undefined;
      const fieldPath = { up: path, key: field.name };
      const item =
        raw === undefined
          ? this.fill(field, fieldPath, depth + 1)
          : this.check(field.type, raw, fieldPath, depth + 1);
      if (item === INVALID) {
        ok = false;
        if (this.silent > 0) return INVALID;
      }
      setKey(out, field.name, item);
    }
    if (this.strictKeys) {
      const declared = fieldNames(node);
      for (const key of Object.keys(value)) {
        if (!declared.has(key) && value[key] !== undefined) {
          ok = false;
          this.fail({ up: path, key }, `unknown field (record ${node.fullName} has no such field)`);
          if (this.silent > 0) return INVALID;
        }
      }
    }
    return ok ? out : INVALID;
  }

  /** An absent field: auto-generated, else its default, else null when the type admits null. */
  private fill(field: FieldNode, path: Path, depth: number): unknown {
    const kind = autogenOf(field);
    if (!this.applyDefaults) {
      const fillable = field.hasDefault || admitsNull(field.type) || kind !== undefined;
      return this.fail(
        path,
        fillable ? 'missing field (applyDefaults would fill it)' : 'missing required field',
      );
    }
    if (kind !== undefined && isAutogenKind(kind) && this.generator !== null) {
      const primitive = autogenPrimitive(kind);
      if (!admits(field.type, primitive)) {
        return this.fail(path, `cannot auto-generate "${kind}": the field's type has no ${primitive} branch`);
      }
      return this.check(field.type, this.generator.generate(kind), path, depth);
    }
    if (field.hasDefault && field.default !== undefined) {
      return this.check(field.type, toPlain(field.default), path, depth);
    }
    if (admitsNull(field.type)) return null;
    const hint =
      kind !== undefined && !isAutogenKind(kind) ? ` (unsupported proximadb.autogen "${kind}")` : '';
    return this.fail(path, `missing required field${hint}`);
  }

  private union(node: UnionNode, value: unknown, path: Path, depth: number): unknown {
    const shape = unionShape(node);
    // Avro's JSON encoding (and avsc's wrapped unions) write {"<branch>": value}.
    if (isObject(value)) {
      const keys = Object.keys(value);
      const key = keys.length === 1 ? (keys[0] as string) : undefined;
      const index = key === undefined ? -1 : shape.names.indexOf(key);
      const branch = node.branches[index];
      if (
        key !== undefined &&
        branch !== undefined &&
        !(branch.kind === 'primitive' && branch.type === 'null')
      ) {
        const inner = this.trial(branch, value[key], { up: path, key }, depth + 1);
        if (inner !== INVALID) return this.wrap(shape, index, inner);
      }
    }
    for (let i = 0; i < node.branches.length; i++) {
      const out = this.trial(node.branches[i] as AvroNode, value, path, depth);
      if (out !== INVALID) return this.wrap(shape, i, out);
    }
    if (this.silent > 0) return INVALID;
    // Nothing fits: report inside the branch of the value's shape, since "/vector/3: expected float"
    // says more than "expected one of [null, array]". Among several (two records), the closest one.
    const bucket = valueBucket(value);
    let best: DatumError[] | undefined;
    for (const branch of node.branches) {
      if (nodeBucket(branch) !== bucket) continue;
      const errors = this.collect(branch, value, path, depth);
      if (best === undefined || errors.length < best.length) best = errors;
    }
    if (best === undefined) return this.mismatch(node, value, path);
    for (const error of best) this.fail(undefined, error.message, error.path);
    return INVALID;
  }

  /** The errors a value has against one node, without reporting them. */
  private collect(node: AvroNode, value: unknown, path: Path, depth: number): DatumError[] {
    const saved = this.errors;
    const savedMax = this.maxErrors;
    const errors: DatumError[] = [];
    this.errors = errors;
    this.maxErrors = Math.max(1, savedMax - saved.length);
    try {
      this.check(node, value, path, depth);
    } catch (error) {
      if (error !== TOO_MANY) throw error;
    } finally {
      this.errors = saved;
      this.maxErrors = savedMax;
    }
    return errors;
  }

  private trial(node: AvroNode, value: unknown, path: Path, depth: number): unknown {
    this.silent++;
    try {
      return this.check(node, value, path, depth);
    } finally {
      this.silent--;
    }
  }

  private wrap(shape: UnionShape, index: number, value: unknown): unknown {
    if (!this.avsc || !shape.wrapped || value === null) return value;
    const wrapped: Record<string, unknown> = {};
    setKey(wrapped, shape.names[index] as string, value);
    return wrapped;
  }
}

interface UnionShape {
  /** Branch names as Avro's JSON encoding and avsc's wrapped unions spell them. */
  readonly names: readonly string[];
  /** Whether avsc (default `wrapUnions: 'auto'`) wraps this union: two branches share a JS shape. */
  readonly wrapped: boolean;
}

const unionShapes = new WeakMap<UnionNode, UnionShape>();

function unionShape(node: UnionNode): UnionShape {
  let shape = unionShapes.get(node);
  if (shape === undefined) {
    const names = node.branches.map(unionMemberKey);
    const buckets = node.branches.map(nodeBucket);
    shape = { names, wrapped: new Set(buckets).size !== buckets.length };
    unionShapes.set(node, shape);
  }
  return shape;
}

/** avsc's grouping of types by the JavaScript value that represents them (types.js getTypeBucket). */
function nodeBucket(node: AvroNode): string {
  switch (node.kind) {
    case 'primitive':
      if (node.type === 'int' || node.type === 'long' || node.type === 'float' || node.type === 'double') {
        return 'number';
      }
      return node.type === 'bytes' ? 'buffer' : node.type;
    case 'fixed':
      return 'buffer';
    case 'enum':
      return 'string';
    case 'record':
    case 'map':
      return 'object';
    default:
      return node.kind;
  }
}

function valueBucket(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'buffer';
  return typeof value === 'bigint' ? 'number' : typeof value;
}

const recordFieldNames = new WeakMap<RecordNode, ReadonlySet<string>>();

function fieldNames(node: RecordNode): ReadonlySet<string> {
  let names = recordFieldNames.get(node);
  if (names === undefined) {
    names = new Set(node.fields.map((f) => f.name));
    recordFieldNames.set(node, names);
  }
  return names;
}

function admitsNull(node: AvroNode): boolean {
  return admits(node, 'null');
}

function admits(node: AvroNode, primitive: string): boolean {
  if (node.kind === 'primitive') return node.type === primitive;
  return node.kind === 'union' && node.branches.some((b) => b.kind === 'primitive' && b.type === primitive);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function integer(value: unknown): bigint | number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  return typeof value === 'bigint' ? value : undefined;
}

/** Keeps a `__proto__` key an own property instead of setting the prototype. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function latin1(original: unknown, bytes: Buffer): string {
  return typeof original === 'string' ? original : bytes.toString('latin1');
}

function expected(node: AvroNode): string {
  switch (node.kind) {
    case 'primitive':
      return node.type;
    case 'record':
      return `record ${node.fullName}`;
    case 'enum':
      return `enum ${node.fullName}`;
    case 'fixed':
      return `fixed ${node.fullName} (${node.size} bytes)`;
    case 'array':
      return 'array';
    case 'map':
      return 'map (object)';
    case 'union':
      return `one of ${list(node.branches.map(unionMemberKey))}`;
  }
}

function list(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'bigint') return `${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array (${value.length} items)`;
  if (value instanceof Uint8Array) return `bytes (${value.length})`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
