/**
 * The general path: Java's recursive `getCompatibility`, written as generators driven by an explicit
 * frame stack so that a hostile schema (e.g. a 10,000-long chain of named types) cannot overflow the
 * JS stack. Each `yield call(...)` is Java's `getCompatibility(...)` and receives its result. Pairs a
 * fast path can decide (`leaf`, `direct`, `shallowRecords`, `deferredTrial`) never get a frame.
 */
import { checkNames, leaf, sameType } from './compatibility-leaves.js';
import { isMemoized } from './compatibility-node-facts.js';
import { direct } from './compatibility-plain.js';
import {
  Acc,
  COMPATIBLE,
  DEFERRED,
  fail,
  IN_PROGRESS,
  merge,
  missingBranch,
  type Res,
  ROOT_TOKEN,
} from './compatibility-result.js';
import { deferredTrial, resume, shallowRecords } from './compatibility-shallow.js';
import { type CheckState, FRAME_COST } from './compatibility-state.js';
import type { AvroNode, RecordNode } from './types.js';

export interface Call {
  readonly token: string;
  readonly reader: AvroNode;
  readonly writer: AvroNode;
  /** The location stack this call pushes its token onto; a fresh `[]` is Java's 2-arg entry. */
  readonly location: string[];
}

// A generator frame: yields the sub-calls it needs and receives their results.
interface Task extends Generator<Call, Res, Res> {}

interface Frame {
  readonly task: Task;
  readonly call: Call;
  /** The memo row the result goes to, or undefined for a pair that is never memoised. */
  readonly memo: Map<AvroNode, Res> | undefined;
}

function call(token: string, reader: AvroNode, writer: AvroNode, location: string[]): Call {
  return { token, reader, writer, location };
}

/** Java's 4-arg `getCompatibility`, with the recursion replaced by an explicit frame stack. */
export function run(st: CheckState, first: Call): Res {
  const frames: Frame[] = [];
  let pending: Call | undefined = first;
  let input: Res = COMPATIBLE;
  for (;;) {
    if (pending !== undefined) {
      const c: Call = pending;
      pending = undefined;
      c.location.push(c.token);
      st.spend(c.writer.kind === 'enum' ? 1 + c.writer.symbols.length : 1);
      const byWriter = isMemoized(c.reader, c.writer) ? st.memoFor(c.reader) : undefined;
      const hit = byWriter?.get(c.writer);
      if (hit !== undefined) {
        c.location.pop();
        // A pair still on the stack is assumed compatible: that is how recursion terminates.
        input = hit === IN_PROGRESS ? COMPATIBLE : hit === DEFERRED ? resume(st, c.reader, c.writer) : hit;
        if (frames.length === 0) return input;
      } else {
        const leafRes =
          leaf(c.reader, c.writer, c.location) ?? shallowRecords(st, c.reader, c.writer, c.location);
        if (leafRes !== undefined) {
          byWriter?.set(c.writer, leafRes);
          c.location.pop();
          input = leafRes;
          if (frames.length === 0) return input;
        } else {
          byWriter?.set(c.writer, IN_PROGRESS);
          st.spend(FRAME_COST);
          frames.push({ task: calc(st, c.reader, c.writer, c.location), call: c, memo: byWriter });
          input = COMPATIBLE; // the first next() argument is ignored by generators
        }
      }
    }
    const top = frames[frames.length - 1]!;
    const step = top.task.next(input);
    if (step.done) {
      frames.pop();
      top.memo?.set(top.call.writer, step.value);
      top.call.location.pop();
      if (frames.length === 0) return step.value;
      input = step.value;
    } else {
      pending = step.value;
    }
  }
}

function* calc(st: CheckState, reader: AvroNode, writer: AvroNode, location: string[]): Task {
  if (sameType(reader, writer)) {
    switch (reader.kind) {
      case 'array': {
        const items = (writer as typeof reader).items;
        return (
          direct(st, 'items', reader.items, items, location) ??
          (yield call('items', reader.items, items, location))
        );
      }
      case 'map': {
        const values = (writer as typeof reader).values;
        return (
          direct(st, 'values', reader.values, values, location) ??
          (yield call('values', reader.values, values, location))
        );
      }
      case 'record': {
        const names = checkNames(reader, writer as RecordNode, location);
        return merge(names, yield* fields(st, reader, writer as RecordNode, location));
      }
      case 'union': {
        const acc = new Acc();
        const branches = (writer as typeof reader).branches;
        for (let i = 0; i < branches.length; i++) {
          const branch = branches[i]!;
          location.push(String(i));
          // Fresh location stack (Java's 2-arg call); the nested reasons are dropped on purpose.
          const res: Res = yield call(ROOT_TOKEN, reader, branch, []);
          if (!res.ok) acc.add(missingBranch(branch, location));
          location.pop();
        }
        return acc.result();
      }
      default:
        throw new Error(`unexpected node kind ${reader.kind}`);
    }
  }
  if (writer.kind === 'union') {
    // Avro 1.12 (AVRO-3612): nested reasons kept, located under the writer branch index.
    const acc = new Acc();
    for (let i = 0; i < writer.branches.length; i++) {
      const branch = writer.branches[i]!;
      acc.add(
        direct(st, String(i), reader, branch, location) ?? (yield call(String(i), reader, branch, location)),
      );
    }
    return acc.result();
  }
  if (reader.kind === 'union') {
    for (const branch of reader.branches) {
      const res: Res = deferredTrial(st, branch, writer) ?? (yield call(ROOT_TOKEN, branch, writer, []));
      if (res.ok) return COMPATIBLE;
    }
    return missingBranch(writer, location);
  }
  throw new Error('unreachable: leaf pair reached calc');
}

function* fields(
  st: CheckState,
  reader: RecordNode,
  writer: RecordNode,
  location: string[],
): Generator<Call, Res, Res> {
  const acc = new Acc();
  location.push('fields');
  for (const readerField of reader.fields) {
    location.push(String(readerField.position));
    const writerField = st.lookupWriterField(writer, readerField);
    if (writerField === undefined) {
      if (!readerField.hasDefault) {
        const type = readerField.type;
        if (type.kind === 'enum' && type.default !== undefined) {
          // Java quirk: checks the reader ENUM against the writer RECORD itself -> TYPE_MISMATCH.
          acc.add(yield call('type', type, writer, location));
        } else {
          acc.add(fail('READER_FIELD_MISSING_DEFAULT_VALUE', readerField.name, location));
        }
      }
    } else {
      const r = readerField.type;
      const w = writerField.type;
      acc.add(direct(st, 'type', r, w, location) ?? (yield call('type', r, w, location)));
    }
    location.pop();
  }
  location.pop();
  return acc.result();
}
