/**
 * The fast path's answers from the read cache: `GET /schemas/ids/{id}`, `GET /subjects/{s}/versions/{v}`
 * (and `latest`, `-1`) and the lookup `POST /subjects/{s}`. Each is the service's own decision replayed
 * over facts the read cache holds for the current change token (registry-reads.ts `getSchemaById`,
 * `findVersion`; registry-service.ts `lookup`), rendered by the routes' own renderers, so it is the 200
 * the route would send — or undefined, and the route answers (which also fills the cache).
 *
 * Why it stays correct under every write: the facts a mutable answer depends on (which versions a
 * subject has and which are deleted, the version rows, the subject's and the global config) live in the
 * read cache's scope, dropped whenever the database's change token moves (any commit of any process on
 * SQLite; this instance's commits and every other instance's notices on PostgreSQL, and no scope at all
 * while its change feed is down). What is kept across scopes is immutable: a schema row by id, the
 * bytes of a rendered subject-version (keyed by schema id, version and subject, which a version never
 * changes), the identity of a schema text under a normalize setting (a pure function).
 */
import { sha256 } from '../auth/keyed-digest.js';
import { ByteLru } from '../cache/byte-lru.js';
import { stringBytes } from '../cache/size-estimate.js';
import type { CachingSchemaStore } from '../registry/read-cache.js';
import { parseRegisterRequest } from '../registry/requests.js';
import type { SchemaRecord, StoredVersion } from '../registry/schema-store.js';
import { effectiveNormalize } from '../registry/settings.js';
import { versionView } from '../registry/views.js';
import type { FastRequest } from './fast-routes.js';
import { queryFlag, queryValue } from './fast-routes.js';
import { renderSchemaString, renderSchemaVersion } from './schemas-routes.js';

/** What the lookup needs of the registry: the identity of a schema text (registry-service.ts). */
export interface CandidateIdentities {
  candidateIdentity(text: string, schemaType: string, normalize: boolean): string | undefined;
}

/** A lookup body the fast path can match by identity: a schema text without references. */
interface LookupBody {
  readonly text: string;
  readonly schemaType: string;
  /** Identity by normalize setting (null: the text is not a schema the lookup accepts). */
  readonly identities: Map<boolean, string | null>;
}

export class FastReads {
  /**
   * Response bytes by what they are a pure function of: `i<id>` (a schema row never changes) and
   * `v<schemaId>/<version>/<subject>` (a subject-version names one schema id for good).
   */
  private readonly bytes: ByteLru<string, Buffer>;
  /** Lookup bodies by the SHA-256 of their bytes; null when the fast path never answers that body. */
  private readonly bodies: ByteLru<string, LookupBody | null>;

  constructor(
    private readonly cache: CachingSchemaStore,
    private readonly registry: CandidateIdentities,
    maxBytes: number,
  ) {
    this.bytes = new ByteLru({
      maxBytes: Math.max(1, Math.floor(maxBytes * 0.7)),
      sizeOf: (body, key) => body.length + stringBytes(key) + 96,
    });
    this.bodies = new ByteLru({
      maxBytes: Math.max(1, Math.floor(maxBytes * 0.3)),
      sizeOf: (body, key) => stringBytes(key) + (body === null ? 64 : stringBytes(body.text) + 256),
    });
  }

  get cachedBytes(): number {
    return this.bytes.bytes + this.bodies.bytes;
  }

  /** `GET /schemas/ids/{id}` (also `fetchMaxId`); the cache was refreshed for this request. */
  schemaById(req: FastRequest, id: number): Buffer | undefined {
    const record = this.cache.peekResolvableSchema(id);
    if (record === undefined) return undefined;
    if (record.references.length > 0 && wantsResolved(req.query)) return undefined;
    const body = this.schemaBytes(record);
    if (!queryFlag(req.query, 'fetchMaxId')) return body;
    const maxId = this.cache.peekMaxSchemaId();
    if (maxId === undefined) return undefined;
    // `maxId` is the last member of the SchemaString object: splice it in before the closing brace.
    return Buffer.concat([body.subarray(0, -1), Buffer.from(`,"maxId":${maxId}}`)]);
  }

