/**
 * The registry's read use cases (schemas by id, listings, versions, referencedby) with Confluent's
 * semantics (reference §3–§5). Split from RegistryService, which delegates here; they only read the
 * store, so they share nothing with the write paths but the preparer that parses stored schemas.
 */
import { canonicalString } from '../avro/canonical.js';
import type { SchemaReference } from '../avro/types.js';
import { DomainError } from '../errors.js';
import { subjectNotFound, versionNotFound } from './delete-decision.js';
import type { SchemaPreparer } from './prepare-schema.js';
import type { ListQuery, SchemaStringView, SchemaVersionDetail, SchemaVersionView } from './registry-api.js';
import type { SchemaRecord, SchemaStore, StoredVersion } from './schema-store.js';
import { parseVersionId } from './version-id.js';
import {
  bySubjectVersion,
  compareStrings,
  paginate,
  parseSchemaId,
  prefixFilter,
  versionView,
} from './views.js';

export class RegistryReads {
  constructor(
    private readonly store: SchemaStore,
    private readonly preparer: SchemaPreparer,
  ) {}

  // ---- /schemas ----------------------------------------------------------------------------------

  async getSchemaById(
    id: string,
    opts: { subject?: string; fetchMaxId?: boolean; format?: string },
  ): Promise<SchemaStringView> {
    const { record } = await this.resolvableSchema(id, (n) => `Schema ${n} not found`);
    const view: SchemaStringView = { schema: await this.formatted(record.id, record, opts.format) };
    if (record.references.length > 0) view.references = [...record.references];
    if (opts.fetchMaxId) view.maxId = await this.store.maxSchemaId();
    return view;
  }

  async getSchemaTextById(id: string, opts: { subject?: string; format?: string }): Promise<string> {
    const { record } = await this.resolvableSchema(id, (n) => `Schema ${n} not found`);
    return this.formatted(record.id, record, opts.format);
  }

  async getSubjectsById(id: string, opts: ListQuery & { subject?: string }): Promise<string[]> {
    const { holders } = await this.resolvableSchema(id, () => 'Schema not found');
    const subjects = holders.filter((v) => opts.deleted || !v.deleted).map((v) => v.subject);
    return paginate([...new Set(subjects)].sort(compareStrings), opts);
  }

  async getVersionsById(
    id: string,
    opts: ListQuery & { subject?: string },
  ): Promise<Array<{ subject: string; version: number }>> {
    const { holders } = await this.resolvableSchema(id, () => 'Schema not found');
    const visible = holders.filter((v) => opts.deleted || !v.deleted).sort(bySubjectVersion);
    return paginate(
      visible.map((v) => ({ subject: v.subject, version: v.version })),
      opts,
    );
  }

  async listSchemas(
    opts: ListQuery & { subjectPrefix?: string; latestOnly?: boolean },
  ): Promise<SchemaVersionView[]> {
    const all = await this.store.listAllVersions(prefixFilter(opts.subjectPrefix));
    let visible = all.filter((v) => opts.deleted || !v.deleted).sort(bySubjectVersion);
    if (opts.latestOnly) {
      const latest = new Map<string, StoredVersion>();
      for (const v of visible) latest.set(v.subject, v);
      visible = [...latest.values()];
    }
    return paginate(visible.map(versionView), opts);
  }

  // ---- /subjects ---------------------------------------------------------------------------------

  async listSubjects(opts: ListQuery & { subjectPrefix?: string }): Promise<string[]> {
    const prefix = prefixFilter(opts.subjectPrefix);
    const counts = await this.store.listSubjectCounts();
    const subjects = counts
      .filter((c) => prefix === undefined || c.subject.startsWith(prefix))
      // A subject counts as deleted only when every version is soft-deleted.
      .filter((c) => (opts.deletedOnly ? c.live === 0 : opts.deleted || c.live > 0))
      .map((c) => c.subject)
      .sort(compareStrings);
    return paginate(subjects, opts);
  }

