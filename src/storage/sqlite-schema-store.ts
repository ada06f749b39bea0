/**
 * The SchemaStore on SQLite. Every check-then-write runs inside ONE `BEGIN IMMEDIATE` transaction
 * (the write lock is taken before the state is read), with the domain decision called synchronously in
 * between, so concurrent registrations, even from several processes sharing the file, serialise: no
 * duplicate versions, no version gaps, never two ids for one schema.
 */
import type { SchemaReference } from '../avro/types.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { DomainError, isDomainError } from '../errors.js';
import type { Mode } from '../registry/registry-api.js';
import type {
  ConfigRecord,
  DeletePlan,
  ModeWrite,
  PreparedSchema,
  ReferenceTarget,
  Referrer,
  RegisterOutcome,
  RegisterResult,
  RegisterState,
  RegistryStateStore,
  SchemaRecord,
  SchemaStore,
  ScopeSettings,
  ScopeState,
  StoredVersion,
  SubjectState,
  SubjectWriteEvent,
  SubjectWriteListener,
  VersionSummary,
} from '../registry/schema-store.js';
import { referenceKey } from '../registry/schema-store.js';
import type { SqliteDatabase } from './sqlite.js';
import {
  type ConfigRow,
  type SchemaMeta,
  type SchemaRow,
  SqliteStatements,
  toConfig,
  toLazyStoredVersion,
  toLazyVersion,
  toSchemaMeta,
  toSchemaRecord,
  toStoredVersion,
  type VersionMetaRow,
  type VersionOnlyRow,
  type VersionRow,
} from './sqlite-statements.js';

/** Key of the global row in `configs` and `modes` (an invalid subject name, so it cannot collide). */
export const GLOBAL_SCOPE = '__GLOBAL';

/** Schema ids whose immutable columns `lockedHistory` keeps (~0.4 KB each). */
const SCHEMA_META_CAPACITY = 50_000;
/** Up to this many unknown ids are read one by one rather than by re-reading the whole history. */
const SCHEMA_META_POINT_READS = 16;

export interface SqliteSchemaStoreOptions {
  readonly clock?: Clock;
  readonly onSubjectWrite?: SubjectWriteListener | readonly SubjectWriteListener[];
}

export class SqliteSchemaStore implements SchemaStore, RegistryStateStore {
  /** Shared with the other storage modules so their writes can join these transactions. */
  readonly db: SqliteDatabase;
  private readonly clock: Clock;
  private readonly sql: SqliteStatements;
  private readonly listeners: SubjectWriteListener[] = [];
  /** Immutable schema columns by id, for `lockedHistory`. */
  private readonly schemaMetas = new Map<number, SchemaMeta>();

  constructor(db: SqliteDatabase, options: SqliteSchemaStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.sql = new SqliteStatements(db);
    const initial = options.onSubjectWrite;
    if (typeof initial === 'function') this.listeners.push(initial);
    else if (initial !== undefined) this.listeners.push(...initial);
  }

