/**
 * Read caching in front of any SchemaStore, correct with several server processes on one database.
 *
 * Two kinds of facts:
 * - IMMUTABLE: the schema row behind an id. Rows are never updated or deleted (an id never changes
 *   meaning), so they are cached for good in a bounded LRU and never re-validated.
 * - MUTABLE: everything that depends on subject-versions, config, mode or the id high-water mark
 *   (histories, `latest`, which ids still resolve, settings). These live in a scope tied to the
 *   database's change token; the token is read at the start of every read (one tiny query), and when
 *   it moved — any commit by any process, this one included — the whole scope is dropped. So a read
 *   never answers from data older than the last commit that finished before it started.
 *
 * The token is always read BEFORE the data is loaded, so a value stored under a token is at least as
 * new as that token: a commit landing in between only makes the next read start a new scope.
 *
 * Writes pass straight through (they run their own transactions on the inner store and move the
 * token themselves). Cached values are shared: callers must treat them as read-only, which every
 * SchemaStore caller already does.
 */
import type { SchemaReference } from '../avro/types.js';
import { isDomainError } from '../errors.js';
import type { Mode } from './registry-api.js';
import type {
  ConfigRecord,
  DeletePlan,
  ModeWrite,
  PreparedSchema,
  ReferenceTarget,
  Referrer,
  RegisterOutcome,
  RegisterResult,
  RegisterState,
  SchemaRecord,
  SchemaStore,
  ScopeSettings,
  ScopeState,
  StoredVersion,
  SubjectState,
  SubjectSummaryPage,
  SubjectSummaryQuery,
  VersionSummary,
} from './schema-store.js';

/** A number that changes whenever the database may have changed (see `sqliteChangeToken`). */
export interface ChangeToken {
  read(): number;
}

export interface ReadCacheOptions {
  /** Schema rows kept (immutable, LRU). Default 10,000. */
  readonly schemaCapacity?: number;
  /** Entries per mutable map within one token scope. Default 5,000. */
  readonly scopeCapacity?: number;
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  /** How many times the token moved and the mutable scope was dropped. */
  invalidations: number;
  /** Answers given from the last known holders of an id while the database was unavailable. */
  stale: number;
}

/** A Map bounded by insertion order: cheap, and a scope rarely lives long enough to need real LRU. */
class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.capacity && !this.map.has(key)) this.map.clear();
    this.map.set(key, value);
  }

  get size(): number {
    return this.map.size;
  }
}

/** An LRU for the immutable rows: a hit re-inserts, eviction drops the oldest quarter at once. */
class Lru<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      // Evicting one entry per insert walks the deleted slots V8 leaves at the front of a Map again and
      // again; rebuilding from the newest three quarters keeps every operation O(1) amortised.
      const keep = Math.floor(this.capacity * 0.75);
      this.map = new Map([...this.map].slice(-keep));
    }
  }

  get size(): number {
    return this.map.size;
  }
}

/** Every mutable fact, valid for exactly one value of the change token. */
class Scope {
  readonly holders: BoundedMap<number, StoredVersion[]>;
  readonly histories: BoundedMap<string, StoredVersion[]>;
  readonly summaries: BoundedMap<string, VersionSummary[]>;
  readonly versions: BoundedMap<string, StoredVersion | undefined>;
  readonly settings: BoundedMap<string, ScopeSettings>;
  maxId: number | undefined;

  constructor(
    readonly token: number,
    capacity: number,
  ) {
    this.holders = new BoundedMap(capacity);
    this.histories = new BoundedMap(capacity);
    this.summaries = new BoundedMap(capacity);
    this.versions = new BoundedMap(capacity);
    this.settings = new BoundedMap(capacity);
  }
}

const GLOBAL_KEY = '\u0000global';

function versionKey(subject: string, version: number): string {
  return `${subject}\u0000${version}`;
}

export class CachingSchemaStore implements SchemaStore {
  readonly stats: ReadCacheStats = { hits: 0, misses: 0, invalidations: 0, stale: 0 };
  private readonly records: Lru<number, SchemaRecord>;
  /** The holders last read for each id, kept across scopes for outages (see getVersionsBySchemaId). */
  private readonly lastHolders: Lru<number, StoredVersion[]>;
  private readonly scopeCapacity: number;
  private scope: Scope;

  constructor(
    private readonly inner: SchemaStore,
    private readonly token: ChangeToken,
    options: ReadCacheOptions = {},
  ) {
    this.records = new Lru(options.schemaCapacity ?? 10_000);
    this.lastHolders = new Lru(options.schemaCapacity ?? 10_000);
    this.scopeCapacity = options.scopeCapacity ?? 5_000;
    this.scope = new Scope(Number.NaN, this.scopeCapacity);
  }

  /**
   * Reads the change token and drops the mutable scope when it moved; returns the current scope.
   * The synchronous `peek*` methods read the scope as of the last `refresh()`: call it once at the
   * start of each request that peeks.
   */
  refresh(): void {
    this.current();
  }

  // ---- synchronous peeks for the HTTP fast path (undefined = not cached: ask the service) ---------

  /** The schema row of an id that still resolves (a subject-version holds it), when both are cached. */
  peekResolvableSchema(id: number): SchemaRecord | undefined {
    const holders = this.scope.holders.get(id);
    if (holders === undefined || holders.length === 0) return undefined;
    return this.records.get(id);
  }

  peekMaxSchemaId(): number | undefined {
    return this.scope.maxId;
  }

  peekVersionSummaries(subject: string): readonly VersionSummary[] | undefined {
    return this.scope.summaries.get(subject);
  }

