import avsc from 'avsc';
import { AutoGenerator } from '../avro/autogen.js';
import { type DatumError, formatDatumError, validateDatum } from '../avro/datum.js';
import type { SchemaReference } from '../avro/types.js';
import {
  type AvscType,
  type CompiledSchema,
  compileSchema,
  type ResolvedReference,
  readerKey,
  type SchemaSource,
  schemaText,
} from './compiled-schema.js';
import { BoundedCache, type RegisterOptions, type RegistryClient } from './registry-client.js';
import {
  detectWireFormat,
  frameConfluent,
  frameSingleObject,
  parseConfluent,
  parseSingleObject,
  WireFormatError,
} from './wire-format.js';

/** Encoding or decoding failed; `errors` lists every invalid value with its path when validation did. */
export class SerdeError extends Error {
  readonly reason:
    | 'invalid-datum'
    | 'invalid-schema'
    | 'incompatible-reader'
    | 'unknown-writer'
    | 'malformed-payload';
  readonly errors: readonly DatumError[];

  constructor(
    reason: SerdeError['reason'],
    message: string,
    errors: readonly DatumError[] = [],
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SerdeError';
    this.reason = reason;
    this.errors = errors;
  }
}

export interface EncodeOptions {
  /**
   * Validate and complete the value first (auto-generated ids/timestamps, defaults, nulls for unset
   * optional fields), failing with every error and its path. Default true; false hands the value to
   * avsc as is (faster, and its errors name no path).
   */
  validate?: boolean;
}

export interface DecodeOptions {
  /** Read into this schema (schema evolution); default: the writer's own schema. */
  readerSchema?: SchemaSource;
  /** Where to look up unknown single-object fingerprints (every version of this subject). */
  subject?: string;
}

export interface AvroSerdeOptions {
  generator?: AutoGenerator;
  cacheSize?: number;
}

/**
 * Avro encode/decode in the Confluent wire format (tagged by registry id) and in Avro single-object
 * encoding (tagged by CRC-64-AVRO fingerprint). Decoding finds the writer schema from the tag and, when
 * a reader schema is given, resolves into it. Writer schemas, reader types and resolvers are cached.
 */
export class AvroSerde {
  private readonly byId: BoundedCache<number, CompiledSchema>;
  private readonly byText = new Map<string, CompiledSchema>();
  private readonly byFingerprint = new Map<string, CompiledSchema>();
  private readonly subjectsLoaded = new BoundedCache<string, void>(1_000);
  private readonly lookedUp = new BoundedCache<string, number>(1_000);
  private readonly readers = new Map<string, AvscType>();
  private readonly resolvers = new Map<string, unknown>();
  private readonly generator: AutoGenerator;

  constructor(
    private readonly client: RegistryClient | undefined,
    options: AvroSerdeOptions = {},
  ) {
    this.byId = new BoundedCache(options.cacheSize ?? 10_000);
    this.generator = options.generator ?? new AutoGenerator();
  }

  /** Confluent framing with a registry id the caller already has. */
  async encode(schemaId: number, value: unknown, options: EncodeOptions = {}): Promise<Buffer> {
    const writer = await this.writerById(schemaId);
    return frameConfluent(schemaId, this.body(writer, value, options));
  }

  /**
   * Encodes with the id the schema has under the subject: registering it (the default) or, with
   * `autoRegister: false`, only looking it up, for producers not allowed to change a subject. Either way
   * the id is asked for once per subject and schema.
   */
  async encodeForSubject(
    subject: string,
    schema: SchemaSource,
    value: unknown,
    options: EncodeOptions & RegisterOptions & { autoRegister?: boolean } = {},
  ): Promise<Buffer> {
    const text = schemaText(schema);
    const client = this.requireClient();
    const id =
      options.autoRegister === false
        ? await this.lookedUp.get(
            `${subject}\u0000${text}`,
            async () => (await client.lookup(subject, text, options)).id,
          )
        : await client.register(subject, text, options);
    const writer = this.compiled(text);
    return frameConfluent(id, this.body(writer, value, options));
  }

  /** Single-object encoding; the schema is remembered so this serde can decode what it wrote. */
  encodeSingleObject(schema: SchemaSource, value: unknown, options: EncodeOptions = {}): Buffer {
    const writer = this.remember(schemaText(schema));
    return frameSingleObject(writer.crc64Bytes, this.body(writer, value, options));
  }

  /** Makes a writer schema known for single-object decoding. Returns its CRC-64-AVRO (hex). */
  addKnownSchema(schema: SchemaSource): string {
    return this.remember(schemaText(schema)).crc64;
  }

  /** Decodes either framing, told apart by the first bytes. */
  async decode(payload: Uint8Array, options: DecodeOptions = {}): Promise<unknown> {
    const format = detectWireFormat(payload);
    if (format === 'single-object') return this.decodeSingleObject(payload, options);
    if (format === 'confluent') return this.decodeConfluent(payload, options);
    throw new SerdeError(
      'malformed-payload',
      'payload is neither Confluent-framed (00) nor single-object (c3 01)',
    );
  }

  async decodeConfluent(payload: Uint8Array, options: DecodeOptions = {}): Promise<unknown> {
    const { schemaId, body } = this.unframe(() => parseConfluent(payload));
    const writer = await this.writerById(schemaId);
    return this.read(writer, `id:${schemaId}`, body, options);
  }

