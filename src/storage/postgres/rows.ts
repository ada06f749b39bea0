/** Column lists and row mappers of the PostgreSQL stores (the same shapes as the SQLite ones). */
import type { CompatibilityLevel, SchemaReference } from '../../avro/types.js';
import type { ConfigRecord, SchemaRecord, StoredVersion } from '../../registry/schema-store.js';

export { type SchemaRow, toSchemaRecord } from '../rows.js';

export interface VersionRow {
  subject: string;
  version: number;
  schemaId: number;
  deleted: boolean;
  semver: string;
  createdAt: number;
  schemaType: string;
  canonical: string;
  referencesJson: string;
  identity: string;
  pcf: string;
  crc64: string;
  md5: string;
  sha256: string;
}

export const VERSION_COLUMNS = `sv.subject, sv.version, sv.schema_id AS "schemaId", sv.deleted, sv.semver,
  sv.created_at AS "createdAt", s.schema_type AS "schemaType", s.canonical,
  s.references_json AS "referencesJson", s.identity, s.pcf, s.crc64, s.md5, s.sha256`;
export const VERSION_FROM = 'FROM subject_versions sv JOIN schemas s ON s.id = sv.schema_id';
export const SCHEMA_COLUMNS = `id, identity, schema_type AS "schemaType", canonical, original,
  references_json AS "referencesJson", pcf, crc64, md5, sha256, created_at AS "createdAt"`;

export function toStoredVersion(row: VersionRow): StoredVersion {
  return {
    subject: row.subject,
    version: row.version,
    schemaId: row.schemaId,
    deleted: row.deleted,
    semver: row.semver,
    schema: row.canonical,
    schemaType: row.schemaType,
    references: JSON.parse(row.referencesJson) as SchemaReference[],
    identity: row.identity,
    pcf: row.pcf,
    crc64: row.crc64,
    md5: row.md5,
    sha256: row.sha256,
    createdAt: row.createdAt,
  };
}

/** A subject-version row joined with a schema record held in memory (schema rows never change). */
export function versionOf(
  row: {
    subject: string;
    version: number;
    schemaId: number;
    deleted: boolean;
    semver: string;
    createdAt: number;
  },
  schema: SchemaRecord,
): StoredVersion {
  return {
    subject: row.subject,
    version: row.version,
    schemaId: row.schemaId,
    deleted: row.deleted,
    semver: row.semver,
    schema: schema.schema,
    schemaType: schema.schemaType,
    references: schema.references,
    identity: schema.identity,
    pcf: schema.pcf,
    crc64: schema.crc64,
    md5: schema.md5,
    sha256: schema.sha256,
    createdAt: row.createdAt,
  };
}

export function toConfig(row: { compatibility: string | null; normalize: boolean | null }): ConfigRecord {
  return { compatibility: row.compatibility as CompatibilityLevel | null, normalize: row.normalize };
}
