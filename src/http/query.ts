/**
 * Query parameter parsing with Confluent's (JAX-RS) semantics: a boolean is true only for `true`
 * (any case), `offset` defaults to 0 and `limit` to -1 (unlimited), a repeated parameter counts by its
 * first value, and unknown parameters are simply never read (mappersmith appends any it has).
 */
import type { Request } from 'express';
import { DomainError } from '../errors.js';
import type { ListQuery } from '../registry/registry-api.js';

type Query = Request['query'];

/** The first value of a parameter, or undefined when absent. */
export function stringQuery(query: Query, name: string): string | undefined {
  const raw: unknown = query[name];
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value : undefined;
}

/** `true` only for the text `true` (case-insensitive); undefined when absent, so services see no opinion. */
export function boolQuery(query: Query, name: string): boolean | undefined {
  const value = stringQuery(query, name);
  return value === undefined ? undefined : value.trim().toLowerCase() === 'true';
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** A 32-bit integer parameter; a present but non-integer value is a 400 naming the parameter. */
export function intQuery(query: Query, name: string): number | undefined {
  const value = stringQuery(query, name);
  if (value === undefined) return undefined;
  const parsed = parseInt32(value);
  if (parsed === undefined) {
    throw new DomainError(
      'BAD_REQUEST',
      `Query parameter '${name}' must be an integer, got '${value.slice(0, 64)}'`,
    );
  }
  return parsed;
}

/** Java `Integer.parseInt` accepts an optional sign and decimal digits within int32; nothing else. */
export function parseInt32(text: string): number | undefined {
  if (!/^[+-]?\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
}

/** The listing parameters most collection endpoints share. */
export function listQuery(query: Query): ListQuery & { offset: number; limit: number } {
  return {
    deleted: boolQuery(query, 'deleted'),
    deletedOnly: boolQuery(query, 'deletedOnly'),
    offset: intQuery(query, 'offset') ?? 0,
    limit: intQuery(query, 'limit') ?? -1,
  };
}

/** A path parameter (already percent-decoded by the router, so `%2F` in a subject arrives as `/`). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  // Only reachable if a route is declared without the parameter: a programming error, not a client one.
  if (typeof value !== 'string') throw new Error(`route has no path parameter '${name}'`);
  return value;
}
