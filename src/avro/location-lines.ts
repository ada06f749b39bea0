/**
 * Maps an incompatibility's location (Java's JSON pointer, e.g. `/fields/3/type/1`) back to a line of
 * the NEW schema file (GitHub annotations of the CLI gate, and the registry's explain endpoint). The pointer mixes sides — `fields/<n>` is a reader field
 * position, a union index is a writer branch — so both trees are walked together the way the checker
 * walked them, and the deepest new-side node with a known source position wins.
 *
 * A union-vs-union miss (`reader union lacking writer type: RECORD`) hides why the branch failed; for
 * the gate to point at the offending field, `explainUnionMiss` pairs the writer branch with the reader
 * branch of the same name and re-checks just that pair to recover the nested reasons.
 */
import { checkReaderWriter } from './compatibility.js';
import { positionOf, type SourcePosition } from './json.js';
import type { AvroNode, FieldNode, Incompatibility, IncompatibilityType, UnionNode } from './types.js';

export type Side = 'reader' | 'writer';

interface Walk {
  /** New-side nodes (types and fields) along the path, outermost first. */
  readonly chain: readonly object[];
  readonly reader: AvroNode | undefined;
  readonly writer: AvroNode | undefined;
}

export function locationTokens(location: string): string[] {
  if (location === '/' || location === '') return [];
  return location
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function walkLocation(reader: AvroNode, writer: AvroNode, location: string, newSide: Side): Walk {
  const chain: object[] = [];
  let r: AvroNode | undefined = reader;
  let w: AvroNode | undefined = writer;
  const pushNew = (readerSide: object | undefined, writerSide: object | undefined): void => {
    const node = newSide === 'reader' ? readerSide : writerSide;
    if (node !== undefined) chain.push(node);
  };
  pushNew(r, w);
  const tokens = locationTokens(location);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'fields' && r?.kind === 'record') {
      const pos = Number(tokens[i + 1]);
      const rf: FieldNode | undefined = r.fields[pos];
      if (rf === undefined) break;
      const wf: FieldNode | undefined = w?.kind === 'record' ? writerFieldFor(rf, w.fields) : undefined;
      pushNew(rf, wf);
      i++;
      if (tokens[i + 1] === 'type') {
        r = rf.type;
        w = wf?.type;
        pushNew(r, w);
        i++;
      } else {
        r = undefined;
        w = undefined;
      }
    } else if (token === 'items' && r?.kind === 'array') {
      r = r.items;
      w = w?.kind === 'array' ? w.items : undefined;
      pushNew(r, w);
    } else if (token === 'values' && r?.kind === 'map') {
      r = r.values;
      w = w?.kind === 'map' ? w.values : undefined;
      pushNew(r, w);
    } else if (/^[0-9]+$/.test(token) && w?.kind === 'union') {
      // A union index always names a writer branch.
      const branch: AvroNode | undefined = w.branches[Number(token)];
      if (branch === undefined) break;
      w = branch;
      if (r?.kind === 'union') pushNew(matchingBranch(r, branch), branch);
      else pushNew(undefined, branch);
    } else {
      // `name`, `size`, `symbols`: attributes of the node reached so far.
      break;
    }
  }
  return { chain, reader: r, writer: w };
}

/** Where the deepest positioned new-side node along the location starts in the new file. */
export function newSidePosition(
  reader: AvroNode,
  writer: AvroNode,
  location: string,
  newSide: Side,
): SourcePosition | undefined {
  return deepestPosition(walkLocation(reader, writer, location, newSide).chain);
}

function deepestPosition(chain: readonly object[]): SourcePosition | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const pos = positionOf(chain[i]!);
    if (pos !== undefined) return pos;
  }
  return undefined;
}

/** Java's incompatibility types, plus the checker's exception (ambiguous field aliases). */
export type FindingType = IncompatibilityType | 'EXCEPTION';

export interface ExplainedIncompatibility {
  readonly type: FindingType;
  readonly location: string;
  readonly message: string;
  /** Where it starts in the new file, when known. */
  readonly position: SourcePosition | undefined;
  /** For a union miss: the reasons the same-named branch pair is incompatible (nested the same way). */
  readonly causes: readonly ExplainedIncompatibility[];
  /** Full name (or type) of the branch the causes are relative to. */
  readonly branch?: string;
}

const MAX_EXPLAIN_DEPTH = 6;

export function explain(
  reader: AvroNode,
  writer: AvroNode,
  inc: Incompatibility,
  newSide: Side,
  depth = 0,
): ExplainedIncompatibility {
  const walk = walkLocation(reader, writer, inc.location, newSide);
  const position = deepestPosition(walk.chain);
  if (inc.type !== 'MISSING_UNION_BRANCH' || depth >= MAX_EXPLAIN_DEPTH)
    return { ...inc, position, causes: [] };
  // The walk stops on the union (reader) and the writer branch it could not place.
  const r = walk.reader;
  const w = walk.writer;
  if (r?.kind !== 'union' || w === undefined || w.kind === 'union') return { ...inc, position, causes: [] };
  const match = matchingBranch(r, w);
  if (match === undefined) return { ...inc, position, causes: [] };
  const nested = checkReaderWriter(match, w);
  const causes = nested.incompatibilities.map((c) => {
    const sub = explain(match, w, c, newSide, depth + 1);
    return { ...sub, position: sub.position ?? position };
  });
  return { ...inc, position, causes, branch: branchName(w) };
}

/** The reader branch a writer branch was meant to resolve to: same named type, or same kind. */
function matchingBranch(union: UnionNode, writer: AvroNode): AvroNode | undefined {
  for (const b of union.branches) {
    if (b.kind !== writer.kind) continue;
    if (b.kind === 'primitive' && writer.kind === 'primitive') {
      if (b.type === writer.type) return b;
    } else if (b.kind === 'record' || b.kind === 'enum' || b.kind === 'fixed') {
      const wn = writer as { name: string; fullName: string };
      if (b.name === wn.name || b.aliases.includes(wn.fullName)) return b;
    } else {
      return b;
    }
  }
  return undefined;
}

function writerFieldFor(rf: FieldNode, fields: readonly FieldNode[]): FieldNode | undefined {
  return fields.find((f) => f.name === rf.name) ?? fields.find((f) => rf.aliases.includes(f.name));
}

function branchName(node: AvroNode): string {
  switch (node.kind) {
    case 'record':
    case 'enum':
    case 'fixed':
      return node.fullName;
    case 'primitive':
      return node.type;
    default:
      return node.kind;
  }
}
