/**
 * A read-only listing of schema text with line numbers, where some lines carry notes (an
 * incompatibility, a parse error): those lines are highlighted and the notes sit right under them.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface LineNote {
  readonly line: number;
  readonly tone: 'error' | 'info';
  readonly text: ComponentChildren;
}

export function CodeListing({
  text,
  notes,
  label,
}: {
  text: string;
  notes: readonly LineNote[];
  label: string;
}) {
  const box = useRef<HTMLElement>(null);
  const first = notes.length === 0 ? undefined : Math.min(...notes.map((n) => n.line));
  // Bring the first marked line into view inside the listing (not the page).
  useEffect(() => {
    const el = box.current;
    const row = first === undefined ? null : el?.querySelector<HTMLElement>(`[data-line="${first}"]`);
    if (el && row) el.scrollTop = Math.max(0, row.offsetTop - el.clientHeight / 3);
  }, [first, text]);
  const lines = text.split('\n');
  const byLine = new Map<number, LineNote[]>();
  for (const note of notes) byLine.set(note.line, [...(byLine.get(note.line) ?? []), note]);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="listing" aria-label={label} tabIndex={0} ref={box}>
      <ol>
        {lines.map((line, i) => {
          const n = i + 1;
          const here = byLine.get(n);
          return (
            <li key={n} id={`line-${n}`} class={here ? 'marked' : undefined} data-line={n}>
              <code>{line === '' ? ' ' : line}</code>
              {here?.map((note, k) => (
                <div key={k} class={`line-note ${note.tone}`}>
                  {note.text}
                </div>
              ))}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
