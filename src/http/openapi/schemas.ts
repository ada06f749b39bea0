/**
 * The JSON shapes of the document (components/schemas), exactly as the routes render them: 7.x
 * Confluent shapes (no `schemaType` for AVRO, no empty `references`) and our own negotiation views.
 * Responses are closed (`additionalProperties: false`): strict Java clients reject unknown fields, so
 * a field the server starts sending must be documented first. Request bodies stay open where the
 * server ignores unknown fields (Confluent's `ignoreUnknown`), closed where it refuses them.
 */
import { COMPATIBILITY_LEVELS } from '../../avro/types.js';
import { ROLES } from '../../negotiation/supports.js';
import { MODES } from '../../registry/registry-api.js';

type JsonSchema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const int32 = { type: 'integer', format: 'int32' } as const;
const positive = { type: 'integer', format: 'int32', minimum: 1 } as const;
const closed = (properties: Record<string, unknown>, required: string[], extra: JsonSchema = {}) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...extra,
});

const SEMVER = {
  type: 'string',
  description: 'A semantic version label, e.g. `1.2.0`.',
  examples: ['1.0.0'],
};
const FINGERPRINTS = closed(
  {
    crc64: {
      type: 'string',
      pattern: '^[0-9a-f]{16}$',
      description: 'CRC-64-AVRO of the Parsing Canonical Form.',
    },
    sha256: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
      description: 'SHA-256 of the Parsing Canonical Form.',
    },
  },
  ['crc64', 'sha256'],
);
const MILLIS = { type: 'integer', description: 'Milliseconds since the Unix epoch.' };

