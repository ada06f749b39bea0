/**
 * The registry's HTTP API as the UI calls it. Every call sends the signed-in credential itself, as a
 * Basic or Bearer Authorization header, with `credentials: 'omit'`: the browser then never offers its
 * own Basic login prompt on a 401, and nothing is kept in cookies or the browser's password store.
 * Errors come back in the registry's `{error_code, message}` envelope and are thrown as ApiError.
 */

export interface ErrorEnvelope {
  error_code: number;
  message: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
    readonly envelope: ErrorEnvelope | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Credential =
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

const STORAGE_KEY = 'proximadb-registry.credential';

/** The API sits at the registry's root, one level above the page (`/ui/`), proxy prefixes included. */
export const API_BASE = new URL('../', window.location.href);

function readStoredCredential(): Credential | undefined {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (raw === null) return undefined;
    const value = JSON.parse(raw) as Partial<Record<string, unknown>>;
    if (value.kind === 'basic' && typeof value.user === 'string' && typeof value.password === 'string') {
      return { kind: 'basic', user: value.user, password: value.password };
    }
    if (value.kind === 'bearer' && typeof value.token === 'string')
      return { kind: 'bearer', token: value.token };
  } catch {
    // Storage disabled or garbage in it: act as signed out.
  }
  return undefined;
}

let credential: Credential | undefined = readStoredCredential();
const unauthorizedListeners = new Set<() => void>();

/** Kept for this tab only (sessionStorage): closing the tab signs out. */
export function setCredential(next: Credential | undefined): void {
  credential = next;
  try {
    if (next === undefined) window.sessionStorage.removeItem(STORAGE_KEY);
    else window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Without storage the credential lives in memory until the page is reloaded.
  }
}

export function hasCredential(): boolean {
  return credential !== undefined;
}

/** Called when a request made with the stored credential is refused as unauthenticated (401). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return window.btoa(binary);
}

export function authorizationHeader(c: Credential): string {
  return c.kind === 'basic' ? `Basic ${base64Utf8(`${c.user}:${c.password}`)}` : `Bearer ${c.token}`;
}

/** A path with every interpolated value percent-encoded: api(path`/subjects/${s}/versions`). */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce(
    (out, s, i) => out + s + (i < values.length ? encodeURIComponent(values[i]!) : ''),
    '',
  );
}

function isEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.error_code === 'number' && typeof v.message === 'string';
}

export interface ApiOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Try this credential instead of the stored one (signing in). */
  readonly credential?: Credential;
}

export async function api<T>(relative: string, options: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const using = options.credential ?? credential;
  if (using !== undefined) headers.Authorization = authorizationHeader(using);
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(new URL(relative.replace(/^\//, ''), API_BASE), {
    method: options.method ?? 'GET',
    headers,
    body,
    signal: options.signal,
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const envelope = isEnvelope(json) ? json : undefined;
    if (response.status === 401 && options.credential === undefined) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw new ApiError(
      response.status,
      envelope?.error_code ?? response.status,
      envelope?.message ?? `HTTP ${response.status} ${response.statusText}`.trim(),
      envelope,
    );
  }
  return json as T;
}

/** A message for any failure: the registry's own words when it answered, the network's otherwise. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return `${e.message} (error ${e.errorCode})`;
  if (e instanceof Error) return `The registry could not be reached: ${e.message}`;
  return String(e);
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
