/**
 * The registry's use cases with Confluent's semantics (reference §3–§7), over a SchemaStore. Pure
 * expensive work (parsing, canonical forms, fingerprints) happens here before the store's critical
 * section; every check-then-write is a pure decision the store runs inside it. Nothing mutable is
 * cached in process: several processes may share one database.
 */
import { CompatibilityCache } from '../avro/levels.js';
import type { CompatibilityLevel, ParsedSchema, ParseLimits, SchemaReference } from '../avro/types.js';
import { type CacheBudget, cacheBudget } from '../cache/cache-budget.js';
import type { Clock } from '../clock.js';
import { DomainError, isDomainError } from '../errors.js';
import { explainCompatibility } from './compatibility-explain.js';
import { testCompatibility as checkCompatibility } from './compatibility-test.js';
import { decideSubjectDelete, decideVersionDelete, subjectNotFound } from './delete-decision.js';
import { SchemaPreparer } from './prepare-schema.js';
import { type DecisionDeps, decideRegistration } from './register-decision.js';
import type {
  CompatibilityExplanation,
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
  SubjectSummaryPageView,
  SubjectSummaryRequest,
} from './registry-api.js';
import { RegistryReads } from './registry-reads.js';
import { parseMaxSchemaIdUpdate, parseRegisterRequest } from './requests.js';
import { prepareFromStore, schemaSource } from './schema-source.js';
import type { ReferenceTarget } from './schema-store.js';
import {
  isRegistryStateStore,
  type RegistryStateStore,
  type SchemaRecord,
  type SchemaStore,
  type SubjectHistoryEntry,
} from './schema-store.js';
import { effectiveNormalize } from './settings.js';
import { SettingsService } from './settings-service.js';
import { listSubjectSummaries } from './subject-summaries.js';
import { assertValidSubject } from './subjects.js';
import { parseVersionId } from './version-id.js';
import { compareStrings, versionView } from './views.js';

export interface RegistryServiceOptions {
  readonly store: SchemaStore;
  readonly clock: Clock;
  readonly defaultCompatibility: CompatibilityLevel;
  readonly limits?: Partial<ParseLimits>;
  /** Shared reader/writer result cache (results are pure functions of the two schemas). */
  readonly compatibilityCache?: CompatibilityCache;
  /** Export/import facts; defaults to `store` when it provides them (a caching wrapper does not). */
  readonly stateStore?: RegistryStateStore;
  /** Byte bounds of the service's memos (parsed schemas, candidates, compatibility results). */
  readonly cacheBudget?: CacheBudget;
}

export class RegistryService implements RegistryApi {
  readonly store: SchemaStore;
  readonly clock: Clock;
  readonly defaultCompatibility: CompatibilityLevel;
  readonly compatibilityCache: CompatibilityCache;
  private readonly preparer: SchemaPreparer;
  private readonly deps: DecisionDeps;
  private readonly settings: SettingsService;
  private readonly reads: RegistryReads;
  private readonly stateStore: RegistryStateStore | undefined;

  constructor(options: RegistryServiceOptions) {
    this.store = options.store;
    this.stateStore = options.stateStore ?? (isRegistryStateStore(options.store) ? options.store : undefined);
    this.clock = options.clock;
    this.defaultCompatibility = options.defaultCompatibility;
    const budget = options.cacheBudget ?? cacheBudget();
    this.compatibilityCache =
      options.compatibilityCache ?? new CompatibilityCache(undefined, budget.compatibility);
    this.preparer = new SchemaPreparer(options.limits, {
      parsedBytes: budget.parsedSchemas,
      candidateBytes: budget.candidates,
    });
    this.settings = new SettingsService(this.store, this.defaultCompatibility);
    this.reads = new RegistryReads(this.store, this.preparer);
    this.deps = {
      defaultCompatibility: this.defaultCompatibility,
      cache: this.compatibilityCache,
      parseStored: (version, targets) => this.preparer.parseStored(version, targets),
    };
  }

  /**
   * The lenient parse of a stored schema, memoised by id: shared with the negotiation service so that one
   * bounded memo holds each parsed schema once.
   */
  parseStoredSchema(
    stored: {
      readonly schemaId: number;
      readonly schema: string;
      readonly references: readonly SchemaReference[];
    },
    targets: ReadonlyMap<string, ReferenceTarget>,
  ): ParsedSchema {
    return this.preparer.parseStored(stored, targets);
  }

