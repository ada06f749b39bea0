/**
 * Confluent's compatibility levels on top of the reader/writer checker: which previous versions are
 * checked, in which direction, and the verbose message list Confluent builds (`Difference.error()`,
 * `SchemaValidatorBuilder.formatErrorMessages`, `isCompatibleWithPrevious`). Reference: §2 of
 * /work/shared/reference/avro-compatibility.md.
 */
import { ByteLru } from '../cache/byte-lru.js';
import { OBJECT_OVERHEAD, stringBytes } from '../cache/size-estimate.js';
import { DomainError } from '../errors.js';
import { checkReaderWriter } from './compatibility.js';
import type { CompatibilityLevel, CompatibilityResult, Incompatibility, ParsedSchema } from './types.js';
import { COMPATIBILITY_LEVELS } from './types.js';

export interface SchemaForCheck {
  parsed: ParsedSchema;
  /**
   * Stable identity for memoisation, e.g. sha256 of the canonical string. It must identify the fully
   * resolved schema: when references are involved, include them (the canonical string alone does not
   * inline referenced types).
   */
  key: string;
  /** Confluent canonical string, for the {oldSchema: '...'} line */
  canonical: string;
}

export interface PreviousVersion extends SchemaForCheck {
  version: number;
}

export interface LevelCheckResult {
  compatible: boolean;
  messages: string[];
}

export interface LevelCheckOptions {
  /** Echoed in the trailing `{validateFields: ..., compatibility: ...}` line (Confluent config). */
  validateFields?: boolean;
  cache?: CompatibilityCache;
}

const DEFAULT_CACHE_CAPACITY = 20_000;
const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/** What one result keeps alive: its incompatibilities' texts (the shared COMPATIBLE_RESULT costs little). */
export function compatibilityResultBytes(result: CompatibilityResult): number {
  let bytes = OBJECT_OVERHEAD;
  for (const i of result.incompatibilities) {
    bytes += OBJECT_OVERHEAD + stringBytes(i.type) + stringBytes(i.location) + stringBytes(i.message);
  }
  if (result.exception !== undefined) bytes += stringBytes(result.exception);
  return bytes;
}

interface Group {
  readonly results: Map<string, CompatibilityResult>;
  /** Estimated bytes of the group: its reader key, every writer key and every result. */
  bytes: number;
}

/**
 * A reader/writer result cache bounded both by pairs (`capacity`) and by estimated bytes (`maxBytes`; an
 * incompatible pair of two large records can carry thousands of messages). Results are pure functions of
 * the two resolved schemas, so one cache can be shared by every subject and level; a FULL_TRANSITIVE
 * check against a long history re-checks only the pairs it has not seen.
 *
 * Stored as reader key -> writer key -> result: looking a pair up then hashes the two identity strings
 * (V8 keeps a string's hash once computed) instead of building and hashing a fresh concatenated key
 * per pair, which at 2,000 pairs per registration was a visible share of its time. Recency and
 * eviction work per reader group (a ByteLru of groups): a hit refreshes the reader's group, and when a
 * bound is exceeded the least recently used groups go until a tenth of it is free (one pass).
 */
export class CompatibilityCache {
  hits = 0;
  misses = 0;
  private readonly groups: ByteLru<string, Group>;
  private count = 0;
  /** The group last moved to the end: touching it again would change nothing. */
  private newest: string | undefined;

  constructor(
    readonly capacity: number = DEFAULT_CACHE_CAPACITY,
    readonly maxBytes: number = DEFAULT_CACHE_BYTES,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.groups = new ByteLru<string, Group>({
      maxBytes,
      onEvict: (key, group) => {
        this.count -= group.results.size;
        if (key === this.newest) this.newest = undefined;
      },
    });
  }

  static keyOf(readerKey: string, writerKey: string): string {
    return `${readerKey}\u0000${writerKey}`;
  }

  /** By a `keyOf` key (a key without the separator is a reader with an empty writer key). */
  get(key: string): CompatibilityResult | undefined {
    const [reader, writer] = splitKey(key);
    return this.getPair(reader, writer);
  }

  set(key: string, value: CompatibilityResult): void {
    const [reader, writer] = splitKey(key);
    this.setPair(reader, writer, value);
  }

  getPair(readerKey: string, writerKey: string): CompatibilityResult | undefined {
    const value = this.groups.peek(readerKey)?.results.get(writerKey);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.touch(readerKey);
    return value;
  }

