/**
 * Where the parser is, for messages such as `field "a" of record "R": union branch "map" has no
 * "values"`. Kept as an immutable list of segments that are formatted only when a message is needed.
 */
import { isJsonObject } from './json.js';
import { q } from './names.js';
import type { JsonValue } from './types.js';

/**
 * Message text, formatted only when an error actually needs it (most parses never fail). Plain data
 * rather than closures: tsx names every closure it creates, which made closures cost more than the
 * formatting they were meant to save.
 */
export type Text =
  | string
  | { readonly field: string; readonly record?: string }
  | { readonly branch: JsonValue; readonly index: number };

export function text(t: Text): string {
  if (typeof t === 'string') return t;
  if ('field' in t)
    return t.record === undefined ? `field ${q(t.field)}` : `field ${q(t.field)} of ${t.record}`;
  return `union branch ${branchLabel(t.branch, t.index)}`;
}

/** Where the parser is, as an immutable list so that a snapshot for later checks costs nothing. */
export interface PathNode {
  readonly seg: Text;
  readonly parent: PathNode | undefined;
}

export function formatPath(path: PathNode | undefined, extra?: Text): string {
  const segs: string[] = extra === undefined ? [] : [text(extra)];
  for (let p = path; p; p = p.parent) segs.push(text(p.seg));
  return segs.reverse().join(': ');
}

export function withWhere(where: string, detail: string): string {
  return where ? `${where}: ${detail}` : detail;
}

function branchLabel(b: JsonValue, i: number): string {
  if (typeof b === 'string') return q(b);
  if (isJsonObject(b) && typeof b.type === 'string') return q(b.type);
  return `#${i}`;
}
