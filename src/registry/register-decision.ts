/**
 * The register decision (Confluent §4): a PURE, synchronous function of the candidate and the subject's
 * state as read inside the store's critical section. It decides what to write or throws the
 * DomainError to answer; the store does the writing. Being synchronous and I/O-free, the same function
 * serves the SQLite store (inside `BEGIN IMMEDIATE`) and a future PostgreSQL store.
 */
import {
  type CompatibilityCache,
  checkLevel,
  incompatibleSchemaMessage,
  type LevelCheckResult,
  type PreviousVersion,
  type SchemaForCheck,
} from '../avro/levels.js';
import type { CompatibilityLevel, ParsedSchema } from '../avro/types.js';
import { DomainError } from '../errors.js';
import type {
  PreparedSchema,
  ReferenceTarget,
  RegisterOutcome,
  RegisterState,
  StoredVersion,
} from './schema-store.js';
import { assignSemverLabel, type LabelledVersion } from './semver-label.js';
import { assertRegisterMode, effectiveCompatibility, overwriteError } from './settings.js';

export interface RegisterCandidate {
  readonly subject: string;
  readonly prepared: PreparedSchema;
  readonly parsed: ParsedSchema;
  /** A `version` in the body (IMPORT: taken verbatim; otherwise it must be the next one). */
  readonly requestedVersion: number | undefined;
  /** `metadata.properties.semver`. */
  readonly statedSemver: string | undefined;
  /** `?force=true`: skip the compatibility check. */
  readonly force: boolean;
  /** The reference targets the candidate was parsed with (read before the critical section). */
  readonly referenceTargets: ReadonlyMap<string, ReferenceTarget>;
}

export interface DecisionDeps {
  readonly defaultCompatibility: CompatibilityLevel;
  readonly cache: CompatibilityCache;
  /** Lenient parse of a stored version, memoised by schema id (ids never change meaning). */
  parseStored(version: StoredVersion, referenceTargets: ReadonlyMap<string, ReferenceTarget>): ParsedSchema;
}

const MAX_ID = 2 ** 31 - 1;

/** The compatibility check of register and of `POST /compatibility/subjects/{s}/versions`. */
export function checkAgainstLive(
  level: CompatibilityLevel,
  candidate: SchemaForCheck,
  versions: readonly StoredVersion[],
  referenceTargets: ReadonlyMap<string, ReferenceTarget>,
  deps: DecisionDeps,
): LevelCheckResult {
  const live = versions.filter((v) => !v.deleted);
  if (level === 'NONE' || live.length === 0) return { compatible: true, messages: [] };
  // Non-transitive levels only ever look at the newest live version: parse just that one.
  const considered = level.endsWith('_TRANSITIVE') ? live : live.slice(-1);
  const previous: PreviousVersion[] = considered.map((v) => forCheck(v, referenceTargets, deps));
  return checkLevel(level, candidate, previous, { cache: deps.cache });
}

export function forCheck(
  version: StoredVersion,
  referenceTargets: ReadonlyMap<string, ReferenceTarget>,
  deps: DecisionDeps,
): PreviousVersion {
  return {
    version: version.version,
    parsed: deps.parseStored(version, referenceTargets),
    key: version.identity,
    // Only an incompatibility message quotes it; a store may load the text lazily.
    get canonical() {
      return version.schema;
    },
  };
}