  /** Estimated bytes held by the service's memos (for metrics and the memory tests). */
  get cachedBytes(): {
    readonly parsedSchemas: number;
    readonly candidates: number;
    readonly compatibility: number;
  } {
    return { ...this.preparer.bytes, compatibility: this.compatibilityCache.bytes };
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

  // ---- reads (RegistryReads) ---------------------------------------------------------------------

  getSchemaById(
    id: string,
    opts: { subject?: string; fetchMaxId?: boolean; format?: string },
  ): Promise<SchemaStringView> {
    return this.reads.getSchemaById(id, opts);
  }

  getSchemaTextById(id: string, opts: { subject?: string; format?: string }): Promise<string> {
    return this.reads.getSchemaTextById(id, opts);
  }

  getSubjectsById(id: string, opts: ListQuery & { subject?: string }): Promise<string[]> {
    return this.reads.getSubjectsById(id, opts);
  }

  getVersionsById(
    id: string,
    opts: ListQuery & { subject?: string },
  ): Promise<Array<{ subject: string; version: number }>> {
    return this.reads.getVersionsById(id, opts);
  }

  listSchemas(
    opts: ListQuery & { subjectPrefix?: string; latestOnly?: boolean },
  ): Promise<SchemaVersionView[]> {
    return this.reads.listSchemas(opts);
  }

  listSubjects(opts: ListQuery & { subjectPrefix?: string }): Promise<string[]> {
    return this.reads.listSubjects(opts);
  }

  listVersions(subject: string, opts: ListQuery & { deletedAsNegative?: boolean }): Promise<number[]> {
    return this.reads.listVersions(subject, opts);
  }

  getVersion(
    subject: string,
    version: string,
    opts: { deleted?: boolean; format?: string },
  ): Promise<SchemaVersionView> {
    return this.reads.getVersion(subject, version, opts);
  }

  getVersionDetail(
    subject: string,
    version: string,
    opts: { deleted?: boolean },
  ): Promise<SchemaVersionDetail> {
    return this.reads.getVersionDetail(subject, version, opts);
  }

  getReferencedBy(subject: string, version: string, opts: ListQuery): Promise<number[]> {
    return this.reads.getReferencedBy(subject, version, opts);
  }

  // ---- writes ------------------------------------------------------------------------------------

  async register(
    subject: string,
    body: unknown,
    opts: { normalize?: boolean; force?: boolean },
  ): Promise<{ id: number }> {
    const request = parseRegisterRequest(body);
    assertValidSubject(subject);
    const settings = await this.store.getSettings(subject);
    const source = await schemaSource(this.store, subject, request);
    const { prepared, parsed, referenceTargets } = await prepareFromStore(this.store, this.preparer, source, {
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
    const { prepared } = await prepareFromStore(
      this.store,
      this.preparer,
      { text: request.schema, schemaType: request.schemaType, references: request.references },
      { mode: 'lenient', normalize: opts.normalize === true || effectiveNormalize(settings) },
    );
    const match = candidates.findLast((v) => v.identity === prepared.identity);
    const found = match === undefined ? undefined : await this.store.getVersion(subject, match.version);
    if (found === undefined) throw new DomainError('SCHEMA_NOT_FOUND', 'Schema not found');
    return versionView(found);
  }

  /**
   * The identity `lookup` compares for a schema text without references, under a given normalize
   * setting: a pure function of its three arguments (the same memoised preparation the lookup runs).
   * Undefined when the lookup would refuse the text (not AVRO, not a schema): the caller then lets
   * `lookup` answer. For the HTTP fast path, which finds the matching version in the read cache.
   */
  candidateIdentity(text: string, schemaType: string, normalize: boolean): string | undefined {
    if (schemaType !== 'AVRO') return undefined;
    try {
      const { prepared } = this.preparer.prepare({
        text,
        schemaType,
        references: [],
        mode: 'lenient',
        normalize,
        referenceTargets: new Map(),
      });
      return prepared.identity;
    } catch (e) {
      if (isDomainError(e)) return undefined;
      throw e;
    }
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

  testCompatibility(
    subject: string,
    version: string | undefined,
    body: unknown,
    opts: { verbose?: boolean; normalize?: boolean },
  ): Promise<CompatibilityView> {
    const { store, preparer, deps, defaultCompatibility, compatibilityCache } = this;
    return checkCompatibility(
      { store, preparer, deps, defaultCompatibility, compatibilityCache },
      subject,
      version,
      body,
      opts,
    );
  }

  explainCompatibility(subject: string, body: unknown): Promise<CompatibilityExplanation> {
    const { store, preparer, deps, defaultCompatibility, compatibilityCache } = this;
    return explainCompatibility(
      { store, preparer, deps, defaultCompatibility, compatibilityCache },
      subject,
      body,
    );
  }

  listSubjectSummaries(request: SubjectSummaryRequest): Promise<SubjectSummaryPageView> {
    return listSubjectSummaries(this.store, this.defaultCompatibility, request);
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

  private requireStateStore(): RegistryStateStore {
    if (this.stateStore === undefined) {
      throw new DomainError('INTERNAL', 'This registry was built without export/import support');
    }
    return this.stateStore;
  }
}
