/**
 * The registry's use cases with Confluent's semantics (reference §3–§7), over a SchemaStore. Pure
 * expensive work (parsing, canonical forms, fingerprints) happens here before the store's critical
 * section; every check-then-write is a pure decision the store runs inside it. Nothing mutable is
 * cached in process: several processes may share one database.
 */
import { canonicalString } from '../avro/canonical.js';
import { CompatibilityCache, checkAgainstOne } from '../avro/levels.js';
import type { CompatibilityLevel, ParseLimits, SchemaReference } from '../avro/types.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import {
  decideSubjectDelete,
  decideVersionDelete,
  subjectNotFound,
  versionNotFound,
} from './delete-decision.js';
import { type Prepared, SchemaPreparer } from './prepare-schema.js';
import { checkAgainstLive, type DecisionDeps, decideRegistration, forCheck } from './register-decision.js';
import type {
  CompatibilityView,
  ConfigUpdateView,
  ConfigView,
  ListQuery,
  Mode,
  RegistryApi,
  RegistryStateView,
  SchemaStringView,
  SchemaVersionDetail,
  SchemaVersionView,
} from './registry-api.js';
import { parseMaxSchemaIdUpdate, parseRegisterRequest, type RegisterRequest } from './requests.js';
import {
  isRegistryStateStore,
  type RegistryStateStore,
  type SchemaRecord,
  type SchemaStore,
  type StoredVersion,
  type SubjectHistoryEntry,
} from './schema-store.js';
import { effectiveCompatibility, effectiveNormalize } from './settings.js';
import { SettingsService } from './settings-service.js';
import { assertValidSubject } from './subjects.js';
import { parseVersionId } from './version-id.js';
import {
  bySubjectVersion,
  compareStrings,
  paginate,
  parseSchemaId,
  prefixFilter,
  versionView,
} from './views.js';

export interface RegistryServiceOptions {
  readonly store: SchemaStore;
  readonly clock: Clock;
  readonly defaultCompatibility: CompatibilityLevel;
  readonly limits?: Partial<ParseLimits>;
  /** Shared reader/writer result cache (results are pure functions of the two schemas). */
  readonly compatibilityCache?: CompatibilityCache;
  /** Export/import facts; defaults to `store` when it provides them (a caching wrapper does not). */
  readonly stateStore?: RegistryStateStore;
}

export class RegistryService implements RegistryApi {
  readonly store: SchemaStore;
  readonly clock: Clock;
  readonly defaultCompatibility: CompatibilityLevel;
  readonly compatibilityCache: CompatibilityCache;
  private readonly preparer: SchemaPreparer;
  private readonly deps: DecisionDeps;
  private readonly settings: SettingsService;
  private readonly stateStore: RegistryStateStore | undefined;

  constructor(options: RegistryServiceOptions) {
    this.store = options.store;
    this.stateStore = options.stateStore ?? (isRegistryStateStore(options.store) ? options.store : undefined);
    this.clock = options.clock;
    this.defaultCompatibility = options.defaultCompatibility;
    this.compatibilityCache = options.compatibilityCache ?? new CompatibilityCache();
    this.preparer = new SchemaPreparer(options.limits);
    this.settings = new SettingsService(this.store, this.defaultCompatibility);
    this.deps = {
      defaultCompatibility: this.defaultCompatibility,
      cache: this.compatibilityCache,
      parseStored: (version, targets) => this.preparer.parseStored(version, targets),
    };
  }

  schemaTypes(): string[] {
    return ['AVRO'];
  }

  /** Every version of a subject, soft-deleted included, ascending (for negotiation and tooling). */
  getSubjectHistory(subject: string): Promise<SubjectHistoryEntry[]> {
    return this.store.getSubjectHistory(subject);
  }

  /** The schema row behind an id, whether or not any subject-version still holds it. */
  getSchemaRecord(id: number): Promise<SchemaRecord | undefined> {
    return this.store.getSchemaRecord(id);
  }

  // ---- /schemas ----------------------------------------------------------------------------------

