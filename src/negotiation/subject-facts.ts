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
import { type ReferenceTarget, referenceKey, type SubjectHistoryEntry } from '../registry/schema-store.js';
import { BoundedCache } from './bounded-cache.js';
import type { VersionFacts } from './choice.js';
import type { NegotiationStore } from './negotiation-store.js';

export interface SubjectFacts {
  readonly token: string;
  /** Every version, soft-deleted included, ascending. */
  readonly history: readonly VersionFacts[];
  readonly live: readonly VersionFacts[];
}

const EMPTY_TARGETS: ReadonlyMap<string, ReferenceTarget> = new Map();

export class SubjectFactsCache {
  private readonly facts = new BoundedCache<string, SubjectFacts>(10_000);
  /** Global ids never change meaning (same text, same references), so their parse is shared. */
  private readonly parsedById = new BoundedCache<number, ParsedSchema>(50_000);

  constructor(private readonly store: NegotiationStore) {}

  /** The subject's facts as of history token `token` (memoised under it). */
  async get(subject: string, token: string): Promise<SubjectFacts> {
    const cached = this.facts.get(subject);
    if (cached !== undefined && cached.token === token) return cached;
    const entries = await this.store.subjectHistory(subject);
    // Texts of every referenced subject-version, fetched once for the whole history.
    const refs = entries.some((e) => e.references.length > 0)
      ? await this.store.referenceTargets(entries.flatMap((e) => e.references))
      : EMPTY_TARGETS;
    const history = entries.map((entry) => this.toFacts(entry, refs));
    const fresh = { token, history, live: history.filter((v) => !v.deleted) };
    this.facts.set(subject, fresh);
    return fresh;
  }

  private toFacts(entry: SubjectHistoryEntry, refs: ReadonlyMap<string, ReferenceTarget>): VersionFacts {
    let parsed = this.parsedById.get(entry.schemaId);
    if (parsed === undefined) {
      try {
        // Stored schemas were accepted once: parse leniently so a rule tightened later cannot brick them.
        parsed = parseSchema(entry.schema, {
          mode: 'lenient',
          references: entry.references,
          lookup: (ref) => refs.get(referenceKey(ref.subject, ref.version)),
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
