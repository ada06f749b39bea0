/**
 * Config and mode persistence for SqliteSchemaStore: the per-scope settings reads a decision needs, and
 * the config/mode writes, each check-then-write called inside the store's `BEGIN IMMEDIATE` transaction.
 */
import type { Mode } from '../../registry/registry-api.js';
import type { ConfigRecord, ScopeSettings, ScopeState } from '../../registry/schema-store.js';
import { type ConfigRow, type SqliteStatements, toConfig } from './statements.js';

/** Key of the global row in `configs` and `modes` (an invalid subject name, so it cannot collide). */
export const GLOBAL_SCOPE = '__GLOBAL';

export function readSettings(sql: SqliteStatements, subject: string | null): ScopeSettings {
  const config = (key: string) => {
    const row = sql.config.get(key);
    return row === undefined ? undefined : toConfig(row as ConfigRow);
  };
  const mode = (key: string) => (sql.mode.get(key) as { mode: Mode } | undefined)?.mode;
  return {
    subjectConfig: subject === null ? undefined : config(subject),
    globalConfig: config(GLOBAL_SCOPE),
    subjectMode: subject === null ? undefined : mode(subject),
    globalMode: mode(GLOBAL_SCOPE),
  };
}

export function readScopeState(sql: SqliteStatements, subject: string | null): ScopeState {
  const live = subject === null ? sql.anyLive.get() : sql.subjectLive.get(subject);
  return { ...readSettings(sql, subject), hasLiveVersions: live !== undefined };
}

export function listSubjectsWithSettings(sql: SqliteStatements): string[] {
  return (sql.subjectsWithSettings.all(GLOBAL_SCOPE, GLOBAL_SCOPE) as Array<{ subject: string }>).map(
    (r) => r.subject,
  );
}

/** Call inside the store's write transaction. */
export function writeConfig(
  sql: SqliteStatements,
  subject: string | null,
  update: ConfigRecord,
  check: (state: ScopeState) => void,
): void {
  check(readScopeState(sql, subject));
  sql.upsertConfig.run(
    subject ?? GLOBAL_SCOPE,
    update.compatibility,
    update.normalize === null ? null : Number(update.normalize),
  );
}

/** Call inside the store's write transaction. */
export function removeConfig(
  sql: SqliteStatements,
  subject: string | null,
  check: (state: ScopeState) => void,
): ConfigRecord | undefined {
  const state = readScopeState(sql, subject);
  check(state);
  sql.deleteConfig.run(subject ?? GLOBAL_SCOPE);
  return subject === null ? state.globalConfig : state.subjectConfig;
}

/** Call inside the store's write transaction. */
export function removeMode(
  sql: SqliteStatements,
  subject: string | null,
  recursive: boolean,
): Mode | undefined {
  const old = (sql.mode.get(subject ?? GLOBAL_SCOPE) as { mode: Mode } | undefined)?.mode;
  sql.deleteMode.run(subject ?? GLOBAL_SCOPE);
  if (recursive && subject === null) sql.deleteAllModes.run();
  return old;
}