  async getSchemaById(
    id: string,
    opts: { subject?: string; fetchMaxId?: boolean; format?: string },
  ): Promise<SchemaStringView> {
    const { record } = await this.resolvableSchema(id, (n) => `Schema ${n} not found`);
    const view: SchemaStringView = { schema: await this.formatted(record.id, record, opts.format) };
    if (record.references.length > 0) view.references = [...record.references];
    if (opts.fetchMaxId) view.maxId = await this.store.maxSchemaId();
    return view;
  }

  async getSchemaTextById(id: string, opts: { subject?: string; format?: string }): Promise<string> {
    const { record } = await this.resolvableSchema(id, (n) => `Schema ${n} not found`);
    return this.formatted(record.id, record, opts.format);
  }

  async getSubjectsById(id: string, opts: ListQuery & { subject?: string }): Promise<string[]> {
    const { holders } = await this.resolvableSchema(id, () => 'Schema not found');
    const subjects = holders.filter((v) => opts.deleted || !v.deleted).map((v) => v.subject);
    return paginate([...new Set(subjects)].sort(compareStrings), opts);
  }

  async getVersionsById(
    id: string,
    opts: ListQuery & { subject?: string },
  ): Promise<Array<{ subject: string; version: number }>> {
    const { holders } = await this.resolvableSchema(id, () => 'Schema not found');
    const visible = holders.filter((v) => opts.deleted || !v.deleted).sort(bySubjectVersion);
    return paginate(
      visible.map((v) => ({ subject: v.subject, version: v.version })),
      opts,
    );
  }

  async listSchemas(
    opts: ListQuery & { subjectPrefix?: string; latestOnly?: boolean },
  ): Promise<SchemaVersionView[]> {
    const all = await this.store.listAllVersions(prefixFilter(opts.subjectPrefix));
    let visible = all.filter((v) => opts.deleted || !v.deleted).sort(bySubjectVersion);
    if (opts.latestOnly) {
      const latest = new Map<string, StoredVersion>();
      for (const v of visible) latest.set(v.subject, v);
      visible = [...latest.values()];
    }
    return paginate(visible.map(versionView), opts);
  }

  // ---- /subjects ---------------------------------------------------------------------------------

  async listSubjects(opts: ListQuery & { subjectPrefix?: string }): Promise<string[]> {
    const prefix = prefixFilter(opts.subjectPrefix);
    const counts = await this.store.listSubjectCounts();
    const subjects = counts
      .filter((c) => prefix === undefined || c.subject.startsWith(prefix))
      // A subject counts as deleted only when every version is soft-deleted.
      .filter((c) => (opts.deletedOnly ? c.live === 0 : opts.deleted || c.live > 0))
      .map((c) => c.subject)
      .sort(compareStrings);
    return paginate(subjects, opts);
  }

  async listVersions(subject: string, opts: ListQuery & { deletedAsNegative?: boolean }): Promise<number[]> {
    const history = await this.store.listVersionSummaries(subject);
    const anyDeletedView = opts.deleted || opts.deletedOnly || opts.deletedAsNegative;
    if (history.length === 0 || (!anyDeletedView && !history.some((v) => !v.deleted))) {
      throw subjectNotFound(subject);
    }
    let versions: number[];
    if (opts.deletedOnly) versions = history.filter((v) => v.deleted).map((v) => v.version);
    else if (opts.deletedAsNegative) versions = history.map((v) => (v.deleted ? -v.version : v.version));
    else versions = history.filter((v) => opts.deleted || !v.deleted).map((v) => v.version);
    return paginate(versions, opts);
  }

