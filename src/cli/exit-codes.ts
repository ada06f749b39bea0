/**
 * The CLI's exit codes and the one-line rendering of a failure. Codes come from the shared error table
 * (`src/errors.ts`), so the CLI, the SDK and the server agree on what "invalid" or "unreachable" means.
 */
import { ERROR_TABLE, type ErrorCode, isDomainError } from '../errors.js';
import { isRegistryError } from '../sdk/registry-error.js';

export const EXIT = {
  /** Everything passed. */
  OK: 0,
  /** Incompatible schema change, or a copy / generated file drifted from the master. */
  FAILED: 1,
  /** Invalid input or usage: missing file, bad JSON or Avro, unknown option or level. */
  INVALID: 2,
  /** The registry could not be reached or failed. */
  UNREACHABLE: 3,
} as const;

export interface Failure {
  readonly code: ErrorCode;
  readonly exit: number;
  readonly message: string;
}

/** What a thrown value means for the user: its stable code, exit code and a single-line message. */
export function describeFailure(err: unknown): Failure {
  if (isDomainError(err)) return { code: err.code, exit: err.exitCode, message: oneLine(err.message) };
  if (isRegistryError(err)) {
    // Transport failures already say "registry <url> unreachable"; answers get the status appended.
    const message =
      err.status === undefined
        ? err.message
        : `registry: ${err.message} (HTTP ${err.status}, error_code ${err.errorCode})`;
    return { code: err.code, exit: err.exitCode, message: oneLine(message) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: 'INTERNAL',
    exit: ERROR_TABLE.INTERNAL.exit,
    message: oneLine(`internal error: ${message}`),
  };
}

/** Failures print as exactly one line: collapse whatever the message carries. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
