import { codeForErrorCode, ERROR_TABLE, type ErrorCode } from '../errors.js';

/**
 * Every failure the client surfaces: an error answer from the registry (with its `error_code`) or a
 * transport failure (no answer; `status` undefined, code REGISTRY_UNREACHABLE). `code` is the stable
 * name from the shared error table, so callers switch on names instead of numbers and the CLI can derive
 * its exit code from it.
 */
export class RegistryError extends Error {
  /** HTTP status, or undefined when no response arrived (connection refused, reset, timeout). */
  readonly status: number | undefined;
  /** The registry's `error_code` (the status itself for bodies that carry none; 50003 for transport). */
  readonly errorCode: number;
  readonly code: ErrorCode;
  /** Fields of the error body besides `error_code`/`message` (our /negotiation routes add some). */
  readonly details: Readonly<Record<string, unknown>>;
  /** Attempts made, retries included. */
  readonly attempts: number;
  readonly method: string;
  readonly path: string;

  constructor(init: {
    message: string;
    status: number | undefined;
    errorCode: number;
    method: string;
    path: string;
    attempts?: number;
    details?: Record<string, unknown>;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'RegistryError';
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.code = stableCode(init.errorCode, init.status);
    this.details = init.details ?? {};
    this.attempts = init.attempts ?? 1;
    this.method = init.method;
    this.path = init.path;
  }

  /** The CLI exit code for this error (1 incompatible, 2 bad input, 3 registry unreachable/failing). */
  get exitCode(): number {
    return ERROR_TABLE[this.code].exit;
  }

  withAttempts(attempts: number): RegistryError {
    return new RegistryError({
      message: this.message,
      status: this.status,
      errorCode: this.errorCode,
      method: this.method,
      path: this.path,
      attempts,
      details: { ...this.details },
      cause: this.cause,
    });
  }
}

export function isRegistryError(value: unknown): value is RegistryError {
  return value instanceof RegistryError;
}

/**
 * Newer Confluent servers and proxies answer codes our table lacks (40901 for an incompatible schema,
 * 502 from a gateway): fall back on the status so the stable code still says what kind of failure it is.
 */
function stableCode(errorCode: number, status: number | undefined): ErrorCode {
  const direct = codeForErrorCode(errorCode);
  if (direct !== undefined) return direct;
  if (status === undefined) return 'REGISTRY_UNREACHABLE';
  const byStatus = codeForErrorCode(status);
  if (byStatus !== undefined) return byStatus;
  if (status === 502 || status === 504) return 'SERVICE_UNAVAILABLE';
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}