  /** `GET /subjects/{s}/versions/{v}`: the same choice as the service's findVersion. */
  subjectVersion(req: FastRequest, subject: string, version: number | 'latest'): Buffer | undefined {
    const summaries = this.cache.peekVersionSummaries(subject);
    if (summaries === undefined) return undefined;
    const latest = version === 'latest';
    const includeDeleted = queryFlag(req.query, 'deleted');
    let picked: number | undefined;
    for (let i = summaries.length - 1; i >= 0; i--) {
      const summary = summaries[i]!;
      // `latest` is the newest LIVE version even with deleted=true (Confluent's VersionId semantics).
      if (summary.deleted && (latest || !includeDeleted)) continue;
      if (latest || summary.version === version) {
        picked = summary.version;
        break;
      }
    }
    if (picked === undefined) return undefined;
    const found = this.cache.peekVersion(subject, picked);
    if (found === undefined) return undefined;
    if (found.references.length > 0 && wantsResolved(req.query)) return undefined;
    return this.versionBytes(found);
  }

  /**
   * `POST /subjects/{s}`: by the hash of the body's bytes to the schema text (parsed once), by the text
   * to its identity under the subject's normalize setting, then the newest visible version with that
   * identity, exactly as `lookup` picks it. `decoded` parses the body when its hash is new.
   */
  lookup(req: FastRequest, subject: string, digest: string, decoded: () => unknown): Buffer | undefined {
    const summaries = this.cache.peekVersionSummaries(subject);
    const settings = this.cache.peekSettings(subject);
    if (summaries === undefined || settings === undefined) return undefined;
    const deleted = queryFlag(req.query, 'deleted');
    const normalize = queryFlag(req.query, 'normalize') || effectiveNormalize(settings);
    const identity = this.identityOf(digest, decoded, normalize);
    if (identity === undefined) return undefined;
    let match: number | undefined;
    for (let i = summaries.length - 1; i >= 0; i--) {
      const v = summaries[i]!;
      if ((deleted || !v.deleted) && v.identity === identity) {
        match = v.version;
        break;
      }
    }
    const found = match === undefined ? undefined : this.cache.peekVersion(subject, match);
    return found === undefined ? undefined : this.versionBytes(found);
  }

  /** Whether a lookup body with this hash was seen (and so is known to be valid JSON). */
  knowsBody(digest: string): boolean {
    return this.bodies.has(digest);
  }

  private identityOf(digest: string, decoded: () => unknown, normalize: boolean): string | undefined {
    let body = this.bodies.get(digest);
    if (body === undefined) {
      body = lookupBody(decoded());
      this.bodies.set(digest, body);
    }
    if (body === null) return undefined;
    let identity = body.identities.get(normalize);
    if (identity === undefined) {
      identity = this.registry.candidateIdentity(body.text, body.schemaType, normalize) ?? null;
      body.identities.set(normalize, identity);
    }
    return identity ?? undefined;
  }

  private schemaBytes(record: SchemaRecord): Buffer {
    const key = `i${record.id}`;
    let body = this.bytes.get(key);
    if (body === undefined) {
      const view = {
        schema: record.schema,
        ...(record.references.length > 0 ? { references: [...record.references] } : {}),
      };
      body = Buffer.from(JSON.stringify(renderSchemaString(view)), 'utf8');
      this.bytes.set(key, body);
    }
    return body;
  }

  private versionBytes(found: StoredVersion): Buffer {
    const key = `v${found.schemaId}/${found.version}/${found.subject}`;
    let body = this.bytes.get(key);
    if (body === undefined) {
      // The service's own view of a version (views.ts), rendered by the route's renderer.
      body = Buffer.from(JSON.stringify(renderSchemaVersion(versionView(found))), 'utf8');
      this.bytes.set(key, body);
    }
    return body;
  }
}

/**
 * What `lookup` reads of a body, when the fast path can match it: a schema text without references.
 * Anything the lookup would refuse, or a body with references (their targets are mutable), is null.
 */
function lookupBody(value: unknown): LookupBody | null {
  try {
    const request = parseRegisterRequest(value);
    if (request.schema === undefined || request.references.length > 0) return null;
    return { text: request.schema, schemaType: request.schemaType, identities: new Map() };
  } catch {
    return null;
  }
}

/** The key of a body in the fast path's memos: the SHA-256 of its exact bytes. */
export function bodyDigest(bytes: Buffer): string {
  return sha256(bytes, 'base64');
}

/** `format=resolved` inlines referenced types: Express renders that; the precomputed bytes do not. */
function wantsResolved(query: string | undefined): boolean {
  return queryValue(query, 'format')?.trim().toLowerCase() === 'resolved';
}
