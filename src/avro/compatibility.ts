/**
 * A port of Java Avro 1.12.1 `SchemaCompatibility` (reader/writer resolution check), quirks included,
 * so that verdicts, messages, locations, order and duplicates match Confluent Schema Registry byte for
 * byte. See /work/shared/reference/avro-compatibility.md §1 for every rule reproduced here.
 *
 * Java recurses; a hostile schema (e.g. a 10,000-long chain of named types) would overflow the JS
 * stack, so the recursive code is written as generators driven by an explicit frame stack: each
 * `yield call(...)` is Java's `getCompatibility(...)` and receives its result.
 */
import { DomainError } from '../errors.js';
import { canonicalString } from './canonical.js';
import type {
  AvroNode,
  AvroTypeName,
  CompatibilityResult,
  EnumNode,
  FieldNode,
  FixedNode,
  Incompatibility,
  IncompatibilityType,
  NamedNode,
  RecordNode,
  UnionNode,
} from './types.js';

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

/** Java `Schema.Type` name of a node (a logical type shows its underlying type). */
export function javaTypeName(node: AvroNode): AvroTypeName {
  return (node.kind === 'primitive' ? node.type : node.kind).toUpperCase() as AvroTypeName;
}

/** Java's `schemaNameEquals`: simple names equal, or a reader alias (fully qualified) names the writer. */
export function schemaNameEquals(reader: NamedNode, writer: NamedNode): boolean {
  return reader.name === writer.name || reader.aliases.includes(writer.fullName);
}

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
  const checker = new Checker(
    options.describeSchema ?? canonicalString,
    options.maxComparisons ?? DEFAULT_MAX_COMPARISONS,
  );
  try {
    const res = checker.run({ token: ROOT_TOKEN, reader, writer, location: [] });
    if (res.ok && res.list.length === 0) return COMPATIBLE_RESULT;
    return { compatible: res.ok, incompatibilities: res.list };
  } catch (err) {
    if (err instanceof AmbiguousFieldError) {
      return { compatible: false, incompatibilities: [], exception: err.message };
    }
    throw err;
  }
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

const ROOT_TOKEN = '';

interface Res {
  readonly ok: boolean;
  readonly list: readonly Incompatibility[];
}

const COMPATIBLE: Res = Object.freeze({ ok: true, list: Object.freeze([]) as readonly Incompatibility[] });
/** Marker stored in the memo while a pair is being computed (Java's RECURSION_IN_PROGRESS). */
const IN_PROGRESS: Res = Object.freeze({ ok: true, list: Object.freeze([]) as readonly Incompatibility[] });
/**
 * Marker for a reader-union trial known to fail whose details are computed only if the pair is met
 * again (see `deferredTrial`). Its `ok` is the trial's verdict.
 */
const DEFERRED: Res = Object.freeze({ ok: false, list: Object.freeze([]) as readonly Incompatibility[] });

/** The (most common) compatible verdict, shared: results are read-only and callers keep many. */
const COMPATIBLE_RESULT: CompatibilityResult = Object.freeze({
  compatible: true,
  incompatibilities: COMPATIBLE.list,
});

// Budget units: one per compared pair, plus this for a pair that needs a generator frame (the slow path).
const FRAME_COST = 3;

