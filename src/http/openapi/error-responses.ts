/**
 * Error answers of the OpenAPI document, derived from the one error table (`src/errors.ts`): a route
 * lists the stable codes it can raise, and the HTTP status and Confluent `error_code` of each come from
 * ERROR_TABLE, so the document cannot disagree with the translator about them. Every code needs a
 * sentence here (the Record type makes a new code a compile error until it is described).
 */
import { ERROR_TABLE, type ErrorCode } from '../../errors.js';
import { type Content, jsonContent, SR_V1_ONLY } from './media.js';

type JsonSchema = Record<string, unknown>;

/** Marks an error answer with its shared name; document.ts moves it to components/responses. */
export const COMPONENT_NAME = 'x-component-name';

/** What each code means to a client, shown next to its error_code in the route's answers. */
export const ERROR_MEANINGS: Record<ErrorCode, string> = {
  BAD_REQUEST:
    'the request cannot be read: a body that is not a JSON object or has a field of the wrong JSON type, a query parameter that must be an integer and is not, an undecodable `%` escape in the path',
  MALFORMED_JSON: 'the body is not valid JSON (or not UTF-8)',
  UNAUTHORIZED:
    'no, malformed or wrong credentials (access control on); `WWW-Authenticate` offers Basic and Bearer',
  FORBIDDEN: 'the authenticated user lacks the permission this route needs (`x-required-permission`)',
  ROUTE_NOT_FOUND: 'no such route: also a path id that is not a 32-bit integer, as Jersey answers it',
  METHOD_NOT_ALLOWED: 'the path exists but not with this method; `Allow` lists the methods it has',
  NOT_ACCEPTABLE: 'the Accept header admits none of the three JSON media types the registry produces',
  BODY_TOO_LARGE: 'the body is larger than `MAX_BODY_BYTES` (16 MiB by default)',
  UNSUPPORTED_MEDIA_TYPE:
    'a body (or a POST/PUT) whose Content-Type is not one of the four accepted types, or an unsupported charset or Content-Encoding',
  UNPROCESSABLE: 'the route needs a JSON body (or a field in it) and none was sent',
  RATE_LIMITED: 'too many failed logins from this client: retry after `Retry-After` seconds',
  SUBJECT_NOT_FOUND: "the subject has no (live, unless `deleted=true`) version: `Subject 's' not found.`",
  VERSION_NOT_FOUND: 'no such version (or not live): `Version n not found.` (-1 for `latest`)',
  SCHEMA_NOT_FOUND: 'no such schema id, or the schema is not registered under this subject',
  SUBJECT_SOFT_DELETED: 'the subject is already soft-deleted: hard-delete it with `permanent=true`',
  SUBJECT_NOT_SOFT_DELETED: 'a permanent delete of a subject that still has live versions',
  VERSION_SOFT_DELETED: 'the version is already soft-deleted: hard-delete it with `permanent=true`',
  VERSION_NOT_SOFT_DELETED: 'a permanent delete of a version that is still live',
  SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED:
    'the subject has no compatibility level of its own (ask with `defaultToGlobal=true` for the effective one)',
  SUBJECT_LEVEL_MODE_NOT_CONFIGURED:
    'the subject has no mode of its own (ask with `defaultToGlobal=true` for the effective one)',
  INCOMPATIBLE_SCHEMA:
    'the schema is incompatible with earlier versions under the effective level (Confluent 7.x code 409; the message lists each incompatibility)',
  INVALID_SCHEMA:
    'the schema does not parse or breaks an Avro rule, an unknown `schemaType`, a bad or unresolvable reference, `Empty schema`, or a version that is not the next one',
  INVALID_VERSION: 'the version is not an integer in [1, 2^31-1], `-1` or `latest`',
  INVALID_COMPATIBILITY_LEVEL:
    'not one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE',
  INVALID_MODE: 'not one of READWRITE, READONLY, READONLY_OVERRIDE, IMPORT',
  OPERATION_NOT_PERMITTED:
    'refused by the mode: read-only, not in IMPORT mode for an explicit id (or in IMPORT mode without one), an id already holding other content, IMPORT asked for a non-empty scope',
  REFERENCE_EXISTS: 'another schema references this version',
  INVALID_SUBJECT: 'the subject name has control characters or is reserved',
  SCHEMA_TOO_LARGE:
    'the schema exceeds a limit (depth 64, 10,000 fields/symbols/named types, 1,000 union branches, 4 MiB)',
  INVALID_RULESET: 'the `ruleSet` is malformed (not an object, rules without a name, duplicate names)',
  PARTICIPANT_NOT_FOUND: 'no such participant lease on this subject',
  NO_COMMON_VERSION:
    'no live version satisfies the client; `available` lists what the server has (version, semver, crc64)',
  INVALID_NEGOTIATION_REQUEST: 'a malformed negotiation request: the message names the field',
  INVALID_SEMVER:
    'a stated or requested semver label or range is malformed, not above every earlier label, or claims a major line it is not compatible with',
  VERSION_IN_USE:
    'the version is the agreed version of live participants: refused unless `force=true` (soft deletes)',
  INVALID_DATUM_REQUEST: 'the validation request is not `{"datum": <value>, "applyDefaults"?: boolean}`',
  SCHEMA_ID_EXHAUSTED:
    'every schema id up to 2^31-1 (the largest a Kafka record carries) is taken: nothing new can be registered',
  TOO_MANY_PARTICIPANTS:
    'the subject already has `NEGOTIATION_MAX_PARTICIPANTS` live participants: retry after `Retry-After` seconds (when the earliest lease runs out)',
  TOO_MANY_SUBJECT_WAITERS:
    'the subject already has `NEGOTIATION_MAX_WAITERS_PER_SUBJECT` parked long-polls: retry shortly, or poll without `waitSeconds`',
  TOO_MANY_WAITERS:
    'this server already holds `NEGOTIATION_MAX_WAITERS` parked long-polls: retry shortly (another instance may have room)',
  STORE_ERROR: 'the database failed (logged server-side)',
  TIMEOUT: 'the operation timed out',
  INTERNAL: 'an unexpected failure (logged server-side): `Internal Server Error`',
  SERVICE_UNAVAILABLE:
    'retryable: the database is busy or unreachable, or the server is starting or draining; retry with backoff',
  REGISTRY_UNREACHABLE: 'a registry this one depends on did not answer',
};

