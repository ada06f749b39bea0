/** A compatibility verdict, one direction at a time, with Java's findings and Confluent's messages. */
import type { ComponentChildren } from 'preact';
import { describeFinding } from '../lib/findings.js';
import type { DirectionVerdict, Finding } from '../types.js';

export function VerdictBadge({ compatible }: { compatible: boolean }) {
  return compatible ? (
    <span class="badge badge-ok">
      <span aria-hidden="true">✓ </span>Compatible
    </span>
  ) : (
    <span class="badge badge-bad">
      <span aria-hidden="true">✗ </span>Incompatible
    </span>
  );
}

export function FindingText({
  finding,
  reader,
  writer,
}: {
  finding: Finding;
  reader: string;
  writer: string;
}) {
  return (
    <>
      {describeFinding(finding, reader, writer)}{' '}
      <span class="finding-java">
        <code class="finding-type">{finding.type}</code> at <code>{finding.location}</code>
      </span>
    </>
  );
}

export interface DirectionProps {
  title: ComponentChildren;
  verdict: DirectionVerdict;
  /** How findings name the two schemas, e.g. "your schema" and "version 3". */
  reader: string;
  writer: string;
  /** Renders extra controls for a finding (e.g. "show line 4"). */
  findingAction?: (finding: Finding) => ComponentChildren;
}

export function Direction({ title, verdict, reader, writer, findingAction }: DirectionProps) {
  return (
    <div class={`direction ${verdict.compatible ? 'is-ok' : 'is-bad'}`}>
      <p class="direction-title">
        <VerdictBadge compatible={verdict.compatible} /> <span>{title}</span>
      </p>
      {verdict.incompatibilities.length > 0 && (
        <ul class="findings">
          {verdict.incompatibilities.map((f) => (
            <li key={`${f.type}${f.location}${f.message}`}>
              <FindingText finding={f} reader={reader} writer={writer} />
              {findingAction?.(f)}
            </li>
          ))}
        </ul>
      )}
      {verdict.messages.length > 0 && <ConfluentMessages messages={verdict.messages} />}
    </div>
  );
}

export function ConfluentMessages({ messages }: { messages: string[] }) {
  return (
    <details class="messages">
      <summary>Registry messages ({messages.length})</summary>
      <ul>
        {messages.map((m) => (
          <li key={m}>
            <code>{m}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
