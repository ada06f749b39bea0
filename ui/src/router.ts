/**
 * Hash routes (`#/subjects/orders-value?v=3`): the server serves one page, deep links and the back
 * button work, and nothing on the server needs to know the UI's routes.
 */
import { useEffect, useState } from 'preact/hooks';

export type Page = 'subjects' | 'subject' | 'check' | 'rollout' | 'settings' | 'not-found';

export interface Route {
  readonly page: Page;
  /** The subject named in the path (subject and rollout pages). */
  readonly subject: string | undefined;
  readonly params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const pathPart = q < 0 ? body : body.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : body.slice(q + 1));
  const segments = pathPart.split('/').filter((s) => s !== '');
  let subject: string | undefined;
  if (segments[1] !== undefined) {
    try {
      subject = decodeURIComponent(segments.slice(1).join('/'));
    } catch {
      return { page: 'not-found', subject: undefined, params };
    }
  }
  switch (segments[0]) {
    case undefined:
    case 'subjects':
      return { page: subject === undefined ? 'subjects' : 'subject', subject, params };
    case 'check':
      return { page: 'check', subject: undefined, params };
    case 'rollout':
      return { page: 'rollout', subject, params };
    case 'settings':
      return { page: 'settings', subject: undefined, params };
    default:
      return { page: 'not-found', subject: undefined, params };
  }
}

/** `#/subjects/a%2Fb?v=2`: parameters with an empty or undefined value are left out. */
export function href(
  page: Exclude<Page, 'not-found' | 'subject'>,
  subject?: string,
  params: Record<string, string | number | boolean | undefined> = {},
): string {
  let out = `#/${page}`;
  if (subject !== undefined) out += `/${encodeURIComponent(subject)}`;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '' && v !== false) query.set(k, String(v));
  }
  const qs = query.toString();
  return qs === '' ? out : `${out}?${qs}`;
}

export function subjectHref(
  subject: string,
  params: Record<string, string | number | undefined> = {},
): string {
  return href('subjects', subject, params);
}

const listeners = new Set<() => void>();
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    for (const l of listeners) l();
  });
}

/** Changes the current route's parameters without a new history entry (search boxes, selections). */
export function replaceParams(updates: Record<string, string | number | boolean | undefined>): void {
  const route = parseRoute(window.location.hash);
  const params = new URLSearchParams(route.params);
  for (const [k, v] of Object.entries(updates)) {
    if (v === undefined || v === '' || v === false) params.delete(k);
    else params.set(k, String(v));
  }
  const hash = window.location.hash.replace(/\?.*$/, '') || '#/subjects';
  const qs = params.toString();
  window.history.replaceState(null, '', qs === '' ? hash : `${hash}?${qs}`);
  for (const l of listeners) l();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return route;
}