  async register(
    subject: string,
    body: unknown,
    opts: { normalize?: boolean; force?: boolean },
  ): Promise<{ id: number }> {
    const request = parseRegisterRequest(body);
    assertValidSubject(subject);
    const settings = await this.store.getSettings(subject);
    const source = await this.schemaSource(subject, request);
    const { prepared, parsed, referenceTargets } = await this.prepare(source, {
      // Imports with explicit ids skip the new-schema validation, as Confluent's `validateAsNew` does.
      mode: request.id === undefined && !source.reused ? 'strict' : 'lenient',
      normalize: opts.normalize === true || effectiveNormalize(settings),
      ...(request.id === undefined ? {} : { requestedId: request.id }),
    });
    // The common case (a producer re-registering at start-up) answers from a plain read, without the
    // write lock; it is the answer the locked decision would give at this instant (same rule).
    const live = (await this.store.listVersionSummaries(subject)).findLast(
      (v) =>
        !v.deleted &&
        v.identity === prepared.identity &&
        (request.id === undefined || v.schemaId === request.id),
    );
    if (live !== undefined) return { id: live.schemaId };
    const createdAt = this.clock.now();
    const result = await this.store.register(subject, prepared, (state) => {
      const outcome = decideRegistration(
        {
          subject,
          prepared,
          parsed,
          requestedVersion: request.version,
          statedSemver: request.statedSemver,
          force: opts.force === true,
          referenceTargets,
        },
        state,
        this.deps,
      );
      return outcome.kind === 'create' ? { ...outcome, createdAt } : outcome;
    });
    return { id: result.id };
  }

  async getVersion(
    subject: string,
    version: string,
    opts: { deleted?: boolean; format?: string },
  ): Promise<SchemaVersionView> {
    const found = await this.findVersion(subject, version, opts.deleted === true);
    const view = versionView(found);
    view.schema = await this.formatted(found.schemaId, found, opts.format);
    return view;
  }

  async getVersionDetail(
    subject: string,
    version: string,
    opts: { deleted?: boolean },
  ): Promise<SchemaVersionDetail> {
    const found = await this.findVersion(subject, version, opts.deleted === true);
    return {
      ...versionView(found),
      semver: found.semver,
      deleted: found.deleted,
      fingerprints: { crc64: found.crc64, sha256: found.sha256 },
      createdAt: found.createdAt,
    };
  }

  async getReferencedBy(subject: string, version: string, opts: ListQuery): Promise<number[]> {
    // Confluent looks the target up with deleted schemas included: a soft-deleted version can still be
    // referenced (that is what blocks its hard delete), so asking who references it must answer.
    const found = await this.findVersion(subject, version, true);
    const referrers = await this.store.getReferrers(subject, found.version);
    const ids = referrers.filter((r) => opts.deleted || !r.deleted).map((r) => r.schemaId);
    return paginate(
      [...new Set(ids)].sort((a, b) => a - b),
      opts,
    );
  }

  async lookup(
    subject: string,
    body: unknown,
    opts: { normalize?: boolean; deleted?: boolean },
  ): Promise<SchemaVersionView> {
    const request = parseRegisterRequest(body);
    if (request.schema === undefined) throw new DomainError('INVALID_SCHEMA', 'Empty schema');
    const summaries = await this.store.listVersionSummaries(subject);
    const candidates = summaries.filter((v) => opts.deleted || !v.deleted);
    if (candidates.length === 0) throw subjectNotFound(subject);
    const settings = await this.store.getSettings(subject);
    const { prepared } = await this.prepare(
      { text: request.schema, schemaType: request.schemaType, references: request.references },
      { mode: 'lenient', normalize: opts.normalize === true || effectiveNormalize(settings) },
    );
    const match = candidates.findLast((v) => v.identity === prepared.identity);
    const found = match === undefined ? undefined : await this.store.getVersion(subject, match.version);
    if (found === undefined) throw new DomainError('SCHEMA_NOT_FOUND', 'Schema not found');
    return versionView(found);
  }

  async deleteSubject(subject: string, opts: { permanent?: boolean; force?: boolean }): Promise<number[]> {
    return this.store.deleteVersions(subject, (state) =>
      decideSubjectDelete(state, { permanent: opts.permanent === true, force: opts.force === true }),
    );
  }

  async deleteVersion(
    subject: string,
    version: string,
    opts: { permanent?: boolean; force?: boolean },
  ): Promise<number> {
    const id = parseVersionId(version);
    const removed = await this.store.deleteVersions(subject, (state) =>
      decideVersionDelete(state, id, version, {
        permanent: opts.permanent === true,
        force: opts.force === true,
      }),
    );
    return removed[0]!;
  }

