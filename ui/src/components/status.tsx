/** Loading, error and empty states, the same on every page. */
import type { ComponentChildren } from 'preact';
import { describeError } from '../api.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="muted loading" role="status">
      {label}
    </p>
  );
}

export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  return (
    <div class="banner banner-error" role="alert">
      {title !== undefined && <strong>{title} </strong>}
      {describeError(error)}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** An outcome message: `status` is announced politely, `alert` (errors) at once. */
export function Notice({ tone, children }: { tone: 'ok' | 'error'; children: ComponentChildren }) {
  return (
    <div
      class={`banner ${tone === 'ok' ? 'banner-ok' : 'banner-error'}`}
      role={tone === 'ok' ? 'status' : 'alert'}
    >
      {children}
    </div>
  );
}