  /** Adds a listener called inside every transaction that changes a subject's versions. */
  addSubjectWriteListener(listener: SubjectWriteListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  async getSchemaRecord(id: number): Promise<SchemaRecord | undefined> {
    return guard('reading a schema', () => this.schemaById(id));
  }

  async maxSchemaId(): Promise<number> {
    return guard('reading the id high-water mark', () => this.highWaterId());
  }

  async getVersionsBySchemaId(id: number): Promise<StoredVersion[]> {
    return guard('reading versions by id', () => this.rows(this.sql.versionsBySchemaId.all(id)));
  }

  async getSubjectHistory(subject: string): Promise<StoredVersion[]> {
    return guard('reading a subject', () => this.history(subject));
  }

  async listVersionSummaries(subject: string): Promise<VersionSummary[]> {
    return guard('reading a subject', () =>
      (this.sql.summaries.all(subject) as Array<Omit<VersionSummary, 'deleted'> & { deleted: number }>).map(
        (row) => ({ ...row, deleted: row.deleted === 1 }),
      ),
    );
  }

  async getVersion(subject: string, version: number): Promise<StoredVersion | undefined> {
    return guard('reading a version', () => {
      const row = this.sql.version.get(subject, version) as VersionRow | undefined;
      return row === undefined ? undefined : toStoredVersion(row);
    });
  }

  async listAllVersions(subjectPrefix?: string): Promise<StoredVersion[]> {
    return guard('listing versions', () => {
      const all = this.rows(this.sql.allVersions.all());
      return subjectPrefix === undefined ? all : all.filter((v) => v.subject.startsWith(subjectPrefix));
    });
  }

  async listSubjectCounts(): Promise<Array<{ subject: string; live: number; deleted: number }>> {
    return guard(
      'listing subjects',
      () => this.sql.subjectCounts.all() as Array<{ subject: string; live: number; deleted: number }>,
    );
  }

  async getReferrers(subject: string, version: number): Promise<Referrer[]> {
    return guard('reading references', () => this.referrersOf(subject).get(version) ?? []);
  }

  async resolveReferences(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>> {
    return guard('resolving references', () => this.referenceClosure(refs));
  }

  async getSettings(subject: string | null): Promise<ScopeSettings> {
    return guard('reading settings', () => this.settings(subject));
  }

  async register(
    subject: string,
    prepared: PreparedSchema,
    decide: (state: RegisterState) => RegisterOutcome,
  ): Promise<RegisterResult> {
    const run = this.db.transaction((): RegisterResult => {
      const versions = this.lockedHistory(subject);
      const identityRow = this.sql.schemaByIdentity.get(prepared.identity);
      const state: RegisterState = {
        subject,
        versions,
        ...this.settings(subject),
        identityMatch: identityRow === undefined ? undefined : toSchemaRecord(identityRow as SchemaRow),
        requestedIdSchema:
          prepared.requestedId === undefined ? undefined : this.schemaById(prepared.requestedId),
        highWaterId: this.highWaterId(),
        referenceTargets: this.referenceClosure([
          ...prepared.references,
          ...versions.flatMap((v) => v.references),
        ]),
      };
      const outcome = decide(state);
      if (outcome.kind === 'existing') return { id: outcome.id, version: outcome.version, created: false };

      const now = outcome.createdAt ?? this.clock.now();
      if (outcome.insertSchema) {
        this.sql.insertSchema.run({
          id: outcome.schemaId,
          identity: prepared.identity,
          schemaType: prepared.schemaType,
          canonical: prepared.canonical,
          original: prepared.original,
          referencesJson: JSON.stringify(prepared.references),
          pcf: prepared.pcf,
          crc64: prepared.crc64,
          md5: prepared.md5,
          sha256: prepared.sha256,
          createdAt: now,
        });
        prepared.references.forEach((ref, position) => {
          this.sql.insertReference.run(outcome.schemaId, position, ref.name, ref.subject, ref.version);
        });
      }
      this.sql.insertVersion.run(subject, outcome.version, outcome.schemaId, outcome.semver, now);
      for (const version of outcome.tombstones) this.sql.deleteVersion.run(subject, version);
      this.sql.raiseHighWater.run(outcome.highWaterId);
      this.emit({ subject, kind: 'register', versions: [outcome.version], permanent: false, force: false });
      if (outcome.tombstones.length > 0) {
        this.emit({
          subject,
          kind: 'delete-version',
          versions: [...outcome.tombstones],
          permanent: true,
          force: false,
        });
      }
      return { id: outcome.schemaId, version: outcome.version, created: true };
    });
    return guard('registering a schema', () => run.immediate());
  }

  async deleteVersions(subject: string, decide: (state: SubjectState) => DeletePlan): Promise<number[]> {
    const run = this.db.transaction((): number[] => {
      const plan = decide({
        subject,
        versions: this.lockedHistory(subject),
        ...this.settings(subject),
        referrers: this.referrersOf(subject),
      });
      if (plan.versions.length === 0) return [];
      for (const version of plan.versions) {
        if (plan.permanent) this.sql.deleteVersion.run(subject, version);
        else this.sql.softDeleteVersion.run(subject, version);
      }
      // A hard delete of a subject's last record also forgets its settings (Confluent PR #3810).
      if (plan.permanent && this.sql.subjectExists.get(subject) === undefined) {
        this.sql.deleteConfig.run(subject);
        this.sql.deleteMode.run(subject);
      }
      this.emit({
        subject,
        kind: plan.kind,
        versions: [...plan.versions],
        permanent: plan.permanent,
        force: plan.force,
      });
      return [...plan.versions];
    });
    return guard('deleting versions', () => run.immediate());
  }

  async listSubjectsWithSettings(): Promise<string[]> {
    return guard('listing subject settings', () =>
      (this.sql.subjectsWithSettings.all(GLOBAL_SCOPE, GLOBAL_SCOPE) as Array<{ subject: string }>).map(
        (r) => r.subject,
      ),
    );
  }

  async raiseMaxSchemaId(id: number): Promise<number> {
    const run = this.db.transaction((): number => {
      this.sql.raiseHighWater.run(id);
      return this.highWaterId();
    });
    return guard('raising the id high-water mark', () => run.immediate());
  }

  async setConfig(
    subject: string | null,
    update: ConfigRecord,
    check: (state: ScopeState) => void,
  ): Promise<void> {
    const run = this.db.transaction(() => {
      check(this.scopeState(subject));
      this.sql.upsertConfig.run(
        subject ?? GLOBAL_SCOPE,
        update.compatibility,
        update.normalize === null ? null : Number(update.normalize),
      );
    });
    guard('writing config', () => run.immediate());
  }

  async deleteConfig(
    subject: string | null,
    check: (state: ScopeState) => void,
  ): Promise<ConfigRecord | undefined> {
    const run = this.db.transaction(() => {
      const state = this.scopeState(subject);
      check(state);
      this.sql.deleteConfig.run(subject ?? GLOBAL_SCOPE);
      return subject === null ? state.globalConfig : state.subjectConfig;
    });
    return guard('deleting config', () => run.immediate());
  }

  async setMode(subject: string | null, mode: Mode, decide: (state: ScopeState) => ModeWrite): Promise<void> {
    const run = this.db.transaction(() => {
      const write = decide(this.scopeState(subject));
      if (write.clearSoftDeleted) this.clearSoftDeleted(subject);
      this.sql.upsertMode.run(subject ?? GLOBAL_SCOPE, mode);
    });
    guard('writing mode', () => run.immediate());
  }

  async deleteMode(subject: string | null, recursive: boolean): Promise<Mode | undefined> {
    const run = this.db.transaction(() => {
      const old = (this.sql.mode.get(subject ?? GLOBAL_SCOPE) as { mode: Mode } | undefined)?.mode;
      this.sql.deleteMode.run(subject ?? GLOBAL_SCOPE);
      if (recursive && subject === null) this.sql.deleteAllModes.run();
      return old;
    });
    return guard('deleting mode', () => run.immediate());
  }

  private emit(event: SubjectWriteEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private rows(rows: unknown[]): StoredVersion[] {
    return (rows as VersionRow[]).map(toStoredVersion);
  }

  private history(subject: string): StoredVersion[] {
    return this.rows(this.sql.history.all(subject));
  }

  /**
   * The history for a decision inside a transaction: texts are loaded only if the decision reads them.
   * Only the subject-version columns are read each time; the schema columns come from a memo by id
   * (schema rows are insert-only, and only committed rows reach the memo: it is filled before this
   * transaction writes anything), which saves most of the read on a long history.
   */
  private lockedHistory(subject: string): StoredVersion[] {
    const load = (schemaId: number) =>
      this.sql.schemaTexts.get(schemaId) as { canonical: string; pcf: string };
    const rows = this.sql.historyVersions.all(subject) as VersionOnlyRow[];
    const missing = rows.filter((row) => !this.schemaMetas.has(row.schemaId));
    if (missing.length > SCHEMA_META_POINT_READS) {
      // A cold (or larger than the memo) history: one joined read of the whole history.
      const metaRows = this.sql.historyMeta.all(subject) as VersionMetaRow[];
      if (this.schemaMetas.size + missing.length > SCHEMA_META_CAPACITY) this.schemaMetas.clear();
      if (missing.length > SCHEMA_META_CAPACITY) return metaRows.map((row) => toLazyStoredVersion(row, load));
      for (const row of metaRows) this.schemaMetas.set(row.schemaId, toSchemaMeta(row));
    } else {
      // Usually the one version the previous registration added.
      for (const row of missing) {
        const meta = this.sql.schemaMeta.get(row.schemaId) as VersionMetaRow;
        if (this.schemaMetas.size >= SCHEMA_META_CAPACITY) this.schemaMetas.clear();
        this.schemaMetas.set(row.schemaId, toSchemaMeta(meta));
      }
    }
    return rows.map((row) => toLazyVersion(subject, row, this.schemaMetas.get(row.schemaId)!, load));
  }

  private schemaById(id: number): SchemaRecord | undefined {
    const row = this.sql.schemaById.get(id);
    return row === undefined ? undefined : toSchemaRecord(row as SchemaRow);
  }

  private highWaterId(): number {
    return (this.sql.highWater.get() as { value: number }).value;
  }

  private settings(subject: string | null): ScopeSettings {
    const config = (key: string) => {
      const row = this.sql.config.get(key);
      return row === undefined ? undefined : toConfig(row as ConfigRow);
    };
    const mode = (key: string) => (this.sql.mode.get(key) as { mode: Mode } | undefined)?.mode;
    return {
      subjectConfig: subject === null ? undefined : config(subject),
      globalConfig: config(GLOBAL_SCOPE),
      subjectMode: subject === null ? undefined : mode(subject),
      globalMode: mode(GLOBAL_SCOPE),
    };
  }

  private scopeState(subject: string | null): ScopeState {
    const live = subject === null ? this.sql.anyLive.get() : this.sql.subjectLive.get(subject);
    return { ...this.settings(subject), hasLiveVersions: live !== undefined };
  }

  private referrersOf(subject: string): Map<number, Referrer[]> {
    const byVersion = new Map<number, Referrer[]>();
    const rows = this.sql.referrers.all(subject) as Array<{
      target: number;
      schemaId: number;
      subject: string;
      version: number;
      deleted: number;
    }>;
    for (const row of rows) {
      const list = byVersion.get(row.target) ?? [];
      list.push({
        schemaId: row.schemaId,
        subject: row.subject,
        version: row.version,
        deleted: row.deleted === 1,
      });
      byVersion.set(row.target, list);
    }
    return byVersion;
  }

  /** Breadth-first over reference targets (soft-deleted ones still resolve, as ids do). */
  private referenceClosure(refs: readonly SchemaReference[]): Map<string, ReferenceTarget> {
    const found = new Map<string, ReferenceTarget>();
    const queue = [...refs];
    const seen = new Set<string>();
    for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
      const key = referenceKey(ref.subject, ref.version);
      if (seen.has(key)) continue;
      seen.add(key);
      const row = this.sql.version.get(ref.subject, ref.version) as VersionRow | undefined;
      if (row === undefined) continue;
      const target = toStoredVersion(row);
      found.set(key, { schema: target.schema, references: target.references });
      queue.push(...target.references);
    }
    return found;
  }

  private clearSoftDeleted(subject: string | null): void {
    const rows = (
      subject === null ? this.sql.allSoftDeleted.all() : this.sql.subjectSoftDeleted.all(subject)
    ) as Array<{ subject: string; version: number }>;
    const bySubject = new Map<string, number[]>();
    for (const row of rows) {
      this.sql.deleteVersion.run(row.subject, row.version);
      bySubject.set(row.subject, [...(bySubject.get(row.subject) ?? []), row.version]);
    }
    for (const [name, versions] of bySubject) {
      this.emit({ subject: name, kind: 'delete-version', versions, permanent: true, force: false });
    }
  }
}

/** Attempts of one operation while another process holds the write lock (each waits busy_timeout). */
const BUSY_ATTEMPTS = 3;

/**
 * Domain errors (including listener vetoes) pass through; anything SQLite throws becomes STORE_ERROR.
 * SQLITE_BUSY (another process kept the lock past busy_timeout) is retried: the operation is a whole
 * transaction that decides afresh, so running it again is safe. Still busy after that is a 503 a
 * client may retry, never a 500.
 */
function guard<T>(what: string, fn: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (isDomainError(e)) throw e;
      const code = (e as { code?: unknown }).code;
      const busy =
        typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
      if (busy && attempt < BUSY_ATTEMPTS) continue;
      if (busy) throw new DomainError('SERVICE_UNAVAILABLE', `The database is busy (${what}); try again`);
      throw new DomainError('STORE_ERROR', `Store error while ${what}: ${(e as Error).message}`);
    }
  }
}
