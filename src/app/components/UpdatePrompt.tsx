import { useRegisterSW } from 'virtual:pwa-register/solid';
import { createEffect, onCleanup, Show } from 'solid-js';

const OFFLINE_NOTE_MS = 6000;

/**
 * Registers the service worker and asks before switching to a new version, so an update never
 * reloads the page under someone who is typing.
 */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW();
  // "Works offline" is news once; it need not stay on screen.
  createEffect(() => {
    if (!offlineReady()) return;
    const t = setTimeout(() => setOfflineReady(false), OFFLINE_NOTE_MS);
    onCleanup(() => clearTimeout(t));
  });
  return (
    <>
      <Show when={needRefresh()}>
        <div class="toast" role="status">
          <span>A new version of Peerline is ready.</span>
          <button type="button" class="btn primary small" onClick={() => updateServiceWorker()}>
            Update
          </button>
          <button type="button" class="btn small" onClick={() => setNeedRefresh(false)}>
            Later
          </button>
        </div>
      </Show>
      <Show when={offlineReady() && !needRefresh()}>
        <div class="toast" role="status">
          <span>Peerline now also opens without a network.</span>
          <button type="button" class="btn small" onClick={() => setOfflineReady(false)}>
            OK
          </button>
        </div>
      </Show>
    </>
  );
}
