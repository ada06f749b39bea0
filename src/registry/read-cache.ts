/**
 * Read caching in front of any SchemaStore, correct with several server processes on one database.
 *
 * Two kinds of facts:
 * - IMMUTABLE: the schema row behind an id. Rows are never updated or deleted (an id never changes
 *   meaning), so they are cached for good in an LRU bounded by bytes, and never re-validated.
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
import { ByteLru } from '../cache/byte-lru.js';
import { cacheBudget } from '../cache/cache-budget.js';
import { HASH_BYTES, OBJECT_OVERHEAD, referencesBytes, stringBytes } from '../cache/size-estimate.js';
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
  /** Estimated bytes of immutable schema rows kept (LRU). Default: its share of CACHE_MAX_BYTES. */
  readonly schemaBytes?: number;
  /** Estimated bytes of mutable facts kept within one token scope (LRU). Default: its share. */
  readonly scopeBytes?: number;
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  /** How many times the token moved and the mutable scope was dropped. */
  invalidations: number;
  /** Answers given from the last known holders of an id while the database was unavailable. */
  stale: number;
}

/** A schema row: its texts (the API's, the submitted one, PCF, identity), its hashes and references. */
export function schemaRecordBytes(record: SchemaRecord): number {
  return (
    OBJECT_OVERHEAD * 2 +
    stringBytes(record.schema ?? '') +
    stringBytes(record.original ?? '') +
    stringBytes(record.pcf ?? '') +
    stringBytes(record.identity ?? '') +
    stringBytes(record.schemaType ?? '') +
    4 * HASH_BYTES +
    referencesBytes(record.references ?? [])
  );
}

/** A subject-version with its schema's canonical text and PCF (shared strings are counted again). */
export function storedVersionBytes(version: StoredVersion): number {
  return (
    OBJECT_OVERHEAD * 2 +
    stringBytes(version.subject ?? '') +
    stringBytes(version.schema ?? '') +
    stringBytes(version.pcf ?? '') +
    4 * HASH_BYTES +
    referencesBytes(version.references ?? [])
  );
}

const SUMMARY_BYTES = OBJECT_OVERHEAD + HASH_BYTES;
const SETTINGS_BYTES = 4 * OBJECT_OVERHEAD;

type Fact = StoredVersion[] | VersionSummary[] | StoredVersion | ScopeSettings | undefined;

/** Every mutable fact, valid for exactly one value of the change token, in one byte-bounded LRU. */
class Scope {
  /** Keys are tagged by kind: `h` holders of an id, `H` history, `s` summaries, `v` version, `c` settings. */
  readonly facts: ByteLru<string, Fact>;
  /**
   * Loads in flight under this scope's token, by fact key: concurrent misses of one fact share one
   * database read (without it, 50 connections asking for a fact nobody has cached yet make 50 reads,
   * which on PostgreSQL after a restart kept a server below a tenth of its cached rate for seconds).
   * Joining a load is as current as a hit: the token has not moved since the load began.
   */
  readonly loading = new Map<string, Promise<unknown>>();
  maxId: number | undefined;

  constructor(
    readonly token: number,
    maxBytes: number,
  ) {
    this.facts = new ByteLru({ maxBytes });
  }
}

const GLOBAL_KEY = '\u0000global';

function versionKey(subject: string, version: number): string {
  return `v${subject}\u0000${version}`;
}

function listBytes<T>(items: readonly T[], each: (item: T) => number): number {
  let bytes = OBJECT_OVERHEAD;
  for (const item of items) bytes += each(item);
  return bytes;
}

export class CachingSchemaStore implements SchemaStore {
  readonly stats: ReadCacheStats = { hits: 0, misses: 0, invalidations: 0, stale: 0 };
  private readonly records: ByteLru<number, SchemaRecord>;
  /** The holders last read for each id, kept across scopes for outages (see getVersionsBySchemaId). */
  private readonly lastHolders: ByteLru<number, StoredVersion[]>;
  private readonly scopeBytes: number;
  private scope: Scope;
  /** Schema rows being read, by id (rows never change: shared across scopes). */
  private readonly recordLoads = new Map<number, Promise<unknown>>();

  constructor(
    private readonly inner: SchemaStore,
    private readonly token: ChangeToken,
    options: ReadCacheOptions = {},
  ) {
    const budget = cacheBudget();
    this.records = new ByteLru({
      maxBytes: options.schemaBytes ?? budget.schemaRows,
      sizeOf: schemaRecordBytes,
    });
    // Shares the schema rows' budget: the same rows, a fraction of them (ids served during an outage).
    this.lastHolders = new ByteLru({
      maxBytes: Math.max(1, Math.floor((options.schemaBytes ?? budget.schemaRows) / 4)),
      sizeOf: (list) => listBytes(list, storedVersionBytes),
    });
    this.scopeBytes = options.scopeBytes ?? budget.scopeFacts;
    this.scope = new Scope(Number.NaN, this.scopeBytes);
  }

  /** Estimated bytes held: immutable rows and the current scope's facts. */
  get bytes(): { readonly schemaRows: number; readonly scopeFacts: number } {
    return { schemaRows: this.records.bytes, scopeFacts: this.scope.facts.bytes };
  }

