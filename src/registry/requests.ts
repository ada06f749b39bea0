/**
 * Validation of raw request bodies. Unknown fields are ignored (Confluent's
 * `@JsonIgnoreProperties(ignoreUnknown = true)`); a value of the wrong JSON type is a 400, as
 * Jackson's mapping errors are; a value of the right type that makes no sense is the domain's code.
 */
import { parseCompatibilityLevel } from '../avro/levels.js';
import type { SchemaReference } from '../avro/types.js';
import { DomainError } from '../errors.js';
import type { Mode } from './registry-api.js';
import type { ConfigRecord } from './schema-store.js';

export interface RegisterRequest {
  /** Undefined when absent, null or empty: "reuse the previous version's schema" on register. */
  readonly schema: string | undefined;
  readonly schemaType: string;
  readonly references: readonly SchemaReference[];
  /** IMPORT mode: explicit id. */
  readonly id: number | undefined;
  /** Explicit version (IMPORT, or "must be the next one" otherwise). */
  readonly version: number | undefined;
  /** `metadata.properties.semver`: the label the registrant states. */
  readonly statedSemver: string | undefined;
}

const MAX_INT = 2 ** 31 - 1;

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function badRequest(message: string): DomainError {
  return new DomainError('BAD_REQUEST', message);
}

function requireBody(body: unknown): JsonRecord {
  if (body === undefined || body === null || (typeof body === 'string' && body.trim() === '')) {
    throw new DomainError('UNPROCESSABLE', 'A JSON request body is required');
  }
  if (!isRecord(body)) throw badRequest(`The request body must be a JSON object, not ${describe(body)}`);
  return body;
}

/** An optional integer field; null/absent → undefined. */
function optionalInt(body: JsonRecord, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw badRequest(`"${field}" must be an integer, not ${describe(value)}`);
  }
  return value;
}

function parseReference(raw: unknown, index: number): SchemaReference {
  if (!isRecord(raw)) throw badRequest(`references[${index}] must be an object, not ${describe(raw)}`);
  const { name, subject, version } = raw;
  if (typeof name !== 'string' || name.length === 0) {
    throw new DomainError(
      'INVALID_SCHEMA',
      `Invalid reference references[${index}]: "name" must be a non-empty string`,
    );
  }
  if (typeof subject !== 'string') {
    throw new DomainError('INVALID_SCHEMA', `Invalid reference ${name}: "subject" must be a string`);
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_INT) {
    throw new DomainError(
      'INVALID_SCHEMA',
      `Invalid reference ${name}: "version" must be an integer in [1, 2^31-1] naming a registered version`,
    );
  }
  return { name, subject, version };
}

/** Confluent checks rule names; we accept and ignore rules but refuse a malformed ruleSet (42210). */
function checkRuleSet(raw: unknown): void {
  if (raw === undefined || raw === null) return;
  if (!isRecord(raw))
    throw new DomainError('INVALID_RULESET', `Invalid ruleSet: expected an object, not ${describe(raw)}`);
  const names = new Set<string>();
  for (const kind of ['migrationRules', 'domainRules', 'encodingRules']) {
    const rules = raw[kind];
    if (rules === undefined || rules === null) continue;
    if (!Array.isArray(rules))
      throw new DomainError('INVALID_RULESET', `Invalid ruleSet: "${kind}" must be an array`);
    for (const rule of rules) {
      if (!isRecord(rule) || typeof rule.name !== 'string' || rule.name.length === 0) {
        throw new DomainError(
          'INVALID_RULESET',
          `Invalid ruleSet: every rule in "${kind}" needs a non-empty name`,
        );
      }
      if (names.has(rule.name)) {
        throw new DomainError(
          'INVALID_RULESET',
          `Invalid ruleSet: found rule with duplicate name '${rule.name}'`,
        );
      }
      names.add(rule.name);
    }
  }
}

