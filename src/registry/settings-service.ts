/**
 * Config and mode use cases (Confluent §5 "Config endpoints" and §7): the GET/PUT key asymmetry,
 * 40408/40409 for unset subject levels, `defaultToGlobal`, READONLY guarding config writes, and IMPORT
 * requiring an empty scope. Writes run their checks inside the store's transaction.
 */
import type { CompatibilityLevel } from '../avro/types.js';
import { DomainError } from '../errors.js';
import { subjectNotFound } from './delete-decision.js';
import type { ConfigUpdateView, ConfigView, Mode } from './registry-api.js';
import { parseConfigUpdate, parseModeUpdate } from './requests.js';
import type { ConfigRecord, SchemaStore, ScopeSettings } from './schema-store.js';
import { assertWritable, effectiveCompatibility, effectiveMode } from './settings.js';
import { assertValidSubject } from './subjects.js';

export class SettingsService {
  constructor(
    private readonly store: SchemaStore,
    private readonly defaultCompatibility: CompatibilityLevel,
  ) {}

  async getConfig(subject: string | null, opts: { defaultToGlobal?: boolean }): Promise<ConfigView> {
    const settings = await this.store.getSettings(subject);
    if (subject !== null && settings.subjectConfig === undefined && !opts.defaultToGlobal) {
      throw new DomainError(
        'SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED',
        `Subject '${subject}' does not have subject-level compatibility configured`,
      );
    }
    return this.configView(settings, subject === null ? settings.globalConfig : settings.subjectConfig);
  }

  async setConfig(subject: string | null, body: unknown): Promise<ConfigUpdateView> {
    const update = parseConfigUpdate(body);
    if (subject !== null) assertValidSubject(subject);
    await this.store.setConfig(subject, update, (state) => {
      if (subject !== null) assertWritable(subject, state);
    });
    const echo: ConfigUpdateView = {};
    if (update.compatibility !== null) echo.compatibility = update.compatibility;
    if (update.normalize !== null) echo.normalize = update.normalize;
    return echo;
  }

  async deleteConfig(subject: string | null): Promise<ConfigView> {
    let settings: ScopeSettings | undefined;
    const old = await this.store.deleteConfig(subject, (state) => {
      settings = state;
      if (subject === null) return;
      if (state.subjectConfig === undefined) throw subjectNotFound(subject);
      assertWritable(subject, state);
    });
    return this.configView(settings!, old);
  }

  async getMode(subject: string | null, opts: { defaultToGlobal?: boolean }): Promise<{ mode: Mode }> {
    const settings = await this.store.getSettings(subject);
    if (subject === null) return { mode: settings.globalMode ?? 'READWRITE' };
    if (settings.subjectMode !== undefined) return { mode: settings.subjectMode };
    if (opts.defaultToGlobal) return { mode: settings.globalMode ?? 'READWRITE' };
    throw new DomainError(
      'SUBJECT_LEVEL_MODE_NOT_CONFIGURED',
      `Subject '${subject}' does not have subject-level mode configured`,
    );
  }

  async setMode(subject: string | null, body: unknown, opts: { force?: boolean }): Promise<{ mode: Mode }> {
    const mode = parseModeUpdate(body, subject === null);
    if (subject !== null) assertValidSubject(subject);
    await this.store.setMode(subject, mode, (state) => {
      if (mode !== 'IMPORT' || effectiveMode(state) === 'IMPORT' || opts.force)
        return { clearSoftDeleted: false };
      if (state.hasLiveVersions) {
        throw new DomainError('OPERATION_NOT_PERMITTED', 'Cannot import since found existing subjects');
      }
      // Entering IMPORT on an empty scope drops soft-deleted leftovers so imported versions cannot clash.
      return { clearSoftDeleted: true };
    });
    return { mode };
  }

  async deleteMode(subject: string | null, opts: { recursive?: boolean }): Promise<{ mode: Mode }> {
    const old = await this.store.deleteMode(subject, opts.recursive === true);
    if (old !== undefined) return { mode: old };
    if (subject !== null && !opts.recursive) throw subjectNotFound(subject);
    const settings = await this.store.getSettings(null);
    return { mode: settings.globalMode ?? 'READWRITE' };
  }

  private configView(settings: ScopeSettings, own: ConfigRecord | undefined): ConfigView {
    const merged = { ...settings, subjectConfig: own };
    const view: ConfigView = {
      compatibilityLevel: effectiveCompatibility(merged, this.defaultCompatibility),
    };
    const normalize = own?.normalize ?? settings.globalConfig?.normalize ?? null;
    if (normalize !== null) view.normalize = normalize;
    return view;
  }
}
