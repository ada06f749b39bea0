/**
 * One subject: its versions as a timeline, the schema of any version (pretty-printed, with its
 * fingerprints, references and referrers), and a side-by-side diff of any two versions with the
 * compatibility verdict between them in both directions.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, path } from '../api.js';
import { DiffView } from '../components/diff-view.js';
import { Empty, ErrorBanner, Loading } from '../components/status.js';
import { Direction, VerdictBadge } from '../components/verdicts.js';
import { useApi, usePageTitle } from '../hooks.js';
import { formatDateTime, plural } from '../lib/format.js';
import { prettyJson } from '../lib/pretty-json.js';
import { href, replaceParams, subjectHref } from '../router.js';
import type { Explanation, SubjectSummaryPage, VersionDetail } from '../types.js';

function versionParam(params: URLSearchParams, name: string): number | undefined {
  const n = Number(params.get(name));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function label(v: VersionDetail): string {
  return `v${v.version} (${v.semver})`;
}

export function SubjectPage({ subject, params }: { subject: string; params: URLSearchParams }) {
  const heading = usePageTitle(subject);
  const versions = useApi<VersionDetail[]>(path`/negotiation/subjects/${subject}/versions?deleted=true`);
  const summary = useApi<SubjectSummaryPage>(path`/catalog/subjects?prefix=${subject}&deleted=true&limit=1`);
  const info = summary.data?.subjects.find((s) => s.subject === subject);
  const all = versions.data ?? [];
  const live = all.filter((v) => !v.deleted);
  const fallback = live.at(-1) ?? all.at(-1);
  const selected = all.find((v) => v.version === versionParam(params, 'v')) ?? fallback;
  const to = all.find((v) => v.version === versionParam(params, 'to')) ?? selected;
  const older = all.filter((v) => to !== undefined && v.version < to.version);
  const from =
    all.find((v) => v.version === versionParam(params, 'from')) ??
    older.filter((v) => !v.deleted).at(-1) ??
    older.at(-1);

  return (
    <section>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="#/subjects">Subjects</a> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{subject}</span>
      </nav>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1} class="subject-name">
          {subject}
        </h1>
        {info !== undefined && (
          <p class="facts">
            <span class="badge">{plural(info.versions.live, 'live version')}</span>
            {info.versions.deleted > 0 && (
              <span class="badge badge-muted">{info.versions.deleted} soft-deleted</span>
            )}
            <span class="badge">
              Compatibility {info.compatibilityLevel}
              {info.compatibilitySource !== 'subject' && ` (${info.compatibilitySource})`}
            </span>
            <span class="badge">
              Mode {info.mode}
              {info.modeSource !== 'subject' && ` (${info.modeSource})`}
            </span>
          </p>
        )}
        <p class="links">
          <a class="button" href={href('check', undefined, { subject })}>
            Check a schema
          </a>
          <a class="button" href={href('rollout', subject)}>
            Rollout
          </a>
          <a class="button" href={href('settings', undefined, { subject })}>
            Settings
          </a>
        </p>
      </div>

      {versions.loading && versions.data === undefined && <Loading label="Loading versions…" />}
      {versions.error instanceof ApiError && versions.error.status === 404 ? (
        <Empty title={`The subject “${subject}” has no versions.`}>
          <p>
            It was never registered, or all its versions were permanently deleted.{' '}
            <a href="#/subjects">Back to the subjects</a>.
          </p>
        </Empty>
      ) : (
        versions.error !== undefined && (
          <ErrorBanner error={versions.error} title="The versions could not be read." />
        )
      )}

      {selected !== undefined && (
        <div class="subject-layout">
          <Timeline subject={subject} versions={all} selected={selected.version} />
          <VersionPanel subject={subject} version={selected} />
        </div>
      )}

      {all.length > 1 && to !== undefined && from !== undefined && (
        <Compare subject={subject} versions={all} from={from} to={to} />
      )}
      {all.length === 1 && (
        <p class="muted">This subject has a single version: there is nothing to compare it with yet.</p>
      )}
    </section>
  );
}

function Timeline({
  subject,
  versions,
  selected,
}: {
  subject: string;
  versions: VersionDetail[];
  selected: number;
}) {
  return (
    <nav class="timeline card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Versions</h2>
      <ol reversed>
        {[...versions].reverse().map((v) => (
          <li key={v.version} class={v.deleted ? 'deleted' : undefined}>
            <a
              href={subjectHref(subject, { v: v.version })}
              aria-current={v.version === selected ? 'true' : undefined}
            >
              <span class="tl-main">
                <strong>v{v.version}</strong> <span class="semver">{v.semver}</span>
                {v.deleted && (
                  <>
                    {' '}
                    <span class="badge badge-muted">soft-deleted</span>
                  </>
                )}
              </span>
              <span class="tl-sub muted">
                id {v.id} · {formatDateTime(v.createdAt)}
              </span>
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

interface Referrer {
  subject: string;
  version: number;
}

/** Who references this version: ids from `referencedby`, each resolved to its subject-versions. */
function useReferrers(subject: string, version: VersionDetail): { list?: Referrer[]; error?: unknown } {
  const [state, setState] = useState<{ list?: Referrer[]; error?: unknown }>({});
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setState({});
    (async () => {
      const ids = await api<number[]>(path`/subjects/${subject}/versions/${version.version}/referencedby`, {
        signal,
      });
      const holders = await Promise.all(
        ids.map((id) => api<Referrer[]>(path`/schemas/ids/${id}/versions`, { signal })),
      );
      return holders.flat();
    })().then(
      (list) => setState({ list }),
      (error: unknown) => {
        if (!signal.aborted) setState({ error });
      },
    );
    return () => controller.abort();
  }, [subject, version.version]);
  return state;
}

