/**
 * A short line diff for `sync --check`: the common head and tail are trimmed and what remains of each
 * side is shown (capped), which is enough to see what a hand edit changed without a diff library.
 */
const MAX_LINES = 8;

export function shortDiff(
  expected: string,
  actual: string,
  expectedLabel: string,
  actualLabel: string,
): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  const lines = [`--- ${expectedLabel}`, `+++ ${actualLabel}`, `@@ line ${head + 1} @@`];
  lines.push(...capped(removed, '-'), ...capped(added, '+'));
  return lines.join('\n');
}

function capped(lines: readonly string[], sign: string): string[] {
  const shown = lines.slice(0, MAX_LINES).map((l) => `${sign}${l}`);
  if (lines.length > MAX_LINES) shown.push(`${sign}… ${lines.length - MAX_LINES} more line(s)`);
  return shown;
}