  /** A cached subject-version; undefined also when it is cached as absent. */
  peekVersion(subject: string, version: number): StoredVersion | undefined {
    return this.scope.versions.get(versionKey(subject, version));
  }

  // ---- cached reads --------------------------------------------------------------------------------

  async getSchemaRecord(id: number): Promise<SchemaRecord | undefined> {
    const hit = this.records.get(id);
    if (hit !== undefined) return this.hit(hit);
    this.stats.misses++;
    const record = await this.inner.getSchemaRecord(id);
    // An unknown id may be registered later: only rows are cached, never their absence.
    if (record !== undefined) this.records.set(id, record);
    return record;
  }

  async maxSchemaId(): Promise<number> {
    const scope = this.current();
    if (scope.maxId !== undefined) return this.hit(scope.maxId);
    this.stats.misses++;
    const value = await this.inner.maxSchemaId();
    scope.maxId = value;
    return value;
  }

  /**
   * Who holds an id. Never cached as absent: with several instances, an id registered through another
   * one must resolve here at once. While the database is unreachable, the last holders seen still
   * answer (an id never changes meaning; only a hard delete, which cannot happen meanwhile through
   * this database, would make it stop resolving), so consumers keep decoding during an outage.
   */
  async getVersionsBySchemaId(id: number): Promise<StoredVersion[]> {
    const scope = this.current();
    const hit = scope.holders.get(id);
    if (hit !== undefined) return this.hit(hit);
    this.stats.misses++;
    let holders: StoredVersion[];
    try {
      holders = await this.inner.getVersionsBySchemaId(id);
    } catch (e) {
      const last = this.lastHolders.get(id);
      if (last !== undefined && isDomainError(e) && e.code === 'SERVICE_UNAVAILABLE') {
        this.stats.stale++;
        return last;
      }
      throw e;
    }
    if (holders.length > 0) {
      scope.holders.set(id, holders);
      this.lastHolders.set(id, holders);
    }
    return holders;
  }

  getSubjectHistory(subject: string): Promise<StoredVersion[]> {
    return this.cached(this.current().histories, subject, () => this.inner.getSubjectHistory(subject));
  }

  listVersionSummaries(subject: string): Promise<VersionSummary[]> {
    return this.cached(this.current().summaries, subject, () => this.inner.listVersionSummaries(subject));
  }

  getVersion(subject: string, version: number): Promise<StoredVersion | undefined> {
    return this.cached(this.current().versions, versionKey(subject, version), () =>
      this.inner.getVersion(subject, version),
    );
  }

  getSettings(subject: string | null): Promise<ScopeSettings> {
    return this.cached(this.current().settings, subject ?? GLOBAL_KEY, () => this.inner.getSettings(subject));
  }

  // ---- passed through: listings and rare reads (large answers, little reuse) ------------------------

  listAllVersions(subjectPrefix?: string): Promise<StoredVersion[]> {
    return this.inner.listAllVersions(subjectPrefix);
  }

  listSubjectCounts(): Promise<Array<{ subject: string; live: number; deleted: number }>> {
    return this.inner.listSubjectCounts();
  }

  listSubjectSummaries(query: SubjectSummaryQuery): Promise<SubjectSummaryPage> {
    return this.inner.listSubjectSummaries(query);
  }

  getReferrers(subject: string, version: number): Promise<Referrer[]> {
    return this.inner.getReferrers(subject, version);
  }

  resolveReferences(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>> {
    return this.inner.resolveReferences(refs);
  }

  // ---- writes: straight through (each one moves the change token) ---------------------------------

  register(
    subject: string,
    prepared: PreparedSchema,
    decide: (state: RegisterState) => RegisterOutcome,
  ): Promise<RegisterResult> {
    return this.inner.register(subject, prepared, decide);
  }

  deleteVersions(subject: string, decide: (state: SubjectState) => DeletePlan): Promise<number[]> {
    return this.inner.deleteVersions(subject, decide);
  }

  setConfig(subject: string | null, update: ConfigRecord, check: (state: ScopeState) => void): Promise<void> {
    return this.inner.setConfig(subject, update, check);
  }

  deleteConfig(
    subject: string | null,
    check: (state: ScopeState) => void,
  ): Promise<ConfigRecord | undefined> {
    return this.inner.deleteConfig(subject, check);
  }

  setMode(subject: string | null, mode: Mode, decide: (state: ScopeState) => ModeWrite): Promise<void> {
    return this.inner.setMode(subject, mode, decide);
  }

  deleteMode(subject: string | null, recursive: boolean): Promise<Mode | undefined> {
    return this.inner.deleteMode(subject, recursive);
  }

  // ---- internals -----------------------------------------------------------------------------------

  private current(): Scope {
    let token: number;
    try {
      token = this.token.read();
    } catch {
      // No token (a closed or busy database): a fresh scope, so the inner store answers — or fails
      // with its own error — for this read.
      token = Number.NaN;
    }
    if (token !== this.scope.token) {
      this.scope = new Scope(token, this.scopeCapacity);
      this.stats.invalidations++;
    }
    return this.scope;
  }

  private hit<T>(value: T): T {
    this.stats.hits++;
    return value;
  }

  private async cached<K, V>(map: BoundedMap<K, V>, key: K, load: () => Promise<V>): Promise<V> {
    if (map.has(key)) return this.hit(map.get(key) as V);
    this.stats.misses++;
    // The scope was fixed (token read) before `load` runs, so the value is at least as new as it.
    const value = await load();
    map.set(key, value);
    return value;
  }
}
