/**
 * Media types as the server really uses them (content-type.ts): bodies are read as JSON under four
 * request types, and JSON answers go out in the type negotiated from Accept among three (v1+json by
 * default). Answers produced before negotiation (health, docs, authentication refusals, 406) are
 * always in the default type.
 */
import {
  APPLICATION_JSON,
  OCTET_STREAM,
  SCHEMA_REGISTRY_JSON,
  SCHEMA_REGISTRY_V1_JSON,
} from '../content-type.js';

type JsonSchema = Record<string, unknown>;
export type Content = Record<string, { schema: JsonSchema }>;

/** The three response types, the server's preference first (Jersey qs 1, 0.9, 0.5). */
export const NEGOTIATED: readonly string[] = [
  SCHEMA_REGISTRY_V1_JSON,
  SCHEMA_REGISTRY_JSON,
  APPLICATION_JSON,
];
export const SR_V1_ONLY: readonly string[] = [SCHEMA_REGISTRY_V1_JSON];
export const REQUEST_TYPES: readonly string[] = [
  SCHEMA_REGISTRY_V1_JSON,
  SCHEMA_REGISTRY_JSON,
  APPLICATION_JSON,
  OCTET_STREAM,
];

/** The same schema under each of `types` (the negotiated three by default). */
export function jsonContent(schema: JsonSchema, types: readonly string[] = NEGOTIATED): Content {
  const content: Content = {};
  for (const type of types) content[type] = { schema };
  return content;
}
