/**
 * SQLite persistence of participants' leases and agreed versions (tables from
 * migrations/sqlite/002_negotiation.sql and 003), on the registry's own database handle and transactor so
 * that the agreement is recomputed inside the registry's registration/delete transactions.
 */
import type { SchemaReference } from '../../avro/types.js';
import type {
  ChangeTokens,
  NegotiationStore,
  ParticipantRecord,
  StoredAgreement,
} from '../../negotiation/negotiation-store.js';
import type { ReferenceTarget, SubjectHistoryEntry } from '../../registry/schema-store.js';
import {
  type AgreementRow,
  newToken,
  type ParticipantRow,
  toParticipant,
  toStoredAgreement,
} from '../rows.js';
import type { SqliteDatabase } from './database.js';
import { referenceClosure } from './references.js';
import { SqliteStatements, toStoredVersion, type VersionRow } from './statements.js';
import type { SqliteTransactor } from './transactor.js';

export class SqliteNegotiationStore implements NegotiationStore {
  private readonly stmts;
  /** The registry's own read statements, so history is decoded exactly as the schema store does. */
  private readonly registry: SqliteStatements;

  constructor(
    db: SqliteDatabase,
    private readonly tx: SqliteTransactor,
  ) {
    this.registry = new SqliteStatements(db);
    this.stmts = {
      list: db.prepare<[string], ParticipantRow>(
        'SELECT * FROM negotiation_participants WHERE subject = ? ORDER BY participant_id',
      ),
      get: db.prepare<[string, string], ParticipantRow>(
        'SELECT * FROM negotiation_participants WHERE subject = ? AND participant_id = ?',
      ),
      upsert: db.prepare(
        `INSERT INTO negotiation_participants
           (subject, participant_id, role, supports_json, ttl_seconds, expires_at, created_at, updated_at, owner)
         VALUES (@subject, @id, @role, @supports, @ttlSeconds, @expiresAt, @createdAt, @updatedAt, @owner)
         ON CONFLICT (subject, participant_id) DO UPDATE SET
           role = excluded.role, supports_json = excluded.supports_json, ttl_seconds = excluded.ttl_seconds,
           expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      ),
      delete: db.prepare<[string, string]>(
        'DELETE FROM negotiation_participants WHERE subject = ? AND participant_id = ?',
      ),
      count: db
        .prepare<[string], number>('SELECT count(*) FROM negotiation_participants WHERE subject = ?')
        .pluck(),
      purge: db.prepare<[string, number]>(
        'DELETE FROM negotiation_participants WHERE subject = ? AND expires_at < ?',
      ),
      tokens: db.prepare<
        [{ subject: string }],
        { history: string | null; participants: string | null; epoch: number | null }
      >(
        `SELECT (SELECT history FROM negotiation_generations WHERE subject = @subject) AS history,
                (SELECT participants FROM negotiation_generations WHERE subject = @subject) AS participants,
                (SELECT epoch FROM negotiation_agreements WHERE subject = @subject) AS epoch`,
      ),
      touchHistory: db.prepare<[{ subject: string; token: string }]>(
        `INSERT INTO negotiation_generations (subject, history, participants) VALUES (@subject, @token, '')
         ON CONFLICT (subject) DO UPDATE SET history = excluded.history`,
      ),
      touchParticipants: db.prepare<[{ subject: string; token: string }]>(
        `INSERT INTO negotiation_generations (subject, history, participants) VALUES (@subject, '', @token)
         ON CONFLICT (subject) DO UPDATE SET participants = excluded.participants`,
      ),
      getAgreement: db.prepare<[string], AgreementRow>(
        'SELECT * FROM negotiation_agreements WHERE subject = ?',
      ),
      saveAgreement: db.prepare(
        `INSERT INTO negotiation_agreements (subject, version, epoch, fallback_from, updated_at)
         VALUES (@subject, @version, @epoch, @fallbackFrom, @updatedAt)
         ON CONFLICT (subject) DO UPDATE SET
           version = excluded.version, epoch = excluded.epoch, fallback_from = excluded.fallback_from,
           updated_at = excluded.updated_at`,
      ),
    };
  }

  tokens(subject: string): Promise<ChangeTokens> {
    return this.tx.read('reading negotiation tokens', () => this.readTokens(subject));
  }

  private readTokens(subject: string): ChangeTokens {
    const row = this.stmts.tokens.get({ subject });
    return {
      history: row?.history ?? '',
      participants: row?.participants ?? '',
      epoch: row?.epoch ?? undefined,
    };
  }

  touchHistory(subject: string): Promise<ChangeTokens> {
    return this.tx.write('recording a history change', () => {
      this.stmts.touchHistory.run({ subject, token: newToken() });
      return this.readTokens(subject);
    });
  }

  touchParticipants(subject: string): Promise<string> {
    return this.tx.write('recording a participants change', () => {
      const token = newToken();
      this.stmts.touchParticipants.run({ subject, token });
      return token;
    });
  }

  subjectHistory(subject: string): Promise<SubjectHistoryEntry[]> {
    return this.tx.read('reading a subject', () =>
      (this.registry.history.all(subject) as VersionRow[]).map(toStoredVersion),
    );
  }

  latestLiveVersion(subject: string): Promise<number | undefined> {
    return this.tx.read(
      'reading a subject',
      () => (this.registry.latestLive.get(subject) as number | null) ?? undefined,
    );
  }

  referenceTargets(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>> {
    return this.tx.read('resolving references', () => referenceClosure(this.registry, refs));
  }

  listParticipants(subject: string): Promise<ParticipantRecord[]> {
    return this.tx.read('reading participants', () => this.stmts.list.all(subject).map(toParticipant));
  }

  countParticipants(subject: string): Promise<number> {
    return this.tx.read('counting participants', () => this.stmts.count.get(subject) ?? 0);
  }

  getParticipant(subject: string, id: string): Promise<ParticipantRecord | undefined> {
    return this.tx.read('reading a participant', () => {
      const row = this.stmts.get.get(subject, id);
      return row === undefined ? undefined : toParticipant(row);
    });
  }

  upsertParticipant(record: ParticipantRecord): Promise<void> {
    return this.tx.write('writing a participant', () => {
      this.stmts.upsert.run({
        subject: record.subject,
        id: record.id,
        role: record.role,
        supports: JSON.stringify(record.supports),
        ttlSeconds: record.ttlSeconds,
        expiresAt: record.expiresAt,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        owner: record.owner,
      });
    });
  }

  deleteParticipant(subject: string, id: string): Promise<boolean> {
    return this.tx.write('deleting a participant', () => this.stmts.delete.run(subject, id).changes > 0);
  }

  purgeExpired(subject: string, before: number): Promise<number> {
    return this.tx.write('purging expired leases', () => this.stmts.purge.run(subject, before).changes);
  }

  getAgreement(subject: string): Promise<StoredAgreement | undefined> {
    return this.tx.read('reading an agreement', () => {
      const row = this.stmts.getAgreement.get(subject);
      return row === undefined ? undefined : toStoredAgreement(row);
    });
  }

  saveAgreement(agreement: StoredAgreement): Promise<void> {
    return this.tx.write('saving an agreement', () => {
      this.stmts.saveAgreement.run({
        subject: agreement.subject,
        version: agreement.version,
        epoch: agreement.epoch,
        fallbackFrom: agreement.fallbackFrom,
        updatedAt: agreement.updatedAt,
      });
    });
  }

  /**
   * Inside the registry's transaction (the onSubjectWrite listener) this joins it; on its own it takes
   * the file's write lock up front (BEGIN IMMEDIATE), so a read-then-write never fails to upgrade when
   * another server process on the same file wrote in between. One connection serialises every subject.
   */
  transaction<T>(_subject: string, fn: () => Promise<T>): Promise<T> {
    return this.tx.write('negotiation', fn);
  }
}
