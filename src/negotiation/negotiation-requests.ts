/**
 * Validation of the raw negotiation requests (bodies, path segments, query values) the HTTP layer
 * passes through untouched. Every rejection is a 422 INVALID_NEGOTIATION_REQUEST naming the field.
 */
import { DomainError } from '../errors.js';
import type { Role, SupportsSpec } from './supports.js';
import { isPlainObject, parseRole, parseSupports, rejectUnknownKeys } from './supports.js';

export const MAX_TTL_SECONDS = 86_400;
export const DEFAULT_MAX_WAIT_SECONDS = 60;

const HANDSHAKE_KEYS = new Set(['role', 'supports']);
const PARTICIPANT_KEYS = new Set(['role', 'supports', 'ttlSeconds']);
/** Printable, URL-safe, bounded: ids show up in blocker reasons and logs. */
const PARTICIPANT_ID = /^[A-Za-z0-9._:@~-]{1,200}$/;

function invalid(message: string): DomainError {
  return new DomainError('INVALID_NEGOTIATION_REQUEST', message);
}

function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined || body === null) throw invalid(`The ${what} request needs a JSON object body`);
  if (!isPlainObject(body)) throw invalid(`The ${what} request body must be a JSON object`);
  return body;
}

export interface HandshakeRequest {
  readonly role: Role;
  readonly supports: SupportsSpec;
}

export function parseHandshakeRequest(body: unknown): HandshakeRequest {
  const obj = requireObject(body, 'handshake');
  rejectUnknownKeys(obj, HANDSHAKE_KEYS, '');
  return { role: parseRole(obj.role), supports: parseSupports(obj.supports) };
}

export interface ParticipantRequest extends HandshakeRequest {
  readonly ttlSeconds: number;
}

export function parseParticipantRequest(body: unknown): ParticipantRequest {
  const obj = requireObject(body, 'participant');
  rejectUnknownKeys(obj, PARTICIPANT_KEYS, '');
  const role = parseRole(obj.role);
  const supports = parseSupports(obj.supports);
  const ttl = obj.ttlSeconds;
  if (ttl === undefined) throw invalid(`"ttlSeconds" is required: an integer from 1 to ${MAX_TTL_SECONDS}`);
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw invalid(
      `"ttlSeconds" must be an integer from 1 to ${MAX_TTL_SECONDS} (got ${JSON.stringify(ttl)})`,
    );
  }
  return { role, supports, ttlSeconds: ttl };
}

export function parseParticipantId(raw: string): string {
  if (!PARTICIPANT_ID.test(raw)) {
    throw invalid(
      `Participant id ${JSON.stringify(raw.slice(0, 64))} is invalid: use 1 to 200 characters among letters, digits and . _ : @ ~ -`,
    );
  }
  return raw;
}

export interface WaitRequest {
  readonly afterEpoch: number | undefined;
  /** Already capped at the server's maximum. */
  readonly waitMs: number;
}

/**
 * `afterEpoch` (a non-negative integer) and `waitSeconds` (a non-negative number, capped at
 * `maxWaitSeconds`: a long-poll must never pin a connection indefinitely).
 */
export function parseWaitQuery(
  afterEpoch: string | undefined,
  waitSeconds: string | undefined,
  maxWaitSeconds = DEFAULT_MAX_WAIT_SECONDS,
): WaitRequest {
  let epoch: number | undefined;
  if (afterEpoch !== undefined) {
    if (!/^\d{1,15}$/.test(afterEpoch)) {
      throw invalid(
        `"afterEpoch" must be a non-negative integer (got ${JSON.stringify(afterEpoch.slice(0, 32))})`,
      );
    }
    epoch = Number(afterEpoch);
  }
  let waitMs = 0;
  if (waitSeconds !== undefined) {
    const n = /^\d+(\.\d+)?$/.test(waitSeconds) ? Number(waitSeconds) : Number.NaN;
    if (!Number.isFinite(n)) {
      throw invalid(
        `"waitSeconds" must be a non-negative number of seconds (got ${JSON.stringify(waitSeconds.slice(0, 32))})`,
      );
    }
    waitMs = Math.round(Math.min(n, maxWaitSeconds) * 1000);
  }
  if (waitMs > 0 && epoch === undefined) {
    throw invalid('"waitSeconds" needs "afterEpoch": the long-poll waits for the epoch to pass it');
  }
  return { afterEpoch: epoch, waitMs };
}
