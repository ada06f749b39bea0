/**
 * The Confluent-compatible paths: `/schemas/...` and `/subjects/...` (misc-routes.ts,
 * schemas-routes.ts, subjects-routes.ts). Shapes and codes follow Confluent 7.x; see the reference
 * catalogue in the README's API section.
 */
import type { ErrorCode } from '../../errors.js';
import { jsonContent } from './media.js';
import {
  DELETED,
  FORMAT,
  flag,
  LIMIT,
  NORMALIZE,
  OFFSET,
  operation,
  query,
  SCHEMA_ID,
  SUBJECT,
  VERSION,
} from './operation.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const arrayOf = (items: Record<string, unknown>) => ({ type: 'array', items });
const TAG_SCHEMAS = 'Schemas';
const TAG_SUBJECTS = 'Subjects';

/** `parseRegisterRequest` (register, lookup, compatibility checks) refusals. */
export const REGISTER_BODY_CODES: readonly ErrorCode[] = [
  'UNPROCESSABLE',
  'INVALID_RULESET',
  'INVALID_SCHEMA',
  'SCHEMA_TOO_LARGE',
  'INVALID_SEMVER',
];
const VERSION_READ_CODES: readonly ErrorCode[] = [
  'INVALID_VERSION',
  'SUBJECT_NOT_FOUND',
  'VERSION_NOT_FOUND',
];

const ID_HINT = query(
  'subject',
  'A context hint, as Confluent takes it: accepted and not a filter (any id that exists is found).',
  { type: 'string' },
);
const SUBJECT_PREFIX = query(
  'subjectPrefix',
  'Only subjects starting with this; `:*:` (the default) means all.',
  {
    type: 'string',
    default: ':*:',
  },
);
const DELETED_ONLY = flag('deletedOnly', 'Only subjects whose every version is soft-deleted.');
const PERMANENT = flag('permanent', 'Hard-delete (the target must already be soft-deleted).');
const FORCE_DELETE = flag(
  'force',
  'Soft-delete even the version live negotiation participants agreed on (otherwise 42252).',
);

const REGISTER_BODY = {
  schema: ref('RegisterSchemaRequest'),
  required: true,
  description: 'The schema (a JSON string holding the schema text), its type and references.',
};

export function schemaPaths(): Record<string, Record<string, unknown>> {
  return {
    '/schemas': {
      get: operation({
        operationId: 'listSchemas',
        tag: TAG_SCHEMAS,
        summary: 'Every subject-version, sorted by subject then version',
        permission: 'read',
        parameters: [
          SUBJECT_PREFIX,
          DELETED,
          flag('latestOnly', 'Only the newest visible version of each subject.'),
          OFFSET,
          LIMIT,
        ],
        ok: { description: 'The subject-versions.', content: jsonContent(arrayOf(ref('Schema'))) },
      }),
    },
    '/schemas/ids/{id}': {
      get: operation({
        operationId: 'getSchemaById',
        tag: TAG_SCHEMAS,
        summary: 'The schema behind a global id',
        description:
          'Ids resolve forever, soft-deleted versions included, until every version holding the id is hard-deleted. Answered from precomputed bytes when cached (the pre-router fast path), byte-identical to the routed answer.',
        permission: 'read',
        parameters: [
          SCHEMA_ID,
          ID_HINT,
          FORMAT,
          flag('fetchMaxId', 'Add `maxId`, the largest id ever assigned.'),
        ],
        ok: { description: 'The schema.', content: jsonContent(ref('SchemaString')) },
        errors: ['ROUTE_NOT_FOUND', 'SCHEMA_NOT_FOUND'],
      }),
    },
    '/schemas/ids/{id}/schema': {
      get: operation({
        operationId: 'getSchemaTextById',
        tag: TAG_SCHEMAS,
        summary: 'The schema text behind a global id, unwrapped',
        permission: 'read',
        parameters: [SCHEMA_ID, ID_HINT, FORMAT],
        ok: { description: 'The schema text itself.', content: jsonContent(ref('RawSchema')) },
        errors: ['ROUTE_NOT_FOUND', 'SCHEMA_NOT_FOUND'],
      }),
    },
    '/schemas/ids/{id}/subjects': {
      get: operation({
        operationId: 'getSubjectsById',
        tag: TAG_SCHEMAS,
        summary: 'The subjects holding a schema id',
        permission: 'read',
        parameters: [SCHEMA_ID, ID_HINT, DELETED, OFFSET, LIMIT],
        ok: { description: 'Subjects, sorted.', content: jsonContent(arrayOf({ type: 'string' })) },
        errors: ['ROUTE_NOT_FOUND', 'SCHEMA_NOT_FOUND'],
      }),
    },
    '/schemas/ids/{id}/versions': {
      get: operation({
        operationId: 'getVersionsById',
        tag: TAG_SCHEMAS,
        summary: 'The subject-versions holding a schema id',
        permission: 'read',
        parameters: [SCHEMA_ID, ID_HINT, DELETED, OFFSET, LIMIT],
        ok: { description: 'Subject-version pairs.', content: jsonContent(arrayOf(ref('SubjectVersion'))) },
        errors: ['ROUTE_NOT_FOUND', 'SCHEMA_NOT_FOUND'],
      }),
    },
    '/schemas/types': {
      get: operation({
        operationId: 'getSchemaTypes',
        tag: TAG_SCHEMAS,
        summary: 'The schema types this registry supports',
        permission: 'read',
        storage: false,
        ok: {
          description: 'Always `["AVRO"]`.',
          content: jsonContent({ type: 'array', items: { type: 'string', enum: ['AVRO'] } }),
        },
      }),
    },
  };
}

