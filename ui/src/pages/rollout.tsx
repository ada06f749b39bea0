/**
 * Rollout: a subject's participants (role, what each supports, lease counting down), the agreed
 * version with its epoch and any fallback, and which participants block each newer version and why.
 *
 * It stays live two ways: a long-poll (`afterEpoch` + `waitSeconds`) returns the moment the agreed
 * version changes, and a light refresh every few seconds picks up what does not move the epoch
 * (a participant joining or renewing, a newer version becoming blocked).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, isAbort, path } from '../api.js';
import { Empty, ErrorBanner, Loading } from '../components/status.js';
import { SubjectPicker } from '../components/subject-picker.js';
import { useNow, usePageTitle } from '../hooks.js';
import { agreementEvents } from '../lib/agreement-events.js';
import { formatDateTime, formatRemaining, formatVersionList, plural } from '../lib/format.js';
import { href, subjectHref } from '../router.js';
import type { Agreement, Participant } from '../types.js';

/** Server-side wait of each long-poll; the client gives up a little later and asks again. */
const WAIT_SECONDS = 25;
const CLIENT_TIMEOUT_MS = (WAIT_SECONDS + 5) * 1000;
const REFRESH_MS = 4000;
const MAX_EVENTS = 12;

interface Feed {
  agreement?: Agreement;
  error?: unknown;
  updatedAt?: number;
  events: Array<{ at: number; text: string }>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

function useAgreementFeed(subject: string): Feed {
  const [feed, setFeed] = useState<Feed>({ events: [] });
  const current = useRef<Agreement | undefined>(undefined);

  useEffect(() => {
    const stop = new AbortController();
    current.current = undefined;
    setFeed({ events: [] });

    const apply = (next: Agreement) => {
      const before = current.current;
      // A slower answer must not take the page back to an older epoch.
      if (before !== undefined && next.epoch < before.epoch) return;
      current.current = next;
      const at = Date.now();
      const texts = before === undefined ? [] : agreementEvents(before, next);
      setFeed((f) => ({
        agreement: next,
        updatedAt: at,
        events: [...texts.map((text) => ({ at, text })).reverse(), ...f.events].slice(0, MAX_EVENTS),
      }));
    };
    const fail = (error: unknown) => setFeed((f) => ({ ...f, error }));

    const fetchOnce = async (query: string, timeoutMs: number): Promise<Agreement> => {
      const request = new AbortController();
      const abort = () => request.abort();
      stop.signal.addEventListener('abort', abort);
      const timer = setTimeout(abort, timeoutMs);
      try {
        return await api<Agreement>(path`/negotiation/subjects/${subject}/agreement` + query, {
          signal: request.signal,
        });
      } finally {
        clearTimeout(timer);
        stop.signal.removeEventListener('abort', abort);
      }
    };

    (async () => {
      let backoff = 1000;
      while (!stop.signal.aborted) {
        const epoch = current.current?.epoch;
        const query = epoch === undefined ? '' : `?afterEpoch=${epoch}&waitSeconds=${WAIT_SECONDS}`;
        try {
          apply(await fetchOnce(query, CLIENT_TIMEOUT_MS));
          setFeed((f) => (f.error === undefined ? f : { ...f, error: undefined }));
          backoff = 1000;
        } catch (e) {
          if (stop.signal.aborted) return;
          // Our own timeout: the server held the request longer than it should; just ask again.
          if (isAbort(e)) continue;
          fail(e);
          await sleep(backoff, stop.signal);
          backoff = Math.min(backoff * 2, 15_000);
        }
      }
    })();

    const refresh = setInterval(() => {
      fetchOnce('', REFRESH_MS * 2).then(apply, (e: unknown) => {
        if (!isAbort(e)) fail(e);
      });
    }, REFRESH_MS);

    return () => {
      stop.abort();
      clearInterval(refresh);
    };
  }, [subject]);
  return feed;
}

export function RolloutPage({ subject }: { subject: string | undefined }) {
  return subject === undefined || subject === '' ? <ChooseSubject /> : <Watch subject={subject} />;
}

function ChooseSubject() {
  const heading = usePageTitle('Rollout');
  const [subject, setSubject] = useState('');
  return (
    <section>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Rollout
        </h1>
        <p class="muted">
          Watch where a subject's rollout stands: its participants, their leases and the agreed version.
        </p>
      </div>
      <form
        class="card toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (subject.trim() !== '') window.location.hash = href('rollout', subject.trim());
        }}
      >
        <div class="grow">
          <SubjectPicker id="rollout-subject" label="Subject" value={subject} onInput={setSubject} required />
        </div>
        <button type="submit" class="button primary">
          Watch
        </button>
      </form>
    </section>
  );
}

function supportsText(p: Participant): string {
  const s = p.supports;
  if (s === undefined) return '—';
  const parts: string[] = [];
  if (s.range !== undefined) parts.push(`range ${s.range}`);
  if (s.versions !== undefined) parts.push(`versions ${formatVersionList(s.versions)}`);
  if (s.fingerprints !== undefined) parts.push(plural(s.fingerprints.length, 'fingerprint'));
  if (s.schema === true) parts.push('its own schema');
  return parts.length === 0 ? '—' : parts.join('; ');
}

