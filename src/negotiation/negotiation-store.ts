/**
 * Persistence for participants' leases and the agreed version per subject.
 *
 * Synchronous on purpose, unlike the async RegistryApi: the agreement must be recomputed and
 * persisted INSIDE the registry's registration/delete transaction (an `onSubjectWrite` listener, which
 * the store runs synchronously), so these calls have to join that transaction rather than await. For
 * the same reason the subject's history is read through this interface rather than the async
 * SchemaStore.
 */
import type { ReferenceTarget, SubjectHistoryEntry } from '../registry/schema-store.js';
import type { AgreementState } from './agreement.js';
import type { Role, SupportsSpec } from './supports.js';

export interface ParticipantRecord {
  readonly subject: string;
  readonly id: string;
  readonly role: Role;
  readonly supports: SupportsSpec;
  readonly ttlSeconds: number;
  /** Milliseconds since the Unix epoch. */
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StoredAgreement extends AgreementState {
  readonly subject: string;
  readonly updatedAt: number;
}

/** What a process checks its memos against (see migrations/sqlite/002_negotiation.sql). */
export interface ChangeTokens {
  /** Changes whenever the subject's versions change; '' before any change was recorded. */
  readonly history: string;
  /** Changes whenever a lease of the subject is written or removed; '' before any. */
  readonly participants: string;
  /** The persisted agreement epoch, if any. */
  readonly epoch: number | undefined;
}

export interface NegotiationStore {
  /** One cheap read: is what this process memoised for the subject still current? */
  tokens(subject: string): ChangeTokens;
  /** Records that the subject's versions changed (called inside the registry's transaction). */
  touchHistory(subject: string): void;
  /** Records that the subject's participants changed; returns the new participants token. */
  touchParticipants(subject: string): string;
  /**
   * Every version of the subject, soft-deleted included, ascending, as seen by the current
   * transaction (inside a registration it already includes the new version).
   */
  subjectHistory(subject: string): SubjectHistoryEntry[];
  /** The highest live version number of the subject as seen by the current transaction, if any. */
  latestLiveVersion(subject: string): number | undefined;
  /** The text of a referenced subject-version (soft-deleted ones still resolve), for parsing. */
  referenceTarget(subject: string, version: number): ReferenceTarget | undefined;
  /** Every participant of the subject, expired leases included (the caller filters by its clock). */
  listParticipants(subject: string): ParticipantRecord[];
  getParticipant(subject: string, id: string): ParticipantRecord | undefined;
  /** Inserts or replaces; `createdAt` of an existing row is kept. */
  upsertParticipant(record: ParticipantRecord): void;
  /** False when there was no such participant. */
  deleteParticipant(subject: string, id: string): boolean;
  getAgreement(subject: string): StoredAgreement | undefined;
  saveAgreement(agreement: StoredAgreement): void;
  /** Runs `fn` atomically (joining an enclosing transaction if one is open). */
  transaction<T>(fn: () => T): T;
}
