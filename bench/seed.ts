/**
 * Bulk seeding straight into a database file (no server running): migrations, then every schema
 * prepared by the registry's own SchemaPreparer (so identity, canonical text and fingerprints are what
 * a registration would have stored) and inserted with the store's own statements in ONE transaction.
 * Registering 100,000 schemas over HTTP would take longer than the whole benchmark may.
 */
import { ManualClock } from '../src/clock.js';
import { SchemaPreparer } from '../src/registry/prepare-schema.js';
import { openDatabase } from '../src/storage/sqlite/database.js';
import { runMigrations } from '../src/storage/sqlite/migrate.js';
import { SqliteStatements } from '../src/storage/sqlite/statements.js';

export interface SeedSubject {
  readonly subject: string;
  /** How many versions (1..count), each a distinct schema. */
  readonly count: number;
  /** The schema text of version `n` (0-based). */
  readonly schema: (n: number) => string;
  /** Sets this compatibility level on the subject. */
  readonly compatibility?: string;
}

/** Seeds a new database file at `path`; returns the number of distinct schemas inserted. */
export function seedDatabase(path: string, subjects: readonly SeedSubject[]): number {
  const db = openDatabase(path);
  let inserted = 0;
  try {
    // synchronous=FULL fsyncs every commit; one big transaction makes that a single fsync anyway.
    runMigrations(db, { clock: new ManualClock() });
    const sql = new SqliteStatements(db);
    const preparer = new SchemaPreparer(undefined, { parsedBytes: 1, candidateBytes: 1 });
    const highWater = db.prepare("SELECT value FROM counters WHERE name = 'schema_id'").pluck();
    const setConfig = db.prepare(
      'INSERT OR REPLACE INTO configs (subject, compatibility, normalize) VALUES (?, ?, NULL)',
    );
    const now = Date.now();
    db.transaction(() => {
      let nextId = (highWater.get() as number) + 1;
      const ids = new Map<string, number>();
      for (const seed of subjects) {
        if (seed.compatibility !== undefined) setConfig.run(seed.subject, seed.compatibility);
        for (let n = 0; n < seed.count; n++) {
          const { prepared } = preparer.prepare({
            text: seed.schema(n),
            schemaType: 'AVRO',
            references: [],
            mode: 'strict',
            normalize: false,
            referenceTargets: new Map(),
          });
          // The same content under several subjects shares one id, as registration does.
          let id = ids.get(prepared.identity);
          if (id !== undefined) {
            sql.insertVersion.run(seed.subject, n + 1, id, `1.${n}.0`, now);
            continue;
          }
          id = nextId++;
          ids.set(prepared.identity, id);
          sql.insertSchema.run({
            id,
            identity: prepared.identity,
            schemaType: 'AVRO',
            canonical: prepared.canonical,
            original: prepared.original,
            referencesJson: '[]',
            pcf: prepared.pcf,
            crc64: prepared.crc64,
            md5: prepared.md5,
            sha256: prepared.sha256,
            createdAt: now,
          });
          // Labels of a chain of compatible additions: 1.0.0, 1.1.0, ...
          sql.insertVersion.run(seed.subject, n + 1, id, `1.${n}.0`, now);
          inserted++;
        }
      }
      sql.raiseHighWater.run(nextId - 1);
    })();
  } finally {
    db.close();
  }
  return inserted;
}
