/**
 * The registry's use cases as the HTTP layer (and anything else in-process) sees them. The HTTP
 * controllers are thin: they pass raw path/query/body values in and render what comes back; every
 * validation (version ids, levels, modes, request bodies) happens behind this interface and fails
 * with a DomainError.
 *
 * Every method is async so that a PostgreSQL-backed implementation can sit behind the same contract.
 */
import type { CompatibilityLevel, SchemaReference } from '../avro/types.js';

export type Mode = 'READWRITE' | 'READONLY' | 'READONLY_OVERRIDE' | 'IMPORT';
export const MODES: readonly Mode[] = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'];

/** `GET /schemas/ids/{id}` body. `schemaType` is left out for AVRO, `references` when empty. */
export interface SchemaStringView {
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
  maxId?: number;
}

/** A subject-version as the Confluent API renders it. */
export interface SchemaVersionView {
  subject: string;
  version: number;
  id: number;
  schemaType?: string;
  references?: SchemaReference[];
  schema: string;
}

/** Our own richer view (negotiation endpoints): adds the semver label, fingerprints and deletion. */
export interface SchemaVersionDetail extends SchemaVersionView {
  semver: string;
  deleted: boolean;
  /** Parsing Canonical Form fingerprints: CRC-64-AVRO (16 hex digits) and SHA-256 (hex). */
  fingerprints: { crc64: string; sha256: string };
  createdAt: number;
}

export interface ConfigView {
  compatibilityLevel: CompatibilityLevel;
  normalize?: boolean;
}

export interface ConfigUpdateView {
  compatibility?: CompatibilityLevel;
  normalize?: boolean;
}

export interface CompatibilityView {
  is_compatible: boolean;
  messages?: string[];
}

/** `GET /admin/state`: what a logical export needs beyond the Confluent API. */
export interface RegistryStateView {
  /** The id high-water mark: the largest id ever assigned, hard-deleted ones included. */
  maxSchemaId: number;
  /** Subjects with a subject-level config or mode, including subjects that have no version. */
  subjectsWithSettings: string[];
}

export interface ListQuery {
  deleted?: boolean;
  deletedOnly?: boolean;
  offset?: number;
  limit?: number;
}

/** `GET /catalog/subjects`: one subject of the summary page. */
export interface SubjectSummaryView {
  subject: string;
  versions: { live: number; deleted: number };
  /** The newest live version; null when every version is soft-deleted. */
  latest: { version: number; id: number; semver: string; createdAt: number } | null;
  /** The effective level, and whether the subject's own config, the global one or the server default set it. */
  compatibilityLevel: CompatibilityLevel;
  compatibilitySource: SettingSource;
  /** The effective mode (a global READONLY_OVERRIDE wins over the subject's), and who set it. */
  mode: Mode;
  modeSource: SettingSource;
}

export type SettingSource = 'subject' | 'global' | 'default';

export interface SubjectSummaryPageView {
  /** Subjects matching the filters, all pages together. */
  total: number;
  offset: number;
  limit: number;
  subjects: SubjectSummaryView[];
}

/** The raw query of `GET /catalog/subjects` (validated by the service). */
export interface SubjectSummaryRequest {
  prefix?: string;
  contains?: string;
  deleted?: boolean;
  offset?: number;
  limit?: number;
}

/** One reader/writer direction of `POST /compatibility/subjects/{s}/explain`. */
export interface DirectionVerdict {
  compatible: boolean;
  /** Confluent's verbose lines for this direction alone (as BACKWARD or FORWARD would print them). */
  messages: string[];
  /** Java's findings: type, JSON-pointer location, message; `position` is in the submitted schema text. */
  incompatibilities: Array<{
    type: string;
    location: string;
    message: string;
    position?: { line: number; column: number };
  }>;
}

export interface ExplainedVersionCheck {
  version: number;
  id: number;
  semver: string;
  deleted: boolean;
  /** The candidate reads data written with this version. */
  backward: DirectionVerdict;
  /** This version reads data written with the candidate. */
  forward: DirectionVerdict;
}

