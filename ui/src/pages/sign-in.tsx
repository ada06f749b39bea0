/**
 * Sign-in when the registry has access control: a user name and password (sent as HTTP Basic) or a
 * bearer token. The credential is checked against `GET /users/me` before it is kept (sessionStorage,
 * this tab only).
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type Credential, describeError } from '../api.js';
import { RadioGroup } from '../components/radio-group.js';
import { usePageTitle } from '../hooks.js';
import type { AccessView } from '../types.js';

export function SignIn({
  onSignedIn,
  notice,
}: {
  onSignedIn: (c: Credential, me: AccessView) => void;
  notice?: string;
}) {
  const heading = usePageTitle('Sign in');
  const [method, setMethod] = useState<'password' | 'token'>('password');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const credential: Credential =
      method === 'password' ? { kind: 'basic', user, password } : { kind: 'bearer', token: token.trim() };
    setBusy(true);
    setError(undefined);
    try {
      const me = await api<AccessView>('/users/me', { credential });
      onSignedIn(credential, me);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'Those credentials were not accepted. Check them and try again.'
          : describeError(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sign-in">
      <h1 ref={heading} tabIndex={-1}>
        Sign in to the registry
      </h1>
      <p class="muted">This registry requires credentials. They are kept in this browser tab only.</p>
      {notice !== undefined && (
        <div class="banner banner-info" role="status">
          {notice}
        </div>
      )}
      <form class="card form-stack" onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <RadioGroup
          name="method"
          legend="Sign in with"
          value={method}
          options={[
            { value: 'password', label: 'User and password' },
            { value: 'token', label: 'Token' },
          ]}
          onChange={setMethod}
        />
        {method === 'password' ? (
          <>
            <div class="field">
              <label for="sign-in-user">User</label>
              <input
                id="sign-in-user"
                type="text"
                autocomplete="username"
                required
                value={user}
                onInput={(e) => setUser(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="sign-in-password">Password</label>
              <input
                id="sign-in-password"
                type="password"
                autocomplete="current-password"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </div>
          </>
        ) : (
          <div class="field">
            <label for="sign-in-token">Bearer token</label>
            <input
              id="sign-in-token"
              type="password"
              autocomplete="off"
              required
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
          </div>
        )}
        {error !== undefined && (
          <p id="sign-in-error" class="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </div>
  );
}
