/**
 * Config and mode persistence of the PostgreSQL store: the per-scope settings a decision needs, and the
 * writes, each called inside the store's transaction (which holds the scope's lock) and announced.
 */
import type { Mode } from '../../registry/registry-api.js';
import type { ConfigRecord, ScopeSettings, ScopeState } from '../../registry/schema-store.js';
import { announce } from './change-feed.js';
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

export async function writeConfig(
  db: PgDatabase,
  subject: string | null,
  update: ConfigRecord,
  check: (state: ScopeState) => void,
): Promise<void> {
  check(await readScopeState(db, subject));
  await db.query(
    'writing config',
    `INSERT INTO configs (subject, compatibility, normalize) VALUES ($1, $2, $3)
     ON CONFLICT (subject) DO UPDATE SET
       compatibility = coalesce(excluded.compatibility, configs.compatibility),
       normalize = coalesce(excluded.normalize, configs.normalize)`,
    [subject ?? GLOBAL_SCOPE, update.compatibility, update.normalize],
  );
  await announce(db, 'config', subject);
}

/** Removes the config at this level and returns what was there. */
export async function removeConfig(
  db: PgDatabase,
  subject: string | null,
  check: (state: ScopeState) => void,
): Promise<ConfigRecord | undefined> {
  const state = await readScopeState(db, subject);
  check(state);
  await db.query('deleting config', 'DELETE FROM configs WHERE subject = $1', [subject ?? GLOBAL_SCOPE]);
  await announce(db, 'config', subject);
  return subject === null ? state.globalConfig : state.subjectConfig;
}

export async function writeMode(db: PgDatabase, subject: string | null, mode: Mode): Promise<void> {
  await db.query(
    'writing mode',
    'INSERT INTO modes (subject, mode) VALUES ($1, $2) ON CONFLICT (subject) DO UPDATE SET mode = excluded.mode',
    [subject ?? GLOBAL_SCOPE, mode],
  );
  await announce(db, 'mode', subject);
}

/** Removes the mode at this level (and with `recursive` on global, every subject's); returns the old one. */
export async function removeMode(
  db: PgDatabase,
  subject: string | null,
  recursive: boolean,
): Promise<Mode | undefined> {
  const [row] = await db.query<{ mode: Mode }>('reading mode', 'SELECT mode FROM modes WHERE subject = $1', [
    subject ?? GLOBAL_SCOPE,
  ]);
  await db.query('deleting mode', 'DELETE FROM modes WHERE subject = $1', [subject ?? GLOBAL_SCOPE]);
  if (recursive && subject === null) await db.query('deleting modes', 'DELETE FROM modes');
  await announce(db, 'mode', subject);
  return row?.mode;
}
