/** The Avro engine's public surface: parse, canonical forms, fingerprints, compatibility. */
export * from './canonical.js';
export * from './compatibility.js';
export * from './fingerprint.js';
export {
  fromPlain,
  isJsonNumber,
  isJsonObject,
  JsonSyntaxError,
  jsonEntries,
  jsonEquals,
  jsonNumber,
  makeJsonObject,
  positionOf,
  type SourcePosition,
  toPlain,
} from './json.js';
export { type JsonParseOptions, parseJson } from './json-reader.js';
export { quoteJson, stringifyJson } from './json-write.js';
export * from './levels.js';
export { parseSchema } from './parser.js';
export * from './types.js';