interface Call {
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

class AmbiguousFieldError extends Error {}

function call(token: string, reader: AvroNode, writer: AvroNode, location: string[]): Call {
  return { token, reader, writer, location };
}

function fail(type: IncompatibilityType, message: string, location: readonly string[]): Res {
  return { ok: false, list: [{ type, location: renderLocation(location), message }] };
}

function merge(a: Res, b: Res): Res {
  if (b.list.length === 0) return a.ok && !b.ok ? { ok: false, list: a.list } : a;
  if (a.list.length === 0) return a.ok ? b : { ok: false, list: b.list };
  return { ok: a.ok && b.ok, list: [...a.list, ...b.list] };
}

/** Accumulates merged results in place: same outcome as repeated `mergedWith`, linear cost. */
class Acc {
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

// Writer type names each reader primitive accepts besides its own (Java's promotion switch).
const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

/**
 * Whether a pair goes through the memo. Java memoises every pair, but a pair of two anonymous nodes
 * (primitive, array, map, union: one object per occurrence) can only be requested while evaluating its
 * parent pair, which is itself evaluated once (memoised named pair, or the root), and each evaluation
 * requests a child pair once; so such a memo entry is never read back and skipping it changes
 * nothing observable while saving most of the work on wide schemas.
 */
function isMemoized(reader: AvroNode, writer: AvroNode): boolean {
  return isNamed(reader) || isNamed(writer);
}

function isNamed(node: AvroNode): boolean {
  return node.kind === 'record' || node.kind === 'enum' || node.kind === 'fixed';
}

/*
 * Facts derived from a node alone, shared by every check: nodes are immutable once parsed, and a
 * registration against a long history checks the same stored nodes again and again.
 */
const plainNodes = new WeakMap<AvroNode, boolean>();
const recordFreeNodes = new WeakMap<AvroNode, boolean>();
const flatRecords = new WeakMap<RecordNode, boolean>();
const shallowRecords = new WeakMap<RecordNode, boolean>();
const fieldMaps = new WeakMap<RecordNode, Map<string, FieldNode>>();
const symbolSets = new WeakMap<EnumNode, ReadonlySet<string>>();

/** The fact `compute` derives from `key`, computed once per node (module-level functions: no closures). */
function memoOn<K extends object, V>(map: WeakMap<K, V>, key: K, compute: (key: K) => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = compute(key);
    map.set(key, value);
  }
  return value;
}

/** Anonymous with no named type anywhere below. */
function isPlain(node: AvroNode): boolean {
  if (node.kind === 'primitive') return true;
  if (isNamed(node)) return false;
  return memoOn(plainNodes, node, computePlain);
}

function computePlain(node: AvroNode): boolean {
  if (node.kind === 'array') return isPlain(node.items);
  if (node.kind === 'map') return isPlain(node.values);
  return (node as UnionNode).branches.every(isPlain);
}

/** No record anywhere below (enums and fixed allowed): a pair of such nodes can never recurse. */
function isRecordFree(node: AvroNode): boolean {
  switch (node.kind) {
    case 'primitive':
    case 'enum':
    case 'fixed':
      return true;
    case 'record':
      return false;
  }
  return memoOn(recordFreeNodes, node, computeRecordFree);
}

function computeRecordFree(node: AvroNode): boolean {
  if (node.kind === 'array') return isRecordFree(node.items);
  if (node.kind === 'map') return isRecordFree(node.values);
  return (node as UnionNode).branches.every(isRecordFree);
}

/** Every field type plain. */
function isFlat(record: RecordNode): boolean {
  return memoOn(flatRecords, record, allFieldsPlain);
}

function allFieldsPlain(record: RecordNode): boolean {
  return record.fields.every((f) => isPlain(f.type));
}

/** Every field type record-free: the record pair is evaluated without a generator frame. */
function isShallow(record: RecordNode): boolean {
  return memoOn(shallowRecords, record, allFieldsRecordFree);
}

function allFieldsRecordFree(record: RecordNode): boolean {
  return record.fields.every((f) => isRecordFree(f.type));
}

function symbolSet(e: EnumNode): ReadonlySet<string> {
  return memoOn(symbolSets, e, buildSymbolSet);
}

function buildSymbolSet(e: EnumNode): ReadonlySet<string> {
  return new Set(e.symbols);
}

function fieldMap(record: RecordNode): Map<string, FieldNode> {
  return memoOn(fieldMaps, record, buildFieldMap);
}

function buildFieldMap(record: RecordNode): Map<string, FieldNode> {
  return new Map(record.fields.map((f) => [f.name, f] as const));
}

function sameType(reader: AvroNode, writer: AvroNode): boolean {
  if (reader.kind !== writer.kind) return false;
  return reader.kind !== 'primitive' || reader.type === (writer as typeof reader).type;
}

class Checker {
  // Keyed by node identity, like Java's ReaderWriter pair (System.identityHashCode + ==).
  private readonly memo = new Map<AvroNode, Map<AvroNode, Res>>();
  private work = 0;

