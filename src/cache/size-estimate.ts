/**
 * Cheap estimates of the heap an entry keeps alive, for ByteLru. They read lengths only (never walk a
 * tree) and err high rather than low:
 *
 * - a string: 2 bytes per UTF-16 unit plus a header (V8 stores Latin-1 text in 1 byte per unit, so an
 *   ASCII schema text is counted about twice);
 * - a parsed schema (the Avro AST): `PARSED_BYTES_PER_CHAR` per character of the texts it was parsed from
 *   (its own and every referenced one). Measured on Node 20 (records of 100–5,000 named types, fixed,
 *   enums, nested records, unions, docs): 7–13 bytes of tree per character of text, plus up to 3.6 of
 *   per-node facts the compatibility checker memoises on the nodes (field maps, symbol sets) after a check;
 * - a plain object: a fixed overhead per object plus its strings.
 */

/** Bytes a parsed schema keeps per character of its text (see above; rounded up). */
export const PARSED_BYTES_PER_CHAR = 16;
/** Per object or array: header, hidden class share and a few slots. */
export const OBJECT_OVERHEAD = 64;

export function stringBytes(text: string): number {
  return 16 + 2 * text.length;
}

/** A 64-character hex digest (SHA-256, or a padded CRC/MD5) as a string. */
export const HASH_BYTES = stringBytes('0'.repeat(64));

/** A parsed schema from `textLength` characters of schema text (references included). */
export function parsedBytes(textLength: number): number {
  return OBJECT_OVERHEAD + PARSED_BYTES_PER_CHAR * textLength;
}

/** Schema references (`{name, subject, version}` each). */
export function referencesBytes(
  references: readonly { readonly name: string; readonly subject: string }[],
): number {
  let bytes = OBJECT_OVERHEAD;
  for (const r of references) bytes += OBJECT_OVERHEAD + stringBytes(r.name) + stringBytes(r.subject);
  return bytes;
}