export const SCHEMAS: Record<string, JsonSchema> = {
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
  // ---- our own endpoints --------------------------------------------------------------------------
  VersionDetail: closed(
    {
      subject: { type: 'string' },
      version: positive,
      id: int32,
      schemaType: ref('SchemaType'),
      references: ref('References'),
      schema: { type: 'string' },
      semver: SEMVER,
      deleted: { type: 'boolean' },
      fingerprints: FINGERPRINTS,
      createdAt: MILLIS,
    },
    ['subject', 'version', 'id', 'schema', 'semver', 'deleted', 'fingerprints', 'createdAt'],
    { description: 'A version with its semver label, fingerprints and deletion state.' },
  ),
  Role: { type: 'string', enum: [...ROLES] },
  Supports: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description: 'What the client supports; a version qualifies if ANY form admits it. Unknown keys: 42250.',
    properties: {
      range: { type: 'string', minLength: 1, maxLength: 1024, description: 'A semver range, e.g. `^1.2.0`.' },
      versions: { type: 'array', minItems: 1, maxItems: 10000, items: positive },
      fingerprints: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        items: { type: 'string', pattern: '^([0-9a-fA-F]{16}|[0-9a-fA-F]{64})$' },
        description: 'CRC-64-AVRO or SHA-256 fingerprints (hex) of Parsing Canonical Forms the client holds.',
      },
      schema: { type: 'string', minLength: 1, description: 'The text of the schema the client holds.' },
    },
  },
  HandshakeRequest: closed({ role: ref('Role'), supports: ref('Supports') }, ['role', 'supports']),
  HandshakeAnswer: closed(
    {
      subject: { type: 'string' },
      version: positive,
      id: int32,
      semver: SEMVER,
      fingerprints: FINGERPRINTS,
      match: { type: 'string', enum: ['exact', 'declared', 'resolution'] },
      schema: { type: 'string', description: 'Only when the client does not hold the chosen schema.' },
      references: ref('References'),
      readable: {
        type: 'array',
        items: closed({ version: positive, semver: SEMVER }, ['version', 'semver']),
        description: 'Readers: every live version the client can decode, ascending.',
      },
      epoch: { type: 'integer', minimum: 0, description: "The subject's agreement epoch, once it has one." },
    },
    ['subject', 'version', 'id', 'semver', 'fingerprints', 'match'],
  ),
  NoCommonVersionError: closed(
    {
      error_code: { const: 40950 },
      message: { type: 'string' },
      available: {
        type: 'array',
        items: closed({ version: positive, semver: SEMVER, crc64: { type: 'string' } }, [
          'version',
          'semver',
          'crc64',
        ]),
      },
    },
    ['error_code', 'message', 'available'],
  ),
  ParticipantRequest: closed(
    {
      role: ref('Role'),
      supports: ref('Supports'),
      ttlSeconds: { type: 'integer', minimum: 1, maximum: 86400, description: 'The lease, in seconds.' },
    },
    ['role', 'supports', 'ttlSeconds'],
  ),
  Agreement: closed(
    {
      subject: { type: 'string' },
      version: { type: ['integer', 'null'], description: 'The agreed version (null while none is live).' },
      semver: { type: ['string', 'null'] },
      id: { type: ['integer', 'null'] },
      epoch: { type: 'integer', minimum: 0, description: 'Moves exactly when the agreed version changes.' },
      degraded: {
        type: 'boolean',
        description: 'True while a reader forces a fallback below the best version.',
      },
      reason: { type: 'string' },
      fallbackFrom: closed({ version: positive, semver: SEMVER }, ['version', 'semver']),
      participants: {
        type: 'array',
        items: closed(
          {
            id: { type: 'string' },
            role: ref('Role'),
            expiresAt: MILLIS,
            canRead: { type: 'array', items: positive },
            canWrite: { type: 'array', items: positive },
          },
          ['id', 'role', 'expiresAt', 'canRead', 'canWrite'],
        ),
      },
      blocked: {
        type: 'array',
        description: 'Each newer live version and who blocks it, and why.',
        items: closed(
          {
            version: positive,
            semver: SEMVER,
            blockers: {
              type: 'array',
              items: closed({ participant: { type: 'string' }, reason: { type: 'string' } }, [
                'participant',
                'reason',
              ]),
            },
          },
          ['version', 'semver', 'blockers'],
        ),
      },
    },
    ['subject', 'version', 'semver', 'id', 'epoch', 'degraded', 'participants', 'blocked'],
  ),
  ParticipantAnswer: closed(
    {
      subject: { type: 'string' },
      id: { type: 'string' },
      role: ref('Role'),
      ttlSeconds: { type: 'integer' },
      expiresAt: MILLIS,
      agreement: ref('Agreement'),
    },
    ['subject', 'id', 'role', 'ttlSeconds', 'expiresAt', 'agreement'],
  ),
  ParticipantRemoved: closed(
    { subject: { type: 'string' }, id: { type: 'string' }, agreement: ref('Agreement') },
    ['subject', 'id', 'agreement'],
  ),
  ValidateRequest: closed(
    {
      datum: { description: 'The JSON value to check against the schema version.' },
      applyDefaults: {
        type: 'boolean',
        default: true,
        description: 'Fill absent fields from defaults and `proximadb.autogen` generators.',
      },
    },
    ['datum'],
    { description: 'An envelope, never the bare datum. Unknown fields: 42253.' },
  ),
  ValidateResult: {
    oneOf: [
      closed({ valid: { const: true }, datum: { description: 'The datum, defaults applied.' } }, [
        'valid',
        'datum',
      ]),
      closed(
        {
          valid: { const: false },
          errors: {
            type: 'array',
            minItems: 1,
            items: closed(
              {
                path: { type: 'string', description: 'JSON pointer into the datum.' },
                message: { type: 'string' },
              },
              ['path', 'message'],
            ),
          },
        },
        ['valid', 'errors'],
      ),
    ],
  },
  RegistryState: closed(
    {
      maxSchemaId: {
        ...int32,
        minimum: 0,
        description: 'The largest id ever assigned, hard-deleted ones included.',
      },
      subjectsWithSettings: {
        type: 'array',
        items: { type: 'string' },
        description: 'Subjects with their own config or mode, including subjects without versions (sorted).',
      },
    },
    ['maxSchemaId', 'subjectsWithSettings'],
  ),
  MaxSchemaId: closed({ maxSchemaId: { ...int32, minimum: 0, maximum: 2 ** 31 - 1 } }, ['maxSchemaId']),
  Health: closed({ status: { const: 'UP' } }, ['status']),
};
