/**
 * Persistence for participants' leases and the agreed version per subject.
 *
 * Async, like the SchemaStore, so that a PostgreSQL store can implement it. The agreement must still
 * be recomputed and persisted INSIDE the registry's registration/delete transaction (the
 * `onSubjectWrite` listener the schema store awaits before committing): every call made while that
 * transaction is open joins it (each store tracks its open transaction itself, e.g. through
 * AsyncLocalStorage), and `transaction()` nests into it instead of opening a second one. For the same
 * reason the subject's history is read through this interface rather than the SchemaStore.
 */
import type { SchemaReference } from '../avro/types.js';
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
  /**
   * The identity that created the lease (the authenticated user), or null when access control is off.
   * Only the owner or an admin may renew, change or delete it.
   */
  readonly owner: string | null;
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
  tokens(subject: string): Promise<ChangeTokens>;
  /**
   * Records that the subject's versions changed (called inside the registry's transaction) and answers
   * the subject's tokens as they are after it.
   */
  touchHistory(subject: string): Promise<ChangeTokens>;
  /** Records that the subject's participants changed; returns the new participants token. */
  touchParticipants(subject: string): Promise<string>;
  /**
   * Every version of the subject, soft-deleted included, ascending, as seen by the current
   * transaction (inside a registration it already includes the new version).
   */
  subjectHistory(subject: string): Promise<SubjectHistoryEntry[]>;
  /** The highest live version number of the subject as seen by the current transaction, if any. */
  latestLiveVersion(subject: string): Promise<number | undefined>;
  /**
   * The texts of referenced subject-versions (soft-deleted ones still resolve), transitively, keyed by
   * `referenceKey`; missing ones are absent. For parsing stored schemas.
   */
  referenceTargets(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>>;
  /** Every participant of the subject, expired leases included (the caller filters by its clock). */
  listParticipants(subject: string): Promise<ParticipantRecord[]>;
  /** How many participants the subject has, expired leases included. */
  countParticipants(subject: string): Promise<number>;
  getParticipant(subject: string, id: string): Promise<ParticipantRecord | undefined>;
  /** Inserts or replaces; `createdAt` and `owner` of an existing row are kept. */
  upsertParticipant(record: ParticipantRecord): Promise<void>;
  /** False when there was no such participant. */
  deleteParticipant(subject: string, id: string): Promise<boolean>;
  /** Removes the subject's leases that expired before `before` (ms); returns how many. */
  purgeExpired(subject: string, before: number): Promise<number>;
  getAgreement(subject: string): Promise<StoredAgreement | undefined>;
  saveAgreement(agreement: StoredAgreement): Promise<void>;
  /**
   * Runs `fn` atomically, serialised with every other write to the subject (registrations included);
   * joins an enclosing transaction if one is open.
   */
  transaction<T>(subject: string, fn: () => Promise<T>): Promise<T>;
}
