import { createEffect, createSignal, lazy, Match, Show, Switch } from 'solid-js';
import { DbNotice } from './components/DbNotice.tsx';
import { Header } from './components/Header.tsx';
import { Onboarding } from './components/Onboarding.tsx';
import { Screens } from './components/Screens.tsx';
import { identityState } from './stores/identity.ts';

// The service worker's registration (with its precache download) and the update prompt wait
// until the first screen is painted: they would otherwise compete with it for the network.
// Without its chunk (offline before the first install) there is no worker to update: show nothing.
const UpdatePrompt = lazy(() =>
  import('./components/UpdatePrompt.tsx')
    .then((m) => ({ default: m.UpdatePrompt }))
    .catch(() => ({ default: () => null })),
);

/**
 * Runs `fn` once the frame now being rendered is on screen: the second animation frame comes
 * after the first one was presented. After 1 s anyway, as hidden tabs get no frames.
 */
function afterNextPaint(fn: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(once, 0)));
  setTimeout(once, 1000);
}

export function App() {
  let main: HTMLElement | undefined;
  const failure = () => {
    const s = identityState();
    return s.status === 'failed' ? s.message : undefined;
  };
  const [firstScreenShown, setFirstScreenShown] = createSignal(false);
  createEffect(() => {
    if (identityState().status !== 'loading' && !firstScreenShown()) {
      afterNextPaint(() => setFirstScreenShown(true));
    }
  });
  return (
    <div class="app">
      {/* A button, not an <a href="#main">: a fragment would be read as a contact link. */}
      <button type="button" class="skip-link" onClick={() => main?.focus()}>
        Skip to content
      </button>
      <Header />
      <DbNotice />
      <main id="main" class="content" tabindex="-1" ref={main}>
        <Switch>
          <Match when={identityState().status === 'loading'}>
            <p class="loading">Loading…</p>
          </Match>
          <Match when={identityState().status === 'absent'}>
            <Onboarding />
          </Match>
          <Match when={identityState().status === 'ready'}>
            <Screens />
          </Match>
          <Match when={identityState().status === 'corrupt'}>
            <section class="card" role="alert">
              <h2>Your identity cannot be read</h2>
              <p>
                Peerline found stored data it cannot read, so it will not make a new identity over
                it. Try a newer version of the app, or delete this site's data in the browser
                settings to start again.
              </p>
            </section>
          </Match>
          <Match when={failure() === 'VersionError'}>
            <section class="card" role="alert">
              <h2>Peerline was updated</h2>
              <p>
                A newer version of Peerline has already used this browser's storage. Reload to get
                the new version.
              </p>
              <button type="button" class="btn primary" onClick={() => location.reload()}>
                Reload
              </button>
            </section>
          </Match>
          <Match when={failure()}>
            <section class="card" role="alert">
              <h2>Storage is not available</h2>
              <p>
                Peerline keeps your identity in this browser's storage (IndexedDB), which is blocked
                or full. Private windows of some browsers block it.
              </p>
            </section>
          </Match>
        </Switch>
      </main>
      <Show when={firstScreenShown()}>
        <UpdatePrompt />
      </Show>
    </div>
  );
}
