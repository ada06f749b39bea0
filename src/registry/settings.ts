/** Effective config and mode of a scope, and the mode rules (pure). */
import type { CompatibilityLevel } from '../avro/types.js';
import { DomainError } from '../errors.js';
import type { Mode } from './registry-api.js';
import type { ScopeSettings } from './schema-store.js';

/** Confluent prints the context in mode messages; everything here lives in the default context. */
const CONTEXT = '.';

/** Subject level, else global, else the server default. */
export function effectiveCompatibility(
  settings: ScopeSettings,
  fallback: CompatibilityLevel,
): CompatibilityLevel {
  return settings.subjectConfig?.compatibility ?? settings.globalConfig?.compatibility ?? fallback;
}

export function effectiveNormalize(settings: ScopeSettings): boolean {
  return settings.subjectConfig?.normalize ?? settings.globalConfig?.normalize ?? false;
}

/** A global READONLY_OVERRIDE trumps any subject mode (Confluent ≤ 7.x); otherwise subject, global, READWRITE. */
export function effectiveMode(settings: ScopeSettings): Mode {
  if (settings.globalMode === 'READONLY_OVERRIDE') return 'READONLY_OVERRIDE';
  return settings.subjectMode ?? settings.globalMode ?? 'READWRITE';
}

export function isReadOnly(mode: Mode): boolean {
  return mode === 'READONLY' || mode === 'READONLY_OVERRIDE';
}

export function readOnlyError(subject: string): DomainError {
  return new DomainError(
    'OPERATION_NOT_PERMITTED',
    `Subject ${subject} in context ${CONTEXT} is in read-only mode`,
  );
}

/** Deletes and config writes on a subject are refused while it is read-only. */
export function assertWritable(subject: string, settings: ScopeSettings): void {
  if (isReadOnly(effectiveMode(settings))) throw readOnlyError(subject);
}

/** Confluent `checkRegisterMode`: read-only first, then an explicit id needs IMPORT, no id needs READWRITE. */
export function assertRegisterMode(subject: string, settings: ScopeSettings, explicitId: boolean): Mode {
  const mode = effectiveMode(settings);
  if (isReadOnly(mode)) throw readOnlyError(subject);
  if (explicitId && mode !== 'IMPORT') {
    throw new DomainError(
      'OPERATION_NOT_PERMITTED',
      `Subject ${subject} in context ${CONTEXT} is not in import mode`,
    );
  }
  if (!explicitId && mode !== 'READWRITE') {
    throw new DomainError(
      'OPERATION_NOT_PERMITTED',
      `Subject ${subject} in context ${CONTEXT} is not in read-write mode`,
    );
  }
  return mode;
}

export function overwriteError(id: number): DomainError {
  return new DomainError(
    'OPERATION_NOT_PERMITTED',
    `Overwrite new schema with id ${id} in context ${CONTEXT} is not permitted.`,
  );
}
