/**
 * The SchemaStore on SQLite. Every check-then-write runs inside ONE `BEGIN IMMEDIATE` transaction
 * (the write lock is taken before the state is read), with the domain decision called synchronously in
 * between, so concurrent registrations, even from several processes sharing the file, serialise: no
 * duplicate versions, no version gaps, never two ids for one schema. Settings persistence, reference
 * reads, the locked-history memo and the error guard live in sibling `sqlite-*.ts` modules.
 */
import type { SchemaReference } from '../../avro/types.js';
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import type { Mode } from '../../registry/registry-api.js';
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
  SubjectSummaryPage,
  SubjectSummaryQuery,
  SubjectWriteEvent,
  SubjectWriteListener,
  VersionSummary,
} from '../../registry/schema-store.js';
import type { SqliteDatabase } from './database.js';
import { LockedHistoryReader } from './locked-history.js';
import { referenceClosure, referrersOf } from './references.js';
import {
  GLOBAL_SCOPE,
  listSubjectsWithSettings,
  readScopeState,
  readSettings,
  removeConfig,
  removeMode,
  writeConfig,
} from './scope-settings.js';
import {
  type SchemaRow,
  SqliteStatements,
  toSchemaRecord,
  toStoredVersion,
  type VersionRow,
} from './statements.js';
import { SubjectSummaryQueries } from './subject-summaries.js';
import { SqliteTransactor } from './transactor.js';

export { GLOBAL_SCOPE };

export interface SqliteSchemaStoreOptions {
  readonly clock?: Clock;
  readonly onSubjectWrite?: SubjectWriteListener | readonly SubjectWriteListener[];
  /** The connection's transactor, when other stores share the connection (one per connection). */
  readonly transactor?: SqliteTransactor;
  /** Bound (estimated bytes) of the schema-metadata memo used inside write transactions. */
  readonly cacheMaxBytes?: number;
}

export class SqliteSchemaStore implements SchemaStore, RegistryStateStore {
  /** Shared with the other storage modules so their writes can join these transactions. */
  readonly db: SqliteDatabase;
  private readonly clock: Clock;
  private readonly sql: SqliteStatements;
  private readonly listeners: SubjectWriteListener[] = [];
  /** The history decisions read inside transactions, with its schema memo. */
  private readonly locked: LockedHistoryReader;
  /** Shared with the negotiation store, so the listener's reads and writes join our transactions. */
  readonly tx: SqliteTransactor;
  private readonly summaryQueries: SubjectSummaryQueries;

  constructor(db: SqliteDatabase, options: SqliteSchemaStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.sql = new SqliteStatements(db);
    this.locked = new LockedHistoryReader(this.sql, options.cacheMaxBytes);
    this.tx = options.transactor ?? new SqliteTransactor(db);
    this.summaryQueries = new SubjectSummaryQueries(db);
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
    return this.tx.read('reading a schema', () => this.schemaById(id));
  }

  async maxSchemaId(): Promise<number> {
    return this.tx.read('reading the id high-water mark', () => this.highWaterId());
  }

  async getVersionsBySchemaId(id: number): Promise<StoredVersion[]> {
    return this.tx.read('reading versions by id', () => this.rows(this.sql.versionsBySchemaId.all(id)));
  }

  async getSubjectHistory(subject: string): Promise<StoredVersion[]> {
    return this.tx.read('reading a subject', () => this.history(subject));
  }

  async listVersionSummaries(subject: string): Promise<VersionSummary[]> {
    return this.tx.read('reading a subject', () =>
      (this.sql.summaries.all(subject) as Array<Omit<VersionSummary, 'deleted'> & { deleted: number }>).map(
        (row) => ({ ...row, deleted: row.deleted === 1 }),
      ),
    );
  }

  async getVersion(subject: string, version: number): Promise<StoredVersion | undefined> {
    return this.tx.read('reading a version', () => {
      const row = this.sql.version.get(subject, version) as VersionRow | undefined;
      return row === undefined ? undefined : toStoredVersion(row);
    });
  }

  async listAllVersions(subjectPrefix?: string): Promise<StoredVersion[]> {
    return this.tx.read('listing versions', () => {
      const all = this.rows(this.sql.allVersions.all());
      return subjectPrefix === undefined ? all : all.filter((v) => v.subject.startsWith(subjectPrefix));
    });
  }

  async listSubjectCounts(): Promise<Array<{ subject: string; live: number; deleted: number }>> {
    return this.tx.read(
      'listing subjects',
      () => this.sql.subjectCounts.all() as Array<{ subject: string; live: number; deleted: number }>,
    );
  }

  async listSubjectSummaries(query: SubjectSummaryQuery): Promise<SubjectSummaryPage> {
    return this.tx.read('listing subject summaries', () => this.summaryQueries.run(query));
  }

  async getReferrers(subject: string, version: number): Promise<Referrer[]> {
    return this.tx.read('reading references', () => referrersOf(this.sql, subject).get(version) ?? []);
  }

