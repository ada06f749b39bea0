/**
 * The reads of the PostgreSQL stores. Histories are read as subject-version rows plus the schema rows
 * they point at, which are immutable and memoised by id: a decision over a long history then reads a
 * few small rows, not every schema text again.
 */
import type { SchemaReference } from '../../avro/types.js';
import { ByteLru } from '../../cache/byte-lru.js';
import { cacheBudget } from '../../cache/cache-budget.js';
import { OBJECT_OVERHEAD, stringBytes } from '../../cache/size-estimate.js';
import { schemaRecordBytes } from '../../registry/read-cache.js';
import {
  type ReferenceTarget,
  type Referrer,
  referenceKey,
  type SchemaRecord,
  type StoredVersion,
  type VersionSummary,
} from '../../registry/schema-store.js';
import type { PgDatabase } from './database.js';
import {
  SCHEMA_COLUMNS,
  type SchemaRow,
  toSchemaRecord,
  toStoredVersion,
  VERSION_COLUMNS,
  VERSION_FROM,
  type VersionRow,
  versionOf,
} from './rows.js';

/** Ids and versions are `integer` columns: a number outside them names nothing (as on SQLite). */
function isInt32(n: number): boolean {
  return Number.isInteger(n) && n >= -2_147_483_648 && n <= 2_147_483_647;
}

/** One subject's version rows (subject and semver strings, five fields each). */
function historyBytes(subject: string, rows: readonly VersionOnlyRow[]): number {
  let bytes = OBJECT_OVERHEAD * 2 + stringBytes(subject);
  for (const row of rows) bytes += OBJECT_OVERHEAD + stringBytes(row.subject) + stringBytes(row.semver) + 48;
  return bytes;
}

interface VersionOnlyRow {
  subject: string;
  version: number;
  schemaId: number;
  deleted: boolean;
  semver: string;
  createdAt: number;
}

export class PgReads {
  /** Schema rows kept by id for decisions (immutable: an id never changes meaning). */
  private readonly schemas: ByteLru<number, SchemaRecord>;
  /** Version rows per subject under the subject's generation token (subject_generations). */
  private readonly histories: ByteLru<string, { generation: string; rows: VersionOnlyRow[] }>;

  /** `maxBytes`: this store's share of CACHE_MAX_BYTES (cache-budget.ts `storageMeta`). */
  constructor(
    private readonly db: PgDatabase,
    maxBytes: number = cacheBudget().storageMeta,
  ) {
    this.schemas = new ByteLru({ maxBytes: Math.floor(maxBytes * 0.75), sizeOf: schemaRecordBytes });
    this.histories = new ByteLru({
      maxBytes: Math.max(1, Math.floor(maxBytes * 0.25)),
      sizeOf: (entry, subject) => historyBytes(subject, entry.rows),
    });
  }

  async schemaById(id: number): Promise<SchemaRecord | undefined> {
    if (!isInt32(id)) return undefined;
    const [row] = await this.db.query<SchemaRow>(
      'reading a schema',
      `SELECT ${SCHEMA_COLUMNS} FROM schemas WHERE id = $1`,
      [id],
    );
    return row === undefined ? undefined : toSchemaRecord(row);
  }

  async schemaByIdentity(identity: string): Promise<SchemaRecord | undefined> {
    const [row] = await this.db.query<SchemaRow>(
      'reading a schema',
      `SELECT ${SCHEMA_COLUMNS} FROM schemas WHERE identity = $1`,
      [identity],
    );
    return row === undefined ? undefined : toSchemaRecord(row);
  }

  /** The largest id ever handed out by the sequence, or imported (0 when none). */
  async maxSchemaId(): Promise<number> {
    const [row] = await this.db.query<{ max: number }>(
      'reading the id high-water mark',
      'SELECT (CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::int AS max FROM schema_ids',
    );
    return row?.max ?? 0;
  }

  async versionsBySchemaId(id: number): Promise<StoredVersion[]> {
    if (!isInt32(id)) return [];
    const rows = await this.db.query<VersionRow>(
      'reading versions by id',
      `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} WHERE sv.schema_id = $1 ORDER BY sv.subject COLLATE "C", sv.version`,
      [id],
    );
    return rows.map(toStoredVersion);
  }

  /**
   * Every version of the subject, soft-deleted included, ascending. `memoise`: the caller reads before
   * writing anything in its transaction (or outside any), so every row it sees is committed and may
   * be kept. The version rows of a subject whose generation token did not move are not read again:
   * under a long history a registration then reads one tiny row instead of thousands.
   */
  async history(subject: string, memoise = false): Promise<StoredVersion[]> {
    const rows = await this.versionRows(subject, memoise || this.db.client === undefined);
    // The hits are taken now: the memo may be cleared by another request during the await below.
    const local = new Map<number, SchemaRecord>();
    const missing = new Set<number>();
    for (const { schemaId } of rows) {
      if (local.has(schemaId) || missing.has(schemaId)) continue;
      const hit = this.schemas.get(schemaId);
      if (hit === undefined) missing.add(schemaId);
      else local.set(schemaId, hit);
    }
    if (missing.size > 0) {
      const found = await this.db.query<SchemaRow>(
        'reading schemas',
        `SELECT ${SCHEMA_COLUMNS} FROM schemas WHERE id = ANY($1::int[])`,
        [[...missing]],
      );
      for (const row of found) {
        const record = toSchemaRecord(row);
        local.set(record.id, record);
        if (memoise) this.remember(record);
      }
    }
    return rows.map((row) => versionOf(row, local.get(row.schemaId)!));
  }