  setPair(readerKey: string, writerKey: string, value: CompatibilityResult): void {
    const group = this.groups.peek(readerKey) ?? {
      results: new Map(),
      bytes: OBJECT_OVERHEAD + stringBytes(readerKey),
    };
    const old = group.results.get(writerKey);
    if (old === undefined) {
      this.count++;
      group.bytes += OBJECT_OVERHEAD + stringBytes(writerKey) + compatibilityResultBytes(value);
    } else {
      group.bytes += compatibilityResultBytes(value) - compatibilityResultBytes(old);
    }
    group.results.set(writerKey, value);
    // Re-stored with its new size, as the most recent group; a group alone over the bound is dropped.
    if (!this.groups.set(readerKey, group, group.bytes)) {
      this.count -= group.results.size;
      this.newest = undefined;
      return;
    }
    this.newest = readerKey;
    if (this.count > this.capacity) {
      const target = this.capacity - Math.floor(this.capacity / 10);
      this.groups.evictWhile(() => this.count > target);
    }
  }

  get size(): number {
    return this.count;
  }

  /** Estimated bytes held (never above `maxBytes`). */
  get bytes(): number {
    return this.groups.bytes;
  }

  clear(): void {
    this.groups.clear();
    this.newest = undefined;
    this.count = 0;
    this.hits = 0;
    this.misses = 0;
  }

  /** Marks a reader's group most recently used. */
  private touch(readerKey: string): void {
    if (readerKey === this.newest) return;
    this.groups.get(readerKey);
    this.newest = readerKey;
  }
}

