/**
 * What one `checkReaderWriter` call carries through every evaluation path: Java's identity-keyed memo
 * of reader/writer pairs, the work budget, and the schema describer quoted by the one exception Java
 * throws (a reader field matching several writer fields through its aliases).
 */
import { DomainError } from '../errors.js';
import { fieldMap } from './compatibility-node-facts.js';
import { javaTypeName, type Res } from './compatibility-result.js';
import type { AvroNode, FieldNode, RecordNode } from './types.js';

// Budget units: one per compared pair, plus this for a pair that needs a generator frame (the slow path).
export const FRAME_COST = 3;

/** Java's exception for an ambiguous field alias; `checkReaderWriter` turns it into `exception`. */
export class AmbiguousFieldError extends Error {}

export class CheckState {
  // Keyed by node identity, like Java's ReaderWriter pair (System.identityHashCode + ==).
  private readonly memo = new Map<AvroNode, Map<AvroNode, Res>>();
  private work = 0;

  constructor(
    private readonly describe: (node: AvroNode) => string,
    private readonly maxWork: number,
  ) {}

  // Java's algorithm is quadratic on hostile input (two 1,000-branch unions of distinct records); a
  // budget turns that into a clear error instead of seconds of blocked event loop.
  spend(units: number): void {
    this.work += units;
    if (this.work > this.maxWork) {
      throw new DomainError(
        'SCHEMA_TOO_LARGE',
        `compatibility check exceeds the limit of ${this.maxWork} type comparisons`,
      );
    }
  }

  memoFor(reader: AvroNode): Map<AvroNode, Res> {
    let byWriter = this.memo.get(reader);
    if (byWriter === undefined) {
      byWriter = new Map();
      this.memo.set(reader, byWriter);
    }
    return byWriter;
  }

  /** Java's `lookupWriterField`: the direct match plus one per matching alias, not de-duplicated. */
  lookupWriterField(writer: RecordNode, readerField: FieldNode): FieldNode | undefined {
    const byName = fieldMap(writer);
    let found = byName.get(readerField.name);
    let hits = found === undefined ? 0 : 1;
    // Java keeps field aliases in a LinkedHashSet: a repeated alias counts once.
    const aliases = readerField.aliases.length > 1 ? new Set(readerField.aliases) : readerField.aliases;
    for (const alias of aliases) {
      const hit = byName.get(alias);
      if (hit !== undefined) {
        found = hit;
        hits++;
      }
    }
    if (hits <= 1) return found;
    throw new AmbiguousFieldError(
      `Reader record field ${readerField.name} type:${javaTypeName(readerField.type)} pos:${readerField.position}` +
        ` matches multiple fields in writer record schema ${this.describe(writer)}`,
    );
  }
}