function Watch({ subject }: { subject: string }) {
  const heading = usePageTitle(`Rollout of ${subject}`);
  const feed = useAgreementFeed(subject);
  const now = useNow(1000);
  const a = feed.agreement;
  const missing = feed.error instanceof ApiError && feed.error.status === 404;

  return (
    <section>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="#/rollout">Rollout</a> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{subject}</span>
      </nav>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Rollout of <span class="subject-name">{subject}</span>
        </h1>
        <p class="live-status" role="status">
          {feed.error !== undefined && !missing ? (
            <span class="badge badge-warn">Reconnecting…</span>
          ) : feed.updatedAt !== undefined ? (
            <>
              <span class="badge badge-live">
                <span aria-hidden="true">● </span>Live
              </span>{' '}
              <span class="muted">updated {new Date(feed.updatedAt).toLocaleTimeString('en-GB')}</span>
            </>
          ) : null}
        </p>
        <p class="links">
          <a class="button" href={subjectHref(subject)}>
            Subject and versions
          </a>
        </p>
      </div>

      {missing && (
        <Empty title={`The subject “${subject}” has no live version.`}>
          <p>
            An agreement needs at least one live version. This page keeps watching and updates when one
            exists.
          </p>
        </Empty>
      )}
      {feed.error !== undefined && !missing && a === undefined && (
        <ErrorBanner error={feed.error} title="The agreement could not be read." />
      )}
      {a === undefined && feed.error === undefined && <Loading label="Loading the agreement…" />}

      {a !== undefined && !missing && (
        <div class="rollout-grid">
          <section class={`card agreement ${a.degraded ? 'is-warn' : ''}`} aria-labelledby="agreement-title">
            <h2 id="agreement-title">Agreed version</h2>
            <p class="agreed" data-testid="agreed-version">
              {a.version === null ? (
                'none'
              ) : (
                <>
                  <span class="semver big">{a.semver}</span> <span>version {a.version}</span>{' '}
                  <span class="muted">id {a.id}</span>
                </>
              )}
            </p>
            <dl class="facts-grid">
              <dt>Epoch</dt>
              <dd data-testid="epoch">{a.epoch}</dd>
              <dt>State</dt>
              <dd>
                {a.degraded ? (
                  <span class="badge badge-warn">degraded</span>
                ) : (
                  <span class="badge badge-ok">healthy</span>
                )}
              </dd>
              {a.fallbackFrom !== undefined && (
                <>
                  <dt>Fell back from</dt>
                  <dd>
                    {a.fallbackFrom.semver} (version {a.fallbackFrom.version})
                  </dd>
                </>
              )}
            </dl>
            {a.reason !== undefined && <p class="banner banner-warn">{a.reason}</p>}
          </section>

          <section class="card" aria-labelledby="blocked-title">
            <h2 id="blocked-title">Newer versions</h2>
            {a.blocked.length === 0 ? (
              <p class="muted" data-testid="no-blocked">
                Nothing is newer than the agreed version: it is the latest live version.
              </p>
            ) : (
              <ul class="blocked" data-testid="blocked">
                {a.blocked.map((b) => (
                  <li key={b.version}>
                    <p>
                      <span class="semver">{b.semver}</span> version {b.version} is blocked by{' '}
                      {plural(b.blockers.length, 'participant')}:
                    </p>
                    <ul>
                      {b.blockers.map((x) => (
                        <li key={x.participant}>
                          <strong>{x.participant}</strong>: {x.reason}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="card span-all" aria-labelledby="participants-title">
            <h2 id="participants-title">Participants ({a.participants.length})</h2>
            {a.participants.length === 0 ? (
              <p class="muted" data-testid="no-participants">
                No live participant: the agreement follows the latest live version.
              </p>
            ) : (
              <table class="grid participants" data-testid="participants">
                <caption class="sr-only">Live participants and their leases</caption>
                <thead>
                  <tr>
                    <th scope="col">Participant</th>
                    <th scope="col">Role</th>
                    <th scope="col">Supports</th>
                    <th scope="col">Can read</th>
                    <th scope="col">Can write</th>
                    <th scope="col">Lease ends in</th>
                  </tr>
                </thead>
                <tbody>
                  {a.participants.map((p) => (
                    <tr key={p.id}>
                      <th scope="row" data-label="Participant">
                        {p.id}
                      </th>
                      <td data-label="Role">{p.role}</td>
                      <td data-label="Supports">{supportsText(p)}</td>
                      <td data-label="Can read">
                        {p.role === 'writer' ? '—' : formatVersionList(p.canRead)}
                      </td>
                      <td data-label="Can write">
                        {p.role === 'reader' ? '—' : formatVersionList(p.canWrite)}
                      </td>
                      <td data-label="Lease ends in">
                        <span class={p.expiresAt - now <= 10_000 ? 'countdown soon' : 'countdown'}>
                          {formatRemaining(p.expiresAt - now)}
                        </span>
                        <span class="sub-line muted">{formatDateTime(p.expiresAt)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section class="card span-all" aria-labelledby="activity-title">
            <h2 id="activity-title">Activity while you watch</h2>
            <div aria-live="polite">
              {feed.events.length === 0 ? (
                <p class="muted">No change since you opened this page.</p>
              ) : (
                <ol class="activity" data-testid="activity">
                  {feed.events.map((e, i) => (
                    <li key={`${e.at}-${i}`}>
                      <time>{new Date(e.at).toLocaleTimeString('en-GB')}</time> {e.text}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </section>
        </div>
      )}
    </section>
  );
}
