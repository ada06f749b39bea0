/**
 * A port of Java Avro 1.12.1 `SchemaCompatibility` (reader/writer resolution check), quirks included,
 * so that verdicts, messages, locations, order and duplicates match Confluent Schema Registry byte for
 * byte. See /work/shared/reference/avro-compatibility.md §1 for every rule reproduced here.
 *
 * This file is the public entry point. The port is spread along its seams:
 * - compatibility-frames.ts: the general path, Java's recursion on an explicit frame stack;
 * - compatibility-plain.ts, compatibility-shallow.ts: fast paths for pairs without named types and
 *   for records without nested records (plus the deferred union trials), in the general path's order;
 * - compatibility-leaves.ts: pairs decided without a sub-call (primitives, enums, fixed, names);
 * - compatibility-state.ts: the per-check memo, work budget and field lookup;
 * - compatibility-result.ts: results, merging and locations; compatibility-node-facts.ts: per-node facts.
 */
import { canonicalString } from './canonical.js';
import { run } from './compatibility-frames.js';
import { COMPATIBLE, ROOT_TOKEN } from './compatibility-result.js';
import { AmbiguousFieldError, CheckState } from './compatibility-state.js';
import type { AvroNode, CompatibilityResult } from './types.js';

export { schemaNameEquals } from './compatibility-leaves.js';
export { javaTypeName, renderLocation } from './compatibility-result.js';

export interface CheckOptions {
  /**
   * Renders a schema the way Java `Schema.toString()` does; only used for the message of the
   * ambiguous-field-alias exception (it quotes the writer record). Defaults to `canonicalString`.
   */
  readonly describeSchema?: (node: AvroNode) => string;
  /**
   * Work budget: type pairs compared (plus writer enum symbols scanned). Exceeding it throws
   * DomainError('SCHEMA_TOO_LARGE'); real schemas stay orders of magnitude below the default.
   */
  readonly maxComparisons?: number;
}

export const DEFAULT_MAX_COMPARISONS = 2_000_000;

/** The (most common) compatible verdict, shared: results are read-only and callers keep many. */
const COMPATIBLE_RESULT: CompatibilityResult = Object.freeze({
  compatible: true,
  incompatibilities: COMPATIBLE.list,
});

/**
 * Checks whether data written with `writer` can be read with `reader`, exactly as Java
 * `SchemaCompatibility.checkReaderWriterCompatibility` does. When Java would throw (a reader field
 * matching several writer fields through its aliases) the result is incompatible with `exception` set
 * to Java's exception message and no incompatibilities.
 */
export function checkReaderWriter(
  reader: AvroNode,
  writer: AvroNode,
  options: CheckOptions = {},
): CompatibilityResult {
  const state = new CheckState(
    options.describeSchema ?? canonicalString,
    options.maxComparisons ?? DEFAULT_MAX_COMPARISONS,
  );
  try {
    const res = run(state, { token: ROOT_TOKEN, reader, writer, location: [] });
    if (res.ok && res.list.length === 0) return COMPATIBLE_RESULT;
    return { compatible: res.ok, incompatibilities: res.list };
  } catch (err) {
    if (err instanceof AmbiguousFieldError) {
      return { compatible: false, incompatibilities: [], exception: err.message };
    }
    throw err;
  }
}
