import { useState, type FormEvent } from 'react';
import { createApiClient } from '../api/client.js';
import { describeError } from '../api/api-error.js';
import type { Identity } from './session.js';

/**
 * Sign-in with an API key, pasted once. The key is checked with `GET /v1/me` before it is kept, so a
 * typo is told at once. (An OIDC sign-in would replace this screen and produce the same Identity.)
 */
export function SignIn({ notice, onSignedIn }: { notice?: string; onSignedIn: (key: string, identity: Identity) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const identity = await createApiClient(key.trim(), () => undefined).get<Identity>('/v1/me');
      onSignedIn(key.trim(), identity);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>Decisioning console</h1>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(event) => setKey(event.target.value)} required />
        <p className="hint">The key is kept in this tab only (session storage) and sent only in the Authorization header.</p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
