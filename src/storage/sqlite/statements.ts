/** Prepared statements of the SQLite schema store (prepared once per connection) and row mappers. */
import type { CompatibilityLevel, SchemaReference } from '../../avro/types.js';
import type { ConfigRecord, StoredVersion } from '../../registry/schema-store.js';
import type { SqliteDatabase } from './database.js';

export { type SchemaRow, toSchemaRecord } from '../rows.js';

export interface VersionRow {
  subject: string;
  version: number;
  schemaId: number;
  deleted: number;
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

const VERSION_COLUMNS = `sv.subject, sv.version, sv.schema_id AS schemaId, sv.deleted, sv.semver,
  sv.created_at AS createdAt, s.schema_type AS schemaType, s.canonical, s.references_json AS referencesJson,
  s.identity, s.pcf, s.crc64, s.md5, s.sha256`;
/** Without the two large texts, which `toLazyVersion` loads only when read. */
const VERSION_META_COLUMNS = `sv.subject, sv.version, sv.schema_id AS schemaId, sv.deleted, sv.semver,
  sv.created_at AS createdAt, s.schema_type AS schemaType, s.references_json AS referencesJson, s.identity,
  s.crc64, s.md5, s.sha256`;
const VERSION_FROM = 'FROM subject_versions sv JOIN schemas s ON s.id = sv.schema_id';
const SCHEMA_COLUMNS = `id, identity, schema_type AS schemaType, canonical, original,
  references_json AS referencesJson, pcf, crc64, md5, sha256, created_at AS createdAt`;

export class SqliteStatements {
  readonly history;
  readonly historyMeta;
  readonly historyVersions;
  readonly summaries;
  readonly schemaTexts;
  readonly schemaMeta;
  readonly version;
  readonly versionsBySchemaId;
  readonly allVersions;
  readonly subjectCounts;
  readonly subjectExists;
  readonly subjectLive;
  readonly latestLive;
  readonly anyLive;
  readonly schemaById;
  readonly schemaByIdentity;
  readonly highWater;
  readonly raiseHighWater;
  readonly insertSchema;
  readonly insertReference;
  readonly insertVersion;
  readonly softDeleteVersion;
  readonly deleteVersion;
  readonly subjectSoftDeleted;
  readonly allSoftDeleted;
  readonly referrers;
  readonly config;
  readonly upsertConfig;
  readonly deleteConfig;
  readonly mode;
  readonly upsertMode;
  readonly deleteMode;
  readonly deleteAllModes;
  readonly subjectsWithSettings;

