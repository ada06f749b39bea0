/**
 * `GET /catalog/subjects`: the registry at a glance, a page at a time. The store answers one page of
 * subjects with their counts, latest live version and subject-level settings in one query; this
 * module validates the request and resolves the effective level and mode with the global settings
 * (read once per page, not per subject).
 */
import type { CompatibilityLevel } from '../avro/types.js';
import { DomainError } from '../errors.js';
import type {
  SettingSource,
  SubjectSummaryPageView,
  SubjectSummaryRequest,
  SubjectSummaryView,
} from './registry-api.js';
import type { SchemaStore, ScopeSettings, SubjectSummaryRecord } from './schema-store.js';
import { effectiveMode } from './settings.js';

export const DEFAULT_SUMMARY_LIMIT = 100;
export const MAX_SUMMARY_LIMIT = 1_000;
/** Longer than any useful search text; a subject name itself is not bounded, a filter is. */
export const MAX_FILTER_LENGTH = 1_000;

function badRequest(message: string): DomainError {
  return new DomainError('BAD_REQUEST', message);
}

function filterText(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_FILTER_LENGTH) {
    throw badRequest(`Query parameter '${name}' is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  return value;
}

export async function listSubjectSummaries(
  store: SchemaStore,
  defaultCompatibility: CompatibilityLevel,
  request: SubjectSummaryRequest,
): Promise<SubjectSummaryPageView> {
  const offset = request.offset ?? 0;
  const limit = request.limit ?? DEFAULT_SUMMARY_LIMIT;
  if (offset < 0) throw badRequest(`Query parameter 'offset' must be 0 or more, got ${offset}`);
  if (limit < 1 || limit > MAX_SUMMARY_LIMIT) {
    throw badRequest(`Query parameter 'limit' must be between 1 and ${MAX_SUMMARY_LIMIT}, got ${limit}`);
  }
  const prefix = filterText('prefix', request.prefix);
  const contains = filterText('contains', request.contains);
  const [page, global] = await Promise.all([
    store.listSubjectSummaries({
      ...(prefix === undefined ? {} : { prefix }),
      ...(contains === undefined ? {} : { contains }),
      includeDeleted: request.deleted === true,
      offset,
      limit,
    }),
    store.getSettings(null),
  ]);
  return {
    total: page.total,
    offset,
    limit,
    subjects: page.subjects.map((s) => summaryView(s, global, defaultCompatibility)),
  };
}

function summaryView(
  record: SubjectSummaryRecord,
  global: ScopeSettings,
  defaultCompatibility: CompatibilityLevel,
): SubjectSummaryView {
  const globalLevel = global.globalConfig?.compatibility ?? null;
  const level = record.compatibility ?? globalLevel ?? defaultCompatibility;
  const levelSource: SettingSource =
    record.compatibility !== null ? 'subject' : globalLevel !== null ? 'global' : 'default';
  const mode = effectiveMode({
    subjectConfig: undefined,
    globalConfig: undefined,
    subjectMode: record.mode ?? undefined,
    globalMode: global.globalMode,
  });
  const modeSource: SettingSource =
    global.globalMode === 'READONLY_OVERRIDE'
      ? 'global'
      : record.mode !== null
        ? 'subject'
        : global.globalMode !== undefined
          ? 'global'
          : 'default';
  return {
    subject: record.subject,
    versions: { live: record.live, deleted: record.deleted },
    latest:
      record.latest === undefined
        ? null
        : {
            version: record.latest.version,
            id: record.latest.schemaId,
            semver: record.latest.semver,
            createdAt: record.latest.createdAt,
          },
    compatibilityLevel: level,
    compatibilitySource: levelSource,
    mode,
    modeSource,
  };
}
