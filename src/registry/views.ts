/** Rendering and listing helpers shared by the registry use cases. */
import { DomainError } from '../errors.js';
import type { ListQuery, SchemaVersionView } from './registry-api.js';
import type { StoredVersion } from './schema-store.js';

const ALL_CONTEXTS_PREFIX = ':*:';

/** Jersey answers a non-integer `{id}` path segment with a plain 404. */
export function parseSchemaId(raw: string): number {
  const text = raw.trim();
  const value = /^[+-]?\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1) {
    throw new DomainError('ROUTE_NOT_FOUND', 'HTTP 404 Not Found');
  }
  return value;
}

export function versionView(v: StoredVersion): SchemaVersionView {
  const view: SchemaVersionView = {
    subject: v.subject,
    version: v.version,
    id: v.schemaId,
    schema: v.schema,
  };
  if (v.references.length > 0) view.references = [...v.references];
  return view;
}

/** `:*:` (Confluent's default) means every context, i.e. no filter. */
export function prefixFilter(prefix: string | undefined): string | undefined {
  return prefix === undefined || prefix === '' || prefix === ALL_CONTEXTS_PREFIX ? undefined : prefix;
}

/** Java `String.compareTo` order (UTF-16 code units), which is also JavaScript's default. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function bySubjectVersion(a: StoredVersion, b: StoredVersion): number {
  return compareStrings(a.subject, b.subject) || a.version - b.version;
}

/** `offset` (default 0) then `limit` (default -1; zero or negative means unlimited). */
export function paginate<T>(items: T[], query: ListQuery): T[] {
  const offset = Number.isInteger(query.offset) && query.offset! > 0 ? query.offset! : 0;
  const limit = Number.isInteger(query.limit) && query.limit! > 0 ? query.limit! : undefined;
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}