  constructor(db: SqliteDatabase) {
    this.history = db.prepare(
      `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} WHERE sv.subject = ? ORDER BY sv.version`,
    );
    this.historyMeta = db.prepare(
      `SELECT ${VERSION_META_COLUMNS} ${VERSION_FROM} WHERE sv.subject = ? ORDER BY sv.version`,
    );
    this.historyVersions = db.prepare(
      `SELECT version, schema_id AS schemaId, deleted, semver, created_at AS createdAt
       FROM subject_versions WHERE subject = ? ORDER BY version`,
    );
    this.summaries = db.prepare(
      `SELECT sv.version, sv.schema_id AS schemaId, sv.deleted, s.identity ${VERSION_FROM}
       WHERE sv.subject = ? ORDER BY sv.version`,
    );
    this.schemaTexts = db.prepare('SELECT canonical, pcf FROM schemas WHERE id = ?');
    this.schemaMeta = db.prepare(
      `SELECT schema_type AS schemaType, references_json AS referencesJson, identity, crc64, md5, sha256
       FROM schemas WHERE id = ?`,
    );
    this.version = db.prepare(
      `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} WHERE sv.subject = ? AND sv.version = ?`,
    );
    this.versionsBySchemaId = db.prepare(
      `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} WHERE sv.schema_id = ? ORDER BY sv.subject, sv.version`,
    );
    this.allVersions = db.prepare(
      `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} ORDER BY sv.subject, sv.version`,
    );
    this.subjectCounts = db.prepare(
      `SELECT subject, SUM(deleted = 0) AS live, SUM(deleted = 1) AS deleted
       FROM subject_versions GROUP BY subject`,
    );
    this.subjectExists = db.prepare('SELECT 1 FROM subject_versions WHERE subject = ? LIMIT 1');
    this.subjectLive = db.prepare('SELECT 1 FROM subject_versions WHERE subject = ? AND deleted = 0 LIMIT 1');
    this.latestLive = db
      .prepare('SELECT max(version) FROM subject_versions WHERE subject = ? AND deleted = 0')
      .pluck();
    this.anyLive = db.prepare('SELECT 1 FROM subject_versions WHERE deleted = 0 LIMIT 1');
    this.schemaById = db.prepare(`SELECT ${SCHEMA_COLUMNS} FROM schemas WHERE id = ?`);
    this.schemaByIdentity = db.prepare(`SELECT ${SCHEMA_COLUMNS} FROM schemas WHERE identity = ?`);
    this.highWater = db.prepare("SELECT value FROM counters WHERE name = 'schema_id'");
    this.raiseHighWater = db.prepare("UPDATE counters SET value = max(value, ?) WHERE name = 'schema_id'");
    this.insertSchema = db.prepare(
      `INSERT INTO schemas (id, identity, schema_type, canonical, original, references_json, pcf, crc64, md5,
         sha256, created_at)
       VALUES (@id, @identity, @schemaType, @canonical, @original, @referencesJson, @pcf, @crc64, @md5,
         @sha256, @createdAt)`,
    );
    this.insertReference = db.prepare(
      'INSERT INTO schema_references (schema_id, position, name, ref_subject, ref_version) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertVersion = db.prepare(
      `INSERT INTO subject_versions (subject, version, schema_id, deleted, semver, created_at)
       VALUES (?, ?, ?, 0, ?, ?)`,
    );
    this.softDeleteVersion = db.prepare(
      'UPDATE subject_versions SET deleted = 1 WHERE subject = ? AND version = ?',
    );
    this.deleteVersion = db.prepare('DELETE FROM subject_versions WHERE subject = ? AND version = ?');
    this.subjectSoftDeleted = db.prepare(
      'SELECT subject, version FROM subject_versions WHERE subject = ? AND deleted = 1 ORDER BY version',
    );
    this.allSoftDeleted = db.prepare(
      'SELECT subject, version FROM subject_versions WHERE deleted = 1 ORDER BY subject, version',
    );
    this.referrers = db.prepare(
      `SELECT r.ref_version AS target, sv.schema_id AS schemaId, sv.subject, sv.version, sv.deleted
       FROM schema_references r JOIN subject_versions sv ON sv.schema_id = r.schema_id
       WHERE r.ref_subject = ?
       ORDER BY sv.schema_id, sv.subject, sv.version`,
    );
    this.config = db.prepare('SELECT compatibility, normalize FROM configs WHERE subject = ?');
    this.upsertConfig = db.prepare(
      `INSERT INTO configs (subject, compatibility, normalize) VALUES (?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET
         compatibility = coalesce(excluded.compatibility, compatibility),
         normalize = coalesce(excluded.normalize, normalize)`,
    );
    this.deleteConfig = db.prepare('DELETE FROM configs WHERE subject = ?');
    this.mode = db.prepare('SELECT mode FROM modes WHERE subject = ?');
    this.upsertMode = db.prepare(
      'INSERT INTO modes (subject, mode) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET mode = excluded.mode',
    );
    this.deleteMode = db.prepare('DELETE FROM modes WHERE subject = ?');
    this.deleteAllModes = db.prepare('DELETE FROM modes');
    // Both `?` are the global row's key, which is not a subject.
    this.subjectsWithSettings = db.prepare(
      'SELECT subject FROM configs WHERE subject <> ? UNION SELECT subject FROM modes WHERE subject <> ?',
    );
  }
}

function parseReferences(json: string): SchemaReference[] {
  return JSON.parse(json) as SchemaReference[];
}

export function toStoredVersion(row: VersionRow): StoredVersion {
  return {
    subject: row.subject,
    version: row.version,
    schemaId: row.schemaId,
    deleted: row.deleted === 1,
    semver: row.semver,
    schema: row.canonical,
    schemaType: row.schemaType,
    references: parseReferences(row.referencesJson),
    identity: row.identity,
    pcf: row.pcf,
    crc64: row.crc64,
    md5: row.md5,
    sha256: row.sha256,
    createdAt: row.createdAt,
  };
}

export type VersionMetaRow = Omit<VersionRow, 'canonical' | 'pcf'>;

/** The subject-version columns alone; the rest is per schema id and immutable (`SchemaMeta`). */
export type VersionOnlyRow = Pick<VersionRow, 'version' | 'schemaId' | 'deleted' | 'semver' | 'createdAt'>;

/** The columns of a schema row a decision reads besides its texts; schema rows are never updated. */
export interface SchemaMeta {
  readonly schemaType: string;
  readonly references: readonly SchemaReference[];
  readonly identity: string;
  readonly crc64: string;
  readonly md5: string;
  readonly sha256: string;
}

export function toSchemaMeta(row: VersionMetaRow): SchemaMeta {
  return {
    schemaType: row.schemaType,
    references: parseReferences(row.referencesJson),
    identity: row.identity,
    crc64: row.crc64,
    md5: row.md5,
    sha256: row.sha256,
  };
}

/**
 * A StoredVersion from a subject-version row and its schema's memoised metadata, whose canonical text
 * and PCF are read on first access. A decision over a long history usually needs the text of one or two
 * versions (the rest are parsed already, memoised by id), and schema rows never change, so a late read
 * is as good as an early one.
 */
export function toLazyVersion(
  subject: string,
  row: VersionOnlyRow,
  meta: SchemaMeta,
  loadTexts: (schemaId: number) => { canonical: string; pcf: string },
): StoredVersion {
  let texts: { canonical: string; pcf: string } | undefined;
  return {
    subject,
    version: row.version,
    schemaId: row.schemaId,
    deleted: row.deleted === 1,
    semver: row.semver,
    get schema() {
      texts ??= loadTexts(row.schemaId);
      return texts.canonical;
    },
    schemaType: meta.schemaType,
    references: meta.references,
    identity: meta.identity,
    get pcf() {
      texts ??= loadTexts(row.schemaId);
      return texts.pcf;
    },
    crc64: meta.crc64,
    md5: meta.md5,
    sha256: meta.sha256,
    createdAt: row.createdAt,
  };
}

export interface ConfigRow {
  compatibility: string | null;
  normalize: number | null;
}

export function toConfig(row: ConfigRow): ConfigRecord {
  return {
    compatibility: row.compatibility as CompatibilityLevel | null,
    normalize: row.normalize === null ? null : row.normalize === 1,
  };
}
