/**
 * The subject summary page on PostgreSQL: the same answer as the SQLite query (sqlite/subject-summaries.ts)
 * — one grouped pass over `subject_versions` in byte order of the names, ASCII-only case folding for
 * `contains` — then the latest version and the subject-level settings joined for the page's rows only.
 */
import type { CompatibilityLevel } from '../../avro/types.js';
import type { Mode } from '../../registry/registry-api.js';
import type { SubjectSummaryPage, SubjectSummaryQuery } from '../../registry/schema-store.js';
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

interface SummaryRow {
  subject: string;
  live: number;
  deleted: number;
  latest: number | null;
  schemaId: number | null;
  semver: string | null;
  createdAt: number | null;
  compatibility: string | null;
  mode: string | null;
}

export async function subjectSummaries(
  db: PgDatabase,
  query: SubjectSummaryQuery,
): Promise<SubjectSummaryPage> {
  const needle =
    query.contains === undefined || query.contains === ''
      ? null
      : query.contains.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const filters = [query.prefix ?? '', needle, query.includeDeleted];
  const rows = await db.query<SummaryRow>(
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
    subjects: rows.map((row) => ({
      subject: row.subject,
      live: row.live,
      deleted: row.deleted,
      latest:
        row.latest === null || row.schemaId === null
          ? undefined
          : {
              version: row.latest,
              schemaId: row.schemaId,
              semver: row.semver ?? '',
              createdAt: row.createdAt ?? 0,
            },
      compatibility: row.compatibility as CompatibilityLevel | null,
      mode: row.mode as Mode | null,
    })),
  };
}
