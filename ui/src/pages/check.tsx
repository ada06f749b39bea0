/**
 * Compatibility check: paste or upload a schema, pick a subject and a level (or the subject's own),
 * and see the verdict with every incompatibility, each one marked at its line in the pasted text. A
 * schema that does not parse shows the parser's message at its line. Uses
 * `POST /compatibility/subjects/{s}/explain`; nothing is registered.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, api, path } from '../api.js';
import { CodeListing, type LineNote } from '../components/code-listing.js';
import { ErrorBanner } from '../components/status.js';
import { SubjectPicker } from '../components/subject-picker.js';
import { ConfluentMessages, Direction, FindingText, VerdictBadge } from '../components/verdicts.js';
import { useApi, useDebounced, usePageTitle } from '../hooks.js';
import { replaceParams } from '../router.js';
import {
  type Explanation,
  type Finding,
  LEVELS,
  type SubjectSummaryPage,
  type VersionDetail,
} from '../types.js';

type Outcome =
  | { kind: 'verdict'; explanation: Explanation; text: string }
  | { kind: 'invalid'; message: string; position?: { line: number; column: number }; text: string }
  | { kind: 'error'; error: unknown };

/** The parser's own words, without the echo of the schema Confluent's message starts with. */
function parserDetails(message: string): string {
  const at = message.indexOf(', details: ');
  return at < 0 ? message : message.slice(at + ', details: '.length);
}

/** Puts the caret at the start of `line` in the editor and scrolls it into view. */
function focusLine(textarea: HTMLTextAreaElement | null, line: number): void {
  if (textarea === null) return;
  const lines = textarea.value.split('\n');
  const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  const end = offset + (lines[line - 1]?.length ?? 0);
  textarea.focus();
  textarea.setSelectionRange(offset, end);
  const lineHeight = Number.parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

export function CheckPage({ params }: { params: URLSearchParams }) {
  const heading = usePageTitle('Check compatibility');
  const editor = useRef<HTMLTextAreaElement>(null);
  const [subject, setSubject] = useState(params.get('subject') ?? '');
  const [level, setLevel] = useState('');
  const [against, setAgainst] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [fileError, setFileError] = useState<string | undefined>();

  const settled = useDebounced(subject.trim(), 300);
  const info = useApi<SubjectSummaryPage>(
    settled === '' ? undefined : path`/catalog/subjects?prefix=${settled}&deleted=true&limit=1`,
  );
  const row = info.data?.subjects.find((s) => s.subject === settled);
  const versions = useApi<VersionDetail[]>(
    row === undefined ? undefined : path`/negotiation/subjects/${settled}/versions?deleted=true`,
  );

  const onFile = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    setFileError(undefined);
    if (file === undefined) return;
    if (file.size > 4 * 1024 * 1024) {
      setFileError(`${file.name} is larger than 4 MiB, the registry's schema size limit.`);
      return;
    }
    setText(await file.text());
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const name = subject.trim();
    replaceParams({ subject: name });
    setBusy(true);
    const submitted = text;
    try {
      const explanation = await api<Explanation>(path`/compatibility/subjects/${name}/explain`, {
        method: 'POST',
        body: {
          schema: submitted,
          ...(level === '' ? {} : { level }),
          ...(against === ''
            ? {}
            : { against: against === 'all' || against === 'latest' ? against : Number(against) }),
        },
      });
      setOutcome({ kind: 'verdict', explanation, text: submitted });
    } catch (err) {
      if (err instanceof ApiError && (err.errorCode === 42201 || err.errorCode === 42209)) {
        const position = err.envelope?.position as { line: number; column: number } | undefined;
        setOutcome({ kind: 'invalid', message: parserDetails(err.message), position, text: submitted });
      } else setOutcome({ kind: 'error', error: err });
    } finally {
      setBusy(false);
    }
  };

  const subjectLevel = row?.compatibilityLevel;
  return (
    <section>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Check compatibility
        </h1>
        <p class="muted">Test a schema against a subject without registering it.</p>
      </div>
      <form class="card form-grid" onSubmit={submit}>
        <SubjectPicker id="check-subject" label="Subject" value={subject} onInput={setSubject} required />
        <div class="field">
          <label for="check-level">Level</label>
          <select id="check-level" value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
            <option value="">
              The subject's own{subjectLevel === undefined ? '' : ` (${subjectLevel})`}
            </option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="check-against">Against</label>
          <select id="check-against" value={against} onChange={(e) => setAgainst(e.currentTarget.value)}>
            <option value="">The versions the level looks at</option>
            <option value="latest">The latest version</option>
            <option value="all">Every live version</option>
            {(versions.data ?? []).map((v) => (
              <option key={v.version} value={String(v.version)}>
                Version {v.version} ({v.semver}){v.deleted ? ', soft-deleted' : ''}
              </option>
            ))}
          </select>
        </div>
        <div class="field span-all">
          <label for="check-schema">Schema (Avro JSON)</label>
          <textarea
            id="check-schema"
            ref={editor}
            rows={14}
            spellcheck={false}
            required
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-describedby="check-schema-hint"
          />
          <p id="check-schema-hint" class="hint">
            Paste the schema, or load it from a file.
          </p>
        </div>
        <div class="field">
          <label for="check-file">Schema file (.avsc, .json)</label>
          <input id="check-file" type="file" accept=".avsc,.json,application/json" onChange={onFile} />
          {fileError !== undefined && (
            <p class="banner banner-error" role="alert">
              {fileError}
            </p>
          )}
        </div>
        <div class="actions span-all">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Checking…' : 'Check compatibility'}
          </button>
        </div>
      </form>

      <div aria-live="polite" class="result">
        {outcome?.kind === 'error' && <ErrorBanner error={outcome.error} title="The check could not run." />}
        {outcome?.kind === 'invalid' && (
          <Invalid outcome={outcome} onShow={(l) => focusLine(editor.current, l)} />
        )}
        {outcome?.kind === 'verdict' && (
          <Verdict outcome={outcome} onShow={(l) => focusLine(editor.current, l)} />
        )}
      </div>
    </section>
  );
}

