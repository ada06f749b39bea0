import { HttpTransport, type TransportOptions } from './http-transport.js';
import type {
  Agreement,
  CompatibilityCheck,
  CompatibilityLevel,
  HandshakeRequest,
  HandshakeResult,
  LabelledVersion,
  Mode,
  ParticipantAnswer,
  ParticipantRequest,
  SchemaById,
  SchemaReference,
  SubjectVersion,
} from './registry-types.js';

export interface RegistryClientOptions extends TransportOptions {
  /** Max entries of each immutable-lookup cache (id → schema, subject+schema → id); default 10000. */
  cacheSize?: number;
}

/** A schema as callers hand it in: its text, or a JSON object that is stringified. */
export type SchemaInput = string | object;

export interface RegisterOptions {
  references?: SchemaReference[];
  normalize?: boolean;
  /** Omitted for AVRO, like the kafkajs client, so very old registries accept the body. */
  schemaType?: string;
}

type VersionId = number | 'latest';

/**
 * A client for a Confluent-compatible registry plus our /negotiation extensions.
 *
 * Only lookups whose answer can never change are cached: a global id always names the same schema, and
 * registering the same schema under the same subject always yields the same id. Concurrent misses for one
 * key share a single request, so a consumer starting on a topic full of one id asks the registry once.
 */
export class RegistryClient {
  readonly http: HttpTransport;
  private readonly schemaById: BoundedCache<number, SchemaById>;
  private readonly idBySchema: BoundedCache<string, number>;

  constructor(options: RegistryClientOptions | string) {
    const opts = typeof options === 'string' ? { url: options } : options;
    this.http = new HttpTransport(opts);
    this.schemaById = new BoundedCache(opts.cacheSize ?? 10_000);
    this.idBySchema = new BoundedCache(opts.cacheSize ?? 10_000);
  }

  get url(): string {
    return this.http.baseUrl;
  }

  /** `GET /schemas/ids/{id}` (cached, coalesced). */
  getSchema(id: number): Promise<SchemaById> {
    return this.schemaById.get(id, () =>
      this.http.request<SchemaById>('GET', `/schemas/ids/${encodeURIComponent(String(id))}`),
    );
  }

  /** `POST /subjects/{s}/versions`; returns the global id (cached per subject and schema text). */
  register(subject: string, schema: SchemaInput, options: RegisterOptions = {}): Promise<number> {
    const body = schemaBody(schema, options);
    const key = `${subject}\u0000${options.normalize === true}\u0000${JSON.stringify(body)}`;
    return this.idBySchema.get(key, async () => {
      const query = options.normalize === undefined ? undefined : { normalize: options.normalize };
      const answer = await this.http.request<{ id: number }>('POST', `${subjectPath(subject)}/versions`, {
        body,
        query,
        idempotent: true, // registering the same schema again returns the same id
      });
      return answer.id;
    });
  }

  /** `POST /subjects/{s}`: the version under which this schema is registered. */
  lookup(
    subject: string,
    schema: SchemaInput,
    options: RegisterOptions & { deleted?: boolean } = {},
  ): Promise<SubjectVersion> {
    return this.http.request('POST', subjectPath(subject), {
      body: schemaBody(schema, options),
      query: { normalize: options.normalize, deleted: options.deleted },
      idempotent: true,
    });
  }

  getVersion(
    subject: string,
    version: VersionId,
    options: { deleted?: boolean } = {},
  ): Promise<SubjectVersion> {
    return this.http.request(
      'GET',
      `${subjectPath(subject)}/versions/${encodeURIComponent(String(version))}`,
      {
        query: { deleted: options.deleted },
      },
    );
  }

  getLatest(subject: string): Promise<SubjectVersion> {
    return this.getVersion(subject, 'latest');
  }

  listSubjects(options: { prefix?: string; deleted?: boolean } = {}): Promise<string[]> {
    return this.http.request('GET', '/subjects', {
      query: { subjectPrefix: options.prefix, deleted: options.deleted },
    });
  }

  listVersions(subject: string, options: { deleted?: boolean } = {}): Promise<number[]> {
    return this.http.request('GET', `${subjectPath(subject)}/versions`, {
      query: { deleted: options.deleted },
    });
  }

  /** `force` overrides the negotiation veto on soft-deleting a version live participants agreed on. */
  deleteSubject(subject: string, options: { permanent?: boolean; force?: boolean } = {}): Promise<number[]> {
    return this.http.request('DELETE', subjectPath(subject), {
      query: { permanent: options.permanent, force: options.force },
      idempotent: false,
    });
  }

  deleteVersion(
    subject: string,
    version: VersionId,
    options: { permanent?: boolean; force?: boolean } = {},
  ): Promise<number> {
    return this.http.request(
      'DELETE',
      `${subjectPath(subject)}/versions/${encodeURIComponent(String(version))}`,
      {
        query: { permanent: options.permanent, force: options.force },
        idempotent: false,
      },
    );
  }

