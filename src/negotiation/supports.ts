/**
 * What a client (or agreement participant) says it supports, validated strictly: every malformed
 * piece is a 422 INVALID_NEGOTIATION_REQUEST naming the offending field, never a silent ignore, since a
 * typo in a negotiation request would otherwise quietly pick the wrong version.
 *
 * Forms (any combination; a version qualifies if ANY form admits it):
 * - `range`: a semver range over the subject's labels; declares exactly the versions supported.
 * - `versions`: registry version numbers; declares exactly the versions supported.
 * - `fingerprints`: CRC-64-AVRO (16 hex) or SHA-256 (64 hex) of the Parsing Canonical Form of schemas
 *   the client holds.
 * - `schema`: the text of the schema the client holds (its compiled-in schema).
 */
import { Range } from 'semver';
import { DomainError } from '../errors.js';

export type Role = 'reader' | 'writer' | 'both';
export const ROLES: readonly Role[] = ['reader', 'writer', 'both'];

export interface SupportsSpec {
  readonly range?: string;
  readonly versions?: readonly number[];
  /** Lower-case hex, deduplicated, sorted. */
  readonly fingerprints?: readonly string[];
  readonly schema?: string;
}

/** A SupportsSpec with the range compiled once. */
export interface CompiledSupports {
  readonly spec: SupportsSpec;
  readonly range: Range | undefined;
  readonly versions: ReadonlySet<number> | undefined;
  readonly fingerprints: ReadonlySet<string> | undefined;
  /** A stable string identifying the spec (memoisation key). */
  readonly key: string;
}

const MAX_RANGE_LENGTH = 1024;
const MAX_VERSIONS = 10_000;
const MAX_FINGERPRINTS = 1_000;
const MAX_VERSION = 2 ** 31 - 1;
const SUPPORTS_KEYS = new Set(['range', 'versions', 'fingerprints', 'schema']);
const HEX = /^[0-9a-fA-F]+$/;

function invalid(message: string): DomainError {
  return new DomainError('INVALID_NEGOTIATION_REQUEST', message);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rejects keys outside `allowed`, so misspelt fields fail loudly. */
export function rejectUnknownKeys(obj: Record<string, unknown>, allowed: ReadonlySet<string>, where: string) {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      throw invalid(`Unknown field "${where}${key}"; expected one of: ${[...allowed].join(', ')}`);
    }
  }
}

export function parseRole(raw: unknown): Role {
  if (raw === undefined) throw invalid('"role" is required: one of reader, writer, both');
  if (typeof raw !== 'string' || !(ROLES as readonly string[]).includes(raw)) {
    throw invalid(`"role" must be one of reader, writer, both (got ${JSON.stringify(raw)})`);
  }
  return raw as Role;
}

export function parseSupports(raw: unknown): SupportsSpec {
  if (raw === undefined) {
    throw invalid('"supports" is required: an object with any of range, versions, fingerprints, schema');
  }
  if (!isPlainObject(raw)) throw invalid('"supports" must be an object');
  rejectUnknownKeys(raw, SUPPORTS_KEYS, 'supports.');
  const spec: { range?: string; versions?: number[]; fingerprints?: string[]; schema?: string } = {};

  if (raw.range !== undefined) spec.range = parseRange(raw.range);
  if (raw.versions !== undefined) spec.versions = parseVersionList(raw.versions);
  if (raw.fingerprints !== undefined) spec.fingerprints = parseFingerprints(raw.fingerprints);
  if (raw.schema !== undefined) {
    if (typeof raw.schema !== 'string' || raw.schema.trim().length === 0) {
      throw invalid('"supports.schema" must be a non-empty string holding the Avro schema text');
    }
    spec.schema = raw.schema;
  }
  if (Object.keys(spec).length === 0) {
    throw invalid('"supports" must state at least one of range, versions, fingerprints, schema');
  }
  return spec;
}

function parseRange(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim().length === 0) {
    throw invalid('"supports.range" must be a non-empty semver range string, e.g. "^1.2.0"');
  }
  if (raw.length > MAX_RANGE_LENGTH) {
    throw invalid(`"supports.range" is longer than ${MAX_RANGE_LENGTH} characters`);
  }
  try {
    new Range(raw);
  } catch {
    throw invalid(`"supports.range" is not a valid semver range: ${JSON.stringify(raw)}`);
  }
  return raw;
}

function parseVersionList(raw: unknown): number[] {
  if (!Array.isArray(raw)) throw invalid('"supports.versions" must be an array of version numbers');
  if (raw.length === 0) throw invalid('"supports.versions" must not be empty');
  if (raw.length > MAX_VERSIONS) throw invalid(`"supports.versions" holds more than ${MAX_VERSIONS} entries`);
  const out = new Set<number>();
  raw.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_VERSION) {
      throw invalid(
        `"supports.versions[${i}]" must be an integer between 1 and ${MAX_VERSION} (got ${JSON.stringify(v)})`,
      );
    }
    out.add(v);
  });
  return [...out].sort((a, b) => a - b);
}

function parseFingerprints(raw: unknown): string[] {
  if (!Array.isArray(raw)) throw invalid('"supports.fingerprints" must be an array of hex strings');
  if (raw.length === 0) throw invalid('"supports.fingerprints" must not be empty');
  if (raw.length > MAX_FINGERPRINTS) {
    throw invalid(`"supports.fingerprints" holds more than ${MAX_FINGERPRINTS} entries`);
  }
  const out = new Set<string>();
  raw.forEach((fp, i) => {
    if (typeof fp !== 'string' || !HEX.test(fp) || (fp.length !== 16 && fp.length !== 64)) {
      throw invalid(
        `"supports.fingerprints[${i}]" must be a CRC-64-AVRO (16 hex digits) or SHA-256 (64 hex digits) fingerprint of a Parsing Canonical Form (got ${JSON.stringify(fp)})`,
      );
    }
    out.add(fp.toLowerCase());
  });
  return [...out].sort();
}

export function compileSupports(spec: SupportsSpec): CompiledSupports {
  return {
    spec,
    range: spec.range === undefined ? undefined : new Range(spec.range),
    versions: spec.versions === undefined ? undefined : new Set(spec.versions),
    fingerprints: spec.fingerprints === undefined ? undefined : new Set(spec.fingerprints),
    key: supportsKey(spec),
  };
}

/** Field order fixed, lists already normalised, so equal specs give equal keys. */
export function supportsKey(spec: SupportsSpec): string {
  return JSON.stringify([
    spec.range ?? null,
    spec.versions ?? null,
    spec.fingerprints ?? null,
    spec.schema ?? null,
  ]);
}

/** Whether a label is admitted by the declared forms (range or version list). */
export function declares(supports: CompiledSupports, version: number, label: string): boolean {
  if (supports.versions?.has(version)) return true;
  if (supports.range === undefined) return false;
  try {
    return supports.range.test(label);
  } catch {
    return false;
  }
}

/** A one-line description for blocker reasons, e.g. `range 1.0.x, versions [1,2]`. */
export function describeDeclared(spec: SupportsSpec): string {
  const parts: string[] = [];
  if (spec.range !== undefined) parts.push(`range ${spec.range}`);
  if (spec.versions !== undefined) parts.push(`versions [${spec.versions.join(',')}]`);
  return parts.length === 0 ? 'nothing declared' : parts.join(', ');
}
