/**
 * PostgreSQL persistence of participants' leases and agreed versions. Its calls join the registry's
 * open transaction (the onSubjectWrite listener) through the shared PgDatabase; on its own,
 * `transaction` takes the subject's advisory lock, so lease writes and registrations of a subject are
 * serialised and the agreement is always recomputed against the history it is persisted with. Lease
 * and agreement writes are announced to the other instances (change-feed.ts), which wakes their
 * long-polls.
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
import { announce } from './change-feed.js';
import { type PgDatabase, subjectLock } from './database.js';
import type { PgReads } from './reads.js';

export class PgNegotiationStore implements NegotiationStore {
  constructor(
    private readonly db: PgDatabase,
    private readonly reads: PgReads,
  ) {}

  async tokens(subject: string): Promise<ChangeTokens> {
    const [row] = await this.db.query<{
      history: string | null;
      participants: string | null;
      epoch: number | null;
    }>(
      'reading negotiation tokens',
      `SELECT g.history, g.participants, a.epoch
       FROM (SELECT $1::text AS subject) s
       LEFT JOIN negotiation_generations g ON g.subject = s.subject
       LEFT JOIN negotiation_agreements a ON a.subject = s.subject`,
      [subject],
    );
    return {
      history: row?.history ?? '',
      participants: row?.participants ?? '',
      epoch: row?.epoch ?? undefined,
    };
  }

  async touchHistory(subject: string): Promise<ChangeTokens> {
    // One round trip: the new history token, the participants token kept, the agreement's epoch.
    const [row] = await this.db.query<{ history: string; participants: string; epoch: number | null }>(
      'recording a history change',
      `INSERT INTO negotiation_generations (subject, history, participants) VALUES ($1, $2, '')
       ON CONFLICT (subject) DO UPDATE SET history = excluded.history
       RETURNING history, participants,
         (SELECT epoch FROM negotiation_agreements a WHERE a.subject = $1) AS epoch`,
      [subject, newToken()],
    );
    return {
      history: row?.history ?? '',
      participants: row?.participants ?? '',
      epoch: row?.epoch ?? undefined,
    };
  }

  async touchParticipants(subject: string): Promise<string> {
    const token = newToken();
    await this.db.query(
      'recording a participants change',
      `INSERT INTO negotiation_generations (subject, history, participants) VALUES ($1, '', $2)
       ON CONFLICT (subject) DO UPDATE SET participants = excluded.participants`,
      [subject, token],
    );
    await announce(this.db, 'participants', subject);
    return token;
  }

  subjectHistory(subject: string): Promise<SubjectHistoryEntry[]> {
    return this.reads.history(subject);
  }

  async latestLiveVersion(subject: string): Promise<number | undefined> {
    const [row] = await this.db.query<{ max: number | null }>(
      'reading a subject',
      'SELECT max(version) AS max FROM subject_versions WHERE subject = $1 AND NOT deleted',
      [subject],
    );
    return row?.max ?? undefined;
  }

  referenceTargets(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>> {
    return this.reads.referenceClosure(refs);
  }

  async listParticipants(subject: string): Promise<ParticipantRecord[]> {
    const rows = await this.db.query<ParticipantRow>(
      'reading participants',
      'SELECT * FROM negotiation_participants WHERE subject = $1 ORDER BY participant_id COLLATE "C"',
      [subject],
    );
    return rows.map(toParticipant);
  }

  async countParticipants(subject: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      'counting participants',
      'SELECT count(*)::int AS n FROM negotiation_participants WHERE subject = $1',
      [subject],
    );
    return row?.n ?? 0;
  }

  async getParticipant(subject: string, id: string): Promise<ParticipantRecord | undefined> {
    const [row] = await this.db.query<ParticipantRow>(
      'reading a participant',
      'SELECT * FROM negotiation_participants WHERE subject = $1 AND participant_id = $2',
      [subject, id],
    );
    return row === undefined ? undefined : toParticipant(row);
  }

  async upsertParticipant(record: ParticipantRecord): Promise<void> {
    await this.db.query(
      'writing a participant',
      `INSERT INTO negotiation_participants
         (subject, participant_id, role, supports_json, ttl_seconds, expires_at, created_at, updated_at, owner)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (subject, participant_id) DO UPDATE SET
         role = excluded.role, supports_json = excluded.supports_json, ttl_seconds = excluded.ttl_seconds,
         expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      [
        record.subject,
        record.id,
        record.role,
        JSON.stringify(record.supports),
        record.ttlSeconds,
        record.expiresAt,
        record.createdAt,
        record.updatedAt,
        record.owner,
      ],
    );
  }

  async deleteParticipant(subject: string, id: string): Promise<boolean> {
    const rows = await this.db.query(
      'deleting a participant',
      'DELETE FROM negotiation_participants WHERE subject = $1 AND participant_id = $2 RETURNING 1',
      [subject, id],
    );
    return rows.length > 0;
  }

  async purgeExpired(subject: string, before: number): Promise<number> {
    const rows = await this.db.query(
      'purging expired leases',
      'DELETE FROM negotiation_participants WHERE subject = $1 AND expires_at < $2 RETURNING 1',
      [subject, before],
    );
    return rows.length;
  }

  async getAgreement(subject: string): Promise<StoredAgreement | undefined> {
    const [row] = await this.db.query<AgreementRow>(
      'reading an agreement',
      'SELECT * FROM negotiation_agreements WHERE subject = $1',
      [subject],
    );
    return row === undefined ? undefined : toStoredAgreement(row);
  }

  async saveAgreement(agreement: StoredAgreement): Promise<void> {
    await this.db.query(
      'saving an agreement',
      `INSERT INTO negotiation_agreements (subject, version, epoch, fallback_from, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subject) DO UPDATE SET
         version = excluded.version, epoch = excluded.epoch, fallback_from = excluded.fallback_from,
         updated_at = excluded.updated_at`,
      [agreement.subject, agreement.version, agreement.epoch, agreement.fallbackFrom, agreement.updatedAt],
    );
    await announce(this.db, 'agreement', agreement.subject);
  }

  transaction<T>(subject: string, fn: () => Promise<T>): Promise<T> {
    return this.db.transaction('negotiation', [subjectLock(subject)], fn);
  }
}