  constructor(
    private readonly describe: (node: AvroNode) => string,
    private readonly maxWork: number,
  ) {}

  // Java's algorithm is quadratic on hostile input (two 1,000-branch unions of distinct records); a
  // budget turns that into a clear error instead of seconds of blocked event loop.
  private spend(units: number): void {
    this.work += units;
    if (this.work > this.maxWork) {
      throw new DomainError(
        'SCHEMA_TOO_LARGE',
        `compatibility check exceeds the limit of ${this.maxWork} type comparisons`,
      );
    }
  }

  /** Java's 4-arg `getCompatibility`, with the recursion replaced by an explicit frame stack. */
  run(first: Call): Res {
    const frames: Frame[] = [];
    let pending: Call | undefined = first;
    let input: Res = COMPATIBLE;
    for (;;) {
      if (pending !== undefined) {
        const c: Call = pending;
        pending = undefined;
        c.location.push(c.token);
        this.spend(c.writer.kind === 'enum' ? 1 + c.writer.symbols.length : 1);
        const byWriter = isMemoized(c.reader, c.writer) ? this.memoFor(c.reader) : undefined;
        const hit = byWriter?.get(c.writer);
        if (hit !== undefined) {
          c.location.pop();
          // A pair still on the stack is assumed compatible: that is how recursion terminates.
          input = hit === IN_PROGRESS ? COMPATIBLE : hit === DEFERRED ? this.resume(c.reader, c.writer) : hit;
          if (frames.length === 0) return input;
        } else {
          const leaf =
            this.leaf(c.reader, c.writer, c.location) ?? this.shallowRecords(c.reader, c.writer, c.location);
          if (leaf !== undefined) {
            byWriter?.set(c.writer, leaf);
            c.location.pop();
            input = leaf;
            if (frames.length === 0) return input;
          } else {
            byWriter?.set(c.writer, IN_PROGRESS);
            this.spend(FRAME_COST);
            frames.push({ task: this.calc(c.reader, c.writer, c.location), call: c, memo: byWriter });
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

  /**
   * A reader-union trial of two named types of the same kind whose names do not match always fails.
   * When its evaluation is also pure (an enum or fixed pair, or two flat records without reader
   * field aliases, so no nested memo entry and no exception can come out of it), only the memo entry
   * Java would have left is observable, and only if the pair is met again: record it as DEFERRED and
   * compute it then (`resume`), on the fresh location stack the trial would have used. This keeps
   * unions of many records (quadratic in Java) cheap.
   */
  private deferredTrial(reader: AvroNode, writer: AvroNode): Res | undefined {
    if (!isNamed(reader) || reader.kind !== writer.kind) return undefined;
    if (schemaNameEquals(reader as NamedNode, writer as NamedNode)) return undefined;
    if (reader.kind === 'record') {
      const w = writer as RecordNode;
      if (!isFlat(reader) || !isFlat(w) || reader.fields.some((f) => f.aliases.length > 0)) {
        return undefined;
      }
    }
    const row = this.memoFor(reader);
    if (row.has(writer)) return undefined; // already known: the general path reads the memo
    this.spend(1);
    row.set(writer, DEFERRED);
    return DEFERRED;
  }

  /** Computes a DEFERRED trial as Java did: at the root of a fresh location stack. */
  private resume(reader: AvroNode, writer: AvroNode): Res {
    const location = [ROOT_TOKEN];
    const res = this.leaf(reader, writer, location) ?? this.shallowRecords(reader, writer, location)!;
    this.memoFor(reader).set(writer, res);
    return res;
  }

  private memoFor(reader: AvroNode): Map<AvroNode, Res> {
    let byWriter = this.memo.get(reader);
    if (byWriter === undefined) {
      byWriter = new Map();
      this.memo.set(reader, byWriter);
    }
    return byWriter;
  }

  /**
   * Fast path for the bulk of real schemas: a pair of two anonymous subtrees without named types
   * (e.g. `int` vs `long`, `["null","string"]` vs `"string"`) never touches the memo, cannot recurse
   * and is at most as deep as the JSON (the parser caps it at 64), so plain recursion evaluates it
   * with the same push/spend/pop as `run`. Undefined when the pair needs the general path.
   */
  private direct(token: string, reader: AvroNode, writer: AvroNode, location: string[]): Res | undefined {
    return isPlain(reader) && isPlain(writer) ? this.plain(token, reader, writer, location) : undefined;
  }

  private plain(token: string, reader: AvroNode, writer: AvroNode, location: string[]): Res {
    location.push(token);
    this.spend(1);
    const res = this.leaf(reader, writer, location) ?? this.plainCalc(reader, writer, location);
    location.pop();
    return res;
  }

  // `calc` for plain anonymous pairs, synchronously; keep the two in step.
  private plainCalc(reader: AvroNode, writer: AvroNode, location: string[]): Res {
    if (reader.kind === 'array' && writer.kind === 'array')
      return this.plain('items', reader.items, writer.items, location);
    if (reader.kind === 'map' && writer.kind === 'map')
      return this.plain('values', reader.values, writer.values, location);
    if (reader.kind === 'union' && writer.kind === 'union') {
      const acc = new Acc();
      writer.branches.forEach((branch, i) => {
        if (this.plainOk(reader, branch)) return;
        location.push(String(i));
        acc.add(missingBranch(branch, location));
        location.pop();
      });
      return acc.result();
    }
    if (writer.kind === 'union') {
      const acc = new Acc();
      writer.branches.forEach((branch, i) => {
        acc.add(this.plain(String(i), reader, branch, location));
      });
      return acc.result();
    }
    if (reader.kind === 'union') {
      for (const branch of reader.branches) if (this.plainOk(branch, writer)) return COMPATIBLE;
      return missingBranch(writer, location);
    }
    throw new Error('unreachable: leaf pair reached plainCalc');
  }

  /**
   * The verdict alone of `plain(ROOT_TOKEN, reader, writer, [])`, for union trials that discard the
   * details: the same pairs visited in the same order (same budget), no location or message built.
   */
  private plainOk(reader: AvroNode, writer: AvroNode): boolean {
    this.spend(1);
    if (sameType(reader, writer)) {
      switch (reader.kind) {
        case 'primitive':
          return true;
        case 'array':
          return this.plainOk(reader.items, (writer as typeof reader).items);
        case 'map':
          return this.plainOk(reader.values, (writer as typeof reader).values);
        case 'union': {
          let ok = true;
          for (const branch of (writer as typeof reader).branches)
            if (!this.plainOk(reader, branch)) ok = false;
          return ok;
        }
        default:
          throw new Error(`unexpected node kind ${reader.kind} in a plain pair`);
      }
    }
    if (writer.kind === 'union') {
      let ok = true;
      for (const branch of writer.branches) if (!this.plainOk(reader, branch)) ok = false;
      return ok;
    }
    if (reader.kind === 'union') {
      for (const branch of reader.branches) if (this.plainOk(branch, writer)) return true;
      return false;
    }
    return (
      reader.kind === 'primitive' &&
      writer.kind === 'primitive' &&
      PROMOTIONS[reader.type]?.includes(writer.type) === true
    );
  }

  /**
   * Two records whose field types are all record-free: `calc` and `fields` without a frame, in the
   * same order, with the same memo entries and budget. The record pair itself is memoised by `run`;
   * nothing below it can reach that entry (no record below), so it needs no IN_PROGRESS marker.
   * Undefined when the pair needs the general path.
   */
  private shallowRecords(reader: AvroNode, writer: AvroNode, location: string[]): Res | undefined {
    if (reader.kind !== 'record' || writer.kind !== 'record') return undefined;
    if (!isShallow(reader) || !isShallow(writer)) return undefined;
    // Two flat records never needed a frame; any other pair did, and paid for it.
    if (!isFlat(reader) || !isFlat(writer)) this.spend(FRAME_COST);
    const acc = new Acc();
    acc.add(checkNames(reader, writer, location));
    location.push('fields');
    for (const readerField of reader.fields) {
      location.push(String(readerField.position));
      const writerField = this.lookupWriterField(writer, readerField);
      if (writerField !== undefined) {
        const r = readerField.type;
        const w = writerField.type;
        acc.add(this.direct('type', r, w, location) ?? this.sync('type', r, w, location));
      } else if (!readerField.hasDefault) {
        const type = readerField.type;
        if (type.kind === 'enum' && type.default !== undefined) {
          // Java quirk (see `fields`): the reader ENUM against the writer RECORD, a leaf pair.
          acc.add(this.sync('type', type, writer, location));
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
  private sync(token: string, reader: AvroNode, writer: AvroNode, location: string[]): Res {
    location.push(token);
    this.spend(writer.kind === 'enum' ? 1 + writer.symbols.length : 1);
    const byWriter = isMemoized(reader, writer) ? this.memoFor(reader) : undefined;
    const hit = byWriter?.get(writer);
    if (hit !== undefined) {
      location.pop();
      return hit === IN_PROGRESS ? COMPATIBLE : hit === DEFERRED ? this.resume(reader, writer) : hit;
    }
    let res = this.leaf(reader, writer, location) ?? this.shallowRecords(reader, writer, location);
    if (res === undefined) {
      byWriter?.set(writer, IN_PROGRESS);
      this.spend(FRAME_COST);
      res = this.syncCalc(reader, writer, location);
    }
    byWriter?.set(writer, res);
    location.pop();
    return res;
  }

  // `calc` for record-free pairs, synchronously; keep the two in step.
  private syncCalc(reader: AvroNode, writer: AvroNode, location: string[]): Res {
    if (sameType(reader, writer)) {
      switch (reader.kind) {
        case 'array': {
          const items = (writer as typeof reader).items;
          return (
            this.direct('items', reader.items, items, location) ??
            this.sync('items', reader.items, items, location)
          );
        }
        case 'map': {
          const values = (writer as typeof reader).values;
          return (
            this.direct('values', reader.values, values, location) ??
            this.sync('values', reader.values, values, location)
          );
        }
        case 'union': {
          const acc = new Acc();
          const branches = (writer as typeof reader).branches;
          for (let i = 0; i < branches.length; i++) {
            const branch = branches[i]!;
            location.push(String(i));
            if (!this.sync(ROOT_TOKEN, reader, branch, []).ok) acc.add(missingBranch(branch, location));
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
          this.direct(String(i), reader, branch, location) ?? this.sync(String(i), reader, branch, location),
        );
      }
      return acc.result();
    }
    if (reader.kind === 'union') {
      for (const branch of reader.branches) {
        const res = this.deferredTrial(branch, writer) ?? this.sync(ROOT_TOKEN, branch, writer, []);
        if (res.ok) return COMPATIBLE;
      }
      return missingBranch(writer, location);
    }
    throw new Error('unreachable: leaf pair reached syncCalc');
  }

  /** The pairs whose result needs no sub-call; computed directly to keep the common case cheap. */
  private leaf(reader: AvroNode, writer: AvroNode, location: string[]): Res | undefined {
    if (sameType(reader, writer)) {
      switch (reader.kind) {
        case 'primitive':
          return COMPATIBLE; // logical types are ignored
        case 'fixed':
          return merge(
            checkNames(reader, writer as FixedNode, location),
            checkSize(reader, writer as FixedNode, location),
          );
        case 'enum':
          return merge(
            checkNames(reader, writer as EnumNode, location),
            checkSymbols(reader, symbolSet(reader), writer as EnumNode, location),
          );
        default:
          return undefined;
      }
    }
    if (writer.kind === 'union') return writer.branches.length === 0 ? COMPATIBLE : undefined;
    if (reader.kind === 'union') return undefined;
    if (reader.kind === 'primitive' && writer.kind === 'primitive') {
      if (PROMOTIONS[reader.type]?.includes(writer.type)) return COMPATIBLE;
    }
    return typeMismatch(reader, writer, location);
  }

  private *calc(reader: AvroNode, writer: AvroNode, location: string[]): Task {
    if (sameType(reader, writer)) {
      switch (reader.kind) {
        case 'array': {
          const items = (writer as typeof reader).items;
          return (
            this.direct('items', reader.items, items, location) ??
            (yield call('items', reader.items, items, location))
          );
        }
        case 'map': {
          const values = (writer as typeof reader).values;
          return (
            this.direct('values', reader.values, values, location) ??
            (yield call('values', reader.values, values, location))
          );
        }
        case 'record': {
          const names = checkNames(reader, writer as RecordNode, location);
          return merge(names, yield* this.fields(reader, writer as RecordNode, location));
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
          this.direct(String(i), reader, branch, location) ??
            (yield call(String(i), reader, branch, location)),
        );
      }
      return acc.result();
    }
    if (reader.kind === 'union') {
      for (const branch of reader.branches) {
        const res: Res = this.deferredTrial(branch, writer) ?? (yield call(ROOT_TOKEN, branch, writer, []));
        if (res.ok) return COMPATIBLE;
      }
      return missingBranch(writer, location);
    }
    throw new Error('unreachable: leaf pair reached calc');
  }

  private *fields(reader: RecordNode, writer: RecordNode, location: string[]): Generator<Call, Res, Res> {
    const acc = new Acc();
    location.push('fields');
    for (const readerField of reader.fields) {
      location.push(String(readerField.position));
      const writerField = this.lookupWriterField(writer, readerField);
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
        acc.add(this.direct('type', r, w, location) ?? (yield call('type', r, w, location)));
      }
      location.pop();
    }
    location.pop();
    return acc.result();
  }

  /** Java's `lookupWriterField`: the direct match plus one per matching alias, not de-duplicated. */
  private lookupWriterField(writer: RecordNode, readerField: FieldNode): FieldNode | undefined {
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

function missingBranch(writer: AvroNode, location: readonly string[]): Res {
  return fail('MISSING_UNION_BRANCH', `reader union lacking writer type: ${javaTypeName(writer)}`, location);
}

function typeMismatch(reader: AvroNode, writer: AvroNode, location: readonly string[]): Res {
  return fail(
    'TYPE_MISMATCH',
    `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`,
    location,
  );
}

function checkNames(reader: NamedNode, writer: NamedNode, location: string[]): Res {
  if (schemaNameEquals(reader, writer)) return COMPATIBLE;
  location.push('name');
  const res = fail('NAME_MISMATCH', `expected: ${writer.fullName}`, location);
  location.pop();
  return res;
}

function checkSize(reader: FixedNode, writer: FixedNode, location: string[]): Res {
  if (reader.size === writer.size) return COMPATIBLE;
  location.push('size');
  const res = fail('FIXED_SIZE_MISMATCH', `expected: ${writer.size}, found: ${reader.size}`, location);
  location.pop();
  return res;
}

function checkSymbols(
  reader: EnumNode,
  readerSymbols: ReadonlySet<string>,
  writer: EnumNode,
  location: string[],
): Res {
  let missing: Set<string> | undefined;
  for (const symbol of writer.symbols) {
    if (readerSymbols.has(symbol)) continue;
    missing ??= new Set();
    missing.add(symbol);
  }
  if (missing === undefined) return COMPATIBLE;
  if (reader.default !== undefined && readerSymbols.has(reader.default)) return COMPATIBLE;
  // TreeSet<String> order: UTF-16 code units, which is what the default JS sort compares.
  const sorted = [...missing].sort();
  location.push('symbols');
  const res = fail('MISSING_ENUM_SYMBOLS', `[${sorted.join(', ')}]`, location);
  location.pop();
  return res;
}
