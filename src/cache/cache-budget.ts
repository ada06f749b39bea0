/**
 * One number, `CACHE_MAX_BYTES`, bounds every cache the registry keeps: each cache gets a fixed share of
 * it (estimated bytes, see size-estimate.ts), so the heap the caches can hold is predictable whatever the
 * schemas look like. The shares follow what each cache is for and how large its entries are.
 */

export const DEFAULT_CACHE_MAX_BYTES = 256 * 1024 * 1024;
/** Below this the shares get too small to hold even one ordinary schema. */
export const MIN_CACHE_MAX_BYTES = 1024 * 1024;

export const CACHE_SHARES = {
  /** Parsed stored schemas by id (compatibility checks, labels, negotiation): the largest entries, the most reuse. */
  parsedSchemas: 0.25,
  /** Prepared candidates by text (the same producer schema is re-registered at every client start). */
  candidates: 0.1,
  /** Negotiation memos: subjects' histories, evaluations, handshake answers, rosters, agreement views. */
  negotiation: 0.1,
  /** Schema rows by id (immutable, `GET /schemas/ids/{id}`). */
  schemaRows: 0.15,
  /** Precomputed response bytes of the hot-read fast path. */
  responseBytes: 0.1,
  /** Mutable facts of the current change-token scope (histories, versions, settings). */
  scopeFacts: 0.1,
  /** Reader/writer compatibility results. */
  compatibility: 0.1,
  /** Parsed schemas of `POST .../validate`. */
  validation: 0.05,
  /** Immutable schema columns the SQLite store keeps for decisions inside its write transaction. */
  storageMeta: 0.05,
} as const;

export type CacheName = keyof typeof CACHE_SHARES;
export type CacheBudget = Readonly<Record<CacheName, number>>;

/** Each cache's bound for a total of `maxBytes` (never below 1 byte, so every ByteLru accepts it). */
export function cacheBudget(maxBytes: number = DEFAULT_CACHE_MAX_BYTES): CacheBudget {
  return splitBudget(CACHE_SHARES, maxBytes);
}

/**
 * `maxBytes` split by `shares` (fractions summing to at most 1), each part at least 1 byte: the split of
 * CACHE_MAX_BYTES above, and of a share again among the memos of one service (negotiation/memo-budget.ts).
 */
export function splitBudget<K extends string>(
  shares: Readonly<Record<K, number>>,
  maxBytes: number,
): Readonly<Record<K, number>> {
  const out = {} as Record<K, number>;
  for (const [name, share] of Object.entries(shares) as Array<[K, number]>) {
    out[name] = Math.max(1, Math.floor(maxBytes * share));
  }
  return out;
}