/** Codes answered before content negotiation runs, so always in the default media type. */
const BEFORE_NEGOTIATION: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'NOT_ACCEPTABLE',
]);

/** Headers each error status carries. */
const STATUS_HEADERS: Record<number, Record<string, unknown>> = {
  401: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } },
  405: { Allow: { $ref: '#/components/headers/Allow' } },
  429: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
  503: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
};

export interface ErrorGroupOptions {
  /** The route answers before content negotiation (health, docs): every error is in the default type. */
  readonly beforeNegotiation?: boolean;
  /** Error codes whose body carries extra fields, with the schema of the whole body. */
  readonly bodies?: Partial<Record<ErrorCode, JsonSchema>>;
}

/**
 * The error responses for a set of codes, one per HTTP status: the envelope with `error_code`
 * restricted to the codes the route can give for that status, and a description naming each.
 */
export function errorResponses(
  codes: Iterable<ErrorCode>,
  opts: ErrorGroupOptions = {},
): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_TABLE[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const group = byStatus.get(status)!;
    const errorCodes = [...new Set(group.map((c) => ERROR_TABLE[c].errorCode))].sort((a, b) => a - b);
    const lines = errorCodes.map((errorCode) => {
      const meanings = group
        .filter((c) => ERROR_TABLE[c].errorCode === errorCode)
        .map((c) => ERROR_MEANINGS[c]);
      return `- \`${errorCode}\`: ${meanings.join('; ')}`;
    });
    const envelope = {
      type: 'object',
      allOf: [{ $ref: '#/components/schemas/ErrorEnvelope' }],
      properties: { error_code: { enum: errorCodes } },
    };
    const special = group.filter((c) => opts.bodies?.[c] !== undefined);
    const specialBodies = special.map((c) => opts.bodies![c]!);
    const plain = envelopeExcept(errorCodes, special);
    const branches = plain === undefined ? specialBodies : [plain, ...specialBodies];
    const schema =
      special.length === 0 ? envelope : branches.length === 1 ? branches[0]! : { oneOf: branches };
    const early = opts.beforeNegotiation || group.every((c) => BEFORE_NEGOTIATION.has(c));
    const content: Content = early ? jsonContent(schema, SR_V1_ONLY) : jsonContent(schema);
    out[String(status)] = {
      // The name it gets under components/responses (document.ts shares identical answers there).
      [COMPONENT_NAME]: `Error${status}-${errorCodes.join('-')}${special.length > 0 ? '-details' : ''}${early ? '-default-type' : ''}`,
      description: `Error; \`error_code\` is one of:\n${lines.join('\n')}`,
      headers: { ...requestIdHeader(), ...(STATUS_HEADERS[status] ?? {}) },
      content,
    };
  }
  return out;
}

/** The plain envelope for the codes of a status that have no special body (undefined: none has). */
function envelopeExcept(errorCodes: number[], special: ErrorCode[]): JsonSchema | undefined {
  const specialCodes = new Set<number>(special.map((c) => ERROR_TABLE[c].errorCode));
  const plain = errorCodes.filter((c) => !specialCodes.has(c));
  if (plain.length === 0) return undefined;
  return {
    type: 'object',
    allOf: [{ $ref: '#/components/schemas/ErrorEnvelope' }],
    properties: { error_code: { enum: plain } },
  };
}

export function requestIdHeader(): Record<string, unknown> {
  return { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
}
