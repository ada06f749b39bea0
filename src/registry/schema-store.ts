/**
 * The storage contract of the registry service. Every method is async so that a PostgreSQL store can
 * implement it; every check-then-write runs as ONE critical section inside the store, with the domain
 * decision passed in as a pure synchronous function of the state read in that section.
 */
import type { CompatibilityLevel, SchemaReference } from '../avro/types.js';
import type { Mode } from './registry-api.js';

/** One distinct schema content under its global id. */
export interface SchemaRecord {
  readonly id: number;
  /** sha256 over type, canonical string and references: the dedup key. */
  readonly identity: string;
  readonly schemaType: string;
  /** The text the API returns. */
  readonly schema: string;
  /** The text as first submitted. */
  readonly original: string;
  readonly references: readonly SchemaReference[];
  readonly pcf: string;
  readonly crc64: string;
  readonly md5: string;
  readonly sha256: string;
  readonly createdAt: number;
}

/** A subject-version joined with its schema (soft-deleted ones included where stated). */
export interface StoredVersion {
  readonly subject: string;
  readonly version: number;
  readonly schemaId: number;
  readonly deleted: boolean;
  readonly semver: string;
  /** Canonical text of the schema. */
  readonly schema: string;
  readonly schemaType: string;
  readonly references: readonly SchemaReference[];
  readonly identity: string;
  readonly pcf: string;
  readonly crc64: string;
  readonly md5: string;
  readonly sha256: string;
  /** When this subject-version was registered. */
  readonly createdAt: number;
}

/** A subject-version without its texts: enough to pick versions before reading one. */
export interface VersionSummary {
  readonly version: number;
  readonly schemaId: number;
  readonly deleted: boolean;
  readonly identity: string;
}

/** What `getSubjectHistory` returns (other modules, e.g. negotiation, read this shape). */
export type SubjectHistoryEntry = StoredVersion;

/** A config row; null = not set at this level. */
export interface ConfigRecord {
  readonly compatibility: CompatibilityLevel | null;
  readonly normalize: boolean | null;
}