function VersionPanel({ subject, version }: { subject: string; version: VersionDetail }) {
  const referrers = useReferrers(subject, version);
  const refs = version.references ?? [];
  return (
    <article class="card version-panel" aria-labelledby="version-title">
      <h2 id="version-title">
        Version {version.version} <span class="semver">{version.semver}</span>
        {version.deleted && (
          <>
            {' '}
            <span class="badge badge-muted">soft-deleted</span>
          </>
        )}
      </h2>
      <dl class="facts-grid">
        <dt>Schema id</dt>
        <dd>{version.id}</dd>
        <dt>Registered</dt>
        <dd>{formatDateTime(version.createdAt)}</dd>
        <dt>CRC-64-AVRO</dt>
        <dd>
          <code class="hash">{version.fingerprints.crc64}</code>
        </dd>
        <dt>SHA-256</dt>
        <dd>
          <code class="hash">{version.fingerprints.sha256}</code>
        </dd>
      </dl>
      <h3>Schema</h3>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section class="schema" tabIndex={0} aria-label={`Schema of version ${version.version}`}>
        <pre>{prettyJson(version.schema)}</pre>
      </section>
      <h3>References</h3>
      {refs.length === 0 ? (
        <p class="muted">This version references no other schema.</p>
      ) : (
        <ul class="plain">
          {refs.map((r) => (
            <li key={r.name}>
              <code>{r.name}</code> →{' '}
              <a href={subjectHref(r.subject, { v: r.version })}>{`${r.subject} v${r.version}`}</a>
            </li>
          ))}
        </ul>
      )}
      <h3>Referenced by</h3>
      {referrers.error !== undefined ? (
        <p class="muted">The referrers of this version could not be listed.</p>
      ) : referrers.list === undefined ? (
        <Loading label="Looking for referrers…" />
      ) : referrers.list.length === 0 ? (
        <p class="muted">No schema references this version.</p>
      ) : (
        <ul class="plain">
          {referrers.list.map((r) => (
            <li key={`${r.subject}\u0000${r.version}`}>
              <a href={subjectHref(r.subject, { v: r.version })}>{`${r.subject} v${r.version}`}</a>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

function VersionSelect({
  id,
  label: text,
  versions,
  value,
  param,
}: {
  id: string;
  label: string;
  versions: VersionDetail[];
  value: number;
  param: 'from' | 'to';
}) {
  return (
    <div class="field">
      <label for={id}>{text}</label>
      <select
        id={id}
        value={String(value)}
        onChange={(e) => replaceParams({ [param]: e.currentTarget.value })}
      >
        {versions.map((v) => (
          <option key={v.version} value={String(v.version)}>
            {label(v)}
            {v.deleted ? ' – soft-deleted' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

function Compare({
  subject,
  versions,
  from,
  to,
}: {
  subject: string;
  versions: VersionDetail[];
  from: VersionDetail;
  to: VersionDetail;
}) {
  const [explanation, setExplanation] = useState<{ data?: Explanation; error?: unknown }>({});
  useEffect(() => {
    const controller = new AbortController();
    setExplanation({});
    api<Explanation>(path`/compatibility/subjects/${subject}/explain`, {
      method: 'POST',
      body: { version: to.version, against: from.version },
      signal: controller.signal,
    }).then(
      (data) => setExplanation({ data }),
      (error: unknown) => {
        if (!controller.signal.aborted) setExplanation({ error });
      },
    );
    return () => controller.abort();
  }, [subject, from.version, to.version]);
  const check = explanation.data?.checks[0];
  const same = from.version === to.version;

  return (
    <section class="card compare" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare versions</h2>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
        <VersionSelect id="compare-from" label="From" versions={versions} value={from.version} param="from" />
        <VersionSelect id="compare-to" label="To" versions={versions} value={to.version} param="to" />
        <button
          type="button"
          class="button"
          onClick={() => replaceParams({ from: to.version, to: from.version })}
        >
          Swap
        </button>
      </form>

      <div class="verdicts" aria-live="polite">
        <h3>
          Compatibility between {label(from)} and {label(to)}
        </h3>
        {same ? (
          <p class="muted">Pick two different versions to see a verdict.</p>
        ) : explanation.error !== undefined ? (
          <ErrorBanner error={explanation.error} title="The verdict could not be computed." />
        ) : explanation.data === undefined || check === undefined ? (
          <Loading label="Checking compatibility…" />
        ) : (
          <>
            <p class="level-verdict">
              Under the subject's level, <strong>{explanation.data.level}</strong>, {label(to)} against{' '}
              {label(from)}: <VerdictBadge compatible={explanation.data.is_compatible} />
            </p>
            <Direction
              title={
                <>
                  <strong>Backward</strong>: {label(to)} can read data written with {label(from)}
                </>
              }
              verdict={check.backward}
              reader={label(to)}
              writer={label(from)}
            />
            <Direction
              title={
                <>
                  <strong>Forward</strong>: {label(from)} can read data written with {label(to)}
                </>
              }
              verdict={check.forward}
              reader={label(from)}
              writer={label(to)}
            />
          </>
        )}
      </div>
      <h3>Schema changes</h3>
      <DiffView
        oldText={prettyJson(from.schema)}
        newText={prettyJson(to.schema)}
        oldLabel={`v${from.version}`}
        newLabel={`v${to.version}`}
      />
    </section>
  );
}
