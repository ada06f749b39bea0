/** Small helpers for writing the document's JSON Schemas (2020-12, as OpenAPI 3.1 uses them). */
export type JsonSchema = Record<string, unknown>;

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const int32 = { type: 'integer', format: 'int32' } as const;
export const positive = { type: 'integer', format: 'int32', minimum: 1 } as const;
export const SEMVER = {
  type: 'string',
  description: 'A semantic version label, e.g. `1.2.0`.',
  examples: ['1.0.0'],
} as const;
export const MILLIS = { type: 'integer', description: 'Milliseconds since the Unix epoch.' } as const;

/** An object with exactly these properties: answers are closed, so a new field must be documented first. */
export const closed = (properties: Record<string, unknown>, required: string[], extra: JsonSchema = {}) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...extra,
});
