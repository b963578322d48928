import { Show } from 'solid-js';
import { me } from '../stores/identity.ts';
import { navigate, replace, view } from '../stores/router.ts';

export function Header() {
  const goHome = (e: MouseEvent) => {
    e.preventDefault();
    if (view().name !== 'home') replace({ name: 'home' });
  };
  return (
    <header class="topbar">
      <h1>
        <a href="/" class="brand" onClick={goHome}>
          <img src="/favicon.svg" alt="" width="28" height="28" />
          Peerline
        </a>
      </h1>
      <Show when={me()}>
        <nav aria-label="Main">
          <button
            type="button"
            class="btn ghost"
            aria-current={view().name === 'settings' ? 'page' : undefined}
            onClick={() => view().name !== 'settings' && navigate({ name: 'settings' })}
          >
            Settings
          </button>
        </nav>
      </Show>
    </header>
  );
}
