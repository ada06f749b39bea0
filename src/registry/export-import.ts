/**
 * Export and import of a whole registry as one JSON document: every subject, version (soft-deleted
 * ones too), schema with its id, subject and global config and mode (subjects that only carry a config
 * or mode included), and the id high-water mark, so that an id hard-deleted in the source is never
 * handed out again by the imported registry.
 *
 * Both directions talk to the registry only through the RegistryApi use cases, so the same code runs
 * in-process and, through the CLI's HTTP adapter, against a running server. Import loads an EMPTY
 * registry through IMPORT mode, which keeps ids and version numbers as exported; that is what makes a
 * round trip reproduce the same API answers byte for byte.
 */
import type { CompatibilityLevel, SchemaReference } from '../avro/types.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { MODES, type Mode, type RegistryApi } from './registry-api.js';

export const EXPORT_FORMAT = 'proximadb-registry-export';
/**
 * 2 added `maxSchemaId` and subjects without versions. A build that only knew 1 refuses a 2 file
 * instead of silently dropping the high-water mark; version 1 files still import.
 */
export const EXPORT_FORMAT_VERSION = 2;
const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];

export interface ExportedConfig {
  compatibilityLevel: CompatibilityLevel;
  normalize?: boolean;
}

export interface ExportedVersion {
  version: number;
  id: number;
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
  deleted: boolean;
}

export interface ExportedSubject {
  subject: string;
  /** Subject-level overrides; null when the subject inherits. */
  config: ExportedConfig | null;
  mode: Mode | null;
  /** Empty for a subject that only carries a config or mode. */
  versions: ExportedVersion[];
}

export interface RegistryExport {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  exportedAt: string;
  /** The largest id ever assigned (hard-deleted ones included); the importer never goes below it. */
  maxSchemaId: number;
  config: ExportedConfig;
  mode: Mode;
  subjects: ExportedSubject[];
}

export type ExportSource = Pick<
  RegistryApi,
  'listSubjects' | 'listVersions' | 'getVersion' | 'getConfig' | 'getMode' | 'getRegistryState'
>;
export type ImportTarget = Pick<
  RegistryApi,
  'listSubjects' | 'register' | 'deleteVersion' | 'setConfig' | 'setMode' | 'getMode' | 'raiseMaxSchemaId'
>;

/**
 * Runs `read` and maps the given "not configured / not found" codes to null. Matches any error with a
 * stable `code` (DomainError in-process, the SDK's RegistryError over HTTP).
 */
async function orNull<T>(read: () => Promise<T>, codes: readonly string[]): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && codes.includes(code)) return null;
    throw e;
  }
}

function configOf(view: { compatibilityLevel: CompatibilityLevel; normalize?: boolean }): ExportedConfig {
  return view.normalize === undefined
    ? { compatibilityLevel: view.compatibilityLevel }
    : { compatibilityLevel: view.compatibilityLevel, normalize: view.normalize };
}

export async function exportRegistry(source: ExportSource, clock: Clock): Promise<RegistryExport> {
  const subjects: ExportedSubject[] = [];
  const versioned = new Set(await source.listSubjects({ deleted: true }));
  const { subjectsWithSettings } = await source.getRegistryState();
  const names = [...new Set([...versioned, ...subjectsWithSettings])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  for (const subject of names) {
    const all = versioned.has(subject) ? await source.listVersions(subject, { deleted: true }) : [];
    const live = new Set(
      all.length === 0
        ? []
        : ((await orNull(() => source.listVersions(subject, {}), ['SUBJECT_NOT_FOUND'])) ?? []),
    );
    const versions: ExportedVersion[] = [];
    for (const version of [...all].sort((a, b) => a - b)) {
      const view = await source.getVersion(subject, String(version), { deleted: true });
      versions.push({
        version: view.version,
        id: view.id,
        schema: view.schema,
        ...(view.schemaType !== undefined ? { schemaType: view.schemaType } : {}),
        ...(view.references && view.references.length > 0 ? { references: view.references } : {}),
        deleted: !live.has(version),
      });
    }
    const config = await orNull(
      () => source.getConfig(subject, { defaultToGlobal: false }),
      ['SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED', 'SUBJECT_NOT_FOUND'],
    );
    const mode = await orNull(
      () => source.getMode(subject, { defaultToGlobal: false }),
      ['SUBJECT_LEVEL_MODE_NOT_CONFIGURED', 'SUBJECT_NOT_FOUND'],
    );
    subjects.push({ subject, config: config && configOf(config), mode: mode?.mode ?? null, versions });
  }
  // Read last, so it covers every id exported above even if registrations ran meanwhile.
  const { maxSchemaId } = await source.getRegistryState();
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: new Date(clock.now()).toISOString(),
    maxSchemaId: Math.max(maxSchemaId, highestId(subjects)),
    config: configOf(await source.getConfig(null, { defaultToGlobal: true })),
    mode: (await source.getMode(null, { defaultToGlobal: true })).mode,
    subjects,
  };
}

