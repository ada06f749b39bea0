/**
 * One builder for every operation of the document, so the answers every route shares are added the
 * same way everywhere: what the middleware in front of the routes can answer (authentication,
 * content negotiation, body parsing), what any storage-backed route can answer (503 retryable, 50001),
 * and the route's own error codes, each with its status and error_code from the error table.
 */
import type { ErrorCode } from '../../errors.js';
import { errorResponses, requestIdHeader } from './error-responses.js';
import { type Content, jsonContent, REQUEST_TYPES } from './media.js';

type JsonSchema = Record<string, unknown>;

/**
 * What a route needs when access control is on (`AUTH_FILE`): `public` nothing; `read`, `write`,
 * `admin` that role or a higher one; `subject:read` / `subject:write` that access to the subject in
 * the path, from the user's subject-prefix rules, else from the role (admin always has it).
 */
export type Permission = 'public' | 'read' | 'write' | 'admin' | 'subject:read' | 'subject:write';

/**
 * Where the route sits in the middleware chain (app.ts, server.ts): `api` behind authentication,
 * negotiation and the body parser; `early` in front of all three (health, docs); `metrics` behind
 * authentication only.
 */
export type Stage = 'api' | 'early' | 'metrics';

export interface ParameterObject {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly description: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
  readonly example?: unknown;
}

/** A non-error answer; `X-Request-Id` is added to its headers. */
export interface Answer {
  readonly description: string;
  /** Absent: the answer has no body. */
  readonly content?: Content;
  /** Header objects by name, besides `X-Request-Id`. */
  readonly headers?: Readonly<Record<string, unknown>>;
}

export interface OperationSpec {
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly permission: Permission;
  /** Default `api`. */
  readonly stage?: Stage;
  /** Whether the route reads or writes the database (503 retryable and 50001). Default: true for `api`. */
  readonly storage?: boolean;
  readonly parameters?: readonly ParameterObject[];
  readonly body?: { readonly schema: JsonSchema; readonly required: boolean; readonly description: string };
  /** The success answer: a 200 unless `status` says otherwise (the web UI's redirect). */
  readonly ok: Answer & { readonly status?: 200 | 301 };
  /** Other answers that are not errors, by status (a 304 to a revalidation). */
  readonly also?: Readonly<Record<number, Answer>>;
  /** The route's own error codes (the shared ones are added here). */
  readonly errors?: readonly ErrorCode[];
  /** Error codes whose body has more than the envelope (negotiation), with the body's schema. */
  readonly errorBodies?: Partial<Record<ErrorCode, JsonSchema>>;
}

