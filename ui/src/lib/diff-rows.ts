/**
 * Rows for a side-by-side diff from jsdiff's line changes: unchanged lines face each other, and a run of
 * removed lines followed by added lines is paired line by line (a changed line reads across), the
 * longer side continuing alone. Line numbers are 1-based per side.
 */
export interface LineChange {
  readonly value: string;
  readonly added?: boolean;
  readonly removed?: boolean;
}

export type CellKind = 'same' | 'removed' | 'added';

export interface Cell {
  readonly line: number;
  readonly text: string;
  readonly kind: CellKind;
}

export interface SideBySideRow {
  readonly left: Cell | undefined;
  readonly right: Cell | undefined;
}

export interface UnifiedRow {
  readonly oldLine: number | undefined;
  readonly newLine: number | undefined;
  readonly text: string;
  readonly kind: CellKind;
}

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function sideBySide(changes: readonly LineChange[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let left = 1;
  let right = 1;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      for (const text of linesOf(change.value)) {
        rows.push({
          left: { line: left++, text, kind: 'same' },
          right: { line: right++, text, kind: 'same' },
        });
      }
      continue;
    }
    const removed = change.removed ? linesOf(change.value) : [];
    const next = changes[i + 1];
    const added = change.added ? linesOf(change.value) : next?.added ? linesOf(next.value) : [];
    if (change.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const r = removed[k];
      const a = added[k];
      rows.push({
        left: r === undefined ? undefined : { line: left++, text: r, kind: 'removed' },
        right: a === undefined ? undefined : { line: right++, text: a, kind: 'added' },
      });
    }
  }
  return rows;
}

export function unified(changes: readonly LineChange[]): UnifiedRow[] {
  const rows: UnifiedRow[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const change of changes) {
    for (const text of linesOf(change.value)) {
      if (change.removed) rows.push({ oldLine: oldLine++, newLine: undefined, text, kind: 'removed' });
      else if (change.added) rows.push({ oldLine: undefined, newLine: newLine++, text, kind: 'added' });
      else rows.push({ oldLine: oldLine++, newLine: newLine++, text, kind: 'same' });
    }
  }
  return rows;
}

export function countChanges(changes: readonly LineChange[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    const n = linesOf(change.value).length;
    if (change.added) added += n;
    else if (change.removed) removed += n;
  }
  return { added, removed };
}
