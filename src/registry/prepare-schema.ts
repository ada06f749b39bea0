/**
 * The expensive, pure part of registration, done before the store's critical section: parse the
 * candidate, derive the text the API stores and returns (Java `Schema.toString()` emulation, or the
 * normalized form), its identity and its fingerprints. Also the memoised lenient parse of stored
 * versions: ids never change meaning, so a schema id's parse is valid forever.
 */
import { createHash } from 'node:crypto';
import { canonicalString, normalizedString, parseSchema, schemaFingerprints } from '../avro/index.js';
import type {
  ParsedSchema,
  ParseLimits,
  ParseMode,
  ReferenceLookup,
  SchemaReference,
} from '../avro/types.js';
import { ByteLru } from '../cache/byte-lru.js';
import { cacheBudget } from '../cache/cache-budget.js';
import {
  HASH_BYTES,
  OBJECT_OVERHEAD,
  parsedBytes,
  referencesBytes,
  stringBytes,
} from '../cache/size-estimate.js';
import { DomainError, isDomainError } from '../errors.js';
import type { PreparedSchema, ReferenceTarget } from './schema-store.js';
import { referenceKey } from './schema-store.js';

export interface PrepareInput {
  readonly text: string;
  readonly schemaType: string;
  readonly references: readonly SchemaReference[];
  /** strict for new registrations, lenient for lookups and imports with explicit ids. */
  readonly mode: ParseMode;
  readonly normalize: boolean;
  readonly requestedId?: number;
  readonly referenceTargets: ReadonlyMap<string, ReferenceTarget>;
}

export interface Prepared {
  readonly prepared: PreparedSchema;
  readonly parsed: ParsedSchema;
  /** The reference texts it was parsed with. */
  readonly referenceTargets: ReadonlyMap<string, ReferenceTarget>;
}

const SNIPPET_CHARS = 200;

export interface PreparerCacheOptions {
  /** Bound on the parsed stored schemas kept by id (estimated bytes). Default: its CACHE_MAX_BYTES share. */
  readonly parsedBytes?: number;
  /** Bound on the prepared candidates kept by text (estimated bytes). Default: its share. */
  readonly candidateBytes?: number;
}

/**
 * The texts a parse read: the schema's own and, when it has references, the reference targets it was
 * given (all of them: an over-estimate when the map holds more than this schema's graph).
 */
function sourceLength(
  text: string,
  references: readonly SchemaReference[],
  targets: ReadonlyMap<string, ReferenceTarget>,
): number {
  let length = text.length;
  if (references.length > 0) for (const target of targets.values()) length += target.schema.length;
  return length;
}

/** A prepared candidate: its parse, the texts and hashes it carries, and its memo key (the text). */
function preparedBytes(entry: Prepared, key: string): number {
  const p = entry.prepared;
  return (
    stringBytes(key) +
    parsedBytes(p.original.length) +
    stringBytes(p.canonical) +
    stringBytes(p.pcf) +
    4 * HASH_BYTES +
    referencesBytes(p.references) +
    OBJECT_OVERHEAD * 3
  );
}

export function lookupFrom(targets: ReadonlyMap<string, ReferenceTarget>): ReferenceLookup {
  return (ref) => targets.get(referenceKey(ref.subject, ref.version));
}

/** Confluent keys identity on type, canonical string and references (metadata and ruleSet are ignored here). */
export function schemaIdentity(
  schemaType: string,
  canonical: string,
  references: readonly SchemaReference[],
): string {
  const refs = references.map((r) => [r.name, r.subject, r.version]);
  return createHash('sha256')
    .update(JSON.stringify([schemaType, canonical, refs]))
    .digest('hex');
}

function snippet(text: string): string {
  return text.length <= SNIPPET_CHARS ? text : `${text.slice(0, SNIPPET_CHARS)}...`;
}

/** Normalization sorts and de-duplicates references (Confluent `AvroSchema.normalize`). */
function normalizeReferences(refs: readonly SchemaReference[]): SchemaReference[] {
  const seen = new Map<string, SchemaReference>();
  for (const ref of refs) seen.set(JSON.stringify([ref.name, ref.subject, ref.version]), ref);
  return [...seen.values()].sort(
    (a, b) =>
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
      a.version - b.version,
  );
}

