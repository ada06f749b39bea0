/**
 * Domain errors with stable codes. One table maps each code to its HTTP status, the Confluent
 * `error_code` clients key on, and the CLI exit code, so the server and the toolchain agree.
 * Nothing outside this file decides a status or an error_code.
 */

interface ErrorSpec {
  readonly status: number;
  readonly errorCode: number;
  /** CLI exit code: 1 incompatible/drift, 2 invalid input or usage, 3 registry unreachable/failing. */
  readonly exit: 1 | 2 | 3;
}

export const ERROR_TABLE = {
  // Generic HTTP-level errors (rest-utils uses the status as the error_code).
  BAD_REQUEST: { status: 400, errorCode: 400, exit: 2 },
  MALFORMED_JSON: { status: 400, errorCode: 400, exit: 2 },
  UNAUTHORIZED: { status: 401, errorCode: 401, exit: 2 },
  FORBIDDEN: { status: 403, errorCode: 403, exit: 2 },
  ROUTE_NOT_FOUND: { status: 404, errorCode: 404, exit: 2 },
  METHOD_NOT_ALLOWED: { status: 405, errorCode: 405, exit: 2 },
  NOT_ACCEPTABLE: { status: 406, errorCode: 406, exit: 2 },
  BODY_TOO_LARGE: { status: 413, errorCode: 413, exit: 2 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorCode: 415, exit: 2 },
  UNPROCESSABLE: { status: 422, errorCode: 422, exit: 2 },
  RATE_LIMITED: { status: 429, errorCode: 429, exit: 3 },

  // Confluent registry errors.
  SUBJECT_NOT_FOUND: { status: 404, errorCode: 40401, exit: 2 },
  VERSION_NOT_FOUND: { status: 404, errorCode: 40402, exit: 2 },
  SCHEMA_NOT_FOUND: { status: 404, errorCode: 40403, exit: 2 },
  SUBJECT_SOFT_DELETED: { status: 404, errorCode: 40404, exit: 2 },
  SUBJECT_NOT_SOFT_DELETED: { status: 404, errorCode: 40405, exit: 2 },
  VERSION_SOFT_DELETED: { status: 404, errorCode: 40406, exit: 2 },
  VERSION_NOT_SOFT_DELETED: { status: 404, errorCode: 40407, exit: 2 },
  SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED: { status: 404, errorCode: 40408, exit: 2 },
  SUBJECT_LEVEL_MODE_NOT_CONFIGURED: { status: 404, errorCode: 40409, exit: 2 },
  INCOMPATIBLE_SCHEMA: { status: 409, errorCode: 409, exit: 1 },
  INVALID_SCHEMA: { status: 422, errorCode: 42201, exit: 2 },
  INVALID_VERSION: { status: 422, errorCode: 42202, exit: 2 },
  INVALID_COMPATIBILITY_LEVEL: { status: 422, errorCode: 42203, exit: 2 },
  INVALID_MODE: { status: 422, errorCode: 42204, exit: 2 },
  OPERATION_NOT_PERMITTED: { status: 422, errorCode: 42205, exit: 2 },
  REFERENCE_EXISTS: { status: 422, errorCode: 42206, exit: 2 },
  INVALID_SUBJECT: { status: 422, errorCode: 42208, exit: 2 },
  SCHEMA_TOO_LARGE: { status: 422, errorCode: 42209, exit: 2 },
  INVALID_RULESET: { status: 422, errorCode: 42210, exit: 2 },

  // Our own extensions (version negotiation, validation). Codes sit in ranges Confluent leaves unused.
  PARTICIPANT_NOT_FOUND: { status: 404, errorCode: 40450, exit: 2 },
  NO_COMMON_VERSION: { status: 409, errorCode: 40950, exit: 1 },
  INVALID_NEGOTIATION_REQUEST: { status: 422, errorCode: 42250, exit: 2 },
  INVALID_SEMVER: { status: 422, errorCode: 42251, exit: 2 },
  VERSION_IN_USE: { status: 422, errorCode: 42252, exit: 2 },
  INVALID_DATUM_REQUEST: { status: 422, errorCode: 42253, exit: 2 },
  /** A subject's participant limit is reached (Retry-After: when the earliest lease runs out). */
  TOO_MANY_PARTICIPANTS: { status: 429, errorCode: 42950, exit: 3 },
  /** A subject's limit of parked agreement long-polls is reached. */
  TOO_MANY_SUBJECT_WAITERS: { status: 429, errorCode: 42951, exit: 3 },
  /** The process-wide limit of parked agreement long-polls is reached. */
  TOO_MANY_WAITERS: { status: 503, errorCode: 50350, exit: 3 },
  /** Every id up to 2^31-1 is taken: ids are Java ints and the wire format carries 4 bytes. */
  SCHEMA_ID_EXHAUSTED: { status: 422, errorCode: 42254, exit: 2 },

  // Server-side failures.
  STORE_ERROR: { status: 500, errorCode: 50001, exit: 3 },
  TIMEOUT: { status: 500, errorCode: 50002, exit: 3 },
  INTERNAL: { status: 500, errorCode: 500, exit: 3 },
  SERVICE_UNAVAILABLE: { status: 503, errorCode: 503, exit: 3 },
  REGISTRY_UNREACHABLE: { status: 503, errorCode: 50003, exit: 3 },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra JSON fields, rendered only by our own (non-Confluent) endpoints, e.g. what the server has. */
  readonly extra: Readonly<Record<string, unknown>> | undefined;

  /** Seconds after which a retry may succeed (sent as `Retry-After`), for retryable refusals. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, extra?: Record<string, unknown>, retryAfterSeconds?: number) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.extra = extra;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }

  get errorCode(): number {
    return ERROR_TABLE[this.code].errorCode;
  }

  get exitCode(): number {
    return ERROR_TABLE[this.code].exit;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** The reverse lookup the SDK and CLI use to turn a registry's `error_code` back into a stable code. */
export function codeForErrorCode(errorCode: number): ErrorCode | undefined {
  for (const [code, spec] of Object.entries(ERROR_TABLE)) {
    if (spec.errorCode === errorCode) return code as ErrorCode;
  }
  return undefined;
}