  async resolveReferences(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>> {
    return this.tx.read('resolving references', () => referenceClosure(this.sql, refs));
  }

  async getSettings(subject: string | null): Promise<ScopeSettings> {
    return this.tx.read('reading settings', () => readSettings(this.sql, subject));
  }

  async register(
    subject: string,
    prepared: PreparedSchema,
    decide: (state: RegisterState) => RegisterOutcome,
  ): Promise<RegisterResult> {
    return this.tx.write('registering a schema', async (): Promise<RegisterResult> => {
      const versions = this.locked.read(subject);
      const identityRow = this.sql.schemaByIdentity.get(prepared.identity);
      const state: RegisterState = {
        subject,
        versions,
        ...readSettings(this.sql, subject),
        identityMatch: identityRow === undefined ? undefined : toSchemaRecord(identityRow as SchemaRow),
        requestedIdSchema:
          prepared.requestedId === undefined ? undefined : this.schemaById(prepared.requestedId),
        highWaterId: this.highWaterId(),
        referenceTargets: referenceClosure(this.sql, [
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
      await this.emit({
        subject,
        kind: 'register',
        versions: [outcome.version],
        permanent: false,
        force: false,
      });
      if (outcome.tombstones.length > 0) {
        await this.emit({
          subject,
          kind: 'delete-version',
          versions: [...outcome.tombstones],
          permanent: true,
          force: false,
        });
      }
      return { id: outcome.schemaId, version: outcome.version, created: true };
    });
  }

  async deleteVersions(subject: string, decide: (state: SubjectState) => DeletePlan): Promise<number[]> {
    return this.tx.write('deleting versions', async (): Promise<number[]> => {
      const plan = decide({
        subject,
        versions: this.locked.read(subject),
        ...readSettings(this.sql, subject),
        referrers: referrersOf(this.sql, subject),
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
      await this.emit({
        subject,
        kind: plan.kind,
        versions: [...plan.versions],
        permanent: plan.permanent,
        force: plan.force,
      });
      return [...plan.versions];
    });
  }

  async listSubjectsWithSettings(): Promise<string[]> {
    return this.tx.read('listing subject settings', () => listSubjectsWithSettings(this.sql));
  }

  async raiseMaxSchemaId(id: number): Promise<number> {
    // Through the write queue like every other write (a bare BEGIN IMMEDIATE could wait on the
    // busy timeout behind another connection's open transaction in this process).
    return this.tx.write('raising the id high-water mark', () => {
      this.sql.raiseHighWater.run(id);
      return this.highWaterId();
    });
  }

  async setConfig(
    subject: string | null,
    update: ConfigRecord,
    check: (state: ScopeState) => void,
  ): Promise<void> {
    await this.tx.write('writing config', () => writeConfig(this.sql, subject, update, check));
  }

  async deleteConfig(
    subject: string | null,
    check: (state: ScopeState) => void,
  ): Promise<ConfigRecord | undefined> {
    return this.tx.write('deleting config', () => removeConfig(this.sql, subject, check));
  }

  async setMode(subject: string | null, mode: Mode, decide: (state: ScopeState) => ModeWrite): Promise<void> {
    await this.tx.write('writing mode', async () => {
      const write = decide(readScopeState(this.sql, subject));
      if (write.clearSoftDeleted) await this.clearSoftDeleted(subject);
      this.sql.upsertMode.run(subject ?? GLOBAL_SCOPE, mode);
    });
  }

  async deleteMode(subject: string | null, recursive: boolean): Promise<Mode | undefined> {
    return this.tx.write('deleting mode', () => removeMode(this.sql, subject, recursive));
  }

  private async emit(event: SubjectWriteEvent): Promise<void> {
    for (const listener of this.listeners) await listener(event);
  }

  private rows(rows: unknown[]): StoredVersion[] {
    return (rows as VersionRow[]).map(toStoredVersion);
  }

  private history(subject: string): StoredVersion[] {
    return this.rows(this.sql.history.all(subject));
  }

  private schemaById(id: number): SchemaRecord | undefined {
    const row = this.sql.schemaById.get(id);
    return row === undefined ? undefined : toSchemaRecord(row as SchemaRow);
  }

  private highWaterId(): number {
    return (this.sql.highWater.get() as { value: number }).value;
  }

  private async clearSoftDeleted(subject: string | null): Promise<void> {
    const rows = (
      subject === null ? this.sql.allSoftDeleted.all() : this.sql.subjectSoftDeleted.all(subject)
    ) as Array<{ subject: string; version: number }>;
    const bySubject = new Map<string, number[]>();
    for (const row of rows) {
      this.sql.deleteVersion.run(row.subject, row.version);
      bySubject.set(row.subject, [...(bySubject.get(row.subject) ?? []), row.version]);
    }
    for (const [name, versions] of bySubject) {
      await this.emit({ subject: name, kind: 'delete-version', versions, permanent: true, force: false });
    }
  }
}