  // ---- /compatibility ----------------------------------------------------------------------------

  async testCompatibility(
    subject: string,
    version: string | undefined,
    body: unknown,
    opts: { verbose?: boolean; normalize?: boolean },
  ): Promise<CompatibilityView> {
    const versionId = version === undefined ? undefined : parseVersionId(version);
    const request = parseRegisterRequest(body);
    const [history, settings] = await Promise.all([
      this.store.getSubjectHistory(subject),
      this.store.getSettings(subject),
    ]);
    const live = history.filter((v) => !v.deleted);
    // Resolved before the schema is even parsed, as Confluent does: `latest` with nothing live (or no
    // subject at all) is compatible with anything; a numeric version must exist and be live, whether
    // or not the subject does (40402).
    let against: StoredVersion | undefined;
    if (versionId?.kind === 'latest') against = live.at(-1);
    else if (versionId !== undefined) {
      against = live.find((v) => v.version === versionId.version);
      if (against === undefined) throw versionNotFound(versionId.version);
    }
    let prepared: Prepared;
    try {
      if (request.schema === undefined) throw new DomainError('INVALID_SCHEMA', 'Empty schema');
      prepared = await this.prepare(
        { text: request.schema, schemaType: request.schemaType, references: request.references },
        { mode: 'strict', normalize: opts.normalize === true || effectiveNormalize(settings) },
      );
    } catch (e) {
      // With verbose, an invalid schema is an answer, not an error.
      if (opts.verbose && e instanceof DomainError && e.code === 'INVALID_SCHEMA') {
        return { is_compatible: false, messages: [e.message] };
      }
      throw e;
    }
    const level = effectiveCompatibility(settings, this.defaultCompatibility);
    const candidate = {
      parsed: prepared.parsed,
      key: prepared.prepared.identity,
      canonical: prepared.prepared.canonical,
    };
    const targets = await this.store.resolveReferences(live.flatMap((v) => v.references));
    let result: { compatible: boolean; messages: string[] };
    if (versionId === undefined) {
      result = checkAgainstLive(level, candidate, live, targets, this.deps);
    } else {
      result =
        against === undefined
          ? { compatible: true, messages: [] }
          : checkAgainstOne(level, candidate, forCheck(against, targets, this.deps), {
              cache: this.compatibilityCache,
            });
    }
    return opts.verbose
      ? { is_compatible: result.compatible, messages: result.messages }
      : { is_compatible: result.compatible };
  }

  // ---- /config and /mode (SettingsService) -------------------------------------------------------

  getConfig(subject: string | null, opts: { defaultToGlobal?: boolean }): Promise<ConfigView> {
    return this.settings.getConfig(subject, opts);
  }

  setConfig(subject: string | null, body: unknown): Promise<ConfigUpdateView> {
    return this.settings.setConfig(subject, body);
  }

  deleteConfig(subject: string | null): Promise<ConfigView> {
    return this.settings.deleteConfig(subject);
  }

  getMode(subject: string | null, opts: { defaultToGlobal?: boolean }): Promise<{ mode: Mode }> {
    return this.settings.getMode(subject, opts);
  }

  setMode(subject: string | null, body: unknown, opts: { force?: boolean }): Promise<{ mode: Mode }> {
    return this.settings.setMode(subject, body, opts);
  }

  deleteMode(subject: string | null, opts: { recursive?: boolean }): Promise<{ mode: Mode }> {
    return this.settings.deleteMode(subject, opts);
  }

  // ---- /admin (export and import) ---------------------------------------------------------------

  async getRegistryState(): Promise<RegistryStateView> {
    const state = this.requireStateStore();
    const [maxSchemaId, subjects] = await Promise.all([
      this.store.maxSchemaId(),
      state.listSubjectsWithSettings(),
    ]);
    return { maxSchemaId, subjectsWithSettings: [...subjects].sort(compareStrings) };
  }

