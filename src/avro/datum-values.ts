/**
 * What the datum validator asks of nodes and values: error paths (JSON pointers), how avsc groups
 * values by JavaScript shape (which decides whether a union is wrapped), cached per-node lookups, and
 * the wording of error messages.
 */
import { unionMemberKey } from './describe.js';
import type { AvroNode, RecordNode, UnionNode } from './types.js';

/** Paths are built only when an error is reported: most values are valid. */
export type Path = { readonly up: Path | undefined; readonly key: string | number } | undefined;

export function render(path: Path): string {
  let out = '';
  for (let p = path; p !== undefined; p = p.up) {
    out = `/${String(p.key).replaceAll('~', '~0').replaceAll('/', '~1')}${out}`;
  }
  return out;
}

export interface UnionShape {
  /** Branch names as Avro's JSON encoding and avsc's wrapped unions spell them. */
  readonly names: readonly string[];
  /** Whether avsc (default `wrapUnions: 'auto'`) wraps this union: two branches share a JS shape. */
  readonly wrapped: boolean;
}

const unionShapes = new WeakMap<UnionNode, UnionShape>();

export function unionShape(node: UnionNode): UnionShape {
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
export function nodeBucket(node: AvroNode): string {
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

export function valueBucket(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'buffer';
  return typeof value === 'bigint' ? 'number' : typeof value;
}

const recordFieldNames = new WeakMap<RecordNode, ReadonlySet<string>>();

export function fieldNames(node: RecordNode): ReadonlySet<string> {
  let names = recordFieldNames.get(node);
  if (names === undefined) {
    names = new Set(node.fields.map((f) => f.name));
    recordFieldNames.set(node, names);
  }
  return names;
}

export function admitsNull(node: AvroNode): boolean {
  return admits(node, 'null');
}

export function admits(node: AvroNode, primitive: string): boolean {
  if (node.kind === 'primitive') return node.type === primitive;
  return node.kind === 'union' && node.branches.some((b) => b.kind === 'primitive' && b.type === primitive);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

export function integer(value: unknown): bigint | number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  return typeof value === 'bigint' ? value : undefined;
}

/** Keeps a `__proto__` key an own property instead of setting the prototype. */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export function latin1(original: unknown, bytes: Buffer): string {
  return typeof original === 'string' ? original : bytes.toString('latin1');
}

export function expected(node: AvroNode): string {
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

export function list(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

export function describe(value: unknown): string {
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
