/**
 * The checker's result and location bookkeeping: Java's `SchemaCompatibilityResult` (verdict plus the
 * ordered list of incompatibilities, duplicates kept), its merge, and the location stack rendered as
 * `Incompatibility.getLocation()` renders it.
 */
import type { AvroNode, AvroTypeName, Incompatibility, IncompatibilityType } from './types.js';

/** Java `Schema.Type` name of a node (a logical type shows its underlying type). */
export function javaTypeName(node: AvroNode): AvroTypeName {
  return (node.kind === 'primitive' ? node.type : node.kind).toUpperCase() as AvroTypeName;
}

/** Renders a location stack the way `Incompatibility.getLocation()` does (JSON pointer, root dropped). */
export function renderLocation(tokens: readonly string[]): string {
  let s = '/';
  // tokens[0] is the root token "", which Java skips.
  for (let i = 1; i < tokens.length; i++) {
    if (i > 1) s += '/';
    s += tokens[i]!.replaceAll('~', '~0').replaceAll('/', '~1');
  }
  return s;
}

export const ROOT_TOKEN = '';

export interface Res {
  readonly ok: boolean;
  readonly list: readonly Incompatibility[];
}

export const COMPATIBLE: Res = Object.freeze({
  ok: true,
  list: Object.freeze([]) as readonly Incompatibility[],
});
/** Marker stored in the memo while a pair is being computed (Java's RECURSION_IN_PROGRESS). */
export const IN_PROGRESS: Res = Object.freeze({
  ok: true,
  list: Object.freeze([]) as readonly Incompatibility[],
});
/**
 * Marker for a reader-union trial known to fail whose details are computed only if the pair is met
 * again (see `deferredTrial`, compatibility-shallow.ts). Its `ok` is the trial's verdict.
 */
export const DEFERRED: Res = Object.freeze({
  ok: false,
  list: Object.freeze([]) as readonly Incompatibility[],
});

export function fail(type: IncompatibilityType, message: string, location: readonly string[]): Res {
  return { ok: false, list: [{ type, location: renderLocation(location), message }] };
}

export function merge(a: Res, b: Res): Res {
  if (b.list.length === 0) return a.ok && !b.ok ? { ok: false, list: a.list } : a;
  if (a.list.length === 0) return a.ok ? b : { ok: false, list: b.list };
  return { ok: a.ok && b.ok, list: [...a.list, ...b.list] };
}

/** Accumulates merged results in place: same outcome as repeated `mergedWith`, linear cost. */
export class Acc {
  ok = true;
  readonly list: Incompatibility[] = [];
  add(r: Res): void {
    if (!r.ok) this.ok = false;
    for (const inc of r.list) this.list.push(inc);
  }
  result(): Res {
    return this.ok && this.list.length === 0 ? COMPATIBLE : { ok: this.ok, list: this.list };
  }
}

export function missingBranch(writer: AvroNode, location: readonly string[]): Res {
  return fail('MISSING_UNION_BRANCH', `reader union lacking writer type: ${javaTypeName(writer)}`, location);
}

export function typeMismatch(reader: AvroNode, writer: AvroNode, location: readonly string[]): Res {
  return fail(
    'TYPE_MISMATCH',
    `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`,
    location,
  );
}
