import { useCallback, useEffect, useMemo, useState } from 'react';
import { createApiClient } from './api/client.js';
import { forgetKey, SessionContext, sessionOf, storedKey, storeKey, useSession, type Identity } from './session/session.js';
import { SignIn } from './session/sign-in.js';
import { href, match, useHashPath } from './router.js';
import { SCREENS } from './screens.js';
import { ErrorMessage, Loading } from './components/status.js';

/** The console: sign-in, then the screens the key's roles allow. */
export function App() {
  const [key, setKey] = useState<string | null>(storedKey);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();

  const signOut = useCallback((message?: string) => {
    forgetKey();
    setKey(null);
    setIdentity(null);
    setNotice(message);
  }, []);
  const api = useMemo(
    () =>
      key ? createApiClient(key, () => signOut('Your API key was refused (401): it is unknown, revoked or expired. Sign in again.')) : null,
    [key, signOut],
  );

  // A key kept from earlier in this tab: ask who it is again (roles may have changed).
  useEffect(() => {
    if (!api || identity) return;
    api.get<Identity>('/v1/me').then(setIdentity, setError);
  }, [api, identity]);

  if (!key || !api) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(signedInKey, signedIn) => {
          storeKey(signedInKey);
          setKey(signedInKey);
          setIdentity(signedIn);
          setNotice(undefined);
        }}
      />
    );
  }
  if (!identity) return <main>{error ? <ErrorMessage error={error} /> : <Loading what="your session" />}</main>;
  return (
    <SessionContext.Provider value={sessionOf(identity, api, signOut)}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const path = useHashPath();
  const session = useSession();
  const allowed = SCREENS.filter((screen) => screen.roles.length === 0 || session.can(...screen.roles));
  const found = allowed.map((screen) => ({ screen, params: match(screen.pattern, path) })).find((candidate) => candidate.params !== null);
  const forbidden = !found && SCREENS.some((screen) => match(screen.pattern, path) !== null);
  useEffect(() => {
    document.title = `${found?.screen.title ?? 'Not found'} · Decisioning console`;
  }, [found?.screen.title]);
  return (
    <>
      <header className="top">
        <a className="skip" href="#main">
          Skip to content
        </a>
        <span className="brand">Decisioning console</span>
        <nav aria-label="Screens">
          <ul>
            {allowed
              .filter((screen) => screen.nav)
              .map((screen) => (
                <li key={screen.pattern}>
                  <a href={href(screen.pattern)} aria-current={found?.screen === screen ? 'page' : undefined}>
                    {screen.nav}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <section className="who" aria-label="Signed in as">
          <span>{session.identity.name}</span>
          <span className="roles">roles: {session.identity.roles.join(', ')}</span>
          <button type="button" onClick={() => session.signOut('Signed out: the key was dropped from this tab.')}>
            Sign out
          </button>
        </section>
      </header>
      <main id="main" tabIndex={-1}>
        {found ? (
          <found.screen.component params={found.params!} path={path} />
        ) : forbidden ? (
          <p role="alert">Your key's roles ({session.identity.roles.join(', ')}) do not allow this screen.</p>
        ) : (
          <p role="alert">There is no screen at {path}.</p>
        )}
      </main>
    </>
  );
}
