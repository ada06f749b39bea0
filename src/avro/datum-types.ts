/**
 * The shapes `validateDatum` takes and returns. They sit apart from `datum.ts` so the recursive walk in
 * `datum-validator.ts` can name them without importing its own caller (no import cycle).
 */
import type { AutoGenerator } from './autogen.js';

export interface DatumError {
  /** JSON pointer of the offending value ('' is the datum itself). */
  readonly path: string;
  readonly message: string;
}

export interface DatumOptions {
  /** Fill absent fields (auto-generated, then default, then null when optional). Default true. */
  readonly applyDefaults?: boolean;
  /** Mints `proximadb.autogen` values; null turns auto-generation off. Default: a process-wide one. */
  readonly generator?: AutoGenerator | null;
  readonly output?: 'json' | 'avsc';
  /** Keys a record does not declare: an error (default) or dropped from the output. */
  readonly unknownFields?: 'error' | 'ignore';
  /** Stop after this many errors (default 100) so a wrong 1536-float vector does not flood the answer. */
  readonly maxErrors?: number;
  /** Deepest nesting accepted (default 500), well under what the JS stack allows. */
  readonly maxDepth?: number;
}

export type DatumResult =
  | { readonly valid: true; readonly datum: unknown }
  | { readonly valid: false; readonly errors: readonly DatumError[] };
