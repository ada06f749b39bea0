/** Small hooks shared by the pages: API reads with cancellation, debouncing, a ticking clock. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort } from './api.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/**
 * GETs `path` (nothing when undefined) and again whenever it changes or `reload` is called; a newer
 * request cancels the older one, so a slow answer never overwrites a fresher one.
 */
export function useApi<T>(path: string | undefined): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: path !== undefined,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (path === undefined) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: controller.signal }).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!isAbort(error)) setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The current time, re-rendering every `ms` (lease countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Sets the document title and, after the first page, moves focus to the page's heading. */
let firstPage = true;
export function usePageTitle(title: string): (el: HTMLHeadingElement | null) => void {
  useEffect(() => {
    document.title = `${title} · ProximaDB Schema Registry`;
  }, [title]);
  const focused = useRef(false);
  return useCallback((el: HTMLHeadingElement | null) => {
    if (el === null || focused.current) return;
    focused.current = true;
    if (firstPage) firstPage = false;
    else el.focus({ preventScroll: false });
  }, []);
}
