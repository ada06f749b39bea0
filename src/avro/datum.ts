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
import { AutoGenerator } from './autogen.js';
import type { DatumError, DatumOptions, DatumResult } from './datum-types.js';
import { TOO_MANY, Validator } from './datum-validator.js';
import type { AvroNode, ParsedSchema } from './types.js';

export type { DatumError, DatumOptions, DatumResult } from './datum-types.js';

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
