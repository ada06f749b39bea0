/**
 * Each subject's history, parsed, memoised under the subject's HISTORY TOKEN, which the registry's
 * onSubjectWrite listener changes inside every transaction that changes the subject's versions (see
 * NegotiationStore.tokens). Every negotiation memo embeds the token in its key, so a warm handshake
 * costs one indexed read and no parsing, and several server processes on one database file stay
 * coherent.
 */
import { parseSchema } from '../avro/parser.js';
import type { ParsedSchema } from '../avro/types.js';
import { isDomainError } from '../errors.js';
import type { SubjectHistoryEntry } from '../registry/schema-store.js';
import { BoundedCache } from './bounded-cache.js';
import type { VersionFacts } from './choice.js';
import type { NegotiationStore } from './negotiation-store.js';

export interface SubjectFacts {
  readonly token: string;
  /** Every version, soft-deleted included, ascending. */
  readonly history: readonly VersionFacts[];
  readonly live: readonly VersionFacts[];
}

export class SubjectFactsCache {
  private readonly facts = new BoundedCache<string, SubjectFacts>(10_000);
  /** Global ids never change meaning (same text, same references), so their parse is shared. */
  private readonly parsedById = new BoundedCache<number, ParsedSchema>(50_000);

  constructor(private readonly store: NegotiationStore) {}

  /** The subject's facts as of history token `token` (memoised under it). */
  get(subject: string, token: string): SubjectFacts {
    const cached = this.facts.get(subject);
    if (cached !== undefined && cached.token === token) return cached;
    const fresh = this.load(subject, token);
    this.facts.set(subject, fresh);
    return fresh;
  }

  /** Reads the history without memoising it (inside a transaction that may still roll back). */
  load(subject: string, token: string): SubjectFacts {
    const history = this.store.subjectHistory(subject).map((entry) => this.toFacts(entry));
    return { token, history, live: history.filter((v) => !v.deleted) };
  }

  private toFacts(entry: SubjectHistoryEntry): VersionFacts {
    let parsed = this.parsedById.get(entry.schemaId);
    if (parsed === undefined) {
      try {
        // Stored schemas were accepted once: parse leniently so a rule tightened later cannot brick them.
        parsed = parseSchema(entry.schema, {
          mode: 'lenient',
          references: entry.references,
          lookup: (ref) => this.store.referenceTarget(ref.subject, ref.version),
        });
        this.parsedById.set(entry.schemaId, parsed);
      } catch (e) {
        // Never let negotiation veto a registry write over an unreadable old version (see VersionFacts).
        if (!isDomainError(e)) throw e;
      }
    }
    return {
      version: entry.version,
      id: entry.schemaId,
      semver: entry.semver,
      deleted: entry.deleted,
      schemaType: entry.schemaType,
      schema: entry.schema,
      references: entry.references,
      pcf: entry.pcf,
      crc64: entry.crc64,
      sha256: entry.sha256,
      createdAt: entry.createdAt,
      parsed,
    };
  }
}
