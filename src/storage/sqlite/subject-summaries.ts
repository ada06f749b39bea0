import type { SubjectSummaryPage, SubjectSummaryQuery } from '../../registry/schema-store.js';
import { type SubjectSummaryRow, toSubjectSummary } from '../rows.js';
import type { SqliteDatabase } from './database.js';

type Statement = ReturnType<SqliteDatabase['prepare']>;

/** The filters shared by the page and the count (named parameters). */
const MATCHING = `
  SELECT subject, SUM(deleted = 0) AS live, SUM(deleted = 1) AS deleted,
         MAX(CASE WHEN deleted = 0 THEN version END) AS latest
  FROM subject_versions
  WHERE subject >= @low AND (@high IS NULL OR subject < @high)
    AND (@needle IS NULL OR instr(lower(subject), @needle) > 0)
  GROUP BY subject
  HAVING @includeDeleted = 1 OR SUM(deleted = 0) > 0`;

/**
 * The smallest string greater than every string starting with `prefix` (SQLite compares TEXT as UTF-8
 * bytes, which orders like code points): the last code point incremented, dropping trailing U+10FFFF.
 * Undefined when no such bound exists (the prefix is empty or all U+10FFFF): then only `>=` applies.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate range: those code points cannot appear in a valid UTF-8 string.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** Lower-cases ASCII letters only, exactly as SQLite's built-in `lower()` does. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export class SubjectSummaryQueries {
  private readonly page: Statement;
  private readonly count: Statement;

  constructor(db: SqliteDatabase) {
    this.page = db.prepare(
      `SELECT m.subject, m.live, m.deleted, m.latest, sv.schema_id AS schemaId, sv.semver,
              sv.created_at AS createdAt, c.compatibility, md.mode
       FROM (${MATCHING} ORDER BY subject LIMIT @limit OFFSET @offset) m
       LEFT JOIN subject_versions sv ON sv.subject = m.subject AND sv.version = m.latest
       LEFT JOIN configs c ON c.subject = m.subject
       LEFT JOIN modes md ON md.subject = m.subject
       ORDER BY m.subject`,
    );
    this.count = db.prepare(`SELECT count(*) FROM (${MATCHING})`).pluck();
  }

  /**
   * Runs both statements back to back (synchronously, so no write of this process comes between them;
   * another process's commit could, which at worst makes the total one off for that answer).
   */
  run(query: SubjectSummaryQuery): SubjectSummaryPage {
    const prefix = query.prefix ?? '';
    const params = {
      low: prefix,
      high: prefixUpperBound(prefix) ?? null,
      needle: query.contains === undefined || query.contains === '' ? null : asciiLower(query.contains),
      includeDeleted: query.includeDeleted ? 1 : 0,
    };
    const rows = this.page.all({
      ...params,
      limit: query.limit,
      offset: query.offset,
    }) as SubjectSummaryRow[];
    const total = this.count.get(params) as number;
    return { total, subjects: rows.map(toSubjectSummary) };
  }
}