/** The text of a referenced subject-version, as the reference lookup of the parser needs it. */
export interface ReferenceTarget {
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

export function referenceKey(subject: string, version: number): string {
  return `${subject}\u0000${version}`;
}

/** The settings a subject-scoped decision needs (config and mode at subject and global level). */
export interface ScopeSettings {
  readonly subjectConfig: ConfigRecord | undefined;
  readonly globalConfig: ConfigRecord | undefined;
  readonly subjectMode: Mode | undefined;
  readonly globalMode: Mode | undefined;
}

/** The schema about to be registered, prepared (parsed, canonicalised, fingerprinted) outside the lock. */
export interface PreparedSchema {
  readonly identity: string;
  readonly schemaType: string;
  readonly canonical: string;
  readonly original: string;
  readonly references: readonly SchemaReference[];
  readonly pcf: string;
  readonly crc64: string;
  readonly md5: string;
  readonly sha256: string;
  /** IMPORT mode: the id the client asked for. */
  readonly requestedId?: number;
}

/** Everything the register decision reads, all from inside the critical section. */
export interface RegisterState extends ScopeSettings {
  readonly subject: string;
  /** Every version of the subject, soft-deleted included, ascending. */
  readonly versions: readonly StoredVersion[];
  /** The schema row with the candidate's identity, under any subject (ids are global). */
  readonly identityMatch: SchemaRecord | undefined;
  /** The schema row at the requested id (IMPORT), if any. */
  readonly requestedIdSchema: SchemaRecord | undefined;
  /** The largest id ever assigned. */
  readonly highWaterId: number;
  /** Texts of every subject-version the candidate and the stored versions reference, transitively. */
  readonly referenceTargets: ReadonlyMap<string, ReferenceTarget>;
}

export type RegisterOutcome =
  /** The schema is already a live version of the subject: answer it, write nothing. */
  | { readonly kind: 'existing'; readonly id: number; readonly version: number }
  | {
      readonly kind: 'create';
      readonly schemaId: number;
      /** False when the id already holds this content (another subject, an old version, an import). */
      readonly insertSchema: boolean;
      readonly version: number;
      readonly semver: string;
      /** Soft-deleted versions of this subject holding the same id, hard-deleted by this registration. */
      readonly tombstones: readonly number[];
      /** New high-water mark for ids (never lower than the current one). */
      readonly highWaterId: number;
      /** Timestamp for the new rows (the service's clock); the store's own clock when absent. */
      readonly createdAt?: number;
    };

export interface RegisterResult {
  readonly id: number;
  readonly version: number;
  readonly created: boolean;
}

/** Who references a subject-version: one entry per referencing subject-version. */
export interface Referrer {
  readonly schemaId: number;
  readonly subject: string;
  readonly version: number;
  readonly deleted: boolean;
}

/** Everything a delete decision reads, from inside the critical section. */
export interface SubjectState extends ScopeSettings {
  readonly subject: string;
  readonly versions: readonly StoredVersion[];
  /** Referrers of each version of this subject, by version number. */
  readonly referrers: ReadonlyMap<number, readonly Referrer[]>;
}

export interface DeletePlan {
  readonly kind: 'delete-version' | 'delete-subject';
  readonly versions: readonly number[];
  readonly permanent: boolean;
  readonly force: boolean;
}

/** State for config and mode writes on one scope (subject, or null = global). */
export interface ScopeState extends ScopeSettings {
  /** Whether the scope (the subject, or for global any subject) holds live versions. */
  readonly hasLiveVersions: boolean;
}

export interface ModeWrite {
  /** Hard-delete the scope's soft-deleted versions (switching an empty scope to IMPORT). */
  readonly clearSoftDeleted: boolean;
}

/**
 * Called INSIDE the writing transaction after each mutation of a subject's versions; may throw (or
 * reject) to veto. Async so that it can read and write through another store that joins the same
 * transaction (the negotiation store on PostgreSQL); the store awaits it before committing.
 */
export interface SubjectWriteEvent {
  readonly subject: string;
  readonly kind: 'register' | 'delete-version' | 'delete-subject';
  readonly versions: number[];
  readonly permanent: boolean;
  readonly force: boolean;
}

export type SubjectWriteListener = (event: SubjectWriteEvent) => void | Promise<void>;

/** `listSubjectSummaries` filters: every one optional except the page window. */
export interface SubjectSummaryQuery {
  /** Only subjects starting with this text (exact, case-sensitive). */
  readonly prefix?: string;
  /** Only subjects containing this text, ASCII letters compared case-insensitively. */
  readonly contains?: string;
  /** Also subjects whose versions are all soft-deleted. */
  readonly includeDeleted: boolean;
  readonly offset: number;
  readonly limit: number;
}

/** One subject of a summary page: counts, latest live version and its own (subject-level) settings. */
export interface SubjectSummaryRecord {
  readonly subject: string;
  readonly live: number;
  readonly deleted: number;
  /** The newest live version; undefined when every version is soft-deleted. */
  readonly latest:
    | {
        readonly version: number;
        readonly schemaId: number;
        readonly semver: string;
        readonly createdAt: number;
      }
    | undefined;
  /** Subject-level settings only (null = not set here); the caller resolves the effective ones. */
  readonly compatibility: CompatibilityLevel | null;
  readonly mode: Mode | null;
}

export interface SubjectSummaryPage {
  /** How many subjects match the filters (all pages). */
  readonly total: number;
  /** The window `offset`..`offset + limit` of the matching subjects, by subject name (binary order). */
  readonly subjects: readonly SubjectSummaryRecord[];
}

/**
 * Whole-registry facts that export/import need and the Confluent API cannot reach. Implemented by the
 * durable store itself (uncached: export and import are rare), beside the SchemaStore contract.
 */
export interface RegistryStateStore {
  /** Every subject with a subject-level config or mode, whether or not it has any version. */
  listSubjectsWithSettings(): Promise<string[]>;
  /** Raises the id high-water mark to at least `id` (never lowers it); returns the resulting mark. */
  raiseMaxSchemaId(id: number): Promise<number>;
}

export function isRegistryStateStore(store: object): store is RegistryStateStore {
  const candidate = store as Partial<RegistryStateStore>;
  return (
    typeof candidate.listSubjectsWithSettings === 'function' &&
    typeof candidate.raiseMaxSchemaId === 'function'
  );
}

export interface SchemaStore {
  getSchemaRecord(id: number): Promise<SchemaRecord | undefined>;
  /** The largest id ever assigned (0 when none). */
  maxSchemaId(): Promise<number>;
  /** Every subject-version holding `id`, soft-deleted included, by subject then version. */
  getVersionsBySchemaId(id: number): Promise<StoredVersion[]>;
  /** Every version of the subject, soft-deleted included, ascending. */
  getSubjectHistory(subject: string): Promise<StoredVersion[]>;
  /** Every version of the subject, soft-deleted included, ascending, without texts. */
  listVersionSummaries(subject: string): Promise<VersionSummary[]>;
  /** One subject-version in any state. */
  getVersion(subject: string, version: number): Promise<StoredVersion | undefined>;
  /** Every version of every subject (optionally under a prefix), by subject then version. */
  listAllVersions(subjectPrefix?: string): Promise<StoredVersion[]>;
  /** Per subject: how many live and soft-deleted versions it has. */
  listSubjectCounts(): Promise<Array<{ subject: string; live: number; deleted: number }>>;
  /** A page of subjects with their counts, latest live version and subject-level settings, in one query. */
  listSubjectSummaries(query: SubjectSummaryQuery): Promise<SubjectSummaryPage>;
  getReferrers(subject: string, version: number): Promise<Referrer[]>;
  /** The transitive closure of reference targets, keyed by `referenceKey`; missing ones are absent. */
  resolveReferences(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>>;
  getSettings(subject: string | null): Promise<ScopeSettings>;

  register(
    subject: string,
    prepared: PreparedSchema,
    decide: (state: RegisterState) => RegisterOutcome,
  ): Promise<RegisterResult>;
  /** Runs `decide` on the subject's state and applies the plan it returns; returns the versions removed. */
  deleteVersions(subject: string, decide: (state: SubjectState) => DeletePlan): Promise<number[]>;

  /** `check` may throw to refuse; a null field in `update` leaves that setting unchanged. */
  setConfig(subject: string | null, update: ConfigRecord, check: (state: ScopeState) => void): Promise<void>;
  /** Removes the config at this level and returns what was there. */
  deleteConfig(subject: string | null, check: (state: ScopeState) => void): Promise<ConfigRecord | undefined>;
  setMode(subject: string | null, mode: Mode, decide: (state: ScopeState) => ModeWrite): Promise<void>;
  /** Removes the mode at this level (and with `recursive` on global, every subject's) and returns the old one. */
  deleteMode(subject: string | null, recursive: boolean): Promise<Mode | undefined>;
}