export class SchemaPreparer {
  /** Lenient parses of stored schemas by id, bounded by their estimated bytes. */
  private readonly memo: ByteLru<number, ParsedSchema>;
  /**
   * Candidates without references, by mode, normalize and text: the same producer schema is looked up
   * and re-registered at every client start, and the answer is a pure function of these three.
   */
  private readonly candidates: ByteLru<string, Prepared>;

  constructor(
    private readonly limits: Partial<ParseLimits> | undefined,
    options: PreparerCacheOptions = {},
  ) {
    const budget = cacheBudget();
    this.memo = new ByteLru({ maxBytes: options.parsedBytes ?? budget.parsedSchemas });
    this.candidates = new ByteLru({
      maxBytes: options.candidateBytes ?? budget.candidates,
      sizeOf: preparedBytes,
    });
  }

  /** Parses and canonicalises a candidate; a bad schema is 42201 `Invalid schema ..., details: ...`. */
  prepare(input: PrepareInput): Prepared {
    if (input.references.length > 0 || input.requestedId !== undefined) return this.prepareUncached(input);
    const key = `${input.mode}\u0000${input.normalize ? 1 : 0}\u0000${input.schemaType}\u0000${input.text}`;
    const hit = this.candidates.get(key);
    if (hit !== undefined) return { ...hit, referenceTargets: input.referenceTargets };
    const prepared = this.prepareUncached(input);
    this.candidates.set(key, prepared);
    return prepared;
  }

  private prepareUncached(input: PrepareInput): Prepared {
    if (input.schemaType !== 'AVRO') {
      throw new DomainError('INVALID_SCHEMA', `Invalid schema type ${input.schemaType}`);
    }
    const references = input.normalize ? normalizeReferences(input.references) : [...input.references];
    const lookup = lookupFrom(input.referenceTargets);
    try {
      const parsed = parseSchema(input.text, { mode: input.mode, references, lookup, limits: this.limits });
      let canonical = canonicalString(parsed);
      if (input.normalize) {
        // Confluent re-parses the normalized text and stores its canonical string.
        const reparsed = parseSchema(normalizedString(parsed), {
          mode: 'lenient',
          references,
          lookup,
          limits: this.limits,
        });
        canonical = canonicalString(reparsed);
      }
      const fingerprints = schemaFingerprints(parsed);
      return {
        parsed,
        referenceTargets: input.referenceTargets,
        prepared: {
          identity: schemaIdentity(input.schemaType, canonical, references),
          schemaType: input.schemaType,
          canonical,
          original: input.text,
          references,
          pcf: fingerprints.pcf,
          crc64: fingerprints.crc64Hex,
          md5: fingerprints.md5,
          sha256: fingerprints.sha256,
          ...(input.requestedId === undefined ? {} : { requestedId: input.requestedId }),
        },
      };
    } catch (e) {
      if (isDomainError(e) && e.code === 'INVALID_SCHEMA') {
        throw new DomainError(
          'INVALID_SCHEMA',
          `Invalid schema ${snippet(input.text)}, details: ${e.message}`,
        );
      }
      throw e;
    }
  }

  /** Lenient parse of a stored schema, memoised by id (bounded by bytes, least recently used evicted). */
  parseStored(
    stored: {
      readonly schemaId: number;
      readonly schema: string;
      readonly references: readonly SchemaReference[];
    },
    referenceTargets: ReadonlyMap<string, ReferenceTarget>,
  ): ParsedSchema {
    const hit = this.memo.get(stored.schemaId);
    if (hit !== undefined) return hit;
    let parsed: ParsedSchema;
    try {
      parsed = parseSchema(stored.schema, {
        mode: 'lenient',
        references: stored.references,
        lookup: lookupFrom(referenceTargets),
        limits: this.limits,
      });
    } catch (e) {
      throw new DomainError(
        'STORE_ERROR',
        `Stored schema ${stored.schemaId} cannot be parsed: ${isDomainError(e) ? e.message : String(e)}`,
      );
    }
    this.memo.set(
      stored.schemaId,
      parsed,
      parsedBytes(sourceLength(stored.schema, stored.references, referenceTargets)),
    );
    return parsed;
  }

  /** Estimated bytes held by the two memos. */
  get bytes(): { readonly parsedSchemas: number; readonly candidates: number } {
    return { parsedSchemas: this.memo.bytes, candidates: this.candidates.bytes };
  }
}