  /**
   * Reads the change token and drops the mutable scope when it moved; returns the current scope.
   * The synchronous `peek*` methods read the scope as of the last `refresh()`: call it once at the
   * start of each request that peeks.
   */
  refresh(): void {
    this.current();
  }

  /**
   * `refresh()`, then the change token the scope is valid for: memos of answers derived from the
   * database (the fast path's negotiation answers) are kept under it and valid only while it stays.
   * NaN (never equal to itself) while no token can be read, e.g. PostgreSQL's change feed is down.
   */
  currentToken(): number {
    return this.current().token;
  }

  // ---- synchronous peeks for the HTTP fast path (undefined = not cached: ask the service) ---------

  /** The schema row of an id that still resolves (a subject-version holds it), when both are cached. */
  peekResolvableSchema(id: number): SchemaRecord | undefined {
    const holders = this.scope.facts.get(`h${id}`) as StoredVersion[] | undefined;
    if (holders === undefined || holders.length === 0) return undefined;
    return this.records.get(id);
  }

  peekMaxSchemaId(): number | undefined {
    return this.scope.maxId;
  }

  peekVersionSummaries(subject: string): readonly VersionSummary[] | undefined {
    return this.scope.facts.get(`s${subject}`) as VersionSummary[] | undefined;
  }

  /** The subject's settings (its own and the global ones), when cached. */
  peekSettings(subject: string): ScopeSettings | undefined {
    return this.scope.facts.get(`c${subject}`) as ScopeSettings | undefined;
  }

  /** A cached subject-version; undefined also when it is cached as absent. */
  peekVersion(subject: string, version: number): StoredVersion | undefined {
    return this.scope.facts.get(versionKey(subject, version)) as StoredVersion | undefined;
  }

  // ---- cached reads --------------------------------------------------------------------------------

  async getSchemaRecord(id: number): Promise<SchemaRecord | undefined> {
    const hit = this.records.get(id);
    if (hit !== undefined) return this.hit(hit);
    return this.joined(this.recordLoads, id, async () => {
      const record = await this.inner.getSchemaRecord(id);
      // An unknown id may be registered later: only rows are cached, never their absence.
      if (record !== undefined) this.records.set(id, record);
      return record;
    });
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
    const key = `h${id}`;
    if (scope.facts.has(key)) return this.hit(scope.facts.get(key) as StoredVersion[]);
    return this.joined(scope.loading, key, () => this.loadHolders(scope.facts, key, id));
  }

  private async loadHolders(facts: Scope['facts'], key: string, id: number): Promise<StoredVersion[]> {
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
      facts.set(key, holders, listBytes(holders, storedVersionBytes) + stringBytes(key));
      this.lastHolders.set(id, holders);
    } else {
      // Hard-deleted since it was last seen: an outage must not bring it back.
      this.lastHolders.delete(id);
    }
    return holders;
  }

  getSubjectHistory(subject: string): Promise<StoredVersion[]> {
    return this.cached(
      `H${subject}`,
      () => this.inner.getSubjectHistory(subject),
      (list) => listBytes(list, storedVersionBytes),
    );
  }

  listVersionSummaries(subject: string): Promise<VersionSummary[]> {
    return this.cached(
      `s${subject}`,
      () => this.inner.listVersionSummaries(subject),
      (list) => listBytes(list, () => SUMMARY_BYTES),
    );
  }

  getVersion(subject: string, version: number): Promise<StoredVersion | undefined> {
    return this.cached(
      versionKey(subject, version),
      () => this.inner.getVersion(subject, version),
      (found) => (found === undefined ? OBJECT_OVERHEAD : storedVersionBytes(found)),
    );
  }

  getSettings(subject: string | null): Promise<ScopeSettings> {
    return this.cached(
      `c${subject ?? GLOBAL_KEY}`,
      () => this.inner.getSettings(subject),
      () => SETTINGS_BYTES,
    );
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
      this.scope = new Scope(token, this.scopeBytes);
      this.stats.invalidations++;
    }
    return this.scope;
  }

  private hit<T>(value: T): T {
    this.stats.hits++;
    return value;
  }

  /** A mutable fact from the current scope, loaded (and kept, with its estimate `sizeOf`) on a miss. */
  private async cached<V extends Fact>(
    key: string,
    load: () => Promise<V>,
    sizeOf: (value: V) => number,
  ): Promise<V> {
    const scope = this.current();
    if (scope.facts.has(key)) return this.hit(scope.facts.get(key) as V);
    return this.joined(scope.loading, key, async () => {
      // The scope was fixed (token read) before `load` runs, so the value is at least as new as it.
      const value = await load();
      scope.facts.set(key, value, sizeOf(value) + stringBytes(key));
      return value;
    });
  }

  /** The load of `key` in flight in `loading`, or `load` started now (a miss) and shared until it settles. */
  private async joined<K, V>(loading: Map<K, Promise<unknown>>, key: K, load: () => Promise<V>): Promise<V> {
    const inFlight = loading.get(key) as Promise<V> | undefined;
    if (inFlight !== undefined) return this.hit(await inFlight);
    this.stats.misses++;
    const started = load();
    loading.set(key, started);
    try {
      return await started;
    } finally {
      loading.delete(key);
    }
  }
}
