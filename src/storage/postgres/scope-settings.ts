/** Config and mode reads of the PostgreSQL stores: the per-scope settings a decision needs. */
import type { Mode } from '../../registry/registry-api.js';
import type { ConfigRecord, ScopeSettings, ScopeState } from '../../registry/schema-store.js';
import type { PgDatabase } from './database.js';
import { toConfig } from './rows.js';

/** Key of the global row in `configs` and `modes` (an invalid subject name, so it cannot collide). */
export const GLOBAL_SCOPE = '__GLOBAL';

interface SettingRow {
  kind: 'config' | 'mode';
  subject: string;
  compatibility: string | null;
  normalize: boolean | null;
  mode: string | null;
}

export async function readSettings(db: PgDatabase, subject: string | null): Promise<ScopeSettings> {
  const keys = subject === null ? [GLOBAL_SCOPE] : [subject, GLOBAL_SCOPE];
  const rows = await db.query<SettingRow>(
    'reading settings',
    `SELECT 'config' AS kind, subject, compatibility, normalize, NULL AS mode FROM configs WHERE subject = ANY($1)
     UNION ALL
     SELECT 'mode' AS kind, subject, NULL, NULL, mode FROM modes WHERE subject = ANY($1)`,
    [keys],
  );
  const config = (key: string): ConfigRecord | undefined => {
    const row = rows.find((r) => r.kind === 'config' && r.subject === key);
    return row === undefined ? undefined : toConfig(row);
  };
  const mode = (key: string) =>
    rows.find((r) => r.kind === 'mode' && r.subject === key)?.mode as Mode | undefined;
  return {
    subjectConfig: subject === null ? undefined : config(subject),
    globalConfig: config(GLOBAL_SCOPE),
    subjectMode: subject === null ? undefined : mode(subject),
    globalMode: mode(GLOBAL_SCOPE),
  };
}

export async function readScopeState(db: PgDatabase, subject: string | null): Promise<ScopeState> {
  const live = await db.query(
    'reading a scope',
    subject === null
      ? 'SELECT 1 FROM subject_versions WHERE NOT deleted LIMIT 1'
      : 'SELECT 1 FROM subject_versions WHERE subject = $1 AND NOT deleted LIMIT 1',
    subject === null ? [] : [subject],
  );
  return { ...(await readSettings(db, subject)), hasLiveVersions: live.length > 0 };
}
