/**
 * The language-neutral values the generators print: strings, numbers as written, booleans, null, lists
 * and ordered maps. Schema JSON is converted once here, so a record field called `kind` can never be
 * mistaken for a number node.
 */

import { isJsonNumber } from '../../avro/json.js';
import type { JsonValue } from '../../avro/types.js';
import type { RecordModel } from './model.js';

export class NumberLiteral {
  constructor(
    readonly raw: string,
    readonly value: number,
    readonly isIntegral: boolean,
  ) {}
}

/** Source text printed verbatim (an identifier the generator itself defined). */
export class RawCode {
  constructor(readonly code: string) {}
}

export type LiteralValue =
  | null
  | RawCode
  | boolean
  | string
  | NumberLiteral
  | readonly LiteralValue[]
  | ReadonlyMap<string, LiteralValue>;

export function fromJson(value: JsonValue): LiteralValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(fromJson);
  if (isJsonNumber(value)) return new NumberLiteral(value.raw, value.value, value.isIntegral);
  const object = value as { readonly [key: string]: JsonValue };
  return new Map(Object.keys(object).map((key) => [key, fromJson(object[key]!)]));
}

/** A record's field constants as the TypeScript and Python modules both carry them. */
export function recordLiterals(type: RecordModel): {
  fields: LiteralValue;
  requiredFields: LiteralValue;
  defaults: LiteralValue;
  fieldProps: LiteralValue;
} {
  return {
    fields: type.fields.map((f) => f.name),
    requiredFields: type.fields.filter((f) => f.required).map((f) => f.name),
    defaults: new Map(type.fields.filter((f) => f.hasDefault).map((f) => [f.name, fromJson(f.default!)])),
    fieldProps: new Map(
      type.fields
        .filter((f) => f.props.length > 0)
        .map((f) => [f.name, new Map(f.props.map(([k, v]) => [k, fromJson(v)]))]),
    ),
  };
}
