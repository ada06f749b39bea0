/** The JSON shapes of our own endpoints: negotiation, validation, admin, health (see schemas.ts). */
import { ROLES } from '../../negotiation/supports.js';
import { closed, int32, type JsonSchema, MILLIS, positive, ref, SEMVER } from './schema-kit.js';

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

export const OWN_SCHEMAS: Record<string, JsonSchema> = {
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
            supports: closed(
              {
                range: { type: 'string', minLength: 1, maxLength: 1024 },
                versions: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 10000,
                  uniqueItems: true,
                  items: positive,
                  description: 'Deduplicated, ascending.',
                },
                fingerprints: {
                  type: 'array',
                  minItems: 1,
                  maxItems: 1000,
                  uniqueItems: true,
                  items: { type: 'string', pattern: '^([0-9a-f]{16}|[0-9a-f]{64})$' },
                  description: 'Lower-case, deduplicated, sorted.',
                },
                schema: { const: true, description: 'It declared a schema text (not repeated here).' },
              },
              [],
              {
                minProperties: 1,
                description: 'What it declared it supports (as its lease stored it, normalised).',
              },
            ),
          },
          ['id', 'role', 'expiresAt', 'canRead', 'canWrite', 'supports'],
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
  AgreementSummary: closed(
    {
      subject: { type: 'string' },
      version: { type: ['integer', 'null'], description: 'The agreed version (null while none is live).' },
      semver: { type: ['string', 'null'] },
      id: { type: ['integer', 'null'] },
      epoch: { type: 'integer', minimum: 0 },
      degraded: { type: 'boolean' },
      reason: { type: 'string' },
      fallbackFrom: closed({ version: positive, semver: SEMVER }, ['version', 'semver']),
      liveParticipants: { type: 'integer', minimum: 0 },
    },
    ['subject', 'version', 'semver', 'id', 'epoch', 'degraded', 'liveParticipants'],
    {
      description:
        'The agreement as a lease write answers it: no per-participant views, so a renewal does not grow with the participants (GET the agreement for them).',
    },
  ),
  ParticipantAnswer: closed(
    {
      subject: { type: 'string' },
      id: { type: 'string' },
      role: ref('Role'),
      ttlSeconds: { type: 'integer' },
      expiresAt: MILLIS,
      agreement: ref('AgreementSummary'),
    },
    ['subject', 'id', 'role', 'ttlSeconds', 'expiresAt', 'agreement'],
  ),
  ParticipantRemoved: closed(
    { subject: { type: 'string' }, id: { type: 'string' }, agreement: ref('AgreementSummary') },
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