function statedSemver(metadata: unknown): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (!isRecord(metadata)) throw badRequest(`"metadata" must be an object, not ${describe(metadata)}`);
  const properties = metadata.properties;
  if (properties === undefined || properties === null) return undefined;
  if (!isRecord(properties))
    throw badRequest(`"metadata.properties" must be an object, not ${describe(properties)}`);
  const semver = properties.semver;
  if (semver === undefined || semver === null) return undefined;
  if (typeof semver !== 'string') {
    throw new DomainError(
      'INVALID_SEMVER',
      `metadata.properties.semver must be a string, not ${describe(semver)}`,
    );
  }
  return semver;
}

/** The body of register, lookup and the compatibility endpoints. */
export function parseRegisterRequest(body: unknown): RegisterRequest {
  const record = requireBody(body);
  checkRuleSet(record.ruleSet);
  const rawSchema = record.schema;
  let schema: string | undefined;
  if (typeof rawSchema === 'string') schema = rawSchema === '' ? undefined : rawSchema;
  else if (rawSchema !== undefined && rawSchema !== null) {
    throw badRequest(`"schema" must be a string holding the schema's JSON text, not ${describe(rawSchema)}`);
  }
  const rawType = record.schemaType;
  if (rawType !== undefined && rawType !== null && typeof rawType !== 'string') {
    throw badRequest(`"schemaType" must be a string, not ${describe(rawType)}`);
  }
  const rawRefs = record.references;
  if (rawRefs !== undefined && rawRefs !== null && !Array.isArray(rawRefs)) {
    throw badRequest(`"references" must be an array, not ${describe(rawRefs)}`);
  }
  const id = optionalInt(record, 'id');
  const version = optionalInt(record, 'version');
  return {
    schema,
    schemaType: typeof rawType === 'string' ? rawType : 'AVRO',
    references: (rawRefs ?? []).map(parseReference),
    // Confluent's "no id" is -1 (`id >= 0` means explicit); 0 and above are explicit.
    id: id === undefined || id < 0 ? undefined : id,
    // 0 and -1 ("latest" in lookups) carry no explicit version.
    version: version === undefined || version <= 0 ? undefined : version,
    statedSemver: statedSemver(record.metadata),
  };
}

/** `PUT /config[/{s}]`: `compatibility` and `normalize` (null/absent = leave unchanged). */
export function parseConfigUpdate(body: unknown): ConfigRecord {
  const record = requireBody(body);
  const rawLevel = record.compatibility;
  const normalize = record.normalize;
  if (normalize !== undefined && normalize !== null && typeof normalize !== 'boolean') {
    throw badRequest(`"normalize" must be a boolean, not ${describe(normalize)}`);
  }
  return {
    compatibility: rawLevel === undefined || rawLevel === null ? null : parseCompatibilityLevel(rawLevel),
    normalize: typeof normalize === 'boolean' ? normalize : null,
  };
}

const INVALID_MODE = 'Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.';
const KNOWN_MODES: readonly Mode[] = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'];

/** `PUT /mode[/{s}]` body `{ "mode": "..." }`, case-insensitive. */
export function parseModeUpdate(body: unknown, global: boolean): Mode {
  const record = requireBody(body);
  const raw = record.mode;
  if (typeof raw !== 'string') throw new DomainError('INVALID_MODE', INVALID_MODE);
  const upper = raw.trim().toUpperCase();
  if (upper === 'FORWARD') {
    // Confluent 8.x forwards writes to another registry; there is nothing to forward to here.
    throw new DomainError(
      'INVALID_MODE',
      global
        ? 'FORWARD mode is not supported by this registry'
        : 'Forward mode only supported on global level',
    );
  }
  const mode = KNOWN_MODES.find((m) => m === upper);
  if (mode === undefined) throw new DomainError('INVALID_MODE', INVALID_MODE);
  return mode;
}

/** `PUT /admin/max-schema-id` body `{"maxSchemaId": N}`, N an id in [0, 2^31-1]. */
export function parseMaxSchemaIdUpdate(body: unknown): number {
  const value = optionalInt(requireBody(body), 'maxSchemaId');
  if (value === undefined) throw new DomainError('UNPROCESSABLE', '"maxSchemaId" is required');
  if (value < 0 || value > MAX_INT) {
    throw new DomainError('UNPROCESSABLE', `"maxSchemaId" must be an id in [0, 2^31-1], not ${value}`);
  }
  return value;
}
