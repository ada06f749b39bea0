/** Version path segments as Confluent's `VersionId` reads them. */
import { DomainError } from '../errors.js';

export type VersionId = { readonly kind: 'latest' } | { readonly kind: 'number'; readonly version: number };

export const MAX_VERSION = 2 ** 31 - 1;

export function invalidVersion(raw: string): DomainError {
  return new DomainError(
    'INVALID_VERSION',
    `The specified version '${raw}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
  );
}

/** `latest` (any case, trimmed), `-1` (= latest) or an int in [1, 2^31-1]; anything else is 42202. */
export function parseVersionId(raw: string): VersionId {
  const text = raw.trim();
  if (text.toLowerCase() === 'latest') return { kind: 'latest' };
  // Java's Integer.valueOf: optional sign, decimal digits, within int32.
  if (!/^[+-]?\d+$/.test(text)) throw invalidVersion(raw);
  const value = Number(text);
  if (value === -1) return { kind: 'latest' };
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_VERSION) throw invalidVersion(raw);
  return { kind: 'number', version: value };
}

/** The number Confluent's 40402 message shows: -1 for `latest`. */
export function versionLabel(id: VersionId): number {
  return id.kind === 'latest' ? -1 : id.version;
}
