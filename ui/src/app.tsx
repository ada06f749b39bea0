/**
 * The application shell: who is signed in (or the sign-in form when the registry requires
 * credentials), the navigation, and the page for the current route.
 */
import { useEffect, useState } from 'preact/hooks';
import { AccessContext } from './access.js';
import { ApiError, api, type Credential, hasCredential, onUnauthorized, setCredential } from './api.js';
import { ErrorBanner, Loading } from './components/status.js';
import { CheckPage } from './pages/check.js';
import { NotFoundPage } from './pages/not-found.js';
import { RolloutPage } from './pages/rollout.js';
import { SettingsPage } from './pages/settings.js';
import { SignIn } from './pages/sign-in.js';
import { SubjectPage } from './pages/subject.js';
import { SubjectsPage } from './pages/subjects.js';
import { type Page, useRoute } from './router.js';
import type { AccessView } from './types.js';

type State =
  | { kind: 'loading' }
  | { kind: 'sign-in'; notice?: string }
  | { kind: 'ready'; me: AccessView }
  | { kind: 'failed'; error: unknown };

const NAV: ReadonlyArray<{ href: string; label: string; pages: readonly Page[] }> = [
  { href: '#/subjects', label: 'Subjects', pages: ['subjects', 'subject'] },
  { href: '#/check', label: 'Compatibility', pages: ['check'] },
  { href: '#/rollout', label: 'Rollout', pages: ['rollout'] },
  { href: '#/settings', label: 'Settings', pages: ['settings'] },
];

/** A button, not a `#main` link: the hash holds the route. */
function focusMain(): void {
  document.getElementById('main')?.focus();
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const route = useRoute();

  useEffect(() => {
    let live = true;
    api<AccessView>('/users/me').then(
      (me) => live && setState({ kind: 'ready', me }),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 401) {
          setCredential(undefined);
          setState({ kind: 'sign-in' });
        } else setState({ kind: 'failed', error });
      },
    );
    const off = onUnauthorized(() => {
      if (!hasCredential()) return;
      setCredential(undefined);
      setState({ kind: 'sign-in', notice: 'Your credentials are no longer accepted: please sign in again.' });
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const signedIn = (credential: Credential, me: AccessView) => {
    setCredential(credential);
    setState({ kind: 'ready', me });
  };
  const signOut = () => {
    setCredential(undefined);
    setState({ kind: 'sign-in', notice: 'You are signed out.' });
  };

  const me = state.kind === 'ready' ? state.me : undefined;
  return (
    <>
      <button type="button" class="skip-link" onClick={focusMain}>
        Skip to content
      </button>
      <header class="topbar">
        <a class="brand" href="#/subjects">
          ProximaDB <span>Schema Registry</span>
        </a>
        {me !== undefined && (
          <nav aria-label="Main">
            <ul>
              {NAV.map((item) => (
                <li key={item.href}>
                  <a href={item.href} aria-current={item.pages.includes(route.page) ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {me !== undefined && (
          <div class="who">
            {me.accessControl ? (
              <>
                <span>
                  Signed in as <strong>{me.user}</strong>{' '}
                  <span class="role" title="Role">
                    {me.role}
                  </span>
                </span>
                <button type="button" class="button small" onClick={signOut}>
                  Sign out
                </button>
              </>
            ) : (
              <span class="muted">Access control is off</span>
            )}
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {state.kind === 'loading' && <Loading label="Connecting to the registry…" />}
        {state.kind === 'failed' && <ErrorBanner error={state.error} title="The registry did not answer." />}
        {state.kind === 'sign-in' && <SignIn onSignedIn={signedIn} notice={state.notice} />}
        {me !== undefined && (
          <AccessContext.Provider value={me}>
            <CurrentPage page={route.page} />
          </AccessContext.Provider>
        )}
      </main>
    </>
  );
}

function CurrentPage({ page }: { page: Page }) {
  const route = useRoute();
  switch (page) {
    case 'subjects':
      return <SubjectsPage params={route.params} />;
    case 'subject':
      return <SubjectPage key={route.subject} subject={route.subject ?? ''} params={route.params} />;
    case 'check':
      return <CheckPage params={route.params} />;
    case 'rollout':
      return <RolloutPage key={route.subject ?? ''} subject={route.subject} />;
    case 'settings':
      return <SettingsPage params={route.params} />;
    default:
      return <NotFoundPage />;
  }
}
