/**
 * A least-recently-used map bounded by the BYTES its entries keep alive, estimated (see size-estimate.ts)
 * when an entry is stored. Counting entries does not bound memory: one 4 MiB schema with 10,000 named
 * types parses into some 60 MB of objects, so "5,000 entries" can mean anything from a few megabytes to
 * hundreds of gigabytes. Here the bound is the sum of the estimates.
 *
 * - `get` refreshes an entry's recency, `peek` does not; both are O(1).
 * - `set` replaces any entry under the key; an entry alone larger than the bound is not stored at all
 *   (`set` answers false), so a single hostile value can never flush everything else for nothing.
 * - When the total goes over the bound, the least recently used entries go, in one pass, until a tenth
 *   of the bound is free: evicting one entry per insert would re-walk the deleted slots V8 leaves at the
 *   front of a Map on every insert.
 * - Values may be `undefined` (a cached absence): use `has` to tell it from a miss.
 *
 * No dependencies, so every layer (avro, registry, negotiation, http, storage) may use it.
 */

export interface ByteLruOptions<K, V> {
  /** The bound on the summed estimates, in bytes (a positive integer). */
  readonly maxBytes: number;
  /** The estimate of one entry (key included) when `set` is not given one. */
  readonly sizeOf?: (value: V, key: K) => number;
  /** Called for every entry evicted to make room (not for `delete`, `clear` or a replacement). */
  readonly onEvict?: (key: K, value: V) => void;
}

interface Entry<V> {
  readonly value: V;
  readonly bytes: number;
}

/** Free a tenth of the bound once it is exceeded (see above). */
const LOW_WATER = 0.9;

export class ByteLru<K, V> {
  hits = 0;
  misses = 0;
  evictions = 0;
  readonly maxBytes: number;
  private readonly map = new Map<K, Entry<V>>();
  private total = 0;
  private readonly sizeOf: ((value: V, key: K) => number) | undefined;
  private readonly onEvict: ((key: K, value: V) => void) | undefined;

  constructor(options: ByteLruOptions<K, V>) {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 1) {
      throw new RangeError(`maxBytes must be a positive integer, got ${options.maxBytes}`);
    }
    this.maxBytes = options.maxBytes;
    this.sizeOf = options.sizeOf;
    this.onEvict = options.onEvict;
  }

  /** The value under `key` (counted as a hit or a miss), made most recently used. */
  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  /** The value under `key` without counting or refreshing it. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /**
   * Stores `value` as the most recently used entry, `bytes` (else `sizeOf`) being its estimate, and
   * evicts what no longer fits. False when the value alone exceeds the bound: then nothing is stored
   * (and an older value under the key is gone too, so no stale value outlives its replacement).
   */
  set(key: K, value: V, bytes?: number): boolean {
    const size = bytes ?? this.sizeOf?.(value, key);
    if (size === undefined || !Number.isFinite(size) || size < 0) {
      throw new RangeError('ByteLru.set needs a finite, non-negative size (pass one or configure sizeOf)');
    }
    this.delete(key);
    if (size > this.maxBytes) return false;
    this.map.set(key, { value, bytes: size });
    this.total += size;
    // The entry just stored is the newest, so the pass reaches it last; it stays (it fits the bound).
    if (this.total > this.maxBytes) {
      this.evictWhile(() => this.total > this.maxBytes * LOW_WATER && this.map.size > 1);
    }
    return true;
  }

  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    this.map.delete(key);
    this.total -= entry.bytes;
    return true;
  }

  /**
   * Evicts least recently used entries, in one pass, for as long as `more()` says so; for bounds of the
   * caller's own besides bytes (e.g. a count of items inside the values).
   */
  evictWhile(more: () => boolean): void {
    for (const [key, entry] of this.map) {
      if (!more()) break;
      this.map.delete(key);
      this.total -= entry.bytes;
      this.evictions++;
      this.onEvict?.(key, entry.value);
    }
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  /** Entries held. */
  get size(): number {
    return this.map.size;
  }

  /** The summed estimates of the entries held (never above `maxBytes`). */
  get bytes(): number {
    return this.total;
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}
