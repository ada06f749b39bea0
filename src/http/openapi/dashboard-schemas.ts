/**
 * The JSON shapes of the general-purpose endpoints the web UI relies on (see dashboard-paths.ts):
 * subject summaries (`registry/subject-summaries.ts`), the compatibility explanation
 * (`registry/compatibility-explain.ts`) and the caller's permissions (`http/access-routes.ts`).
 * Closed, like every answer of the document.
 */
import type { Role } from '../../auth/credentials.js';
import type { IncompatibilityType } from '../../avro/types.js';
import { MAX_REPORTED_CHECKS } from '../../registry/compatibility-explain.js';
import { MAX_SUMMARY_LIMIT } from '../../registry/subject-summaries.js';
import { MAX_SUBJECTS_PER_REQUEST } from '../access-routes.js';
import { closed, int32, type JsonSchema, MILLIS, positive, ref, SEMVER } from './schema-kit.js';

/** Every finding type `incompatibilities` can carry (a Record, so a new Java type must be listed here). */
const FINDING_TYPES: Record<IncompatibilityType | 'EXCEPTION', string> = {
  NAME_MISMATCH: 'the named types have different names (and no alias matches)',
  FIXED_SIZE_MISMATCH: 'the fixed types have different sizes',
  MISSING_ENUM_SYMBOLS: 'the writer has enum symbols the reader lacks (and the reader has no default)',
  READER_FIELD_MISSING_DEFAULT_VALUE: 'a reader field the writer lacks has no default',
  TYPE_MISMATCH: 'the types cannot be promoted to one another',
  MISSING_UNION_BRANCH: 'a writer union branch has no reader branch that can read it',
  EXCEPTION: 'Java would have thrown (e.g. ambiguous field aliases): `message` is its text',
};
const USER_ROLES: Record<Role, true> = { read: true, write: true, admin: true };

const SETTING_SOURCE = {
  type: 'string',
  enum: ['subject', 'global', 'default'],
  description:
    "Where the effective value comes from: the subject's own setting, the global one, or the server default.",
};
const POSITION = closed(
  {
    line: { type: 'integer', minimum: 1, description: '1-based line.' },
    column: { type: 'integer', minimum: 1, description: '1-based column, in UTF-16 code units.' },
  },
  ['line', 'column'],
);
/** `version` and `against` as the explain body takes them: a number, or its text, or `latest` / `-1`. */
const VERSION_FIELD = {
  type: ['integer', 'string', 'null'],
  description:
    'A version number in [1, 2^31-1] (a JSON number or its text, surrounding spaces ignored) or `"latest"` / `-1` (any case); anything else of these types is 42202, another JSON type 400.',
};

/** The 422 body of a submitted schema that does not parse (42201) or exceeds a limit (42209). */
function positionedSchemaError(errorCode: 42201 | 42209): JsonSchema {
  return closed(
    {
      error_code: { const: errorCode },
      message: { type: 'string', description: "The parser's message, as registration gives it." },
      position: {
        ...POSITION,
        description:
          'Where in the submitted text: for JSON syntax errors, and when the message names a record, field or named type found in the text. Absent when unknown (never a guess).',
      },
    },
    ['error_code', 'message'],
  );
}