  async summaries(subject: string): Promise<VersionSummary[]> {
    return (await this.history(subject)).map((v) => ({
      version: v.version,
      schemaId: v.schemaId,
      deleted: v.deleted,
      identity: v.identity,
    }));
  }

  private async versionRows(subject: string, memoise: boolean): Promise<VersionOnlyRow[]> {
    const [token] = await this.db.query<{ generation: string }>(
      'reading a subject',
      'SELECT generation FROM subject_generations WHERE subject = $1',
      [subject],
    );
    const generation = token?.generation ?? '';
    const cached = this.histories.get(subject);
    if (cached !== undefined && cached.generation === generation) return cached.rows;
    const rows = await this.db.query<VersionOnlyRow>(
      'reading a subject',
      `SELECT subject, version, schema_id AS "schemaId", deleted, semver, created_at AS "createdAt"
       FROM subject_versions WHERE subject = $1 ORDER BY version`,
      [subject],
    );
    if (memoise) this.histories.set(subject, { generation, rows });
    return rows;
  }

  async version(subject: string, version: number): Promise<StoredVersion | undefined> {
    if (!isInt32(version)) return undefined;
    const [row] = await this.db.query<VersionRow>(
      'reading a version',
      `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} WHERE sv.subject = $1 AND sv.version = $2`,
      [subject, version],
    );
    return row === undefined ? undefined : toStoredVersion(row);
  }

  async allVersions(subjectPrefix?: string): Promise<StoredVersion[]> {
    const rows = await this.db.query<VersionRow>(
      'listing versions',
      subjectPrefix === undefined
        ? `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} ORDER BY sv.subject COLLATE "C", sv.version`
        : `SELECT ${VERSION_COLUMNS} ${VERSION_FROM} WHERE starts_with(sv.subject, $1)
           ORDER BY sv.subject COLLATE "C", sv.version`,
      subjectPrefix === undefined ? [] : [subjectPrefix],
    );
    return rows.map(toStoredVersion);
  }

  async subjectCounts(): Promise<Array<{ subject: string; live: number; deleted: number }>> {
    return this.db.query(
      'listing subjects',
      `SELECT subject, (count(*) FILTER (WHERE NOT deleted))::int AS live,
              (count(*) FILTER (WHERE deleted))::int AS deleted
       FROM subject_versions GROUP BY subject ORDER BY subject COLLATE "C"`,
    );
  }

  async subjectExists(subject: string): Promise<boolean> {
    const rows = await this.db.query(
      'reading a subject',
      'SELECT 1 FROM subject_versions WHERE subject = $1 LIMIT 1',
      [subject],
    );
    return rows.length > 0;
  }

  /** Who references each version of `subject`, by version number. */
  async referrers(subject: string): Promise<Map<number, Referrer[]>> {
    const rows = await this.db.query<{
      target: number;
      schemaId: number;
      subject: string;
      version: number;
      deleted: boolean;
    }>(
      'reading references',
      `SELECT r.ref_version AS target, sv.schema_id AS "schemaId", sv.subject, sv.version, sv.deleted
       FROM schema_references r JOIN subject_versions sv ON sv.schema_id = r.schema_id
       WHERE r.ref_subject = $1
       ORDER BY sv.schema_id, sv.subject COLLATE "C", sv.version`,
      [subject],
    );
    const byVersion = new Map<number, Referrer[]>();
    for (const row of rows) {
      const list = byVersion.get(row.target) ?? [];
      list.push({ schemaId: row.schemaId, subject: row.subject, version: row.version, deleted: row.deleted });
      byVersion.set(row.target, list);
    }
    return byVersion;
  }

  /** Breadth-first over reference targets, one query per level (soft-deleted ones still resolve). */
  async referenceClosure(refs: readonly SchemaReference[]): Promise<Map<string, ReferenceTarget>> {
    const found = new Map<string, ReferenceTarget>();
    const seen = new Set<string>();
    let level = refs.filter((r) => isInt32(r.version));
    while (level.length > 0) {
      for (const r of level) seen.add(referenceKey(r.subject, r.version));
      const rows = await this.db.query<{
        subject: string;
        version: number;
        canonical: string;
        referencesJson: string;
      }>(
        'resolving references',
        `SELECT sv.subject, sv.version, s.canonical, s.references_json AS "referencesJson" ${VERSION_FROM}
         JOIN unnest($1::text[], $2::int[]) AS want(subject, version)
           ON want.subject = sv.subject AND want.version = sv.version`,
        [level.map((r) => r.subject), level.map((r) => r.version)],
      );
      const next: SchemaReference[] = [];
      for (const row of rows) {
        const references = JSON.parse(row.referencesJson) as SchemaReference[];
        found.set(referenceKey(row.subject, row.version), { schema: row.canonical, references });
        for (const r of references)
          if (isInt32(r.version) && !seen.has(referenceKey(r.subject, r.version))) next.push(r);
      }
      level = next;
    }
    return found;
  }

  async subjectsWithSettings(globalKey: string): Promise<string[]> {
    const rows = await this.db.query<{ subject: string }>(
      'listing subject settings',
      'SELECT subject FROM configs WHERE subject <> $1 UNION SELECT subject FROM modes WHERE subject <> $1',
      [globalKey],
    );
    return rows.map((r) => r.subject);
  }

  private remember(record: SchemaRecord): void {
    this.schemas.set(record.id, record);
  }
}
