/**
 * Fast path for record pairs whose field types are all record-free (the usual flat event record):
 * evaluated synchronously, in the general path's order, with the same memo entries and budget, but
 * without a generator frame. Also the deferred reader-union trials, which both paths share.
 */
import { checkNames, leaf, sameType, schemaNameEquals } from './compatibility-leaves.js';
import { isFlat, isMemoized, isNamed, isShallow } from './compatibility-node-facts.js';
import { direct } from './compatibility-plain.js';
import {
  Acc,
  COMPATIBLE,
  DEFERRED,
  fail,
  IN_PROGRESS,
  missingBranch,
  type Res,
  ROOT_TOKEN,
} from './compatibility-result.js';
import { type CheckState, FRAME_COST } from './compatibility-state.js';
import type { AvroNode, NamedNode, RecordNode } from './types.js';

/**
 * Two records whose field types are all record-free: `calc` and `fields` without a frame, in the
 * same order, with the same memo entries and budget. The record pair itself is memoised by `run`;
 * nothing below it can reach that entry (no record below), so it needs no IN_PROGRESS marker.
 * Undefined when the pair needs the general path.
 */
export function shallowRecords(
  st: CheckState,
  reader: AvroNode,
  writer: AvroNode,
  location: string[],
): Res | undefined {
  if (reader.kind !== 'record' || writer.kind !== 'record') return undefined;
  if (!isShallow(reader) || !isShallow(writer)) return undefined;
  // Two flat records never needed a frame; any other pair did, and paid for it.
  if (!isFlat(reader) || !isFlat(writer)) st.spend(FRAME_COST);
  const acc = new Acc();
  acc.add(checkNames(reader, writer, location));
  location.push('fields');
  for (const readerField of reader.fields) {
    location.push(String(readerField.position));
    const writerField = st.lookupWriterField(writer, readerField);
    if (writerField !== undefined) {
      const r = readerField.type;
      const w = writerField.type;
      acc.add(direct(st, 'type', r, w, location) ?? sync(st, 'type', r, w, location));
    } else if (!readerField.hasDefault) {
      const type = readerField.type;
      if (type.kind === 'enum' && type.default !== undefined) {
        // Java quirk (see `fields`, compatibility-frames.ts): the reader ENUM against the writer RECORD, a leaf pair.
        acc.add(sync(st, 'type', type, writer, location));
      } else {
        acc.add(fail('READER_FIELD_MISSING_DEFAULT_VALUE', readerField.name, location));
      }
    }
    location.pop();
  }
  location.pop();
  return acc.result();
}

/**
 * One `run` step for a pair below a shallow record pair (record-free, or a leaf), synchronously:
 * the same budget, memo reads and writes as `run`, then `syncCalc` in place of `calc`. Plain
 * recursion is safe: without a record below, the depth is bounded by the JSON's.
 */
function sync(st: CheckState, token: string, reader: AvroNode, writer: AvroNode, location: string[]): Res {
  location.push(token);
  st.spend(writer.kind === 'enum' ? 1 + writer.symbols.length : 1);
  const byWriter = isMemoized(reader, writer) ? st.memoFor(reader) : undefined;
  const hit = byWriter?.get(writer);
  if (hit !== undefined) {
    location.pop();
    return hit === IN_PROGRESS ? COMPATIBLE : hit === DEFERRED ? resume(st, reader, writer) : hit;
  }
  let res = leaf(reader, writer, location) ?? shallowRecords(st, reader, writer, location);
  if (res === undefined) {
    byWriter?.set(writer, IN_PROGRESS);
    st.spend(FRAME_COST);
    res = syncCalc(st, reader, writer, location);
  }
  byWriter?.set(writer, res);
  location.pop();
  return res;
}

// `calc` (compatibility-frames.ts) for record-free pairs, synchronously; keep the two in step.
function syncCalc(st: CheckState, reader: AvroNode, writer: AvroNode, location: string[]): Res {
  if (sameType(reader, writer)) {
    switch (reader.kind) {
      case 'array': {
        const items = (writer as typeof reader).items;
        return (
          direct(st, 'items', reader.items, items, location) ??
          sync(st, 'items', reader.items, items, location)
        );
      }
      case 'map': {
        const values = (writer as typeof reader).values;
        return (
          direct(st, 'values', reader.values, values, location) ??
          sync(st, 'values', reader.values, values, location)
        );
      }
      case 'union': {
        const acc = new Acc();
        const branches = (writer as typeof reader).branches;
        for (let i = 0; i < branches.length; i++) {
          const branch = branches[i]!;
          location.push(String(i));
          if (!sync(st, ROOT_TOKEN, reader, branch, []).ok) acc.add(missingBranch(branch, location));
          location.pop();
        }
        return acc.result();
      }
      default:
        throw new Error(`unexpected node kind ${reader.kind} below a shallow record`);
    }
  }
  if (writer.kind === 'union') {
    const acc = new Acc();
    for (let i = 0; i < writer.branches.length; i++) {
      const branch = writer.branches[i]!;
      acc.add(
        direct(st, String(i), reader, branch, location) ?? sync(st, String(i), reader, branch, location),
      );
    }
    return acc.result();
  }
  if (reader.kind === 'union') {
    for (const branch of reader.branches) {
      const res = deferredTrial(st, branch, writer) ?? sync(st, ROOT_TOKEN, branch, writer, []);
      if (res.ok) return COMPATIBLE;
    }
    return missingBranch(writer, location);
  }
  throw new Error('unreachable: leaf pair reached syncCalc');
}

/**
 * A reader-union trial of two named types of the same kind whose names do not match always fails.
 * When its evaluation is also pure (an enum or fixed pair, or two flat records without reader
 * field aliases, so no nested memo entry and no exception can come out of it), only the memo entry
 * Java would have left is observable, and only if the pair is met again: record it as DEFERRED and
 * compute it then (`resume`), on the fresh location stack the trial would have used. This keeps
 * unions of many records (quadratic in Java) cheap.
 */
export function deferredTrial(st: CheckState, reader: AvroNode, writer: AvroNode): Res | undefined {
  if (!isNamed(reader) || reader.kind !== writer.kind) return undefined;
  if (schemaNameEquals(reader as NamedNode, writer as NamedNode)) return undefined;
  if (reader.kind === 'record') {
    const w = writer as RecordNode;
    if (!isFlat(reader) || !isFlat(w) || reader.fields.some((f) => f.aliases.length > 0)) {
      return undefined;
    }
  }
  const row = st.memoFor(reader);
  if (row.has(writer)) return undefined; // already known: the general path reads the memo
  st.spend(1);
  row.set(writer, DEFERRED);
  return DEFERRED;
}

/** Computes a DEFERRED trial as Java did: at the root of a fresh location stack. */
export function resume(st: CheckState, reader: AvroNode, writer: AvroNode): Res {
  const location = [ROOT_TOKEN];
  const res = leaf(reader, writer, location) ?? shallowRecords(st, reader, writer, location)!;
  st.memoFor(reader).set(writer, res);
  return res;
}
