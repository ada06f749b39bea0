/**
 * Each subject's participants, memoised under the subject's PARTICIPANTS TOKEN (see
 * NegotiationStore.tokens) with their `supports` compiled, so recomputing an agreement does not
 * re-read and re-parse every lease. This process's own writes update the memo in place under the new
 * token; a write by another process changes the token and forces a re-read.
 */
import { BoundedCache } from './bounded-cache.js';
import type { NegotiationStore, ParticipantRecord } from './negotiation-store.js';
import { type CompiledSupports, compileSupports } from './supports.js';

export interface RosterEntry {
  readonly record: ParticipantRecord;
  readonly supports: CompiledSupports;
}

const byId = (a: RosterEntry, b: RosterEntry) =>
  a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;

export class ParticipantRoster {
  private readonly cache: BoundedCache<string, { token: string; entries: readonly RosterEntry[] }>;

  constructor(
    private readonly store: NegotiationStore,
    size: number,
  ) {
    this.cache = new BoundedCache(size);
  }

  get(subject: string, token: string): readonly RosterEntry[] {
    const cached = this.cache.get(subject);
    if (cached !== undefined && cached.token === token) return cached.entries;
    const entries = this.store
      .listParticipants(subject)
      .map((record) => ({ record, supports: compileSupports(record.supports) }));
    entries.sort(byId);
    this.cache.set(subject, { token, entries });
    return entries;
  }

  /** Registers or renews a lease; call inside a transaction. A renewal keeps the original createdAt. */
  upsert(record: ParticipantRecord, supports: CompiledSupports): void {
    const before = this.get(record.subject, this.store.tokens(record.subject).participants);
    const previous = before.find((e) => e.record.id === record.id);
    const stored = previous === undefined ? record : { ...record, createdAt: previous.record.createdAt };
    this.store.upsertParticipant(stored);
    const token = this.store.touchParticipants(record.subject);
    const entries = [...before.filter((e) => e !== previous), { record: stored, supports }].sort(byId);
    this.cache.set(record.subject, { token, entries });
  }

  /** False when there was no such participant; call inside a transaction. */
  remove(subject: string, id: string): boolean {
    const before = this.get(subject, this.store.tokens(subject).participants);
    if (!this.store.deleteParticipant(subject, id)) return false;
    const token = this.store.touchParticipants(subject);
    this.cache.set(subject, { token, entries: before.filter((e) => e.record.id !== id) });
    return true;
  }
}