  async decodeSingleObject(payload: Uint8Array, options: DecodeOptions = {}): Promise<unknown> {
    const { fingerprintHex, body } = this.unframe(() => parseSingleObject(payload));
    let writer = this.byFingerprint.get(fingerprintHex);
    if (writer === undefined && options.subject !== undefined) {
      await this.loadSubject(options.subject);
      writer = this.byFingerprint.get(fingerprintHex);
    }
    if (writer === undefined) {
      const where =
        options.subject === undefined ? 'no subject given to look in' : `not in subject ${options.subject}`;
      throw new SerdeError(
        'unknown-writer',
        `no known writer schema has fingerprint ${fingerprintHex} (${where})`,
      );
    }
    return this.read(writer, `fp:${fingerprintHex}`, body, options);
  }

  /** The writer schema behind a registry id, with its references (cached, concurrent misses shared). */
  writerById(id: number): Promise<CompiledSchema> {
    return this.byId.get(id, async () => {
      const client = this.requireClient();
      const answer = await client.getSchema(id);
      if (answer.schemaType !== undefined && answer.schemaType !== 'AVRO') {
        throw new SerdeError('unknown-writer', `schema ${id} is ${answer.schemaType}, not Avro`);
      }
      const references = answer.references ?? [];
      const resolved = await this.fetchReferences(references);
      const compiled = compileOrThrow(`schema ${id}`, () =>
        compileSchema(answer.schema, references, resolved),
      );
      this.byFingerprint.set(compiled.crc64, compiled);
      return compiled;
    });
  }

  private body(writer: CompiledSchema, value: unknown, options: EncodeOptions): Buffer {
    let datum = value;
    if (options.validate !== false) {
      const result = validateDatum(writer.parsed, value, { output: 'avsc', generator: this.generator });
      if (!result.valid) {
        const shown = result.errors.slice(0, 5).map(formatDatumError).join('; ');
        const more = result.errors.length > 5 ? ` (+${result.errors.length - 5} more)` : '';
        throw new SerdeError(
          'invalid-datum',
          `value does not match the schema: ${shown}${more}`,
          result.errors,
        );
      }
      datum = result.datum;
    }
    try {
      return writer.type.toBuffer(datum);
    } catch (cause) {
      throw new SerdeError(
        'invalid-datum',
        `avsc could not encode the value: ${(cause as Error).message}`,
        [],
        cause,
      );
    }
  }

  private read(writer: CompiledSchema, writerKey: string, body: Buffer, options: DecodeOptions): unknown {
    try {
      if (options.readerSchema === undefined) return writer.type.fromBuffer(body);
      const reader = this.readerType(options.readerSchema);
      return reader.fromBuffer(body, this.resolver(reader, writer, writerKey) as never);
    } catch (cause) {
      if (cause instanceof SerdeError) throw cause;
      throw new SerdeError(
        'malformed-payload',
        `cannot decode the payload: ${(cause as Error).message}`,
        [],
        cause,
      );
    }
  }

  /** Resolvers keyed by (writer, exact reader schema): building one walks both schemas. */
  private resolver(reader: AvscType, writer: CompiledSchema, writerKey: string): unknown {
    const key = `${writerKey}\u0000${readerKey(reader)}`;
    let resolver = this.resolvers.get(key);
    if (resolver === undefined) {
      try {
        resolver = reader.createResolver(writer.type);
      } catch (cause) {
        throw new SerdeError(
          'incompatible-reader',
          `the reader schema cannot read data written with ${writerKey}: ${(cause as Error).message}`,
          [],
          cause,
        );
      }
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }

  private readerType(source: SchemaSource): AvscType {
    if (avsc.Type.isType(source)) return source as AvscType;
    const text = schemaText(source);
    let type = this.readers.get(text);
    if (type === undefined) {
      type = this.compiled(text).type;
      this.readers.set(text, type);
    }
    return type;
  }

  private compiled(text: string): CompiledSchema {
    let compiled = this.byText.get(text);
    if (compiled === undefined) {
      compiled = compileOrThrow('the schema', () => compileSchema(text));
      this.byText.set(text, compiled);
    }
    return compiled;
  }

  private remember(text: string): CompiledSchema {
    const compiled = this.compiled(text);
    this.byFingerprint.set(compiled.crc64, compiled);
    return compiled;
  }

  /** Every version of a subject, so an unknown fingerprint can be matched (once per subject). */
  private loadSubject(subject: string): Promise<void> {
    return this.subjectsLoaded.get(subject, async () => {
      const client = this.requireClient();
      const versions = await client.listVersions(subject);
      for (const version of versions) {
        const found = await client.getVersion(subject, version);
        await this.writerById(found.id);
      }
    });
  }

  private async fetchReferences(references: readonly SchemaReference[]): Promise<ResolvedReference[]> {
    const out: ResolvedReference[] = [];
    const seen = new Set<string>();
    const visit = async (reference: SchemaReference): Promise<void> => {
      const key = `${reference.subject}\u0000${reference.version}`;
      if (seen.has(key)) return;
      seen.add(key);
      const found = await this.requireClient().getVersion(reference.subject, reference.version);
      const inner = found.references ?? [];
      for (const r of inner) await visit(r);
      out.push({ reference, schema: found.schema, references: inner });
    };
    for (const r of references) await visit(r);
    return out;
  }

  private unframe<T>(parse: () => T): T {
    try {
      return parse();
    } catch (cause) {
      if (cause instanceof WireFormatError)
        throw new SerdeError('malformed-payload', cause.message, [], cause);
      throw cause;
    }
  }

  private requireClient(): RegistryClient {
    if (this.client === undefined) {
      throw new SerdeError('unknown-writer', 'this serde has no RegistryClient to look schemas up with');
    }
    return this.client;
  }
}

function compileOrThrow(what: string, compile: () => CompiledSchema): CompiledSchema {
  try {
    return compile();
  } catch (cause) {
    throw new SerdeError('invalid-schema', `${what} cannot be used: ${(cause as Error).message}`, [], cause);
  }
}