export const DASHBOARD_SCHEMAS: Record<string, JsonSchema> = {
  SubjectSummary: closed(
    {
      subject: { type: 'string' },
      versions: closed(
        { live: { type: 'integer', minimum: 0 }, deleted: { type: 'integer', minimum: 0 } },
        ['live', 'deleted'],
        { description: 'How many live and soft-deleted versions it has.' },
      ),
      latest: {
        description: 'The newest live version; null when every version is soft-deleted.',
        oneOf: [
          { type: 'null' },
          closed({ version: positive, id: int32, semver: SEMVER, createdAt: MILLIS }, [
            'version',
            'id',
            'semver',
            'createdAt',
          ]),
        ],
      },
      compatibilityLevel: ref('CompatibilityLevel'),
      compatibilitySource: SETTING_SOURCE,
      mode: {
        ...ref('Mode'),
        description: "The effective mode: a global READONLY_OVERRIDE wins over the subject's.",
      },
      modeSource: SETTING_SOURCE,
    },
    ['subject', 'versions', 'latest', 'compatibilityLevel', 'compatibilitySource', 'mode', 'modeSource'],
  ),
  SubjectSummaryPage: closed(
    {
      total: {
        type: 'integer',
        minimum: 0,
        description: 'Subjects matching the filters, all pages together.',
      },
      offset: { ...int32, minimum: 0 },
      limit: { ...int32, minimum: 1, maximum: MAX_SUMMARY_LIMIT },
      subjects: {
        type: 'array',
        maxItems: MAX_SUMMARY_LIMIT,
        items: ref('SubjectSummary'),
        description: 'This page, ordered by name (binary).',
      },
    },
    ['total', 'offset', 'limit', 'subjects'],
  ),
  ExplainRequest: {
    type: 'object',
    description:
      'The candidate is either `schema` (its text, with `schemaType` and `references` as for registration) or `version` (a stored version of the subject, in any state): exactly one of them, else 422/422. Unknown fields are ignored.',
    properties: {
      schema: {
        type: ['string', 'null'],
        description: 'The candidate schema text (empty counts as absent).',
      },
      schemaType: { type: ['string', 'null'], default: 'AVRO', description: 'Only `AVRO` (else 42201).' },
      references: { type: ['array', 'null'], items: ref('SchemaReference') },
      version: { ...VERSION_FIELD, description: `The stored candidate. ${VERSION_FIELD.description}` },
      against: {
        ...VERSION_FIELD,
        description: `What to check against, among the live versions (for a stored candidate, the live versions before it): a version number (that version, in any state, even after the candidate), \`"latest"\` / \`-1\` (the newest of them), \`"all"\` (every one; any case). Default: what the level looks at (the newest, or every one for a \`*_TRANSITIVE\` level). ${VERSION_FIELD.description}`,
      },
      level: {
        type: ['string', 'null'],
        description: "The level to judge by (any case; else 42203). Default: the subject's effective level.",
        examples: ['FULL'],
      },
    },
    examples: [
      { schema: '{"type":"record","name":"V","fields":[{"name":"x","type":"float"}]}', against: 'all' },
    ],
  },
  DirectionVerdict: closed(
    {
      compatible: { type: 'boolean' },
      messages: {
        type: 'array',
        items: { type: 'string' },
        description: 'The verbose lines Confluent gives for this direction alone (as BACKWARD or FORWARD).',
      },
      incompatibilities: {
        type: 'array',
        items: closed(
          {
            type: {
              type: 'string',
              enum: Object.keys(FINDING_TYPES),
              description: Object.entries(FINDING_TYPES)
                .map(([t, meaning]) => `\`${t}\`: ${meaning}`)
                .join('; '),
            },
            location: { type: 'string', description: 'JSON-pointer-like location, e.g. `/fields/2`.' },
            message: { type: 'string' },
            position: {
              ...POSITION,
              description: 'Where the finding sits in the submitted text (absent for a stored candidate).',
            },
          },
          ['type', 'location', 'message'],
        ),
        description: "Java's findings for this direction.",
      },
    },
    ['compatible', 'messages', 'incompatibilities'],
  ),
  ExplainedVersionCheck: closed(
    {
      version: positive,
      id: int32,
      semver: SEMVER,
      deleted: { type: 'boolean' },
      backward: { ...ref('DirectionVerdict'), description: "The candidate reads this version's data." },
      forward: { ...ref('DirectionVerdict'), description: "This version reads the candidate's data." },
    },
    ['version', 'id', 'semver', 'deleted', 'backward', 'forward'],
  ),
  CompatibilityExplanation: closed(
    {
      subject: { type: 'string' },
      level: ref('CompatibilityLevel'),
      levelSource: {
        type: 'string',
        enum: ['request', 'subject', 'global', 'default'],
        description: "`request` when the body named it; else where the subject's effective level comes from.",
      },
      candidate: {
        ...closed({ version: positive, id: int32, semver: SEMVER, deleted: { type: 'boolean' } }, [
          'version',
          'id',
          'semver',
          'deleted',
        ]),
        description: 'The stored candidate (absent for submitted text).',
      },
      is_compatible: {
        type: 'boolean',
        description:
          'The verdict under `level` against every version checked (that of the verbose Confluent check).',
      },
      messages: {
        type: 'array',
        items: { type: 'string' },
        description: "Confluent's verbose lines for that verdict (empty when compatible).",
      },
      checks: {
        type: 'array',
        maxItems: MAX_REPORTED_CHECKS,
        items: ref('ExplainedVersionCheck'),
        description: `Every version checked, newest first (the first ${MAX_REPORTED_CHECKS}), with both directions whatever the level.`,
      },
    },
    ['subject', 'level', 'levelSource', 'is_compatible', 'messages', 'checks'],
  ),
  SchemaParseError: positionedSchemaError(42201),
  SchemaLimitError: positionedSchemaError(42209),
  AccessView: closed(
    {
      accessControl: { type: 'boolean', description: 'Whether `AUTH_FILE` is set.' },
      user: { type: ['string', 'null'], description: 'The authenticated user; null without access control.' },
      role: {
        type: ['string', 'null'],
        enum: [...Object.keys(USER_ROLES), null],
        description: "The user's role; null without access control.",
      },
      global: closed(
        {
          writeConfig: { type: 'boolean', description: 'May `PUT /config`.' },
          writeMode: { type: 'boolean', description: 'May `PUT /mode`.' },
        },
        ['writeConfig', 'writeMode'],
      ),
      subjects: {
        type: 'array',
        maxItems: MAX_SUBJECTS_PER_REQUEST,
        description: 'One entry per distinct `subject` asked about, in the order asked.',
        items: closed(
          {
            subject: { type: 'string' },
            read: { type: 'boolean', description: 'Read its versions, check compatibility, negotiate.' },
            register: { type: 'boolean', description: 'Register a version.' },
            delete: { type: 'boolean', description: 'Soft- or hard-delete versions.' },
            writeConfig: { type: 'boolean', description: 'Set or clear its compatibility config.' },
            writeMode: { type: 'boolean', description: 'Set or clear its mode.' },
          },
          ['subject', 'read', 'register', 'delete', 'writeConfig', 'writeMode'],
        ),
      },
    },
    ['accessControl', 'user', 'role', 'global', 'subjects'],
    {
      description:
        "Each flag is the access middleware's own decision for a representative request; without access control everything is true.",
    },
  ),
};
