/**
 * The SchemaStore on PostgreSQL, for several stateless registry instances on one database. Every
 * check-then-write is one transaction holding the subject's advisory lock (see database.ts for the
 * isolation argument); the domain decision is the same pure function the SQLite store calls. What a
 * write changed is announced on the `registry_changes` channel (change-feed.ts) when it commits.
 */
import type { SchemaReference } from '../../avro/types.js';
import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import { DomainError } from '../../errors.js';
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
import { announce, type ChangeKind } from './change-feed.js';
import { GLOBAL_LOCK, type Lock, type PgDatabase, subjectLock } from './database.js';
import { PgReads } from './reads.js';
import {
  GLOBAL_SCOPE,
  readScopeState,
  readSettings,
  removeConfig,
  removeMode,
  writeConfig,
  writeMode,
} from './scope-settings.js';
import { subjectSummaries } from './subject-summaries.js';
import { insertSchemaRow, raiseSequence, touchSubject } from './writes.js';

/** Attempts of one registration that lost the race for an identity or an id to another instance. */
const INSERT_ATTEMPTS = 5;

export interface PgSchemaStoreOptions {
  readonly clock?: Clock;
  /** Bytes the schema-row and history memos may hold together (its share of CACHE_MAX_BYTES). */
  readonly cacheMaxBytes?: number;
}

export class PgSchemaStore implements SchemaStore, RegistryStateStore {
  private readonly clock: Clock;
  private readonly listeners: SubjectWriteListener[] = [];
  readonly reads: PgReads;

  constructor(
    private readonly db: PgDatabase,
    options: PgSchemaStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.reads = new PgReads(db, options.cacheMaxBytes);
  }