  async raiseMaxSchemaId(body: unknown): Promise<{ maxSchemaId: number }> {
    const id = parseMaxSchemaIdUpdate(body);
    return { maxSchemaId: await this.requireStateStore().raiseMaxSchemaId(id) };
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /**
   * The `format` query parameter (Confluent `AvroSchema.formattedString`): `resolved` inlines the
   * referenced types, as Java's `rawSchema().toString()` prints them at first use; `default`, absent
   * and unknown formats (ignored for forward compatibility) are the stored text.
   */
  private async formatted(
    schemaId: number,
    stored: { readonly schema: string; readonly references: readonly SchemaReference[] },
    format: string | undefined,
  ): Promise<string> {
    if (stored.references.length === 0 || format?.trim().toLowerCase() !== 'resolved') return stored.schema;
    const targets = await this.store.resolveReferences(stored.references);
    const parsed = this.preparer.parseStored({ schemaId, ...stored }, targets);
    return canonicalString(parsed.root);
  }

  private requireStateStore(): RegistryStateStore {
    if (this.stateStore === undefined) {
      throw new DomainError('INTERNAL', 'This registry was built without export/import support');
    }
    return this.stateStore;
  }

  /** The schema text to register: the body's, or with an empty body the latest live version's (§4.7). */
  private async schemaSource(
    subject: string,
    request: RegisterRequest,
  ): Promise<{
    text: string;
    schemaType: string;
    references: RegisterRequest['references'];
    reused: boolean;
  }> {
    if (request.schema !== undefined) {
      return {
        text: request.schema,
        schemaType: request.schemaType,
        references: request.references,
        reused: false,
      };
    }
    const summary = (await this.store.listVersionSummaries(subject)).findLast((v) => !v.deleted);
    const latest = summary === undefined ? undefined : await this.store.getVersion(subject, summary.version);
    if (latest === undefined) throw new DomainError('INVALID_SCHEMA', 'Empty schema');
    return {
      text: latest.schema,
      schemaType: latest.schemaType,
      references: latest.references,
      reused: true,
    };
  }

  private async prepare(
    source: { text: string; schemaType: string; references: RegisterRequest['references'] },
    options: { mode: 'strict' | 'lenient'; normalize: boolean; requestedId?: number },
  ): Promise<Prepared> {
    if (source.schemaType !== 'AVRO') {
      throw new DomainError('INVALID_SCHEMA', `Invalid schema type ${source.schemaType}`);
    }
    const referenceTargets = await this.store.resolveReferences(source.references);
    return this.preparer.prepare({
      text: source.text,
      schemaType: source.schemaType,
      references: source.references,
      mode: options.mode,
      normalize: options.normalize,
      referenceTargets,
      ...(options.requestedId === undefined ? {} : { requestedId: options.requestedId }),
    });
  }

  /** An id that resolves: known, and still held by at least one subject-version (soft-deleted counts). */
  private async resolvableSchema(
    raw: string,
    message: (id: number) => string,
  ): Promise<{ record: SchemaRecord; holders: StoredVersion[] }> {
    const id = parseSchemaId(raw);
    const [record, holders] = await Promise.all([
      this.store.getSchemaRecord(id),
      this.store.getVersionsBySchemaId(id),
    ]);
    if (record === undefined || holders.length === 0) throw new DomainError('SCHEMA_NOT_FOUND', message(id));
    return { record, holders };
  }

  private async findVersion(subject: string, raw: string, includeDeleted: boolean): Promise<StoredVersion> {
    const id = parseVersionId(raw);
    const summaries = await this.store.listVersionSummaries(subject);
    const visible = summaries.filter((v) => includeDeleted || !v.deleted);
    if (visible.length === 0) throw subjectNotFound(subject);
    // `latest` (and -1) is the newest LIVE version even with deleted=true, as Confluent's getLatestVersion.
    const picked =
      id.kind === 'latest'
        ? visible.findLast((v) => !v.deleted)
        : visible.find((v) => v.version === id.version);
    // A concurrent hard delete between the two reads reads as "not found", never as a wrong version.
    const found = picked === undefined ? undefined : await this.store.getVersion(subject, picked.version);
    if (found === undefined) throw versionNotFound(id.kind === 'latest' ? -1 : id.version);
    return found;
  }
}
