/**
 * A separate process registering the shared workload into one database file. Waits for the parent's
 * "go" so that both processes register at the same time.
 */
import { systemClock } from '../../src/clock.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import { openDatabase } from '../../src/storage/sqlite/database.js';
import { runMigrations } from '../../src/storage/sqlite/migrate.js';
import { SqliteSchemaStore } from '../../src/storage/sqlite/schema-store.js';
import { runWorkload } from './concurrency-workload.js';

const [path, seedText] = process.argv.slice(2);
const db = openDatabase(path!, { busyTimeoutMs: 30_000 });
// Both processes migrate the fresh file at once: each migration must still apply exactly once.
runMigrations(db);
let created = 0;
const registry = new RegistryService({
  store: new SqliteSchemaStore(db, { onSubjectWrite: (e) => void (e.kind === 'register' && created++) }),
  clock: systemClock,
  defaultCompatibility: 'NONE',
});

process.once('message', () => {
  runWorkload(registry, Number(seedText))
    .then((ids) => {
      db.close();
      process.send?.({ ok: true, ids, created }, () => process.exit(0));
    })
    .catch((e: unknown) => {
      process.send?.({ ok: false, error: String(e) }, () => process.exit(1));
    });
});
process.send?.('ready');