function invalid(message: string): DomainError {
  return new DomainError('BAD_REQUEST', `Invalid export document: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1;
}

function checkConfig(v: unknown, where: string): ExportedConfig {
  if (!isObject(v) || typeof v.compatibilityLevel !== 'string')
    throw invalid(`${where} needs compatibilityLevel`);
  if (v.normalize !== undefined && typeof v.normalize !== 'boolean') throw invalid(`${where}.normalize`);
  return v as unknown as ExportedConfig;
}

function checkMode(v: unknown, where: string): Mode {
  if (typeof v !== 'string' || !(MODES as readonly string[]).includes(v))
    throw invalid(`${where} is not a mode`);
  return v as Mode;
}

/** Structural validation of a parsed export file; the registry validates the schemas themselves. */
export function parseExport(doc: unknown): RegistryExport {
  if (!isObject(doc) || doc.format !== EXPORT_FORMAT) throw invalid(`"format" must be "${EXPORT_FORMAT}"`);
  if (typeof doc.formatVersion !== 'number' || !READABLE_FORMAT_VERSIONS.includes(doc.formatVersion)) {
    throw invalid(
      `unsupported formatVersion ${String(doc.formatVersion)} (this build reads ${READABLE_FORMAT_VERSIONS.join(' and ')})`,
    );
  }
  checkConfig(doc.config, 'config');
  checkMode(doc.mode, 'mode');
  if (!Array.isArray(doc.subjects)) throw invalid('"subjects" must be an array');
  doc.subjects.forEach((s: unknown, i) => {
    const at = `subjects[${i}]`;
    if (!isObject(s) || typeof s.subject !== 'string') throw invalid(`${at}.subject must be a string`);
    if (s.config !== null) checkConfig(s.config, `${at}.config`);
    if (s.mode !== null) checkMode(s.mode, `${at}.mode`);
    if (!Array.isArray(s.versions)) throw invalid(`${at}.versions must be an array`);
    s.versions.forEach((v: unknown, j) => {
      const vat = `${at}.versions[${j}]`;
      if (!isObject(v) || !isPositiveInt(v.version) || !isPositiveInt(v.id))
        throw invalid(`${vat} needs version and id`);
      if (typeof v.schema !== 'string' || typeof v.deleted !== 'boolean')
        throw invalid(`${vat} needs schema and deleted`);
    });
  });
  const parsed = doc as unknown as RegistryExport;
  const highest = highestId(parsed.subjects);
  // Version 1 did not record the mark: the highest exported id is the best that is known.
  if (doc.formatVersion === 1) return { ...parsed, maxSchemaId: highest };
  if (!(isPositiveInt(doc.maxSchemaId) || doc.maxSchemaId === 0) || (doc.maxSchemaId as number) < highest) {
    throw invalid(`"maxSchemaId" must be an id no smaller than every exported id (${highest})`);
  }
  return parsed;
}

/** A loop, not `Math.max(...ids)`: a large registry would overflow the argument list. */
function highestId(subjects: readonly ExportedSubject[]): number {
  let highest = 0;
  for (const s of subjects) for (const v of s.versions) highest = Math.max(highest, v.id);
  return highest;
}

export interface ImportSummary {
  subjects: number;
  versions: number;
  deleted: number;
  /** The target's id high-water mark after the import. */
  maxSchemaId: number;
}

/**
 * Loads an export into an empty registry. Ascending ids keep references resolvable (a referenced
 * version always got its id before the schema referring to it); soft deletes run newest first for the
 * same reason; configs and modes come last so a READONLY subject does not block its own import.
 */
export async function importRegistry(target: ImportTarget, doc: RegistryExport): Promise<ImportSummary> {
  if ((await target.listSubjects({ deleted: true })).length > 0) {
    throw new DomainError(
      'OPERATION_NOT_PERMITTED',
      'Import needs an empty registry: the target already has subjects (hard-delete them or use a new database)',
    );
  }
  const rows = doc.subjects.flatMap((s) => s.versions.map((v) => ({ subject: s.subject, ...v })));
  rows.sort((a, b) => a.id - b.id || a.subject.localeCompare(b.subject) || a.version - b.version);
  await target.setMode(null, { mode: 'IMPORT' }, { force: false });
  for (const row of rows) {
    const body = {
      schema: row.schema,
      ...(row.schemaType !== undefined ? { schemaType: row.schemaType } : {}),
      ...(row.references ? { references: row.references } : {}),
      id: row.id,
      version: row.version,
    };
    const { id } = await target.register(row.subject, body, {});
    if (id !== row.id) {
      throw new DomainError(
        'OPERATION_NOT_PERMITTED',
        `Import of ${row.subject} v${row.version} got id ${id}, not ${row.id}`,
      );
    }
  }
  // Ids hard-deleted in the source (above every exported one) must not be handed out again here.
  const { maxSchemaId } = await target.raiseMaxSchemaId({ maxSchemaId: doc.maxSchemaId });
  const deletions = rows.filter((r) => r.deleted).sort((a, b) => b.id - a.id || b.version - a.version);
  for (const row of deletions) await target.deleteVersion(row.subject, String(row.version), {});
  for (const s of doc.subjects) {
    if (s.config) await target.setConfig(s.subject, updateOf(s.config));
  }
  await target.setConfig(null, updateOf(doc.config));
  for (const s of doc.subjects) {
    if (s.mode) await target.setMode(s.subject, { mode: s.mode }, { force: true });
  }
  await target.setMode(null, { mode: doc.mode }, { force: true });
  return { subjects: doc.subjects.length, versions: rows.length, deleted: deletions.length, maxSchemaId };
}

function updateOf(config: ExportedConfig): { compatibility: CompatibilityLevel; normalize?: boolean } {
  return config.normalize === undefined
    ? { compatibility: config.compatibilityLevel }
    : { compatibility: config.compatibilityLevel, normalize: config.normalize };
}
