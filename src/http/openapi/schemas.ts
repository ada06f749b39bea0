/**
 * The JSON shapes of the document (components/schemas), exactly as the routes render them: here the
 * Confluent 7.x shapes (no `schemaType` for AVRO, no empty `references`), our own in own-schemas.ts
 * and dashboard-schemas.ts.
 * Responses are closed (`additionalProperties: false`): strict Java clients reject unknown fields, so
 * a field the server starts sending must be documented first. Request bodies stay open where the
 * server ignores unknown fields (Confluent's `ignoreUnknown`), closed where it refuses them.
 */
import { COMPATIBILITY_LEVELS } from '../../avro/types.js';
import { MODES } from '../../registry/registry-api.js';
import { DASHBOARD_SCHEMAS } from './dashboard-schemas.js';
import { OWN_SCHEMAS } from './own-schemas.js';
import { closed, int32, type JsonSchema, positive, ref } from './schema-kit.js';

const CONFLUENT_SCHEMAS: Record<string, JsonSchema> = {
  ErrorEnvelope: closed(
    {
      error_code: {
        type: 'integer',
        description: 'Confluent error code (HTTP status, or status × 100 + n).',
      },
      message: { type: 'string' },
    },
    ['error_code', 'message'],
    { description: 'Every error, from every layer: exactly these two fields (strict Java clients).' },
  ),
  SchemaReference: closed(
    {
      name: { type: 'string', minLength: 1, description: 'For Avro, the full name of the referenced type.' },
      subject: { type: 'string' },
      version: positive,
    },
    ['name', 'subject', 'version'],
  ),
  References: {
    type: 'array',
    minItems: 1,
    items: ref('SchemaReference'),
    description: 'Left out when there are none.',
  },
  SchemaType: {
    type: 'string',
    description: 'Left out for AVRO, the only type this registry stores (Confluent 7.x shape).',
  },
  SchemaString: closed(
    {
      schemaType: ref('SchemaType'),
      references: ref('References'),
      schema: { type: 'string', description: "The schema's canonical text." },
      maxId: { ...int32, description: 'Only with `fetchMaxId=true`: the largest id ever assigned.' },
    },
    ['schema'],
  ),
  Schema: closed(
    {
      subject: { type: 'string' },
      version: positive,
      id: int32,
      schemaType: ref('SchemaType'),
      references: ref('References'),
      schema: { type: 'string' },
    },
    ['subject', 'version', 'id', 'schema'],
    { description: 'A subject-version (Confluent `Schema`).' },
  ),
  SubjectVersion: closed({ subject: { type: 'string' }, version: positive }, ['subject', 'version']),
  RawSchema: {
    description:
      'The schema text itself as the body (an Avro schema is JSON: an object, an array for a union, or a string for a primitive), not wrapped or quoted again.',
    type: ['object', 'array', 'string'],
  },
  RegisterSchemaRequest: {
    type: 'object',
    description:
      'Body of register, lookup and the compatibility checks. Unknown fields are ignored; `metadata.tags`, `metadata.sensitive`, `ruleSet` rules and schema tags are accepted and ignored (only `metadata.properties.semver` is read).',
    properties: {
      schema: {
        type: ['string', 'null'],
        description:
          "The schema's JSON text. Register only: absent, null or empty reuses the previous version's schema (e.g. to attach a semver label).",
      },
      schemaType: {
        type: ['string', 'null'],
        default: 'AVRO',
        description: 'Only `AVRO` is accepted (42201).',
      },
      references: { type: ['array', 'null'], items: ref('SchemaReference') },
      id: {
        ...int32,
        type: ['integer', 'null'],
        description: 'IMPORT mode: the id to register under (-1: none).',
      },
      version: {
        ...int32,
        type: ['integer', 'null'],
        description: 'IMPORT mode: the version; otherwise, if given, it must be the next one (≤ 0: none).',
      },
      metadata: {
        type: ['object', 'null'],
        properties: {
          properties: {
            type: ['object', 'null'],
            properties: {
              semver: {
                type: ['string', 'null'],
                description:
                  'The semver label to give the new version (must exceed every earlier one; 42251).',
              },
            },
          },
        },
      },
      ruleSet: {
        type: ['object', 'null'],
        description: 'Accepted, checked for shape (42210) and ignored.',
        properties: {
          migrationRules: { type: ['array', 'null'] },
          domainRules: { type: ['array', 'null'] },
          encodingRules: { type: ['array', 'null'] },
        },
      },
    },
    examples: [{ schema: '{"type":"record","name":"V","fields":[{"name":"x","type":"float"}]}' }],
  },
  RegisterSchemaResponse: closed({ id: int32 }, ['id'], {
    description: 'Confluent 7.x shape: only the id (older Java and Connect clients reject more).',
  }),
  CompatibilityLevel: { type: 'string', enum: [...COMPATIBILITY_LEVELS] },
  Config: closed({ compatibilityLevel: ref('CompatibilityLevel'), normalize: { type: 'boolean' } }, [
    'compatibilityLevel',
  ]),
  ConfigUpdateRequest: {
    type: 'object',
    description:
      'Unknown fields are ignored. `compatibility` is case-insensitive; null or absent leaves the level unchanged.',
    properties: {
      compatibility: { type: ['string', 'null'], examples: ['FULL'] },
      normalize: { type: ['boolean', 'null'] },
    },
  },
  ConfigUpdateResponse: closed(
    { compatibility: ref('CompatibilityLevel'), normalize: { type: 'boolean' } },
    [],
    { description: 'The update echoed (note the key: `compatibility`, not `compatibilityLevel`).' },
  ),
  Mode: { type: 'string', enum: [...MODES] },
  ModeView: closed({ mode: ref('Mode') }, ['mode']),
  ModeUpdateRequest: {
    type: 'object',
    description: 'Unknown fields are ignored. `mode` is case-insensitive; FORWARD is refused (42204).',
    properties: { mode: { type: 'string', examples: ['READONLY'] } },
    required: ['mode'],
  },
  CompatibilityCheckResponse: closed(
    {
      is_compatible: { type: 'boolean' },
      messages: {
        type: 'array',
        items: { type: 'string' },
        description: 'Only with `verbose=true`: every incompatibility (empty when compatible).',
      },
    },
    ['is_compatible'],
  ),
  ServerClusterId: closed(
    {
      id: { type: 'string' },
      scope: closed(
        {
          path: { type: 'array', items: { type: 'string' } },
          clusters: closed(
            { 'kafka-cluster': { type: 'string' }, 'schema-registry-cluster': { type: 'string' } },
            ['kafka-cluster', 'schema-registry-cluster'],
          ),
        },
        ['path', 'clusters'],
      ),
    },
    ['id', 'scope'],
  ),
  ServerVersion: closed({ version: { type: 'string' }, commitId: { type: 'string' } }, [
    'version',
    'commitId',
  ]),
};

export const SCHEMAS: Record<string, JsonSchema> = {
  ...CONFLUENT_SCHEMAS,
  ...OWN_SCHEMAS,
  ...DASHBOARD_SCHEMAS,
};
