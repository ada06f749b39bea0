/**
 * Default-value validation, a port of Java `Schema.isValidDefault` (Avro 1.12): a union default may
 * match any branch, int/long defaults must be integral literals that fit (so `1.0` and `3000000000`
 * fail for int), and a record default may leave out only sub-fields that have their own default.
 */
import { isJsonNumber, isJsonObject } from './json.js';
import type { AvroNode, JsonValue } from './types.js';

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Record defaults fall back to sub-field defaults, which can chain through recursive types forever
 * (Java overflows its stack there); past this depth the default is simply invalid.
 */
const MAX_DEFAULT_DEPTH = 256;

export function isValidDefault(type: AvroNode, value: JsonValue | undefined, depth = 0): boolean {
  if (value === undefined || depth > MAX_DEFAULT_DEPTH) return false;
  switch (type.kind) {
    case 'primitive':
      switch (type.type) {
        case 'string':
        case 'bytes':
          return typeof value === 'string';
        case 'int':
          return isJsonNumber(value) && value.isIntegral && fits(value.raw, INT_MIN, INT_MAX);
        case 'long':
          return isJsonNumber(value) && value.isIntegral && fits(value.raw, LONG_MIN, LONG_MAX);
        case 'float':
        case 'double':
          return isJsonNumber(value);
        case 'boolean':
          return typeof value === 'boolean';
        case 'null':
          return value === null;
      }
      return false;
    case 'enum':
    case 'fixed':
      // Java checks neither enum membership nor fixed length here.
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value) && value.every((v) => isValidDefault(type.items, v, depth + 1));
    case 'map':
      return (
        isJsonObject(value) && Object.values(value).every((v) => isValidDefault(type.values, v, depth + 1))
      );
    case 'union':
      return type.branches.some((b) => isValidDefault(b, value, depth + 1));
    case 'record':
      if (!isJsonObject(value)) return false;
      return type.fields.every((f) =>
        isValidDefault(f.type, Object.hasOwn(value, f.name) ? value[f.name] : f.default, depth + 1),
      );
  }
}

function fits(raw: string, min: bigint, max: bigint): boolean {
  // A long has at most 19 digits; checking the length first keeps a megabyte-long literal cheap.
  if (raw.replace('-', '').length > 19) return false;
  const v = BigInt(raw);
  return v >= min && v <= max;
}
