/**
 * Our own (non-Confluent) paths: version negotiation (negotiation-routes.ts), datum validation
 * (validate-routes.ts) and the export/import helpers (admin-routes.ts). Negotiation errors may carry
 * extra fields (`exposeErrorExtras`): the 409/40950 body lists what the server has.
 */
import type { ErrorCode } from '../../errors.js';
import { jsonContent } from './media.js';
import { DELETED, operation, pathParam, query, SUBJECT, VERSION } from './operation.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const TAG = 'Negotiation';
const base = '/negotiation/subjects/{subject}';
const PARTICIPANT_ID = pathParam(
  'participantId',
  'The participant: 1 to 200 of letters, digits and `. _ : @ ~ -` (else 42250).',
  { type: 'string', pattern: '^[A-Za-z0-9._:@~-]{1,200}$' },
  'wal-1',
);
const NEGOTIATION_DELETED = { ...DELETED, description: 'Include soft-deleted versions.' };

export function negotiationPaths(): Record<string, Record<string, unknown>> {
  const agreementAfter: readonly ErrorCode[] = [
    'INVALID_NEGOTIATION_REQUEST',
    'SUBJECT_NOT_FOUND',
    'TOO_MANY_SUBJECT_WAITERS',
    'TOO_MANY_WAITERS',
  ];
  return {
    [base]: {
      post: operation({
        operationId: 'handshake',
        tag: TAG,
        summary: 'Handshake: the best live version for this client',
        description:
          'The highest live version satisfying `supports` for the role, how it matched, the schema text only when the client does not hold it, and for readers every version they can decode. No common version: 409/40950 listing what the server has.',
        permission: 'subject:read',
        parameters: [SUBJECT],
        body: { schema: ref('HandshakeRequest'), required: true, description: 'Role and supports.' },
        ok: { description: 'The chosen version.', content: jsonContent(ref('HandshakeAnswer')) },
        errors: ['INVALID_NEGOTIATION_REQUEST', 'SUBJECT_NOT_FOUND', 'NO_COMMON_VERSION'],
        errorBodies: { NO_COMMON_VERSION: ref('NoCommonVersionError') },
      }),
    },
    [`${base}/versions`]: {
      get: operation({
        operationId: 'listNegotiationVersions',
        tag: TAG,
        summary: 'Every version with its semver label and fingerprints',
        permission: 'subject:read',
        parameters: [SUBJECT, NEGOTIATION_DELETED],
        ok: {
          description: 'Versions, ascending.',
          content: jsonContent({ type: 'array', items: ref('VersionDetail') }),
        },
        errors: ['SUBJECT_NOT_FOUND'],
      }),
    },
    [`${base}/semver/{label}`]: {
      get: operation({
        operationId: 'getBySemver',
        tag: TAG,
        summary: 'The version with a semver label, or the highest matching a range',
        permission: 'subject:read',
        parameters: [
          SUBJECT,
          pathParam('label', 'A label (`1.2.0`) or a range (`^1.2.0`, `1.x`).', { type: 'string' }, '1.0.0'),
          NEGOTIATION_DELETED,
        ],
        ok: { description: 'The version.', content: jsonContent(ref('VersionDetail')) },
        errors: ['SUBJECT_NOT_FOUND', 'VERSION_NOT_FOUND', 'INVALID_SEMVER'],
      }),
    },
    [`${base}/participants/{participantId}`]: {
      put: operation({
        operationId: 'putParticipant',
        tag: TAG,
        summary: 'Join the agreement or renew a lease',
        permission: 'subject:read',
        parameters: [SUBJECT, PARTICIPANT_ID],
        body: { schema: ref('ParticipantRequest'), required: true, description: 'Role, supports and lease.' },
        ok: {
          description: 'The lease and the agreement it leads to.',
          content: jsonContent(ref('ParticipantAnswer')),
        },
        errors: ['INVALID_NEGOTIATION_REQUEST', 'SUBJECT_NOT_FOUND', 'TOO_MANY_PARTICIPANTS'],
      }),
      delete: operation({
        operationId: 'deleteParticipant',
        tag: TAG,
        summary: 'Leave the agreement',
        permission: 'subject:read',
        parameters: [SUBJECT, PARTICIPANT_ID],
        ok: { description: 'The agreement without it.', content: jsonContent(ref('ParticipantRemoved')) },
        errors: ['INVALID_NEGOTIATION_REQUEST', 'PARTICIPANT_NOT_FOUND'],
      }),
    },
    [`${base}/agreement`]: {
      get: operation({
        operationId: 'getAgreement',
        tag: TAG,
        summary: 'The agreed version (optionally long-polling for a change)',
        description:
          'The highest live version every live reader can decode and every live writer supports, and its epoch. With `afterEpoch`, answers as soon as the epoch passes it, or after `waitSeconds`.',
        permission: 'subject:read',
        parameters: [
          SUBJECT,
          query('afterEpoch', 'Wait until the epoch is greater than this.', { type: 'integer', minimum: 0 }),
          query('waitSeconds', 'How long to wait, in seconds (needs `afterEpoch`); more than 60 waits 60.', {
            type: 'number',
            minimum: 0,
            default: 0,
          }),
        ],
        ok: { description: 'The agreement.', content: jsonContent(ref('Agreement')) },
        errors: agreementAfter,
      }),
    },
  };
}

export function validationPaths(): Record<string, Record<string, unknown>> {
  return {
    '/subjects/{subject}/versions/{version}/validate': {
      post: operation({
        operationId: 'validateDatum',
        tag: 'Validation',
        summary: 'Does this JSON datum conform to the schema version?',
        description:
          'A datum that does not conform is a successful check (`valid: false` with every error and its path); only a request that cannot be acted on is an error.',
        permission: 'subject:read',
        parameters: [SUBJECT, VERSION],
        body: { schema: ref('ValidateRequest'), required: true, description: 'The datum in an envelope.' },
        ok: { description: 'The verdict.', content: jsonContent(ref('ValidateResult')) },
        errors: ['INVALID_DATUM_REQUEST', 'INVALID_VERSION', 'SUBJECT_NOT_FOUND', 'VERSION_NOT_FOUND'],
      }),
    },
  };
}

export function adminPaths(): Record<string, Record<string, unknown>> {
  return {
    '/admin/state': {
      get: operation({
        operationId: 'getRegistryState',
        tag: 'Admin',
        summary: 'What a logical export needs beyond the Confluent API',
        description:
          'Used by `proximadb-registry export`: the id high-water mark and the subjects with settings.',
        permission: 'read',
        ok: { description: 'The state.', content: jsonContent(ref('RegistryState')) },
      }),
    },
    '/admin/max-schema-id': {
      put: operation({
        operationId: 'raiseMaxSchemaId',
        tag: 'Admin',
        summary: 'Raise (never lower) the id high-water mark',
        description:
          'Used by `proximadb-registry import`, so ids hard-deleted at the source are never handed out again.',
        permission: 'admin',
        body: { schema: ref('MaxSchemaId'), required: true, description: 'The mark to raise to.' },
        ok: { description: 'The mark now in force.', content: jsonContent(ref('MaxSchemaId')) },
        errors: ['UNPROCESSABLE'],
      }),
    },
  };
}
