import type { SubjectSummaryPage, SubjectSummaryQuery } from '../../registry/schema-store.js';
import { type SubjectSummaryRow, toSubjectSummary } from '../rows.js';
import type { PgDatabase } from './database.js';

/** `translate` folds ASCII letters only, as SQLite's `lower()` does (PostgreSQL's would fold more). */
const FOLD = "translate(subject, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

const MATCHING = `
  SELECT subject, (count(*) FILTER (WHERE NOT deleted))::int AS live,
         (count(*) FILTER (WHERE deleted))::int AS deleted,
         max(version) FILTER (WHERE NOT deleted) AS latest
  FROM subject_versions
  WHERE starts_with(subject, $1) AND ($2::text IS NULL OR strpos(${FOLD}, $2) > 0)
  GROUP BY subject
  HAVING $3::boolean OR count(*) FILTER (WHERE NOT deleted) > 0`;

export async function subjectSummaries(
  db: PgDatabase,
  query: SubjectSummaryQuery,
): Promise<SubjectSummaryPage> {
  const needle =
    query.contains === undefined || query.contains === ''
      ? null
      : query.contains.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const filters = [query.prefix ?? '', needle, query.includeDeleted];
  const rows = await db.query<SubjectSummaryRow>(
    'listing subject summaries',
    `SELECT m.subject, m.live, m.deleted, m.latest, sv.schema_id AS "schemaId", sv.semver,
            sv.created_at AS "createdAt", c.compatibility, md.mode
     FROM (${MATCHING} ORDER BY subject COLLATE "C" LIMIT $4 OFFSET $5) m
     LEFT JOIN subject_versions sv ON sv.subject = m.subject AND sv.version = m.latest
     LEFT JOIN configs c ON c.subject = m.subject
     LEFT JOIN modes md ON md.subject = m.subject
     ORDER BY m.subject COLLATE "C"`,
    [...filters, query.limit, query.offset],
  );
  const [count] = await db.query<{ total: number }>(
    'counting subject summaries',
    `SELECT count(*)::int AS total FROM (${MATCHING}) m`,
    filters,
  );
  return {
    total: count?.total ?? 0,
    subjects: rows.map(toSubjectSummary),
  };
}
