/**
 * Facts the checker derives from a node alone, shared by every check: nodes are immutable once parsed,
 * and a registration against a long history checks the same stored nodes again and again. They decide
 * which pairs go through the memo and which fast path (`compatibility-plain.ts`,
 * `compatibility-shallow.ts`) may evaluate a pair.
 */
import type { AvroNode, EnumNode, FieldNode, RecordNode, UnionNode } from './types.js';

/**
 * Whether a pair goes through the memo. Java memoises every pair, but a pair of two anonymous nodes
 * (primitive, array, map, union: one object per occurrence) can only be requested while evaluating its
 * parent pair, which is itself evaluated once (memoised named pair, or the root), and each evaluation
 * requests a child pair once; so such a memo entry is never read back and skipping it changes
 * nothing observable while saving most of the work on wide schemas.
 */
export function isMemoized(reader: AvroNode, writer: AvroNode): boolean {
  return isNamed(reader) || isNamed(writer);
}

export function isNamed(node: AvroNode): boolean {
  return node.kind === 'record' || node.kind === 'enum' || node.kind === 'fixed';
}

const plainNodes = new WeakMap<AvroNode, boolean>();
const recordFreeNodes = new WeakMap<AvroNode, boolean>();
const flatRecords = new WeakMap<RecordNode, boolean>();
const shallowRecords = new WeakMap<RecordNode, boolean>();
const fieldMaps = new WeakMap<RecordNode, Map<string, FieldNode>>();
const symbolSets = new WeakMap<EnumNode, ReadonlySet<string>>();

/** The fact `compute` derives from `key`, computed once per node (module-level functions: no closures). */
function memoOn<K extends object, V>(map: WeakMap<K, V>, key: K, compute: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = compute(key);
    map.set(key, value);
  }
  return value;
}

/** Anonymous with no named type anywhere below. */
export function isPlain(node: AvroNode): boolean {
  if (node.kind === 'primitive') return true;
  if (isNamed(node)) return false;
  return memoOn(plainNodes, node, computePlain);
}

function computePlain(node: AvroNode): boolean {
  if (node.kind === 'array') return isPlain(node.items);
  if (node.kind === 'map') return isPlain(node.values);
  return (node as UnionNode).branches.every(isPlain);
}

/** No record anywhere below (enums and fixed allowed): a pair of such nodes can never recurse. */
function isRecordFree(node: AvroNode): boolean {
  switch (node.kind) {
    case 'primitive':
    case 'enum':
    case 'fixed':
      return true;
    case 'record':
      return false;
  }
  return memoOn(recordFreeNodes, node, computeRecordFree);
}

function computeRecordFree(node: AvroNode): boolean {
  if (node.kind === 'array') return isRecordFree(node.items);
  if (node.kind === 'map') return isRecordFree(node.values);
  return (node as UnionNode).branches.every(isRecordFree);
}

/** Every field type plain. */
export function isFlat(record: RecordNode): boolean {
  return memoOn(flatRecords, record, allFieldsPlain);
}

function allFieldsPlain(record: RecordNode): boolean {
  return record.fields.every((f) => isPlain(f.type));
}

/** Every field type record-free: the record pair is evaluated without a generator frame. */
export function isShallow(record: RecordNode): boolean {
  return memoOn(shallowRecords, record, allFieldsRecordFree);
}

function allFieldsRecordFree(record: RecordNode): boolean {
  return record.fields.every((f) => isRecordFree(f.type));
}

export function symbolSet(e: EnumNode): ReadonlySet<string> {
  return memoOn(symbolSets, e, buildSymbolSet);
}

function buildSymbolSet(e: EnumNode): ReadonlySet<string> {
  return new Set(e.symbols);
}

export function fieldMap(record: RecordNode): Map<string, FieldNode> {
  return memoOn(fieldMaps, record, buildFieldMap);
}

function buildFieldMap(record: RecordNode): Map<string, FieldNode> {
  return new Map(record.fields.map((f) => [f.name, f] as const));
}