function LineButton({ line, onShow }: { line: number; onShow: (line: number) => void }) {
  return (
    <button type="button" class="link-button" onClick={() => onShow(line)}>
      Edit line {line}
    </button>
  );
}

function Invalid({
  outcome,
  onShow,
}: {
  outcome: Extract<Outcome, { kind: 'invalid' }>;
  onShow: (line: number) => void;
}) {
  const at = outcome.position;
  return (
    <section class="card verdict-card is-bad" aria-labelledby="verdict-title">
      <h2 id="verdict-title">The schema does not parse</h2>
      <p class="banner banner-error" role="alert">
        {at !== undefined && (
          <strong>
            Line {at.line}, column {at.column}:{' '}
          </strong>
        )}
        {outcome.message} {at !== undefined && <LineButton line={at.line} onShow={onShow} />}
      </p>
      {at !== undefined && (
        <CodeListing
          label="The submitted schema, with the error marked"
          text={outcome.text}
          notes={[{ line: at.line, tone: 'error', text: outcome.message }]}
        />
      )}
    </section>
  );
}

function Verdict({
  outcome,
  onShow,
}: {
  outcome: Extract<Outcome, { kind: 'verdict' }>;
  onShow: (line: number) => void;
}) {
  const { explanation } = outcome;
  // One note per place and finding, naming every version it applies to.
  const groups = new Map<
    string,
    { finding: Finding; direction: 'Backward' | 'Forward'; versions: number[] }
  >();
  const collect = (f: Finding, direction: 'Backward' | 'Forward', version: number) => {
    if (f.position === undefined) return;
    const key = `${f.position.line}\u0000${f.type}\u0000${f.location}\u0000${f.message}\u0000${direction}`;
    const group = groups.get(key) ?? { finding: f, direction, versions: [] };
    group.versions.push(version);
    groups.set(key, group);
  };
  for (const c of explanation.checks) {
    for (const f of c.backward.incompatibilities) collect(f, 'Backward', c.version);
    for (const f of c.forward.incompatibilities) collect(f, 'Forward', c.version);
  }
  const notes: LineNote[] = [...groups.values()].map(({ finding, direction, versions }) => {
    const named = `version${versions.length === 1 ? '' : 's'} ${versions.join(', ')}`;
    return {
      line: finding.position?.line ?? 0,
      tone: 'error',
      text: (
        <>
          <span class="note-where">
            {direction}, {named}:
          </span>{' '}
          <FindingText
            finding={finding}
            reader={direction === 'Backward' ? 'your schema' : named}
            writer={direction === 'Backward' ? named : 'your schema'}
          />
        </>
      ),
    };
  });
  const action = (f: Finding) =>
    f.position === undefined ? null : (
      <>
        {' '}
        <LineButton line={f.position.line} onShow={onShow} />
      </>
    );
  const checked = explanation.checks.map((c) => `v${c.version}`).join(', ');
  return (
    <section
      class={`card verdict-card ${explanation.is_compatible ? 'is-ok' : 'is-bad'}`}
      aria-labelledby="verdict-title"
    >
      <h2 id="verdict-title">
        <VerdictBadge compatible={explanation.is_compatible} /> under {explanation.level}
        <span class="muted small">
          {' '}
          ({explanation.levelSource === 'request' ? 'chosen here' : `the ${explanation.levelSource} level`})
        </span>
      </h2>
      <p>
        {explanation.checks.length === 0
          ? 'The subject has no live version to compare with, so any schema is compatible.'
          : `Checked against ${checked}.`}
      </p>
      {explanation.messages.length > 0 && <ConfluentMessages messages={explanation.messages} />}
      {explanation.checks.map((c) => (
        <div key={c.version} class="check-version">
          <h3>
            Version {c.version} <span class="semver">{c.semver}</span>
            {c.deleted && (
              <>
                {' '}
                <span class="badge badge-muted">soft-deleted</span>
              </>
            )}
          </h3>
          <Direction
            title={
              <>
                <strong>Backward</strong>: your schema can read data written with version {c.version}
              </>
            }
            verdict={c.backward}
            reader="your schema"
            writer={`version ${c.version}`}
            findingAction={action}
          />
          <Direction
            title={
              <>
                <strong>Forward</strong>: version {c.version} can read data written with your schema
              </>
            }
            verdict={c.forward}
            reader={`version ${c.version}`}
            writer="your schema"
            findingAction={action}
          />
        </div>
      ))}
      {notes.length > 0 && (
        <>
          <h3>Where, in your schema</h3>
          <CodeListing
            label="The submitted schema, with each incompatibility marked"
            text={outcome.text}
            notes={notes}
          />
        </>
      )}
    </section>
  );
}
