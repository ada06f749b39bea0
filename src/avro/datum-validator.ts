/**
 * The recursive walk behind `validateDatum`: one method per Avro kind, collecting every error with its
 * JSON-pointer path and building the completed datum in the requested output shape. Absent record
 * fields are filled here too (`fill`), since a filled value is checked exactly like a given one.
 */
import { type AutoGenerator, autogenOf, autogenPrimitive, isAutogenKind } from './autogen.js';
import type { DatumError, DatumOptions } from './datum-types.js';
import {
  admits,
  admitsNull,
  describe,
  expected,
  fieldNames,
  integer,
  isObject,
  latin1,
  list,
  nodeBucket,
  type Path,
  render,
  setKey,
  type UnionShape,
  unionShape,
  valueBucket,
} from './datum-values.js';
import { toPlain } from './json.js';
import type { ArrayNode, AvroNode, FieldNode, MapNode, RecordNode, UnionNode } from './types.js';

const INVALID: unique symbol = Symbol('invalid');
export const TOO_MANY = Symbol('too many errors');
const FLOAT_MAX = 3.4028234663852886e38;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export class Validator {
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
