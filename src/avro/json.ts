/**
 * The lossless JSON model for schema text: numbers keep their literal (Java tells `1` from `1.0`,
 * integers may exceed 2^53), objects have no prototype (`__proto__` is just a key) and keep their
 * written key order, and every parsed object/array remembers where it starts. The reader lives in
 * `json-reader.ts`, the writers in `json-write.ts`.
 */
import type { JsonNumber, JsonObject, JsonValue } from './types.js';

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly column: number;
}

/** A syntax or nesting error, with where it happened. */
export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  /** `depth` when the nesting limit was hit (callers report that as a size limit, not bad syntax). */
  readonly reason: 'syntax' | 'depth';

  constructor(message: string, line: number, column: number, reason: 'syntax' | 'depth' = 'syntax') {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'JsonSyntaxError';
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/**
 * Positions ride on the objects themselves under a non-enumerable symbol: invisible to keys, spreads,
 * JSON.stringify and deepStrictEqual, and several times cheaper than a WeakMap entry per object (which
 * dominated parsing time on 10k-type schemas).
 */
const POSITION: unique symbol = Symbol('json.position');
type Positioned = { [POSITION]?: SourcePosition };
const keyOrder = new WeakMap<object, string[]>();

/** For the reader: where a container starts. */
export function notePosition(value: object, at: SourcePosition): void {
  Object.defineProperty(value, POSITION, { value: at, configurable: true });
}

/** For the reader: the written key order of an object whose keys JS would reorder. */
export function noteKeyOrder(obj: object, order: string[]): void {
  keyOrder.set(obj, order);
}

/** Where a parsed object/array (or an AST node built from one) starts in the source text. */
export function positionOf(value: object): SourcePosition | undefined {
  return (value as Positioned)[POSITION];
}

/** Lets the parser give AST nodes the position of the JSON they were built from. */
export function copyPosition(target: object, source: JsonValue | undefined): void {
  if (source === null || typeof source !== 'object') return;
  const pos = (source as Positioned)[POSITION];
  if (pos && Object.isExtensible(target)) notePosition(target, pos);
}

const NUMBER_RE = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** Builds a JsonNumber from a literal (throws on text that is not an RFC 8259 number). */
export function jsonNumber(raw: string): JsonNumber {
  const m = NUMBER_RE.exec(raw);
  if (!m) throw new Error(`not a JSON number: ${raw}`);
  return { kind: 'number', raw, value: Number(raw), isIntegral: m[1] === undefined && m[2] === undefined };
}

/** JsonNumbers have the ordinary prototype; parsed JSON objects have none, so `{"kind":"number"}` is not one. */
export function isJsonNumber(v: unknown): v is JsonNumber {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(v) !== null &&
    (v as { kind?: unknown }).kind === 'number' &&
    typeof (v as { raw?: unknown }).raw === 'string'
  );
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isJsonNumber(v);
}

/** Entries in source order (JS objects put integer-like keys first; Jackson keeps them where written). */
export function jsonEntries(obj: JsonObject): Array<[string, JsonValue]> {
  const order = keyOrder.get(obj) ?? Object.keys(obj);
  return order.map((k) => [k, obj[k] as JsonValue]);
}

export function jsonKeys(obj: JsonObject): readonly string[] {
  return keyOrder.get(obj) ?? Object.keys(obj);
}

/** Creates a prototype-less object with the given entries, keeping their order (last duplicate wins). */
export function makeJsonObject(entries: Iterable<readonly [string, JsonValue]>): JsonObject {
  const obj: Record<string, JsonValue> = Object.create(null);
  const order: string[] = [];
  for (const [k, v] of entries) {
    if (!Object.hasOwn(obj, k)) order.push(k);
    obj[k] = v;
  }
  keyOrder.set(obj, order);
  return obj;
}

/** Plain JS values (numbers as JS numbers), e.g. for avsc. Objects keep source key order where JS allows. */
export function toPlain(v: JsonValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(toPlain);
  if (isJsonNumber(v)) return v.value;
  const out: Record<string, unknown> = {};
  for (const [k, x] of jsonEntries(v as JsonObject)) {
    // defineProperty so that a `__proto__` key stays an own property instead of setting the prototype.
    Object.defineProperty(out, k, {
      value: toPlain(x),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Converts already-parsed JSON (e.g. from JSON.parse or an SDK caller) into a JsonValue. Numbers get a
 * literal as JavaScript prints them, so integral values stay integral (`1`), others keep a fraction.
 */
export function fromPlain(x: unknown, maxDepth = 1000): JsonValue {
  const convert = (v: unknown, depth: number): JsonValue => {
    if (depth > maxDepth) throw new JsonSyntaxError(`nesting depth exceeds ${maxDepth}`, 1, 1, 'depth');
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new TypeError(`not representable in JSON: ${v}`);
      return jsonNumber(numberLiteral(v));
    }
    if (typeof v === 'bigint') return jsonNumber(v.toString());
    if (Array.isArray(v)) return v.map((e) => convert(e, depth + 1));
    if (isJsonNumber(v)) return v;
    if (typeof v === 'object') {
      return makeJsonObject(
        Object.entries(v as Record<string, unknown>)
          .filter(([, e]) => e !== undefined)
          .map(([k, e]) => [k, convert(e, depth + 1)] as const),
      );
    }
    throw new TypeError(`not representable in JSON: ${typeof v}`);
  };
  return convert(x, 0);
}

/** A JS number as a JSON literal: `1e21` becomes `1e+21` in JS, which RFC 8259 accepts. */
function numberLiteral(v: number): string {
  if (Object.is(v, -0)) return '0';
  return String(v);
}

/** Structural equality as Jackson's JsonNode.equals sees it (integral vs fractional numbers differ). */
export function jsonEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, k) => jsonEquals(x, b[k]));
  }
  const an = isJsonNumber(a);
  const bn = isJsonNumber(b);
  if (an || bn) {
    if (!an || !bn || a.isIntegral !== b.isIntegral) return false;
    // Integral literals have no leading zeros, so equal values have equal text (bar `-0`).
    return a.isIntegral ? integralText(a.raw) === integralText(b.raw) : a.value === b.value;
  }
  const ak = jsonKeys(a as JsonObject);
  const bo = b as JsonObject;
  if (ak.length !== jsonKeys(bo).length) return false;
  return ak.every((k) => Object.hasOwn(bo, k) && jsonEquals((a as JsonObject)[k], bo[k]));
}

/** An integral literal as Jackson writes it back: the same digits, `-0` as `0`. */
export function integralText(raw: string): string {
  return raw === '-0' ? '0' : raw;
}
