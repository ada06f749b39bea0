/** Test fixture: a registry service over a fresh in-memory SQLite database. */
import type { CompatibilityLevel, ParseLimits } from '../../src/avro/types.js';
import { ManualClock } from '../../src/clock.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import type { SubjectWriteEvent } from '../../src/registry/schema-store.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/sqlite/database.js';
import { runMigrations } from '../../src/storage/sqlite/migrate.js';
import { SqliteSchemaStore } from '../../src/storage/sqlite/schema-store.js';

export interface TestRegistry {
  readonly registry: RegistryService;
  readonly store: SqliteSchemaStore;
  readonly db: SqliteDatabase;
  readonly clock: ManualClock;
  readonly events: SubjectWriteEvent[];
}

export function newRegistry(
  options: { defaultCompatibility?: CompatibilityLevel; path?: string; limits?: Partial<ParseLimits> } = {},
): TestRegistry {
  const db = openDatabase(options.path ?? ':memory:');
  runMigrations(db);
  const clock = new ManualClock();
  const events: SubjectWriteEvent[] = [];
  const store = new SqliteSchemaStore(db, {
    clock,
    onSubjectWrite: (e) => {
      events.push(e);
    },
  });
  const registry = new RegistryService({
    store,
    clock,
    defaultCompatibility: options.defaultCompatibility ?? 'BACKWARD',
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  return { registry, store, db, clock, events };
}

/** A record schema text with the given string fields (no defaults unless listed in `defaults`). */
export function record(name: string, fields: string[], defaults: Record<string, string> = {}): string {
  return JSON.stringify({
    type: 'record',
    name,
    fields: fields.map((f) =>
      f in defaults ? { name: f, type: 'string', default: defaults[f] } : { name: f, type: 'string' },
    ),
  });
}

/** Awaits a promise expected to reject with a DomainError and returns it. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; errorCode: number }> {
  try {
    await promise;
  } catch (e) {
    return e as { code: string; message: string; errorCode: number };
  }
  throw new Error('expected the call to fail');
}
