/**
 * SQLite persistence of participants' leases and agreed versions (tables from
 * migrations/sqlite/002_negotiation.sql), on the registry's own database handle so that the agreement can be
 * recomputed inside the registry's registration/delete transactions.
 */
import { randomBytes } from 'node:crypto';
import { DomainError, isDomainError } from '../../errors.js';
import type {
  ChangeTokens,
  NegotiationStore,
  ParticipantRecord,
  StoredAgreement,
} from '../../negotiation/negotiation-store.js';
import type { Role, SupportsSpec } from '../../negotiation/supports.js';
import type { ReferenceTarget, SubjectHistoryEntry } from '../../registry/schema-store.js';
import type { SqliteDatabase } from './database.js';
import { SqliteStatements, toStoredVersion, type VersionRow } from './statements.js';

interface ParticipantRow {
  subject: string;
  participant_id: string;
  role: string;
  supports_json: string;
  ttl_seconds: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

interface AgreementRow {
  subject: string;
  version: number | null;
  epoch: number;
  fallback_from: number | null;
  updated_at: number;
}

/** 96 random bits: unique across processes and across rolled-back transactions. */
function newToken(): string {
  return randomBytes(12).toString('base64url');
}

function toParticipant(row: ParticipantRow): ParticipantRecord {
  return {
    subject: row.subject,
    id: row.participant_id,
    role: row.role as Role,
    supports: JSON.parse(row.supports_json) as SupportsSpec,
    ttlSeconds: row.ttl_seconds,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class SqliteNegotiationStore implements NegotiationStore {
  private readonly stmts;
  /** The registry's own read statements, so history is decoded exactly as the schema store does. */
  private readonly registry: SqliteStatements;

  constructor(private readonly db: SqliteDatabase) {
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
           (subject, participant_id, role, supports_json, ttl_seconds, expires_at, created_at, updated_at)
         VALUES (@subject, @id, @role, @supports, @ttlSeconds, @expiresAt, @createdAt, @updatedAt)
         ON CONFLICT (subject, participant_id) DO UPDATE SET
           role = excluded.role, supports_json = excluded.supports_json, ttl_seconds = excluded.ttl_seconds,
           expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      ),
      delete: db.prepare<[string, string]>(
        'DELETE FROM negotiation_participants WHERE subject = ? AND participant_id = ?',
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

  tokens(subject: string): ChangeTokens {
    const row = this.stmts.tokens.get({ subject });
    return {
      history: row?.history ?? '',
      participants: row?.participants ?? '',
      epoch: row?.epoch ?? undefined,
    };
  }

  touchHistory(subject: string): void {
    this.stmts.touchHistory.run({ subject, token: newToken() });
  }

  touchParticipants(subject: string): string {
    const token = newToken();
    this.stmts.touchParticipants.run({ subject, token });
    return token;
  }

  subjectHistory(subject: string): SubjectHistoryEntry[] {
    return (this.registry.history.all(subject) as VersionRow[]).map(toStoredVersion);
  }

  latestLiveVersion(subject: string): number | undefined {
    return (this.registry.latestLive.get(subject) as number | null) ?? undefined;
  }

  referenceTarget(subject: string, version: number): ReferenceTarget | undefined {
    const row = this.registry.version.get(subject, version) as VersionRow | undefined;
    if (row === undefined) return undefined;
    const target = toStoredVersion(row);
    return { schema: target.schema, references: target.references };
  }

  listParticipants(subject: string): ParticipantRecord[] {
    return this.stmts.list.all(subject).map(toParticipant);
  }

  getParticipant(subject: string, id: string): ParticipantRecord | undefined {
    const row = this.stmts.get.get(subject, id);
    return row === undefined ? undefined : toParticipant(row);
  }

  upsertParticipant(record: ParticipantRecord): void {
    this.stmts.upsert.run({
      subject: record.subject,
      id: record.id,
      role: record.role,
      supports: JSON.stringify(record.supports),
      ttlSeconds: record.ttlSeconds,
      expiresAt: record.expiresAt,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }

  deleteParticipant(subject: string, id: string): boolean {
    return this.stmts.delete.run(subject, id).changes > 0;
  }

  getAgreement(subject: string): StoredAgreement | undefined {
    const row = this.stmts.getAgreement.get(subject);
    if (row === undefined) return undefined;
    return {
      subject: row.subject,
      version: row.version,
      epoch: row.epoch,
      fallbackFrom: row.fallback_from,
      updatedAt: row.updated_at,
    };
  }

  saveAgreement(agreement: StoredAgreement): void {
    this.stmts.saveAgreement.run({
      subject: agreement.subject,
      version: agreement.version,
      epoch: agreement.epoch,
      fallbackFrom: agreement.fallbackFrom,
      updatedAt: agreement.updatedAt,
    });
  }

  transaction<T>(fn: () => T): T {
    // Nested in the registry's transaction (the onSubjectWrite listener) this becomes a savepoint;
    // on its own it takes the write lock up front (IMMEDIATE), so a read-then-write never fails to
    // upgrade when another server process on the same file wrote in between.
    const run = this.db.transaction(fn);
    try {
      return this.db.inTransaction ? run() : run.immediate();
    } catch (e) {
      if (isDomainError(e)) throw e;
      throw new DomainError('STORE_ERROR', `Store error in negotiation: ${(e as Error).message}`);
    }
  }
}
