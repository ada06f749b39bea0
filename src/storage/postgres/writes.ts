/**
 * Row writes of the PostgreSQL schema store that need no state of its own: the schema row of a new
 * content (its id from the sequence), the id sequence moved forward, and a subject's generation token.
 */
import type { PreparedSchema, RegisterOutcome } from '../../registry/schema-store.js';
import { newToken } from '../rows.js';
import type { PgDatabase } from './database.js';

/**
 * Inserts the schema row the outcome asks for, and returns the id the version must point at, or
 * undefined when another transaction committed this content (or took the id) first.
 */
export async function insertSchemaRow(
  db: PgDatabase,
  prepared: PreparedSchema,
  outcome: Extract<RegisterOutcome, { kind: 'create' }>,
  createdAt: number,
): Promise<number | undefined> {
  if (!outcome.insertSchema) return outcome.schemaId;
  // A new id comes from the sequence, never from "highest + 1": that would serialise every writer.
  let id = outcome.schemaId;
  if (prepared.requestedId === undefined) {
    const [row] = await db.query<{ id: number }>(
      'allocating a schema id',
      "SELECT nextval('schema_ids')::int AS id",
    );
    id = row!.id;
  }
  const inserted = await db.query<{ id: number }>(
    'inserting a schema',
    `INSERT INTO schemas (id, identity, schema_type, canonical, original, references_json, pcf, crc64, md5,
       sha256, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      id,
      prepared.identity,
      prepared.schemaType,
      prepared.canonical,
      prepared.original,
      JSON.stringify(prepared.references),
      prepared.pcf,
      prepared.crc64,
      prepared.md5,
      prepared.sha256,
      createdAt,
    ],
  );
  if (inserted.length === 0) return undefined;
  for (const [position, ref] of prepared.references.entries()) {
    await db.query(
      'inserting a reference',
      'INSERT INTO schema_references (schema_id, position, name, ref_subject, ref_version) VALUES ($1, $2, $3, $4, $5)',
      [id, position, ref.name, ref.subject, ref.version],
    );
  }
  if (prepared.requestedId !== undefined) await raiseSequence(db, id);
  return id;
}

/**
 * Moves the id sequence forward to at least `id` (IMPORT ids, the admin high-water mark), never
 * back. `setval` is not transactional: a sequence moved by a transaction that rolls back stays
 * moved, which only leaves a gap.
 */
export async function raiseSequence(db: PgDatabase, id: number): Promise<void> {
  await db.query(
    'raising the id sequence',
    `SELECT setval('schema_ids', $1::int)
     WHERE $1::int > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM schema_ids)`,
    [id],
  );
}

/** A new random generation token for the subject's versions (see PgReads.history). */
export async function touchSubject(db: PgDatabase, subject: string): Promise<void> {
  await db.query(
    'recording a subject change',
    `INSERT INTO subject_generations (subject, generation) VALUES ($1, $2)
     ON CONFLICT (subject) DO UPDATE SET generation = excluded.generation`,
    [subject, newToken()],
  );
}
