/**
 * Reading schema files for the toolchain: every failure (missing file, bad JSON, invalid Avro) becomes a
 * one-line DomainError that names the file, with the line and column when the JSON reader knows them.
 */
import { readFileSync } from 'node:fs';
import { canonicalString, parseSchema, schemaFingerprints } from '../avro/index.js';
import type { ParsedSchema, ParseMode } from '../avro/types.js';
import { DomainError, isDomainError } from '../errors.js';
import type { SchemaDigest } from './codegen/model.js';

export interface SchemaFile {
  /** As shown to the user (relative to the working directory or the sync root). */
  readonly name: string;
  readonly text: string;
  readonly parsed: ParsedSchema;
}

export function readText(path: string, name: string): string {
  return readBytes(path, name).toString('utf8');
}

export function readBytes(path: string, name: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DomainError('BAD_REQUEST', `${name}: file not found`);
    if (code === 'EISDIR') throw new DomainError('BAD_REQUEST', `${name}: is a directory, not a schema file`);
    throw new DomainError('BAD_REQUEST', `${name}: cannot read: ${(err as Error).message}`);
  }
}

/**
 * Strict for schemas being introduced (what a registry would accept now), lenient for previous versions
 * (what it already stores must stay readable).
 */
export function parseSchemaText(text: string, name: string, mode: ParseMode): ParsedSchema {
  try {
    return parseSchema(text, { mode });
  } catch (err) {
    if (isDomainError(err)) {
      throw new DomainError(
        err.code === 'SCHEMA_TOO_LARGE' ? err.code : 'INVALID_SCHEMA',
        `${name}: ${err.message}`,
      );
    }
    throw err;
  }
}

export function readSchemaFile(path: string, name: string, mode: ParseMode): SchemaFile {
  const text = readText(path, name);
  return { name, text, parsed: parseSchemaText(text, name, mode) };
}

/** Canonical text, Parsing Canonical Form and its fingerprints: what generated files and checks key on. */
export function digestOf(parsed: ParsedSchema): SchemaDigest {
  const fp = schemaFingerprints(parsed);
  return { canonical: canonicalString(parsed), pcf: fp.pcf, crc64: fp.crc64Hex, sha256: fp.sha256 };
}
