/**
 * Subjects: the registry's list, searched by substring or prefix, paged on the server
 * (`GET /catalog/subjects`), so it stays fast at any number of subjects. State lives in the URL.
 */
import { useEffect, useState } from 'preact/hooks';
import { path } from '../api.js';
import { Empty, ErrorBanner, Loading } from '../components/status.js';
import { useApi, useDebounced, usePageTitle } from '../hooks.js';
import { formatCount, formatDateTime } from '../lib/format.js';
import { parseRoute, replaceParams, subjectHref } from '../router.js';
import type { SettingSource, SubjectSummary, SubjectSummaryPage } from '../types.js';

const PAGE_SIZES = [25, 50, 100] as const;

function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const n = Number(params.get(name));
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function Source({ source }: { source: SettingSource }) {
  return source === 'subject' ? null : <span class="source">({source})</span>;
}

function Row({ s }: { s: SubjectSummary }) {
  return (
    <tr>
      <th scope="row" data-label="Subject">
        <a href={subjectHref(s.subject)}>{s.subject}</a>
      </th>
      <td data-label="Versions">
        {formatCount(s.versions.live)} live
        {s.versions.deleted > 0 && (
          <span class="muted"> · {formatCount(s.versions.deleted)} soft-deleted</span>
        )}
      </td>
      <td data-label="Latest">
        {s.latest === null ? (
          <span class="badge badge-muted">all deleted</span>
        ) : (
          <>
            <span class="semver">{s.latest.semver}</span>{' '}
            <span class="muted">
              v{s.latest.version} · id {s.latest.id}
            </span>
            <span class="sub-line muted">{formatDateTime(s.latest.createdAt)}</span>
          </>
        )}
      </td>
      <td data-label="Compatibility">
        {s.compatibilityLevel} <Source source={s.compatibilitySource} />
      </td>
      <td data-label="Mode">
        {s.mode} <Source source={s.modeSource} />
      </td>
    </tr>
  );
}

export function SubjectsPage({ params }: { params: URLSearchParams }) {
  const heading = usePageTitle('Subjects');
  const [text, setText] = useState(params.get('q') ?? '');
  // Follow the address when it changes by navigation (back button, a link). Typing rewrites the address
  // without a hashchange event, so a keystroke is never overwritten by an older value.
  useEffect(() => {
    const follow = () => setText(parseRoute(window.location.hash).params.get('q') ?? '');
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const match = params.get('match') === 'prefix' ? 'prefix' : 'contains';
  const deleted = params.get('deleted') === 'true';
  const size = PAGE_SIZES.find((n) => n === intParam(params, 'size', 50)) ?? 50;
  const page = intParam(params, 'page', 1);
  const query = useDebounced(text.trim(), 250);
  const offset = (page - 1) * size;
  const list = useApi<SubjectSummaryPage>(
    match === 'prefix'
      ? path`/catalog/subjects?prefix=${query}&deleted=${String(deleted)}&offset=${offset}&limit=${size}`
      : path`/catalog/subjects?contains=${query}&deleted=${String(deleted)}&offset=${offset}&limit=${size}`,
  );
  const data = list.data;
  // Page numbers describe the rows on screen (the last answer), not the one still loading.
  const pages = data === undefined ? 1 : Math.max(1, Math.ceil(data.total / data.limit));
  const shownPage = data === undefined ? page : Math.floor(data.offset / data.limit) + 1;

  const onSearch = (value: string) => {
    setText(value);
    replaceParams({ q: value, page: undefined });
  };

  return (
    <section>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Subjects
        </h1>
        <p class="muted" aria-live="polite">
          {data === undefined
            ? ' '
            : data.total === 0
              ? 'No subject to show'
              : `${formatCount(data.total)} subject${data.total === 1 ? '' : 's'}${query === '' ? '' : ' match'}`}
        </p>
      </div>
      <search>
        <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
          <div class="field grow">
            <label for="subject-search">Search subjects</label>
            <input
              id="subject-search"
              type="search"
              placeholder={match === 'prefix' ? 'Subjects starting with…' : 'Part of a subject name'}
              value={text}
              spellcheck={false}
              onInput={(e) => onSearch(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="subject-match">Match</label>
            <select
              id="subject-match"
              value={match}
              onChange={(e) =>
                replaceParams({
                  match: e.currentTarget.value === 'prefix' ? 'prefix' : undefined,
                  page: undefined,
                })
              }
            >
              <option value="contains">Name contains</option>
              <option value="prefix">Name starts with</option>
            </select>
          </div>
          <div class="field checkbox">
            <input
              id="subject-deleted"
              type="checkbox"
              checked={deleted}
              onChange={(e) => replaceParams({ deleted: e.currentTarget.checked, page: undefined })}
            />
            <label for="subject-deleted">Include soft-deleted subjects</label>
          </div>
        </form>
      </search>

      {list.error !== undefined && (
        <ErrorBanner error={list.error} title="The subjects could not be listed." />
      )}
      {data === undefined && list.loading && <Loading label="Loading subjects…" />}
      {data !== undefined && data.total === 0 && query === '' && (
        <Empty title="No subjects yet">
          <p>Register a schema and it appears here, for example:</p>
          <pre class="snippet">
            {`curl -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' \\
  ${new URL('../subjects/orders-value/versions', window.location.href).href} \\
  -d '{"schema": "{\\"type\\":\\"record\\",\\"name\\":\\"Order\\",\\"fields\\":[{\\"name\\":\\"id\\",\\"type\\":\\"long\\"}]}"}'`}
          </pre>
        </Empty>
      )}
      {data !== undefined && data.total === 0 && query !== '' && (
        <Empty title={`No subject ${match === 'prefix' ? 'starts with' : 'contains'} “${query}”.`}>
          <p>
            {deleted ? 'Soft-deleted subjects were searched too.' : 'Soft-deleted subjects are not shown.'}
          </p>
        </Empty>
      )}
      {data !== undefined && data.subjects.length > 0 && (
        <>
          <table class="grid subjects-table" aria-busy={list.loading}>
            <caption class="sr-only">
              Subjects, page {shownPage} of {pages}
            </caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Versions</th>
                <th scope="col">Latest</th>
                <th scope="col">Compatibility</th>
                <th scope="col">Mode</th>
              </tr>
            </thead>
            <tbody>
              {data.subjects.map((s) => (
                <Row key={s.subject} s={s} />
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages of subjects">
            <button
              type="button"
              class="button"
              disabled={page <= 1}
              onClick={() => replaceParams({ page: page - 1 === 1 ? undefined : page - 1 })}
            >
              <span aria-hidden="true">← </span>Previous
            </button>
            <span>
              Page {formatCount(shownPage)} of {formatCount(pages)} · {formatCount(data.offset + 1)}–
              {formatCount(data.offset + data.subjects.length)} of {formatCount(data.total)}
            </span>
            <button
              type="button"
              class="button"
              disabled={page >= pages}
              onClick={() => replaceParams({ page: page + 1 })}
            >
              Next<span aria-hidden="true"> →</span>
            </button>
            <div class="field inline">
              <label for="page-size">Per page</label>
              <select
                id="page-size"
                value={String(size)}
                onChange={(e) => replaceParams({ size: e.currentTarget.value, page: undefined })}
              >
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={String(n)}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          </nav>
        </>
      )}
      {data !== undefined && data.subjects.length === 0 && data.total > 0 && (
        <Empty title="This page is past the end of the list.">
          <button type="button" class="button" onClick={() => replaceParams({ page: undefined })}>
            Back to the first page
          </button>
        </Empty>
      )}
    </section>
  );
}
