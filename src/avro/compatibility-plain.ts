/**
 * Fast path for the bulk of real schemas: a pair of two anonymous subtrees without named types
 * (e.g. `int` vs `long`, `["null","string"]` vs `"string"`) never touches the memo, cannot recurse and
 * is at most as deep as the JSON (the parser caps it at 64), so plain recursion evaluates it with the
 * same location push/pop and budget as the general path (`compatibility-frames.ts`).
 */
import { leaf, PROMOTIONS, sameType } from './compatibility-leaves.js';
import { isPlain } from './compatibility-node-facts.js';
import { Acc, COMPATIBLE, missingBranch, type Res } from './compatibility-result.js';
import type { CheckState } from './compatibility-state.js';
import type { AvroNode } from './types.js';

/** The pair evaluated on the plain path, or undefined when it needs another path. */
export function direct(
  st: CheckState,
  token: string,
  reader: AvroNode,
  writer: AvroNode,
  location: string[],
): Res | undefined {
  return isPlain(reader) && isPlain(writer) ? plain(st, token, reader, writer, location) : undefined;
}

function plain(st: CheckState, token: string, reader: AvroNode, writer: AvroNode, location: string[]): Res {
  location.push(token);
  st.spend(1);
  const res = leaf(reader, writer, location) ?? plainCalc(st, reader, writer, location);
  location.pop();
  return res;
}

// `calc` (compatibility-frames.ts) for plain anonymous pairs, synchronously; keep the two in step.
function plainCalc(st: CheckState, reader: AvroNode, writer: AvroNode, location: string[]): Res {
  if (reader.kind === 'array' && writer.kind === 'array')
    return plain(st, 'items', reader.items, writer.items, location);
  if (reader.kind === 'map' && writer.kind === 'map')
    return plain(st, 'values', reader.values, writer.values, location);
  if (reader.kind === 'union' && writer.kind === 'union') {
    const acc = new Acc();
    writer.branches.forEach((branch, i) => {
      if (plainOk(st, reader, branch)) return;
      location.push(String(i));
      acc.add(missingBranch(branch, location));
      location.pop();
    });
    return acc.result();
  }
  if (writer.kind === 'union') {
    const acc = new Acc();
    writer.branches.forEach((branch, i) => {
      acc.add(plain(st, String(i), reader, branch, location));
    });
    return acc.result();
  }
  if (reader.kind === 'union') {
    for (const branch of reader.branches) if (plainOk(st, branch, writer)) return COMPATIBLE;
    return missingBranch(writer, location);
  }
  throw new Error('unreachable: leaf pair reached plainCalc');
}

/**
 * The verdict alone of `plain(st, ROOT_TOKEN, reader, writer, [])`, for union trials that discard the
 * details: the same pairs visited in the same order (same budget), no location or message built.
 */
function plainOk(st: CheckState, reader: AvroNode, writer: AvroNode): boolean {
  st.spend(1);
  if (sameType(reader, writer)) {
    switch (reader.kind) {
      case 'primitive':
        return true;
      case 'array':
        return plainOk(st, reader.items, (writer as typeof reader).items);
      case 'map':
        return plainOk(st, reader.values, (writer as typeof reader).values);
      case 'union': {
        let ok = true;
        for (const branch of (writer as typeof reader).branches) if (!plainOk(st, reader, branch)) ok = false;
        return ok;
      }
      default:
        throw new Error(`unexpected node kind ${reader.kind} in a plain pair`);
    }
  }
  if (writer.kind === 'union') {
    let ok = true;
    for (const branch of writer.branches) if (!plainOk(st, reader, branch)) ok = false;
    return ok;
  }
  if (reader.kind === 'union') {
    for (const branch of reader.branches) if (plainOk(st, branch, writer)) return true;
    return false;
  }
  return (
    reader.kind === 'primitive' &&
    writer.kind === 'primitive' &&
    PROMOTIONS[reader.type]?.includes(writer.type) === true
  );
}