  /**
   * Tests a schema against one version (`version` given, `latest` included) or, without a version,
   * runs exactly the check a registration would run under the subject's level.
   */
  testCompatibility(
    subject: string,
    schema: SchemaInput,
    options: RegisterOptions & { version?: VersionId; verbose?: boolean } = {},
  ): Promise<CompatibilityCheck> {
    const base = `/compatibility${subjectPath(subject)}/versions`;
    const path =
      options.version === undefined ? base : `${base}/${encodeURIComponent(String(options.version))}`;
    return this.http.request('POST', path, {
      body: schemaBody(schema, options),
      query: { verbose: options.verbose, normalize: options.normalize },
      idempotent: true,
    });
  }

  /** `GET /config[/{s}]`; `subject` null means the global level. */
  getConfig(
    subject: string | null,
    options: { defaultToGlobal?: boolean } = {},
  ): Promise<{ compatibilityLevel: CompatibilityLevel; normalize?: boolean }> {
    return this.http.request('GET', configPath('/config', subject), {
      query: { defaultToGlobal: options.defaultToGlobal },
    });
  }

  setConfig(
    subject: string | null,
    compatibility: CompatibilityLevel,
  ): Promise<{ compatibility: CompatibilityLevel }> {
    return this.http.request('PUT', configPath('/config', subject), { body: { compatibility } });
  }

  deleteConfig(subject: string | null): Promise<{ compatibilityLevel: CompatibilityLevel }> {
    return this.http.request('DELETE', configPath('/config', subject), { idempotent: false });
  }

  getMode(subject: string | null, options: { defaultToGlobal?: boolean } = {}): Promise<{ mode: Mode }> {
    return this.http.request('GET', configPath('/mode', subject), {
      query: { defaultToGlobal: options.defaultToGlobal },
    });
  }

  setMode(subject: string | null, mode: Mode, options: { force?: boolean } = {}): Promise<{ mode: Mode }> {
    return this.http.request('PUT', configPath('/mode', subject), {
      body: { mode },
      query: { force: options.force },
    });
  }

  /** `POST /negotiation/subjects/{s}`: which version to read or write with. */
  handshake(subject: string, request: HandshakeRequest): Promise<HandshakeResult> {
    return this.http.request('POST', negotiationPath(subject), { body: request, idempotent: true });
  }

  /** Registers or renews a participant's lease. */
  putParticipant(
    subject: string,
    participantId: string,
    request: ParticipantRequest,
  ): Promise<ParticipantAnswer> {
    return this.http.request(
      'PUT',
      `${negotiationPath(subject)}/participants/${encodeURIComponent(participantId)}`,
      {
        body: request,
      },
    );
  }

  deleteParticipant(
    subject: string,
    participantId: string,
  ): Promise<{ subject: string; id: string; agreement: Agreement }> {
    return this.http.request(
      'DELETE',
      `${negotiationPath(subject)}/participants/${encodeURIComponent(participantId)}`,
      { idempotent: false },
    );
  }

  /** The agreed version; with `afterEpoch` the server long-polls until the epoch moves past it. */
  getAgreement(
    subject: string,
    options: { afterEpoch?: number; waitSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<Agreement> {
    return this.http.request('GET', `${negotiationPath(subject)}/agreement`, {
      query: { afterEpoch: options.afterEpoch, waitSeconds: options.waitSeconds },
      signal: options.signal,
      // The server may hold a long-poll this long before answering.
      ...(options.waitSeconds === undefined ? {} : { extraTimeoutMs: options.waitSeconds * 1000 }),
    });
  }

  /** Every version of the subject with its semantic version label. */
  listLabelledVersions(subject: string): Promise<LabelledVersion[]> {
    return this.http.request('GET', `${negotiationPath(subject)}/versions`);
  }

  getBySemver(subject: string, label: string): Promise<LabelledVersion> {
    return this.http.request('GET', `${negotiationPath(subject)}/semver/${encodeURIComponent(label)}`);
  }
}

function subjectPath(subject: string): string {
  return `/subjects/${encodeURIComponent(subject)}`;
}

function negotiationPath(subject: string): string {
  return `/negotiation/subjects/${encodeURIComponent(subject)}`;
}

function configPath(root: string, subject: string | null): string {
  return subject === null ? root : `${root}/${encodeURIComponent(subject)}`;
}

function schemaBody(schema: SchemaInput, options: RegisterOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
  };
  if (options.schemaType !== undefined && options.schemaType !== 'AVRO') body.schemaType = options.schemaType;
  if (options.references !== undefined && options.references.length > 0) body.references = options.references;
  return body;
}

/**
 * An LRU map of settled values plus the promises still in flight. A failed load is forgotten so that
 * the next call tries again; only successes are remembered.
 */
export class BoundedCache<K, V> {
  private readonly settled = new Map<K, V>();
  private readonly pending = new Map<K, Promise<V>>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.settled.size;
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    if (this.settled.has(key)) {
      const value = this.settled.get(key) as V;
      this.settled.delete(key); // refresh recency
      this.settled.set(key, value);
      return Promise.resolve(value);
    }
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const promise = load().then(
      (value) => {
        this.pending.delete(key);
        this.settled.set(key, value);
        if (this.settled.size > this.capacity) {
          const oldest = this.settled.keys().next();
          if (!oldest.done) this.settled.delete(oldest.value);
        }
        return value;
      },
      (error: unknown) => {
        this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, promise);
    return promise;
  }
}