export function subjectPaths(): Record<string, Record<string, unknown>> {
  return {
    '/subjects': {
      get: operation({
        operationId: 'listSubjects',
        tag: TAG_SUBJECTS,
        summary: 'Subjects with a live version, sorted',
        permission: 'read',
        parameters: [SUBJECT_PREFIX, DELETED, DELETED_ONLY, OFFSET, LIMIT],
        ok: { description: 'Subject names.', content: jsonContent(arrayOf({ type: 'string' })) },
      }),
    },
    '/subjects/{subject}': {
      post: operation({
        operationId: 'lookupSchema',
        tag: TAG_SUBJECTS,
        summary: 'Is this schema registered under the subject?',
        description: 'Matched on the canonical form (not the raw text), as Confluent does.',
        permission: 'subject:read',
        parameters: [SUBJECT, NORMALIZE, flag('deleted', 'Look among soft-deleted versions too.')],
        body: REGISTER_BODY,
        ok: { description: 'The subject-version holding it.', content: jsonContent(ref('Schema')) },
        errors: [...REGISTER_BODY_CODES, 'SUBJECT_NOT_FOUND', 'SCHEMA_NOT_FOUND'],
      }),
      delete: operation({
        operationId: 'deleteSubject',
        tag: TAG_SUBJECTS,
        summary: 'Soft-delete every live version (or hard-delete a soft-deleted subject)',
        permission: 'subject:write',
        parameters: [SUBJECT, PERMANENT, FORCE_DELETE],
        ok: { description: 'The versions deleted.', content: jsonContent(arrayOf({ type: 'integer' })) },
        errors: [
          'SUBJECT_NOT_FOUND',
          'SUBJECT_SOFT_DELETED',
          'SUBJECT_NOT_SOFT_DELETED',
          'REFERENCE_EXISTS',
          'OPERATION_NOT_PERMITTED',
          'VERSION_IN_USE',
        ],
      }),
    },
    '/subjects/{subject}/versions': {
      get: operation({
        operationId: 'listVersions',
        tag: TAG_SUBJECTS,
        summary: "A subject's version numbers, ascending",
        permission: 'subject:read',
        parameters: [
          SUBJECT,
          DELETED,
          flag('deletedOnly', 'Only soft-deleted versions.'),
          flag('deletedAsNegative', 'Every version, soft-deleted ones as negative numbers.'),
          OFFSET,
          LIMIT,
        ],
        ok: { description: 'Version numbers.', content: jsonContent(arrayOf({ type: 'integer' })) },
        errors: ['SUBJECT_NOT_FOUND'],
      }),
      post: operation({
        operationId: 'registerSchema',
        tag: TAG_SUBJECTS,
        summary: 'Register a schema under the subject',
        description:
          'Idempotent: a schema already live under the subject answers its id before any mode check. One global id per schema identity (canonical form + references), shared across subjects and never reused. Labels the new version with a semver label (see the negotiation endpoints).',
        permission: 'subject:write',
        parameters: [SUBJECT, NORMALIZE, flag('force', 'Skip the compatibility check.')],
        body: REGISTER_BODY,
        ok: { description: 'The global id.', content: jsonContent(ref('RegisterSchemaResponse')) },
        errors: [
          ...REGISTER_BODY_CODES,
          'INVALID_SUBJECT',
          'OPERATION_NOT_PERMITTED',
          'INCOMPATIBLE_SCHEMA',
          'SCHEMA_ID_EXHAUSTED',
        ],
      }),
    },
    '/subjects/{subject}/versions/{version}': {
      get: operation({
        operationId: 'getVersion',
        tag: TAG_SUBJECTS,
        summary: 'One version of a subject',
        description:
          'Answered from precomputed bytes when cached (the pre-router fast path), byte-identical to the routed answer.',
        permission: 'subject:read',
        parameters: [SUBJECT, VERSION, flag('deleted', 'Find a soft-deleted version too.'), FORMAT],
        ok: { description: 'The subject-version.', content: jsonContent(ref('Schema')) },
        errors: VERSION_READ_CODES,
      }),
      delete: operation({
        operationId: 'deleteVersion',
        tag: TAG_SUBJECTS,
        summary: 'Soft-delete a version (or hard-delete a soft-deleted one)',
        permission: 'subject:write',
        parameters: [SUBJECT, VERSION, PERMANENT, FORCE_DELETE],
        ok: { description: 'The version deleted.', content: jsonContent({ type: 'integer' }) },
        errors: [
          ...VERSION_READ_CODES,
          'VERSION_SOFT_DELETED',
          'VERSION_NOT_SOFT_DELETED',
          'REFERENCE_EXISTS',
          'OPERATION_NOT_PERMITTED',
          'VERSION_IN_USE',
        ],
      }),
    },
    '/subjects/{subject}/versions/{version}/schema': {
      get: operation({
        operationId: 'getVersionSchemaText',
        tag: TAG_SUBJECTS,
        summary: "One version's schema text, unwrapped",
        permission: 'subject:read',
        parameters: [SUBJECT, VERSION, flag('deleted', 'Find a soft-deleted version too.'), FORMAT],
        ok: { description: 'The schema text itself.', content: jsonContent(ref('RawSchema')) },
        errors: VERSION_READ_CODES,
      }),
    },
    '/subjects/{subject}/versions/{version}/referencedby': {
      get: operation({
        operationId: 'getReferencedBy',
        tag: TAG_SUBJECTS,
        summary: 'Ids of the schemas that reference this version',
        permission: 'subject:read',
        parameters: [SUBJECT, VERSION, flag('deleted', 'Count soft-deleted referrers too.'), OFFSET, LIMIT],
        ok: { description: 'Schema ids, ascending.', content: jsonContent(arrayOf({ type: 'integer' })) },
        errors: VERSION_READ_CODES,
      }),
    },
  };
}
