/**
 * Each subject's history, parsed, memoised under the subject's HISTORY TOKEN, which the registry's
 * onSubjectWrite listener changes inside every transaction that changes the subject's versions (see
 * NegotiationStore.tokens). Every negotiation memo embeds the token in its key, so a warm handshake
 * costs one indexed read and no parsing, and several server processes on one database file stay
 * coherent.
 */
import type { ParsedSchema } from '../avro/types.js';
import { ByteLru } from '../cache/byte-lru.js';
import { isDomainError } from '../errors.js';
import { SchemaPreparer } from '../registry/prepare-schema.js';
import type { ReferenceTarget, SubjectHistoryEntry } from '../registry/schema-store.js';
import type { VersionFacts } from './choice.js';
import { historyBytes } from './memo-budget.js';
import type { NegotiationStore } from './negotiation-store.js';

export interface SubjectFacts {
  readonly token: string;
  /** Every version, soft-deleted included, ascending. */
  readonly history: readonly VersionFacts[];
  readonly live: readonly VersionFacts[];
}

const EMPTY_TARGETS: ReadonlyMap<string, ReferenceTarget> = new Map();

/** A lenient parse of a stored schema (memoised by id by whoever provides it). */
export type StoredParser = (
  stored: {
    readonly schemaId: number;
    readonly schema: string;
    readonly references: SubjectHistoryEntry['references'];
  },
  targets: ReadonlyMap<string, ReferenceTarget>,
) => ParsedSchema;

/**
 * A memo of its own, when the registry's is not shared (tests, tools): the registry's own lenient parse
 * of stored schemas (SchemaPreparer.parseStored), with a parse memo of `maxBytes`.
 */
function privateParser(maxBytes: number): StoredParser {
  const preparer = new SchemaPreparer(undefined, { parsedBytes: maxBytes, candidateBytes: 1 });
  return (stored, targets) => preparer.parseStored(stored, targets);
}

export class SubjectFactsCache {
  private readonly facts: ByteLru<string, SubjectFacts>;
  /** Global ids never change meaning (same text, same references), so their parse is shared. */
  private readonly parse: StoredParser;

  /**
   * `parseStored`: the registry's memoised parse of stored schemas by id (one memo for both services);
   * without it, a private memo of `maxBytes` is used.
   */
  constructor(
    private readonly store: NegotiationStore,
    maxBytes: number,
    parseStored?: StoredParser,
  ) {
    this.facts = new ByteLru({ maxBytes, sizeOf: (f) => historyBytes(f.history) });
    this.parse = parseStored ?? privateParser(maxBytes);
  }

  /** Estimated bytes of the histories held. */
  get bytes(): number {
    return this.facts.bytes;
  }

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
    let parsed: ParsedSchema | undefined;
    try {
      parsed = this.parse(entry, refs);
    } catch (e) {
      // Never let negotiation veto a registry write over an unreadable old version (see VersionFacts).
      if (!isDomainError(e)) throw e;
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