/** Any body sent is parsed (400/413/415 can answer even a GET that carries one). */
const BEHIND_PARSER: readonly ErrorCode[] = [
  'BAD_REQUEST',
  'MALFORMED_JSON',
  'NOT_ACCEPTABLE',
  'BODY_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];
const STORAGE: readonly ErrorCode[] = ['SERVICE_UNAVAILABLE', 'STORE_ERROR'];

export const SECURED = [{ basicAuth: [] }, { bearerAuth: [] }];

function authCodes(permission: Permission): ErrorCode[] {
  if (permission === 'public') return [];
  // Every authenticated user has at least the read role, so `read` routes never answer 403.
  return permission === 'read'
    ? ['UNAUTHORIZED', 'RATE_LIMITED']
    : ['UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED'];
}

const PERMISSION_TEXT: Record<Permission, string> = {
  public: 'public (no credentials, even with access control on)',
  read: 'the `read` role (any authenticated user)',
  write: 'the `write` role',
  admin: 'the `admin` role',
  'subject:read': 'read access to the subject (prefix rules, else the role)',
  'subject:write': 'write access to the subject (prefix rules, else the `write` role)',
};

function answer(a: Answer): Record<string, unknown> {
  return {
    description: a.description,
    headers: { ...requestIdHeader(), ...a.headers },
    ...(a.content === undefined ? {} : { content: a.content }),
  };
}

export function operation(spec: OperationSpec): Record<string, unknown> {
  const stage = spec.stage ?? 'api';
  const storage = spec.storage ?? stage === 'api';
  const codes: ErrorCode[] = [
    ...(stage === 'api' ? BEHIND_PARSER : []),
    ...authCodes(spec.permission),
    ...(storage ? STORAGE : []),
    ...(spec.errors ?? []),
    'INTERNAL',
  ];
  const needs = `**Needs** (with \`AUTH_FILE\`): ${PERMISSION_TEXT[spec.permission]}.`;
  return {
    tags: [spec.tag],
    summary: spec.summary,
    description: spec.description === undefined ? needs : `${spec.description}\n\n${needs}`,
    operationId: spec.operationId,
    ...(spec.parameters && spec.parameters.length > 0 ? { parameters: spec.parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            description: spec.body.description,
            required: spec.body.required,
            content: jsonContent(spec.body.schema, REQUEST_TYPES),
          },
        }
      : {}),
    responses: {
      [String(spec.ok.status ?? 200)]: answer(spec.ok),
      ...Object.fromEntries(Object.entries(spec.also ?? {}).map(([status, a]) => [status, answer(a)])),
      ...errorResponses(codes, {
        beforeNegotiation: stage !== 'api',
        ...(spec.errorBodies ? { bodies: spec.errorBodies } : {}),
      }),
    },
    security: spec.permission === 'public' ? [] : SECURED,
    'x-required-permission': spec.permission,
  };
}

// ---- parameters ----------------------------------------------------------------------------------

export function pathParam(name: string, description: string, schema: JsonSchema, example: unknown) {
  return { name, in: 'path', required: true, description, schema, example } as const;
}

/** A boolean query flag with JAX-RS semantics: true only for the text `true`, any case. */
export function flag(name: string, description: string): ParameterObject {
  return {
    name,
    in: 'query',
    description: `${description} True only for \`true\` (any case); any other value is false.`,
    schema: { type: 'boolean', default: false },
  };
}

export function query(name: string, description: string, schema: JsonSchema): ParameterObject {
  return { name, in: 'query', description, schema };
}

const INT32_MAX = 2 ** 31 - 1;

export const SUBJECT = pathParam(
  'subject',
  'The subject, percent-encoded: `%2F` for `/` (Express decodes it). A trailing `/` on the path is accepted.',
  { type: 'string' },
  'vectors-value',
);
export const VERSION = pathParam(
  'version',
  `A version number in [1, 2^31-1], \`-1\` or \`latest\` (any case, surrounding spaces ignored) for the newest live version. Anything else: 422/42202.`,
  { type: 'string', pattern: '^\\s*([Ll][Aa][Tt][Ee][Ss][Tt]|[+-]?[0-9]+)\\s*$' },
  'latest',
);
export const SCHEMA_ID = pathParam(
  'id',
  'A global schema id (a 32-bit integer; anything else answers 404/404, as Jersey does).',
  { type: 'integer', format: 'int32', minimum: -(2 ** 31), maximum: INT32_MAX },
  1,
);

export const OFFSET = query('offset', 'Items to skip (a 32-bit integer, else 400).', {
  type: 'integer',
  format: 'int32',
  default: 0,
});
export const LIMIT = query('limit', 'Most items to return; `-1` (or any value ≤ 0) is unlimited.', {
  type: 'integer',
  format: 'int32',
  default: -1,
});
export const DELETED = flag('deleted', 'Include soft-deleted items.');
export const FORMAT = query(
  'format',
  'How to render the schema text: `resolved` inlines referenced types; `default`, absent or any other value gives the stored canonical text.',
  { type: 'string', default: 'default', examples: ['default', 'resolved'] },
);
export const NORMALIZE = flag(
  'normalize',
  'Normalize the schema (Confluent `normalize`) before comparing; the subject or global config can turn it on too.',
);
