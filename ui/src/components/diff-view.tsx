/**
 * Two schema texts compared line by line (jsdiff): side by side on wide screens, unified on phones,
 * switchable either way. Changes are marked with a sign and screen-reader text, never colour alone.
 */
import { diffLines } from 'diff';
import { useMemo, useState } from 'preact/hooks';
import { type Cell, countChanges, sideBySide, unified } from '../lib/diff-rows.js';
import { RadioGroup } from './radio-group.js';

export interface DiffViewProps {
  oldText: string;
  newText: string;
  oldLabel: string;
  newLabel: string;
}

const SIGN = { same: ' ', removed: '−', added: '+' } as const;
const SPOKEN = { same: '', removed: 'removed: ', added: 'added: ' } as const;

function narrow(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 720px)').matches;
}

function CodeCell({ cell }: { cell: Cell | undefined }) {
  if (cell === undefined) {
    return (
      <>
        <td class="ln" />
        <td class="code blank" />
      </>
    );
  }
  return (
    <>
      <td class="ln">{cell.line}</td>
      <td class={`code ${cell.kind}`}>
        <span class="sr-only">{SPOKEN[cell.kind]}</span>
        <span class="sign" aria-hidden="true">
          {SIGN[cell.kind]}
        </span>
        {cell.text}
      </td>
    </>
  );
}

export function DiffView({ oldText, newText, oldLabel, newLabel }: DiffViewProps) {
  const changes = useMemo(() => diffLines(oldText, newText), [oldText, newText]);
  const [layout, setLayout] = useState<'split' | 'unified'>(() => (narrow() ? 'unified' : 'split'));
  const counts = countChanges(changes);
  const caption = `Changes from ${oldLabel} to ${newLabel}`;
  return (
    <div class="diff-view">
      <div class="diff-toolbar">
        <p class="muted">
          {counts.added === 0 && counts.removed === 0
            ? 'The two schemas are identical.'
            : `${counts.removed} line${counts.removed === 1 ? '' : 's'} removed, ${counts.added} added`}
        </p>
        <RadioGroup
          name="diff-layout"
          legend="Diff layout"
          hideLegend
          value={layout}
          options={[
            { value: 'split', label: 'Side by side' },
            { value: 'unified', label: 'Unified' },
          ]}
          onChange={setLayout}
        />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section class="scroll-x" aria-label={caption} tabIndex={0}>
        {layout === 'split' ? (
          <table class="diff diff-split" data-testid="diff-split">
            <caption class="sr-only">{caption}</caption>
            <thead>
              <tr>
                <th scope="col" class="ln">
                  <span class="sr-only">Line in </span>
                  {oldLabel}
                </th>
                <th scope="col">{oldLabel}</th>
                <th scope="col" class="ln">
                  <span class="sr-only">Line in </span>
                  {newLabel}
                </th>
                <th scope="col">{newLabel}</th>
              </tr>
            </thead>
            <tbody>
              {sideBySide(changes).map((row, i) => (
                <tr key={i}>
                  <CodeCell cell={row.left} />
                  <CodeCell cell={row.right} />
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <table class="diff diff-unified" data-testid="diff-unified">
            <caption class="sr-only">{caption}</caption>
            <thead>
              <tr>
                <th scope="col" class="ln">
                  {oldLabel}
                </th>
                <th scope="col" class="ln">
                  {newLabel}
                </th>
                <th scope="col">Line</th>
              </tr>
            </thead>
            <tbody>
              {unified(changes).map((row, i) => (
                <tr key={i}>
                  <td class="ln">{row.oldLine ?? ''}</td>
                  <td class="ln">{row.newLine ?? ''}</td>
                  <td class={`code ${row.kind}`}>
                    <span class="sr-only">{SPOKEN[row.kind]}</span>
                    <span class="sign" aria-hidden="true">
                      {SIGN[row.kind]}
                    </span>
                    {row.text}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