export function decideRegistration(
  candidate: RegisterCandidate,
  state: RegisterState,
  deps: DecisionDeps,
): RegisterOutcome {
  const { subject, prepared } = candidate;
  const requestedId = prepared.requestedId;

  // Idempotency comes before the mode check: re-registering a live schema answers its id even when
  // the subject is read-only.
  const existing = findLastLive(
    state.versions,
    (v) => v.identity === prepared.identity && (requestedId === undefined || v.schemaId === requestedId),
  );
  if (existing !== undefined) return { kind: 'existing', id: existing.schemaId, version: existing.version };

  const mode = assertRegisterMode(subject, state, requestedId !== undefined);
  assertReferencesUnchanged(candidate, state);
  const maxVersion = state.versions.reduce((max, v) => Math.max(max, v.version), 0);
  let schemaId: number;
  let insertSchema: boolean;
  let mutuallyCompatibleWithLive = false;
  let version: number;
  if (mode === 'IMPORT' && requestedId !== undefined) {
    ({ schemaId, insertSchema } = importedId(requestedId, prepared, state));
    version = candidate.requestedVersion ?? maxVersion + 1;
    if (state.versions.some((v) => v.version === version)) {
      throw new DomainError(
        'OPERATION_NOT_PERMITTED',
        `Version ${version} of subject ${subject} already exists; importing over it is not permitted.`,
      );
    }
  } else {
    if (candidate.requestedVersion !== undefined && candidate.requestedVersion !== maxVersion + 1) {
      throw new DomainError('INVALID_SCHEMA', 'Version is not one more than previous version');
    }
    if (!candidate.force) {
      const level = effectiveCompatibility(state, deps.defaultCompatibility);
      const self = { parsed: candidate.parsed, key: prepared.identity, canonical: prepared.canonical };
      const result = checkAgainstLive(level, self, state.versions, state.referenceTargets, deps);
      if (!result.compatible) {
        throw new DomainError('INCOMPATIBLE_SCHEMA', incompatibleSchemaMessage(subject, result.messages));
      }
      // Both directions against every live version passed: labelling need not check them again.
      mutuallyCompatibleWithLive = level === 'FULL_TRANSITIVE';
    }
    // Ids are global: the same content under another subject (or hard-deleted everywhere) keeps its id.
    schemaId = state.identityMatch?.id ?? nextId(state.highWaterId);
    insertSchema = state.identityMatch === undefined;
    version = maxVersion + 1;
  }

  const semver = assignSemverLabel(
    { parsed: candidate.parsed, pcf: prepared.pcf, key: prepared.identity },
    labelledHistory(state, deps),
    candidate.statedSemver,
    { cache: deps.cache, mutuallyCompatibleWithLive },
  );
  return {
    kind: 'create',
    schemaId,
    insertSchema,
    version,
    semver,
    // §4.5: a soft-deleted older version holding the same id is tombstoned by the re-registration.
    tombstones: state.versions.filter((v) => v.deleted && v.schemaId === schemaId).map((v) => v.version),
    highWaterId: Math.max(state.highWaterId, schemaId),
  };
}

/**
 * The id after the high-water mark. Past 2^31-1 there is none: Confluent ids are Java ints and a Kafka
 * record carries the id in 4 bytes, so `2^31` could be stored but never used (nor even read back by id).
 */
function nextId(highWaterId: number): number {
  if (highWaterId >= MAX_ID) {
    throw new DomainError(
      'SCHEMA_ID_EXHAUSTED',
      `No schema id is left: ids are integers in [1, 2^31-1] and the highest id ever assigned is ${highWaterId}. ` +
        'New schemas cannot be registered in this registry (already registered ones still can be, under any subject).',
    );
  }
  return highWaterId + 1;
}

/**
 * The candidate was parsed against reference texts read before the lock; a hard delete (and a new
 * version under the freed number) in between must not leave it pointing at something else.
 */
function assertReferencesUnchanged(candidate: RegisterCandidate, state: RegisterState): void {
  for (const [key, used] of candidate.referenceTargets) {
    if (state.referenceTargets.get(key)?.schema !== used.schema) {
      const [subject, version] = key.split('\u0000');
      throw new DomainError(
        'INVALID_SCHEMA',
        `Invalid schema: the referenced subject ${subject} version ${version} was deleted or changed while registering; retry`,
      );
    }
  }
}

function importedId(
  requestedId: number,
  prepared: PreparedSchema,
  state: RegisterState,
): { schemaId: number; insertSchema: boolean } {
  if (requestedId < 1 || requestedId > MAX_ID) {
    throw new DomainError(
      'INVALID_SCHEMA',
      `Invalid schema id ${requestedId}: ids are integers in [1, 2^31-1]`,
    );
  }
  const atId = state.requestedIdSchema;
  if (atId !== undefined && atId.identity !== prepared.identity) throw overwriteError(requestedId);
  if (atId === undefined && state.identityMatch !== undefined) {
    // The store keeps one id per content (the dedup key is unique), so a second id cannot be imported.
    throw new DomainError(
      'OPERATION_NOT_PERMITTED',
      `The schema is already registered with id ${state.identityMatch.id} in context .; importing it under id ${requestedId} is not permitted.`,
    );
  }
  return { schemaId: requestedId, insertSchema: atId === undefined };
}

function findLastLive(
  versions: readonly StoredVersion[],
  predicate: (v: StoredVersion) => boolean,
): StoredVersion | undefined {
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i]!;
    if (!v.deleted && predicate(v)) return v;
  }
  return undefined;
}

/** Every version with its label; `parsed` and `pcf` are lazy: most labels need them for few versions. */
function labelledHistory(state: RegisterState, deps: DecisionDeps): LabelledVersion[] {
  return state.versions.map((v) => {
    let parsed: ParsedSchema | undefined;
    return {
      version: v.version,
      semver: v.semver,
      deleted: v.deleted,
      key: v.identity,
      get pcf(): string {
        return v.pcf;
      },
      get parsed(): ParsedSchema {
        parsed ??= deps.parseStored(v, state.referenceTargets);
        return parsed;
      },
    };
  });
}