  async listVersions(subject: string, opts: ListQuery & { deletedAsNegative?: boolean }): Promise<number[]> {
    const history = await this.store.listVersionSummaries(subject);
    const anyDeletedView = opts.deleted || opts.deletedOnly || opts.deletedAsNegative;
    if (history.length === 0 || (!anyDeletedView && !history.some((v) => !v.deleted))) {
      throw subjectNotFound(subject);
    }
    let versions: number[];
    if (opts.deletedOnly) versions = history.filter((v) => v.deleted).map((v) => v.version);
    else if (opts.deletedAsNegative) versions = history.map((v) => (v.deleted ? -v.version : v.version));
    else versions = history.filter((v) => opts.deleted || !v.deleted).map((v) => v.version);
    return paginate(versions, opts);
  }

  async getVersion(
    subject: string,
    version: string,
    opts: { deleted?: boolean; format?: string },
  ): Promise<SchemaVersionView> {
    const found = await this.findVersion(subject, version, opts.deleted === true);
    const view = versionView(found);
    view.schema = await this.formatted(found.schemaId, found, opts.format);
    return view;
  }

  async getVersionDetail(
    subject: string,
    version: string,
    opts: { deleted?: boolean },
  ): Promise<SchemaVersionDetail> {
    const found = await this.findVersion(subject, version, opts.deleted === true);
    return {
      ...versionView(found),
      semver: found.semver,
      deleted: found.deleted,
      fingerprints: { crc64: found.crc64, sha256: found.sha256 },
      createdAt: found.createdAt,
    };
  }

  async getReferencedBy(subject: string, version: string, opts: ListQuery): Promise<number[]> {
    // Confluent looks the target up with deleted schemas included: a soft-deleted version can still be
    // referenced (that is what blocks its hard delete), so asking who references it must answer.
    const found = await this.findVersion(subject, version, true);
    const referrers = await this.store.getReferrers(subject, found.version);
    const ids = referrers.filter((r) => opts.deleted || !r.deleted).map((r) => r.schemaId);
    return paginate(
      [...new Set(ids)].sort((a, b) => a - b),
      opts,
    );
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /**
   * The `format` query parameter (Confluent `AvroSchema.formattedString`): `resolved` inlines the
   * referenced types, as Java's `rawSchema().toString()` prints them at first use; `default`, absent
   * and unknown formats (ignored for forward compatibility) are the stored text.
   */
  private async formatted(
    schemaId: number,
    stored: { readonly schema: string; readonly references: readonly SchemaReference[] },
    format: string | undefined,
  ): Promise<string> {
    if (stored.references.length === 0 || format?.trim().toLowerCase() !== 'resolved') return stored.schema;
    const targets = await this.store.resolveReferences(stored.references);
    const parsed = this.preparer.parseStored({ schemaId, ...stored }, targets);
    return canonicalString(parsed.root);
  }

  /** An id that resolves: known, and still held by at least one subject-version (soft-deleted counts). */
  private async resolvableSchema(
    raw: string,
    message: (id: number) => string,
  ): Promise<{ record: SchemaRecord; holders: StoredVersion[] }> {
    const id = parseSchemaId(raw);
    const [record, holders] = await Promise.all([
      this.store.getSchemaRecord(id),
      this.store.getVersionsBySchemaId(id),
    ]);
    if (record === undefined || holders.length === 0) throw new DomainError('SCHEMA_NOT_FOUND', message(id));
    return { record, holders };
  }

  private async findVersion(subject: string, raw: string, includeDeleted: boolean): Promise<StoredVersion> {
    const id = parseVersionId(raw);
    const summaries = await this.store.listVersionSummaries(subject);
    const visible = summaries.filter((v) => includeDeleted || !v.deleted);
    if (visible.length === 0) throw subjectNotFound(subject);
    // `latest` (and -1) is the newest LIVE version even with deleted=true, as Confluent's getLatestVersion.
    const picked =
      id.kind === 'latest'
        ? visible.findLast((v) => !v.deleted)
        : visible.find((v) => v.version === id.version);
    // A concurrent hard delete between the two reads reads as "not found", never as a wrong version.
    const found = picked === undefined ? undefined : await this.store.getVersion(subject, picked.version);
    if (found === undefined) throw versionNotFound(id.kind === 'latest' ? -1 : id.version);
    return found;
  }
}
