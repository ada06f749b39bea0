/**
 * Each subject's participants, memoised under the subject's PARTICIPANTS TOKEN (see
 * NegotiationStore.tokens) with their `supports` compiled, so recomputing an agreement does not
 * re-read and re-parse every lease. This process's own writes update the memo in place under the new
 * token (O(1) per lease write, whatever the number of participants); a write by another process
 * changes the token and forces a re-read.
 */
import { ByteLru } from '../cache/byte-lru.js';
import { OBJECT_OVERHEAD, stringBytes } from '../cache/size-estimate.js';
import type { NegotiationStore, ParticipantRecord } from './negotiation-store.js';
import { type CompiledSupports, compileSupports } from './supports.js';

export interface RosterEntry {
  readonly record: ParticipantRecord;
  readonly supports: CompiledSupports;
}

/** One subject's participants by id (insertion order; views sort by id themselves). */
export type Roster = ReadonlyMap<string, RosterEntry>;

/** One subject's memo; `bytes` is kept up to date as leases come and go (no walk per write). */
interface Memo {
  token: string;
  readonly entries: Map<string, RosterEntry>;
  bytes: number;
}

function entryBytes(id: string, record: ParticipantRecord): number {
  return 6 * OBJECT_OVERHEAD + stringBytes(id) + stringBytes(record.supports.schema ?? '');
}

export class ParticipantRoster {
  private readonly cache: ByteLru<string, Memo>;

  constructor(
    private readonly store: NegotiationStore,
    maxBytes: number,
  ) {
    this.cache = new ByteLru({ maxBytes });
  }

  /** Estimated bytes of the rosters held. */
  get bytes(): number {
    return this.cache.bytes;
  }

  async get(subject: string, token: string): Promise<Roster> {
    return (await this.load(subject, token)).entries;
  }

  /**
   * Registers or renews a lease; call inside the subject's transaction with the token read in it. A
   * renewal keeps the original createdAt and owner.
   */
  async upsert(record: ParticipantRecord, supports: CompiledSupports, token: string): Promise<void> {
    const memo = await this.load(record.subject, token);
    const previous = memo.entries.get(record.id);
    const stored =
      previous === undefined
        ? record
        : { ...record, createdAt: previous.record.createdAt, owner: previous.record.owner };
    await this.store.upsertParticipant(stored);
    memo.token = await this.store.touchParticipants(record.subject);
    memo.entries.set(record.id, { record: stored, supports });
    memo.bytes +=
      entryBytes(record.id, stored) - (previous === undefined ? 0 : entryBytes(record.id, previous.record));
    this.cache.set(record.subject, memo, memo.bytes);
  }

  /** False when there was no such participant; call inside the subject's transaction. */
  async remove(subject: string, id: string, token: string): Promise<boolean> {
    const memo = await this.load(subject, token);
    if (!(await this.store.deleteParticipant(subject, id))) return false;
    memo.token = await this.store.touchParticipants(subject);
    const gone = memo.entries.get(id);
    memo.entries.delete(id);
    if (gone !== undefined) memo.bytes -= entryBytes(id, gone.record);
    this.cache.set(subject, memo, memo.bytes);
    return true;
  }

  /** Drops the leases that expired before `now`; call inside the subject's transaction. */
  async purgeExpired(subject: string, now: number, token: string): Promise<void> {
    const memo = await this.load(subject, token);
    if (await this.store.purgeExpired(subject, now)) {
      memo.token = await this.store.touchParticipants(subject);
      for (const [id, entry] of memo.entries) {
        if (entry.record.expiresAt >= now) continue;
        memo.entries.delete(id);
        memo.bytes -= entryBytes(id, entry.record);
      }
      this.cache.set(subject, memo, memo.bytes);
    }
  }

  private async load(subject: string, token: string): Promise<Memo> {
    const cached = this.cache.get(subject);
    if (cached !== undefined && cached.token === token) return cached;
    const entries = new Map<string, RosterEntry>();
    let bytes = OBJECT_OVERHEAD;
    for (const record of await this.store.listParticipants(subject)) {
      entries.set(record.id, { record, supports: compileSupports(record.supports) });
      bytes += entryBytes(record.id, record);
    }
    const memo = { token, entries, bytes };
    this.cache.set(subject, memo, bytes);
    return memo;
  }
}