  /** Adds a listener called inside every transaction that changes a subject's versions. */
  addSubjectWriteListener(listener: SubjectWriteListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  getSchemaRecord(id: number): Promise<SchemaRecord | undefined> {
    return this.reads.schemaById(id);
  }

  maxSchemaId(): Promise<number> {
    return this.reads.maxSchemaId();
  }

  getVersionsBySchemaId(id: number): Promise<StoredVersion[]> {
    return this.reads.versionsBySchemaId(id);
  }

  getSubjectHistory(subject: string): Promise<StoredVersion[]> {
    return this.reads.history(subject);
  }

  listVersionSummaries(subject: string): Promise<VersionSummary[]> {
    return this.reads.summaries(subject);
  }

  getVersion(subject: string, version: number): Promise<StoredVersion | undefined> {
    return this.reads.version(subject, version);
  }

  listAllVersions(subjectPrefix?: string): Promise<StoredVersion[]> {
    return this.reads.allVersions(subjectPrefix);
  }

  listSubjectCounts(): Promise<Array<{ subject: string; live: number; deleted: number }>> {
    return this.reads.subjectCounts();
  }

  listSubjectSummaries(query: SubjectSummaryQuery): Promise<SubjectSummaryPage> {
    return subjectSummaries(this.db, query);
  }

  async getReferrers(subject: string, version: number): Promise<Referrer[]> {
    return (await this.reads.referrers(subject)).get(version) ?? [];
  }

  resolveReferences(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>> {
    return this.reads.referenceClosure(refs);
  }

  getSettings(subject: string | null): Promise<ScopeSettings> {
    return readSettings(this.db, subject);
  }

  async register(
    subject: string,
    prepared: PreparedSchema,
    decide: (state: RegisterState) => RegisterOutcome,
  ): Promise<RegisterResult> {
    // Shared locks on the referenced subjects: a hard delete of a referenced version cannot slip in
    // between our reading it and our reference row committing.
    const locks: Lock[] = [
      subjectLock(subject),
      { key: GLOBAL_LOCK, shared: true },
      ...prepared.references.filter((r) => r.subject !== subject).map((r) => subjectLock(r.subject, true)),
    ];
    return this.db.transaction('registering a schema', locks, async () => {
      for (let attempt = 1; attempt <= INSERT_ATTEMPTS; attempt++) {
        const versions = await this.reads.history(subject, true);
        const state: RegisterState = {
          subject,
          versions,
          ...(await readSettings(this.db, subject)),
          identityMatch: await this.reads.schemaByIdentity(prepared.identity),
          requestedIdSchema:
            prepared.requestedId === undefined
              ? undefined
              : await this.reads.schemaById(prepared.requestedId),
          highWaterId: await this.reads.maxSchemaId(),
          referenceTargets: await this.reads.referenceClosure([
            ...prepared.references,
            ...versions.flatMap((v) => v.references),
          ]),
        };
        const outcome = decide(state);
        if (outcome.kind === 'existing') return { id: outcome.id, version: outcome.version, created: false };
        // One moment for the schema row and the version row, as on SQLite.
        const now = outcome.createdAt ?? this.clock.now();
        const id = await insertSchemaRow(this.db, prepared, outcome, now);
        // Another instance committed the same content (or took the id) meanwhile: decide again.
        if (id === undefined) continue;
        await this.writeVersion(subject, id, outcome, now);
        return { id, version: outcome.version, created: true };
      }
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Registration kept losing races to concurrent ones; try again',
        undefined,
        1,
      );
    });
  }

  async deleteVersions(subject: string, decide: (state: SubjectState) => DeletePlan): Promise<number[]> {
    const locks = [subjectLock(subject), { key: GLOBAL_LOCK, shared: true }];
    return this.db.transaction('deleting versions', locks, async () => {
      const plan = decide({
        subject,
        versions: await this.reads.history(subject),
        ...(await readSettings(this.db, subject)),
        referrers: await this.reads.referrers(subject),
      });
      if (plan.versions.length === 0) return [];
      await this.db.query(
        'deleting versions',
        plan.permanent
          ? 'DELETE FROM subject_versions WHERE subject = $1 AND version = ANY($2::int[])'
          : 'UPDATE subject_versions SET deleted = true WHERE subject = $1 AND version = ANY($2::int[])',
        [subject, plan.versions],
      );
      await touchSubject(this.db, subject);
      // A hard delete of a subject's last record also forgets its settings (Confluent PR #3810).
      if (plan.permanent && !(await this.reads.subjectExists(subject))) {
        await this.db.query('forgetting settings', 'DELETE FROM configs WHERE subject = $1', [subject]);
        await this.db.query('forgetting settings', 'DELETE FROM modes WHERE subject = $1', [subject]);
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

  listSubjectsWithSettings(): Promise<string[]> {
    return this.reads.subjectsWithSettings(GLOBAL_SCOPE);
  }

  async raiseMaxSchemaId(id: number): Promise<number> {
    return this.db.transaction('raising the id high-water mark', [], async () => {
      await raiseSequence(this.db, id);
      await announce(this.db, 'ids');
      return this.reads.maxSchemaId();
    });
  }

  setConfig(subject: string | null, update: ConfigRecord, check: (state: ScopeState) => void): Promise<void> {
    return this.db.transaction('writing config', this.scopeLocks(subject), () =>
      writeConfig(this.db, subject, update, check),
    );
  }

  deleteConfig(
    subject: string | null,
    check: (state: ScopeState) => void,
  ): Promise<ConfigRecord | undefined> {
    return this.db.transaction('deleting config', this.scopeLocks(subject), () =>
      removeConfig(this.db, subject, check),
    );
  }

  setMode(subject: string | null, mode: Mode, decide: (state: ScopeState) => ModeWrite): Promise<void> {
    return this.db.transaction('writing mode', this.scopeLocks(subject), async () => {
      const write = decide(await readScopeState(this.db, subject));
      if (write.clearSoftDeleted) await this.clearSoftDeleted(subject);
      await writeMode(this.db, subject, mode);
    });
  }

  deleteMode(subject: string | null, recursive: boolean): Promise<Mode | undefined> {
    return this.db.transaction('deleting mode', this.scopeLocks(subject), () =>
      removeMode(this.db, subject, recursive),
    );
  }

  /** A subject's settings change under its own lock; global ones exclude every registration. */
  private scopeLocks(subject: string | null): Lock[] {
    return subject === null
      ? [{ key: GLOBAL_LOCK }]
      : [subjectLock(subject), { key: GLOBAL_LOCK, shared: true }];
  }

  private async writeVersion(
    subject: string,
    id: number,
    outcome: Extract<RegisterOutcome, { kind: 'create' }>,
    now: number,
  ): Promise<void> {
    await this.db.query(
      'inserting a version',
      `INSERT INTO subject_versions (subject, version, schema_id, deleted, semver, created_at)
       VALUES ($1, $2, $3, false, $4, $5)`,
      [subject, outcome.version, id, outcome.semver, now],
    );
    if (outcome.tombstones.length > 0) {
      await this.db.query(
        'tombstoning versions',
        'DELETE FROM subject_versions WHERE subject = $1 AND version = ANY($2::int[])',
        [subject, outcome.tombstones],
      );
    }
    await touchSubject(this.db, subject);
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
  }

  private async emit(event: SubjectWriteEvent): Promise<void> {
    for (const listener of this.listeners) await listener(event);
    await announce(this.db, 'versions' satisfies ChangeKind, event.subject);
  }

  private async clearSoftDeleted(subject: string | null): Promise<void> {
    const rows = await this.db.query<{ subject: string; version: number }>(
      'clearing soft-deleted versions',
      subject === null
        ? 'DELETE FROM subject_versions WHERE deleted RETURNING subject, version'
        : 'DELETE FROM subject_versions WHERE subject = $1 AND deleted RETURNING subject, version',
      subject === null ? [] : [subject],
    );
    const bySubject = new Map<string, number[]>();
    for (const row of rows) bySubject.set(row.subject, [...(bySubject.get(row.subject) ?? []), row.version]);
    for (const [name, versions] of bySubject) {
      await touchSubject(this.db, name);
      await this.emit({
        subject: name,
        kind: 'delete-version',
        versions: versions.sort((a, b) => a - b),
        permanent: true,
        force: false,
      });
    }
  }
}
