/** The history a decision reads inside SqliteSchemaStore's write transaction, with its schema memo. */
import type { StoredVersion } from '../../registry/schema-store.js';
import {
  type SchemaMeta,
  type SqliteStatements,
  toLazyStoredVersion,
  toLazyVersion,
  toSchemaMeta,
  type VersionMetaRow,
  type VersionOnlyRow,
} from './statements.js';

/** Schema ids whose immutable columns `lockedHistory` keeps (~0.4 KB each). */
const SCHEMA_META_CAPACITY = 50_000;
/** Up to this many unknown ids are read one by one rather than by re-reading the whole history. */
const SCHEMA_META_POINT_READS = 16;

export class LockedHistoryReader {
  /** Immutable schema columns by id. */
  private readonly schemaMetas = new Map<number, SchemaMeta>();

  constructor(private readonly sql: SqliteStatements) {}

  /**
   * The history for a decision inside a transaction: texts are loaded only if the decision reads them.
   * Only the subject-version columns are read each time; the schema columns come from a memo by id
   * (schema rows are insert-only, and only committed rows reach the memo: it is filled before this
   * transaction writes anything), which saves most of the read on a long history.
   */
  read(subject: string): StoredVersion[] {
    const load = (schemaId: number) =>
      this.sql.schemaTexts.get(schemaId) as { canonical: string; pcf: string };
    const rows = this.sql.historyVersions.all(subject) as VersionOnlyRow[];
    const missing = rows.filter((row) => !this.schemaMetas.has(row.schemaId));
    if (missing.length > SCHEMA_META_POINT_READS) {
      // A cold (or larger than the memo) history: one joined read of the whole history.
      const metaRows = this.sql.historyMeta.all(subject) as VersionMetaRow[];
      if (this.schemaMetas.size + missing.length > SCHEMA_META_CAPACITY) this.schemaMetas.clear();
      if (missing.length > SCHEMA_META_CAPACITY) return metaRows.map((row) => toLazyStoredVersion(row, load));
      for (const row of metaRows) this.schemaMetas.set(row.schemaId, toSchemaMeta(row));
    } else {
      // Usually the one version the previous registration added.
      for (const row of missing) {
        const meta = this.sql.schemaMeta.get(row.schemaId) as VersionMetaRow;
        if (this.schemaMetas.size >= SCHEMA_META_CAPACITY) this.schemaMetas.clear();
        this.schemaMetas.set(row.schemaId, toSchemaMeta(meta));
      }
    }
    return rows.map((row) => toLazyVersion(subject, row, this.schemaMetas.get(row.schemaId)!, load));
  }
}