export interface CompatibilityExplanation {
  subject: string;
  level: CompatibilityLevel;
  levelSource: SettingSource | 'request';
  /** The candidate when it is a stored version of the subject (absent for submitted text). */
  candidate?: { version: number; id: number; semver: string; deleted: boolean };
  /** The verdict under `level` against the versions checked, exactly as the verbose Confluent endpoint. */
  is_compatible: boolean;
  messages: string[];
  /** Every version checked, newest first, with both directions whatever the level. */
  checks: ExplainedVersionCheck[];
}

export interface RegistryApi {
  /** `GET /schemas/types`. */
  schemaTypes(): string[];

  getSchemaById(
    id: string,
    opts: { subject?: string; fetchMaxId?: boolean; format?: string },
  ): Promise<SchemaStringView>;
  getSchemaTextById(id: string, opts: { subject?: string; format?: string }): Promise<string>;
  getSubjectsById(id: string, opts: ListQuery & { subject?: string }): Promise<string[]>;
  getVersionsById(
    id: string,
    opts: ListQuery & { subject?: string },
  ): Promise<Array<{ subject: string; version: number }>>;
  listSchemas(
    opts: ListQuery & { subjectPrefix?: string; latestOnly?: boolean },
  ): Promise<SchemaVersionView[]>;

  listSubjects(opts: ListQuery & { subjectPrefix?: string }): Promise<string[]>;
  listVersions(subject: string, opts: ListQuery & { deletedAsNegative?: boolean }): Promise<number[]>;
  /** `POST /subjects/{s}/versions`; `body` is the raw parsed JSON body (validated here). */
  register(
    subject: string,
    body: unknown,
    opts: { normalize?: boolean; force?: boolean },
  ): Promise<{ id: number }>;
  /** `version` is the raw path segment: an int in [1, 2^31-1], `latest` or `-1`; anything else is 42202. */
  getVersion(
    subject: string,
    version: string,
    opts: { deleted?: boolean; format?: string },
  ): Promise<SchemaVersionView>;
  getVersionDetail(
    subject: string,
    version: string,
    opts: { deleted?: boolean },
  ): Promise<SchemaVersionDetail>;
  getReferencedBy(subject: string, version: string, opts: ListQuery): Promise<number[]>;
  /** `POST /subjects/{s}`. */
  lookup(
    subject: string,
    body: unknown,
    opts: { normalize?: boolean; deleted?: boolean },
  ): Promise<SchemaVersionView>;
  deleteSubject(subject: string, opts: { permanent?: boolean; force?: boolean }): Promise<number[]>;
  deleteVersion(
    subject: string,
    version: string,
    opts: { permanent?: boolean; force?: boolean },
  ): Promise<number>;

  /** `version` undefined = `POST /compatibility/subjects/{s}/versions` (the register check). */
  testCompatibility(
    subject: string,
    version: string | undefined,
    body: unknown,
    opts: { verbose?: boolean; normalize?: boolean },
  ): Promise<CompatibilityView>;

  /** `GET /catalog/subjects`: a page of subject summaries (paged, filtered by prefix or substring). */
  listSubjectSummaries(request: SubjectSummaryRequest): Promise<SubjectSummaryPageView>;
  /** `POST /compatibility/subjects/{s}/explain`: a schema or stored version against versions, both directions. */
  explainCompatibility(subject: string, body: unknown): Promise<CompatibilityExplanation>;

  /** `subject` null = global. */
  getConfig(subject: string | null, opts: { defaultToGlobal?: boolean }): Promise<ConfigView>;
  setConfig(subject: string | null, body: unknown): Promise<ConfigUpdateView>;
  deleteConfig(subject: string | null): Promise<ConfigView>;
  getMode(subject: string | null, opts: { defaultToGlobal?: boolean }): Promise<{ mode: Mode }>;
  setMode(subject: string | null, body: unknown, opts: { force?: boolean }): Promise<{ mode: Mode }>;
  deleteMode(subject: string | null, opts: { recursive?: boolean }): Promise<{ mode: Mode }>;

  /** Our own admin endpoints, for export/import. */
  getRegistryState(): Promise<RegistryStateView>;
  /** `PUT /admin/max-schema-id` `{"maxSchemaId": N}`: raises (never lowers) the id high-water mark. */
  raiseMaxSchemaId(body: unknown): Promise<{ maxSchemaId: number }>;
}
