/** Reference reads for SqliteSchemaStore: who references a subject's versions, and reference closures. */
import type { SchemaReference } from '../../avro/types.js';
import type { ReferenceTarget, Referrer } from '../../registry/schema-store.js';
import { referenceKey } from '../../registry/schema-store.js';
import { type SqliteStatements, toStoredVersion, type VersionRow } from './statements.js';

export function referrersOf(sql: SqliteStatements, subject: string): Map<number, Referrer[]> {
  const byVersion = new Map<number, Referrer[]>();
  const rows = sql.referrers.all(subject) as Array<{
    target: number;
    schemaId: number;
    subject: string;
    version: number;
    deleted: number;
  }>;
  for (const row of rows) {
    const list = byVersion.get(row.target) ?? [];
    list.push({
      schemaId: row.schemaId,
      subject: row.subject,
      version: row.version,
      deleted: row.deleted === 1,
    });
    byVersion.set(row.target, list);
  }
  return byVersion;
}

/** Breadth-first over reference targets (soft-deleted ones still resolve, as ids do). */
export function referenceClosure(
  sql: SqliteStatements,
  refs: readonly SchemaReference[],
): Map<string, ReferenceTarget> {
  const found = new Map<string, ReferenceTarget>();
  const queue = [...refs];
  const seen = new Set<string>();
  for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
    const key = referenceKey(ref.subject, ref.version);
    if (seen.has(key)) continue;
    seen.add(key);
    const row = sql.version.get(ref.subject, ref.version) as VersionRow | undefined;
    if (row === undefined) continue;
    const target = toStoredVersion(row);
    found.set(key, { schema: target.schema, references: target.references });
    queue.push(...target.references);
  }
  return found;
}
