/** The history a decision reads inside SqliteSchemaStore's write transaction, with its schema memo. */
import { ByteLru } from '../../cache/byte-lru.js';
import { cacheBudget } from '../../cache/cache-budget.js';
import { OBJECT_OVERHEAD, referencesBytes, stringBytes } from '../../cache/size-estimate.js';
import type { StoredVersion } from '../../registry/schema-store.js';
import {
  type SchemaMeta,
  type SqliteStatements,
  toLazyVersion,
  toSchemaMeta,
  type VersionMetaRow,
  type VersionOnlyRow,
} from './statements.js';

/** Up to this many unknown ids are read one by one rather than by re-reading the whole history. */
const SCHEMA_META_POINT_READS = 16;

function metaBytes(meta: SchemaMeta): number {
  return (
    OBJECT_OVERHEAD * 2 +
    stringBytes(meta.schemaType) +
    stringBytes(meta.identity) +
    stringBytes(meta.crc64) +
    stringBytes(meta.md5) +
    stringBytes(meta.sha256) +
    referencesBytes(meta.references)
  );
}

export class LockedHistoryReader {
  /** Immutable schema columns by id (about 0.7 KB each without references), bounded by bytes. */
  private readonly schemaMetas: ByteLru<number, SchemaMeta>;

  constructor(
    private readonly sql: SqliteStatements,
    maxBytes: number = cacheBudget().storageMeta,
  ) {
    this.schemaMetas = new ByteLru({ maxBytes, sizeOf: metaBytes });
  }

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
    // This read's metadata: the memo may evict some of it while the rest is being added.
    const metas = new Map<number, SchemaMeta>();
    const missing: VersionOnlyRow[] = [];
    for (const row of rows) {
      const meta = this.schemaMetas.get(row.schemaId);
      if (meta === undefined) missing.push(row);
      else metas.set(row.schemaId, meta);
    }
    const remember = (schemaId: number, meta: SchemaMeta) => {
      metas.set(schemaId, meta);
      this.schemaMetas.set(schemaId, meta);
    };
    if (missing.length > SCHEMA_META_POINT_READS) {
      // A cold (or larger than the memo) history: one joined read of the whole history.
      for (const row of this.sql.historyMeta.all(subject) as VersionMetaRow[]) {
        if (!metas.has(row.schemaId)) remember(row.schemaId, toSchemaMeta(row));
      }
    } else {
      // Usually the one version the previous registration added.
      for (const row of missing) {
        if (metas.has(row.schemaId)) continue;
        remember(row.schemaId, toSchemaMeta(this.sql.schemaMeta.get(row.schemaId) as VersionMetaRow));
      }
    }
    return rows.map((row) => toLazyVersion(subject, row, metas.get(row.schemaId)!, load));
  }
}
