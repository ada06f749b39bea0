/**
 * What a PostgreSQL failure means to a client. A database that is down, restarting, overloaded or
 * slow (connection refused or lost, admin shutdown, too many connections, statement or lock timeout)
 * is a retryable 503 in the registry's error envelope; the registry never answers those with a 500 or
 * a stack trace. Anything else is a STORE_ERROR (500, logged).
 */
import { DomainError, isDomainError } from '../../errors.js';

/** SQLSTATEs worth retrying the whole transaction for: it lost a race, nothing is wrong. */
const RETRY_STATES = new Set(['40001', '40P01']);

/** SQLSTATE classes and codes that mean "the database is not available right now". */
const UNAVAILABLE_CLASSES = ['08', '53', '57'];
const UNAVAILABLE_STATES = new Set(['55P03', '57014', '40001', '40P01', '25P03']);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

function stateOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetryable(e: unknown): boolean {
  const state = stateOf(e);
  return state !== undefined && RETRY_STATES.has(state);
}

export function isUnavailable(e: unknown): boolean {
  const state = stateOf(e);
  if (state !== undefined) {
    if (NETWORK_CODES.has(state) || UNAVAILABLE_STATES.has(state)) return true;
    if (/^[0-9A-Z]{5}$/.test(state) && UNAVAILABLE_CLASSES.includes(state.slice(0, 2))) return true;
  }
  // pg's own messages for a connection that broke or never came.
  const message = e instanceof Error ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Connection ended|not queryable/i.test(
    message,
  );
}

export function translatePgError(e: unknown, what: string): DomainError {
  if (isDomainError(e)) return e;
  if (stateOf(e) === '2200H') {
    return new DomainError(
      'SCHEMA_ID_EXHAUSTED',
      'Every schema id up to 2147483647 (the largest a Kafka record can carry) is in use; no new schema can be registered',
    );
  }
  if (isUnavailable(e)) {
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      `The database is unavailable (${what}); try again`,
      undefined,
      1,
    );
  }
  return new DomainError('STORE_ERROR', `Store error while ${what}: ${(e as Error).message}`);
}