function splitKey(key: string): [reader: string, writer: string] {
  const at = key.indexOf('\u0000');
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

const INVALID_LEVEL_MESSAGE =
  'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, ' +
  'forward_transitive, and full_transitive';

/** Parses a level as given by a client (case-insensitive), or fails with Confluent's 42203 message. */
export function parseCompatibilityLevel(raw: unknown): CompatibilityLevel {
  if (typeof raw === 'string') {
    const upper = raw.toUpperCase();
    const level = COMPATIBILITY_LEVELS.find((l) => l === upper);
    if (level !== undefined) return level;
  }
  throw new DomainError('INVALID_COMPATIBILITY_LEVEL', INVALID_LEVEL_MESSAGE);
}

/** The 409 message of a failed registration. */
export function incompatibleSchemaMessage(subject: string, messages: readonly string[]): string {
  return (
    `Schema being registered is incompatible with an earlier schema for subject "${subject}", ` +
    `details: [${messages.join(', ')}]`
  );
}

type Strategy = 'canRead' | 'canBeRead' | 'mutualRead';

function strategyOf(level: CompatibilityLevel): Strategy | undefined {
  switch (level) {
    case 'NONE':
      return undefined;
    case 'BACKWARD':
    case 'BACKWARD_TRANSITIVE':
      return 'canRead';
    case 'FORWARD':
    case 'FORWARD_TRANSITIVE':
      return 'canBeRead';
    case 'FULL':
    case 'FULL_TRANSITIVE':
      return 'mutualRead';
  }
}

/**
 * Checks a candidate against the live previous versions (oldest first; soft-deleted ones must not be
 * passed) under a level: the non-transitive levels look at the newest only, the transitive ones walk
 * newest to oldest and report the first failing version.
 */
export function checkLevel(
  level: CompatibilityLevel,
  candidate: SchemaForCheck,
  previous: readonly PreviousVersion[],
  options: LevelCheckOptions = {},
): LevelCheckResult {
  const strategy = strategyOf(level);
  if (strategy === undefined || previous.length === 0) return { compatible: true, messages: [] };
  const transitive = level.endsWith('_TRANSITIVE');
  const last = transitive ? 0 : previous.length - 1;
  for (let i = previous.length - 1; i >= last; i--) {
    const messages = validate(strategy, candidate, previous[i]!, options);
    if (messages.length > 0) return failed(messages, level, options);
  }
  return { compatible: true, messages: [] };
}

/**
 * Checks a candidate against one explicit version (`POST /compatibility/subjects/{s}/versions/{v}`):
 * the level only decides the direction.
 */
export function checkAgainstOne(
  level: CompatibilityLevel,
  candidate: SchemaForCheck,
  one: PreviousVersion,
  options: LevelCheckOptions = {},
): LevelCheckResult {
  const strategy = strategyOf(level);
  if (strategy === undefined) return { compatible: true, messages: [] };
  const messages = validate(strategy, candidate, one, options);
  return messages.length > 0 ? failed(messages, level, options) : { compatible: true, messages: [] };
}

/** Reader/writer check through the cache, keyed on the two schema identities. */
export function checkPair(
  reader: Pick<SchemaForCheck, 'parsed' | 'key'>,
  writer: Pick<SchemaForCheck, 'parsed' | 'key'>,
  options: Pick<LevelCheckOptions, 'cache'> = {},
): CompatibilityResult {
  const cache = options.cache;
  const cached = cache?.getPair(reader.key, writer.key);
  if (cached !== undefined) return cached;
  const result = checkReaderWriter(reader.parsed.root, writer.parsed.root);
  cache?.setPair(reader.key, writer.key, result);
  return result;
}

function failed(messages: string[], level: CompatibilityLevel, options: LevelCheckOptions): LevelCheckResult {
  messages.push(`{validateFields: '${options.validateFields === true}', compatibility: '${level}'}`);
  return { compatible: false, messages };
}

const NEW = 'new';
const OLD = 'old';
const MAX_SCHEMA_SIZE_FOR_LOGGING = 10 * 1024;

// SchemaValidatorBuilder's three strategies; `existing` is the previous version.
function validate(
  strategy: Strategy,
  candidate: SchemaForCheck,
  existing: PreviousVersion,
  options: LevelCheckOptions,
): string[] {
  switch (strategy) {
    case 'canRead':
      return formatErrorMessages(differences(candidate, existing, options), existing, NEW, OLD, true);
    case 'canBeRead':
      return formatErrorMessages(differences(existing, candidate, options), existing, OLD, NEW, true);
    case 'mutualRead':
      return [
        ...formatErrorMessages(differences(existing, candidate, options), existing, OLD, NEW, false),
        ...formatErrorMessages(differences(candidate, existing, options), existing, NEW, OLD, true),
      ];
  }
}

/** `AvroSchema.isBackwardCompatible`: one `Difference.error()` template per incompatibility. */
function differences(reader: SchemaForCheck, writer: SchemaForCheck, options: LevelCheckOptions): string[] {
  const result = checkPair(reader, writer, options);
  if (result.exception !== undefined) {
    return [`Unexpected exception during compatibility check: ${result.exception}`];
  }
  return result.incompatibilities.map(differenceTemplate);
}

function differenceTemplate(inc: Incompatibility): string {
  const path = inc.location;
  let description: string;
  switch (inc.type) {
    case 'FIXED_SIZE_MISMATCH':
      description = `The size of FIXED type field at path '${path}' in the %s schema does not match with the %s schema`;
      break;
    case 'TYPE_MISMATCH':
      description = `The type (path '${path}') of a field in the %s schema does not match with the %s schema`;
      break;
    case 'NAME_MISMATCH':
      description = `The name of the schema has changed (path '${path}')`;
      break;
    case 'MISSING_ENUM_SYMBOLS':
      description = `The %s schema is missing enum symbols '${inc.message}' at path '${path}' in the %s schema`;
      break;
    case 'MISSING_UNION_BRANCH':
      description = `The %s schema is missing a type inside a union field at path '${path}' in the %s schema`;
      break;
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      description =
        `The field '${inc.message}' at path '${path}' in the %s schema has no default value and is missing` +
        ' in the %s schema';
      break;
  }
  return `{errorType:'${inc.type}', description:'${description}', additionalInfo:'${inc.message}'}`;
}

function formatErrorMessages(
  templates: string[],
  existing: PreviousVersion,
  reader: string,
  writer: string,
  appendSchema: boolean,
): string[] {
  if (templates.length === 0) return templates;
  const messages = templates.map((t) => javaFormat(t, reader, writer));
  if (appendSchema) {
    messages.push(`{oldSchemaVersion: ${existing.version}}`);
    const old = existing.canonical;
    if (old.length <= MAX_SCHEMA_SIZE_FOR_LOGGING) {
      messages.push(`{oldSchema: '${old}'}`);
    } else {
      messages.push(
        `{oldSchema: <truncated to ${MAX_SCHEMA_SIZE_FOR_LOGGING} characters> '${old.substring(0, MAX_SCHEMA_SIZE_FOR_LOGGING)}'}`,
      );
    }
  }
  return messages;
}

/**
 * Java `String.format(template, reader, writer)` for what these templates can contain: `%s` takes the
 * next argument, `%%` is a percent sign, `%n` a line break. The whole message goes through it in Java,
 * user text included (a `%s` in a namespace would consume a label); any other `%` sequence, which
 * would make Java throw, is kept literally instead.
 */
export function javaFormat(template: string, ...args: string[]): string {
  if (!template.includes('%')) return template;
  let next = 0;
  return template.replace(/%(s|%|n)/g, (_m, c: string) => {
    if (c === '%') return '%';
    if (c === 'n') return '\n';
    return args[next++] ?? '%s';
  });
}
